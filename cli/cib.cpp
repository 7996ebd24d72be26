// acdsim export cib / acdsim import cib: the storage cluster as Pacemaker's CIB (docs/fidelity.md).
#include <iostream>
#include <optional>

#include "acdsim/model/cib.hpp"
#include "acdsim/model/cib_import.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/input_file.hpp"
#include "acdsim/model/output.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"

#include "cli_common.hpp"
#include "commands.hpp"

namespace acdsim::cli {

using namespace acdsim::model;

namespace {

// `acdsim VERB cib FILE`: the options with "file" set (nullopt: --help was answered with help_tail).
std::optional<po::variables_map> parse_cib(const std::vector<std::string>& args, const po::options_description& opts,
                                           const std::string& verb, const std::string& file, const char* help_tail) {
  return parse_what(args, opts, "cib", {"file"}, help_tail,
                    "usage: acdsim " + verb + " cib " + file +
                        (verb == "export" ? ", or acdsim export promela PROCEDURE" : ", or acdsim import spin-trail MODEL.pml REPLAY"),
                    verb + " cib needs a " + file);
}

const char* const kOutputHelp = "write to this file (atomically) instead of standard output";

}  // namespace

int export_command(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "promela") return export_promela_command(args);
  po::options_description opts(
      "acdsim export cib TOPOLOGY : the storage cluster's Pacemaker CIB (configuration and status) for a model "
      "state, for crm_simulate\noptions");
  opts.add_options()("help,h", "show this help")
      ("state,s", po::value<std::string>(), "the model state (an acdsim-snapshot/1 file); default: all_up")
      ("output,o", po::value<std::string>(), kOutputHelp);
  const auto vm = parse_cib(args, opts, "export", "TOPOLOGY",
                            "\nExamples:\n  acdsim export cib scenarios/topologies/jtel-small.json -o cib.xml\n"
                            "  crm_simulate -x cib.xml -S        # what Pacemaker's scheduler would do from there\n");
  if (!vm) return kOk;
  const std::string path = (*vm)["file"].as<std::string>();
  Topology topology = load_topology(path);
  if (!topology.storage_cluster)
    throw InputError(path, "/storage_cluster", 0, "the topology has no storage cluster, so there is no CIB to export");
  const System system(topology);
  const Snapshot state = vm->count("state") ? load_snapshot(system, (*vm)["state"].as<std::string>()) : system.all_up();
  write_output_option(*vm, cib::cib_xml(*topology.storage_cluster, cib::status_of(system, state)));
  return kOk;
}

int import_command(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "spin-trail") return import_spin_trail_command(args);
  po::options_description opts(
      "acdsim import cib FILE : a real CIB (pcs cluster cib > FILE, or cibadmin --query) as the topology's "
      "\"storage_cluster\" object\noptions");
  opts.add_options()("help,h", "show this help")("output,o", po::value<std::string>(), kOutputHelp);
  const auto vm = parse_cib(args, opts, "import", "FILE", "\nExample:\n  pcs cluster cib > cib.xml && acdsim import cib cib.xml\n");
  if (!vm) return kOk;
  const std::string path = (*vm)["file"].as<std::string>();
  const cib::Imported imported = cib::import_cib(read_input_file(path), path);
  for (const std::string& note : imported.notes) std::cerr << "note: " << note << "\n";
  const nlohmann::ordered_json out{{"storage_cluster", cib::storage_cluster_json(imported.cluster)}};
  write_output_option(*vm, out.dump(2) + "\n");
  return kOk;
}

}  // namespace acdsim::cli
