// acdsim export cib / acdsim import cib: the storage cluster as Pacemaker's CIB (docs/fidelity.md).
#include <iostream>

#include "acdsim/model/cib.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/output.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"

#include "cli_common.hpp"
#include "commands.hpp"

namespace acdsim::cli {

using namespace acdsim::model;

int export_command(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "promela") return export_promela_command(args);
  po::options_description opts(
      "acdsim export cib TOPOLOGY : the storage cluster's Pacemaker CIB (configuration and status) for a model "
      "state, for crm_simulate\noptions");
  opts.add_options()("help,h", "show this help")
      ("state,s", po::value<std::string>(), "the model state (an acdsim-snapshot/1 file); default: all_up")
      ("output,o", po::value<std::string>(), "write to this file (atomically) instead of standard output");
  po::options_description hidden;
  hidden.add_options()("what", po::value<std::string>(), "")("file", po::value<std::string>(), "");
  po::positional_options_description pos;
  pos.add("what", 1).add("file", 1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    std::cout << opts
              << "\nExamples:\n  acdsim export cib scenarios/topologies/jtel-small.json -o cib.xml\n"
                 "  crm_simulate -x cib.xml -S        # what Pacemaker's scheduler would do from there\n";
    return kOk;
  }
  if (!vm.count("what") || vm["what"].as<std::string>() != "cib") throw UsageError("usage: acdsim export cib TOPOLOGY, or acdsim export promela PROCEDURE");
  if (!vm.count("file")) throw UsageError("export cib needs a TOPOLOGY");
  const std::string path = vm["file"].as<std::string>();
  Topology topology = load_topology(path);
  if (!topology.storage_cluster)
    throw InputError(path, "/storage_cluster", 0, "the topology has no storage cluster, so there is no CIB to export");
  const System system(topology);
  const Snapshot state = vm.count("state") ? load_snapshot(system, vm["state"].as<std::string>()) : system.all_up();
  const std::string xml = cib::cib_xml(*topology.storage_cluster, cib::status_of(system, state));
  if (vm.count("output")) write_output(vm["output"].as<std::string>(), xml);
  else std::cout << xml;
  return kOk;
}

}  // namespace acdsim::cli
