// Shared by the command implementations: exit codes, usage errors, option
// parsing, range-checked numbers, outputs, and telling a topology file from a
// procedure file.
#pragma once
#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace acdsim::cli {

namespace po = boost::program_options;

constexpr int kOk = 0;
constexpr int kViolation = 1;
constexpr int kBadInput = 2;
constexpr int kIncomplete = 3;     // check: a limit stopped the search; any command: out of memory
constexpr int kInternalError = 4;  // a bug (std::logic_error): please report

// Wrong command line: printed with the usage, exit 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// A bad option value ("--warmup: expected ..."): one line without the usage, exit 2.
struct OptionError : UsageError {
  using UsageError::UsageError;
};

// The documented maxima of the numbers on the command line (docs/formats.md, "Limits").
namespace limits {
inline constexpr double kMaxWindowS = 86400;              // --warmup, --horizon: one day of workload
inline constexpr double kMaxDurationS = 365.0 * 86400;    // --fault SECONDS, fuzz --window: one year
inline constexpr double kMaxFaultRate = 3600;             // faults per hour: one a second
inline constexpr double kMaxLoad = 100;                   // times the peak (as "load" in files)
inline constexpr double kMaxSlowBoot = 100;               // --slow-boot factor
inline constexpr std::uint64_t kMaxRuns = 10'000;         // simulate --runs
inline constexpr std::uint64_t kMaxFuzzRuns = 1'000'000;  // fuzz --runs
inline constexpr std::uint64_t kMaxSeeds = 10'000;        // whatif, plan --seeds
inline constexpr std::uint64_t kMaxThreads = 4096;        // -j: more than could ever help
inline constexpr std::uint64_t kMaxFaults = 100;          // check --faults
inline constexpr std::uint64_t kMaxStates = 1'000'000'000'000;  // --max-states, --after-violation
inline constexpr std::uint64_t kMinMemoryMiB = 16;
inline constexpr std::uint64_t kMaxMemoryMiB = std::uint64_t{16} << 20;  // 16 TiB
}  // namespace limits

// Parses args (the command's own, without the verb); po errors become UsageError.
// Every command also takes --follow-symlinks (outputs may be written through a symlink).
po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible,
                        const po::positional_options_description& positional,
                        const po::options_description& hidden = po::options_description());

// parse() for a command whose operands are FILE...: vm["file"], a std::vector<std::string>.
po::variables_map parse_files(const std::vector<std::string>& args, const po::options_description& visible);

// parse() for `acdsim VERB WHAT OPERAND...` (export cib TOPOLOGY, export promela PROCEDURE, import
// spin-trail MODEL.pml REPLAY): the first word in vm["what"], the operands in vm[name], a string
// each, named by `operands` in order. --help prints `visible` and `help_tail` and gives nullopt. A
// first word other than `what` throws UsageError(`usage`), a missing operand UsageError(`missing`).
std::optional<po::variables_map> parse_what(const std::vector<std::string>& args, const po::options_description& visible,
                                            const std::string& what, const std::vector<std::string>& operands,
                                            const std::string& help_tail, const std::string& usage,
                                            const std::string& missing);

// A number given as TEXT to --OPTION: finite and within [min, max], else
// OptionError "--OPTION: expected WHAT from MIN to MAX, got "TEXT"".
double real_value(const std::string& option, const std::string& text, double min, double max, const std::string& what);
// A whole number (decimal digits only: no sign, no fraction, no exponent) within [min, max].
std::uint64_t whole_value(const std::string& option, const std::string& text, std::uint64_t min, std::uint64_t max,
                          const std::string& what);
// The same for an option declared as po::value<std::string>() (with a default or present).
double real_option(const po::variables_map& vm, const std::string& option, double min, double max, const std::string& what);
std::uint64_t whole_option(const po::variables_map& vm, const std::string& option, std::uint64_t min, std::uint64_t max,
                           const std::string& what);
// A number greater than 0 and at most max (a timeout: 0 would never wait), else OptionError
// "--OPTION: expected WHAT greater than 0 and at most MAX, got "TEXT"".
double positive_option(const po::variables_map& vm, const std::string& option, double max, const std::string& what);
// --load: low, peak, over-peak or a number from 0 to limits::kMaxLoad.
double load_value(const std::string& option, const std::string& text);

// The default memory limit in MiB: 16 GiB, but at most 3/4 of the machine's RAM, of the
// cgroup's memory limit and of the address-space limit (ulimit -v), whichever are set.
std::uint64_t default_max_memory_mib();

// Writes an output: "-" is standard output, anything else a file written atomically
// (model::write_file_atomically; a symlink there is refused unless --follow-symlinks).
void write_output(const std::string& path, const std::string& text);
// The command's --output FILE (written as write_output does) if given, else standard output.
void write_output_option(const po::variables_map& vm, const std::string& text);

enum class FileType { Topology, Procedure, Inventory, Snapshot, Counterexample };
// Which format a file declares, from its top-level "format" key (a streaming read
// that stops there; the loaders report every other error). InputError if none.
FileType sniff(const std::string& path);

}  // namespace acdsim::cli
