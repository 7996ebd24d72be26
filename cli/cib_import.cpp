// acdsim import cib FILE: a real CIB as the topology's storage_cluster object (docs/fidelity.md).
#include <iostream>

#include "acdsim/model/cib_import.hpp"
#include "acdsim/model/input_file.hpp"
#include "acdsim/model/output.hpp"

#include "cli_common.hpp"
#include "commands.hpp"

namespace acdsim::cli {

int import_command(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "spin-trail") return import_spin_trail_command(args);
  po::options_description opts(
      "acdsim import cib FILE : a real CIB (pcs cluster cib > FILE, or cibadmin --query) as the topology's "
      "\"storage_cluster\" object\noptions");
  opts.add_options()("help,h", "show this help")
      ("output,o", po::value<std::string>(), "write to this file (atomically) instead of standard output");
  po::options_description hidden;
  hidden.add_options()("what", po::value<std::string>(), "")("file", po::value<std::string>(), "");
  po::positional_options_description pos;
  pos.add("what", 1).add("file", 1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    std::cout << opts << "\nExample:\n  pcs cluster cib > cib.xml && acdsim import cib cib.xml\n";
    return kOk;
  }
  if (!vm.count("what") || vm["what"].as<std::string>() != "cib") throw UsageError("usage: acdsim import cib FILE, or acdsim import spin-trail MODEL.pml REPLAY");
  if (!vm.count("file")) throw UsageError("import cib needs a FILE");
  const std::string path = vm["file"].as<std::string>();
  const model::cib::Imported imported = model::cib::import_cib(model::read_input_file(path), path);
  for (const std::string& note : imported.notes) std::cerr << "note: " << note << "\n";
  nlohmann::ordered_json out{{"storage_cluster", model::cib::storage_cluster_json(imported.cluster)}};
  const std::string text = out.dump(2) + "\n";
  if (vm.count("output")) write_output(vm["output"].as<std::string>(), text);
  else std::cout << text;
  return kOk;
}

}  // namespace acdsim::cli
