// Shared by the command implementations: exit codes, usage errors, option
// parsing, and telling a topology file from a procedure file.
#pragma once
#include <boost/program_options.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace acdsim::cli {

namespace po = boost::program_options;

constexpr int kOk = 0;
constexpr int kViolation = 1;
constexpr int kBadInput = 2;
constexpr int kIncomplete = 3;     // check: a limit stopped the search before any violation
constexpr int kInternalError = 4;  // a bug (std::logic_error): please report

// Wrong command line: printed with the usage, exit 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses args (the command's own, without the verb); po errors become UsageError.
po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible,
                        const po::positional_options_description& positional,
                        const po::options_description& hidden = po::options_description());

enum class FileType { Topology, Procedure, Inventory, Snapshot, Counterexample };
// Which format a file declares, from its top-level "format" key (a streaming read
// that stops there; the loaders report every other error). InputError if none.
FileType sniff(const std::string& path);

}  // namespace acdsim::cli
