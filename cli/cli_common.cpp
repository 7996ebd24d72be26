#include "cli_common.hpp"

#include <fstream>
#include <regex>
#include <sstream>

#include "acdsim/model/input_error.hpp"

namespace acdsim::cli {

FileType sniff(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw model::InputError(path, "", 0, "cannot open the file");
  std::stringstream text;
  text << in.rdbuf();
  static const std::regex format(R"re("format"\s*:\s*"acdsim-(topology|procedure)/)re");
  std::smatch m;
  const std::string s = text.str();
  if (!std::regex_search(s, m, format))
    throw model::InputError(path, "/format", 0, R"(expected "format": "acdsim-topology/1" or "acdsim-procedure/1")");
  return m[1] == "topology" ? FileType::Topology : FileType::Procedure;
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible,
                        const po::positional_options_description& positional,
                        const po::options_description& hidden) {
  po::options_description all;
  all.add(visible).add(hidden);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  return vm;
}

}  // namespace acdsim::cli
