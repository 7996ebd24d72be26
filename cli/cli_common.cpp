#include "cli_common.hpp"

#include <string_view>
#include <utility>

#include "acdsim/model/input_error.hpp"
#include "acdsim/model/input_file.hpp"

namespace acdsim::cli {

FileType sniff(const std::string& path) {
  const std::string format = model::declared_format(path);
  static const std::pair<std::string_view, FileType> known[] = {
      {"acdsim-topology/", FileType::Topology},   {"acdsim-procedure/", FileType::Procedure},
      {"acdsim-inventory/", FileType::Inventory}, {"acdsim-snapshot/", FileType::Snapshot},
      {"acdsim-counterexample/", FileType::Counterexample}};
  for (const auto& [prefix, type] : known)
    if (format.rfind(prefix, 0) == 0) return type;
  throw model::InputError(path, "/format", 0,
                          "\"" + format + "\" is not a format acdsim reads (expected acdsim-topology/1, "
                          "acdsim-procedure/1, acdsim-inventory/1, acdsim-snapshot/1 or acdsim-counterexample/1)");
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
