#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "acdsim/live/inventory.hpp"
#include "acdsim/live/observe.hpp"
#include "acdsim/live/transport.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/output.hpp"
#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"
#include "cli_common.hpp"
#include "commands.hpp"

namespace acdsim::cli {

namespace {
// The inventory's own "topology" (relative to the inventory file), when --topology is not given.
std::string topology_of_inventory(const std::string& inventory_file) {
  std::ifstream in(inventory_file);
  if (!in) throw std::runtime_error(inventory_file + ": cannot read the inventory");
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("topology") || !j["topology"].is_string())
    throw UsageError("observe needs --topology FILE (the inventory " + inventory_file + " names none)");
  return (std::filesystem::path(inventory_file).parent_path() / j["topology"].get<std::string>()).string();
}
}  // namespace

int observe_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "acdsim observe --inventory FILE : probe every host once and print the cluster as the model sees it\noptions");
  opts.add_options()("help,h", "show this help")
      ("inventory,i", po::value<std::string>(), "where each host is and how it is probed (acdsim-inventory/1)")
      ("topology,t", po::value<std::string>(), "the topology (default: the inventory's \"topology\")")
      ("out,o", po::value<std::string>(), "write the state as a snapshot (acdsim check PROC --initial FILE, acdsim run --observed FILE)");
  auto vm = parse(args, opts, po::positional_options_description());
  if (vm.count("help")) {
    std::cout << opts << "\nExit codes: 0 every probed component known, 1 some state unknown (no snapshot written),\n"
                         "2 bad input. Probes and what they can tell: docs/live.md.\n";
    return kOk;
  }
  if (!vm.count("inventory")) throw UsageError("observe needs --inventory FILE");
  const std::string inventory_file = vm["inventory"].as<std::string>();
  const std::string topology_file =
      vm.count("topology") ? vm["topology"].as<std::string>() : topology_of_inventory(inventory_file);
  const model::Topology topology = model::load_topology(topology_file);
  live::Inventory inventory = live::load_inventory(inventory_file, topology);
  const live::SshMultiplexer multiplexer(inventory);
  const live::Runner base = live::process_runner(inventory.ssh);
  // A secret echoed by a probe never reaches the output.
  const live::Runner runner = [&](const live::Endpoint& e, const live::Argv& argv, double timeout_s) {
    live::RunResult r = base(e, argv, timeout_s);
    for (const auto& [name, value] : inventory.secrets)
      for (std::size_t at = r.output.find(value); at != std::string::npos; at = r.output.find(value, at + 3))
        r.output.replace(at, value.size(), "***");
    return r;
  };
  const model::System system(topology);
  const live::ClusterView view = live::observe_cluster(system, inventory, runner);

  std::cout << "OBSERVED " << topology.name << " (" << topology.hosts.size() << " hosts, inventory " << inventory_file
            << ")\n";
  for (const model::Host& h : topology.hosts) {
    std::cout << h.alias << "\n";
    for (const live::Observation& o : view.observations) {
      if (o.component.substr(0, o.component.find('/')) != h.alias) continue;
      const auto c = system.find(o.component);
      // A probe that allows several states: the snapshot keeps the all-up one, and says which others it cannot exclude.
      std::string others;
      if (o.known)
        for (model::LocalCode code : live::candidates(system.table(*c), o))
          if (code != view.observed.state[*c]) others += (others.empty() ? "" : ", ") + system.table(*c).name(code);
      std::cout << "  " << o.component.substr(o.component.find('/') + 1) << ": "
                << (o.known ? system.table(*c).name(view.observed.state[*c]) : std::string("UNKNOWN"))
                << (others.empty() ? "" : " (or " + others + ": the probe cannot tell)") << "  <- " << o.probe << ": "
                << o.seen << "\n";
    }
    for (const std::string& a : view.assumed)
      if (a.starts_with(h.alias + "/")) std::cout << "  " << a.substr(a.find('/') + 1) << "\n";
  }
  if (!view.unknown.empty()) {
    std::cout << "\nUNKNOWN (" << view.unknown.size() << "): never act on an unknown state\n";
    for (const std::string& u : view.unknown) std::cout << "  " << u << "\n";
    if (vm.count("out")) std::cout << "no snapshot written: the state is not known\n";
    return kViolation;
  }
  if (vm.count("out")) {
    const std::string out = vm["out"].as<std::string>();
    model::write_file_atomically(out, model::snapshot_to_json(system, view.observed.state).dump(2) + "\n");
    std::cout << "\nsnapshot written to " << out << " (acdsim check PROCEDURE --initial " << out
              << "; acdsim run PROCEDURE --observed " << out << ")\n";
  }
  return kOk;
}

}  // namespace acdsim::cli
