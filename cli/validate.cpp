#include "commands.hpp"

#include <filesystem>
#include <iostream>
#include <optional>

#include "acdsim/live/inventory.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/input_file.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/step_targets.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"
#include "acdsim/sim/replay.hpp"

#include "cli_common.hpp"

namespace acdsim::cli {

using namespace acdsim::model;

namespace {

// The topology an inventory is validated against: --topology, else the file its
// "topology" key names (relative to the inventory). Read with the streaming,
// depth-limited scan: malformed JSON before the key is reported where it breaks.
std::optional<std::string> inventory_topology(const std::string& path, const std::optional<std::string>& given) {
  if (given) return given;
  const std::optional<std::string> named = top_level_string(path, "topology");
  if (!named || named->empty())
    throw InputError(path, "/topology", 0, "names no topology file: give one with --topology FILE");
  std::filesystem::path topology = *named;
  if (topology.is_relative()) topology = std::filesystem::path(path).parent_path() / topology;
  return topology.string();
}

std::string validate_one(const std::string& path, const std::optional<std::string>& topology_file) {
  switch (sniff(path)) {
    case FileType::Topology: {
      System system(load_topology(path));
      system.all_up();  // the model can represent this topology fully running
      return "topology " + system.topology().name + ": " + std::to_string(system.topology().hosts.size()) + " hosts, " +
             std::to_string(system.size()) + " components";
    }
    case FileType::Procedure: {
      Topology topology;
      Procedure p = load_procedure(path, &topology);
      System system(topology);
      for (const Step& step : p.steps)
        for (const std::string& target : expand_target(topology, step)) system.command(step.action, target);
      if (p.initial != "all_off" && p.initial != "all_up")
        load_snapshot(system, (std::filesystem::path(path).parent_path() / p.initial).string());
      std::string warning;  // a group of the whole pool is valid, and an outage (docs/formats.md "Rollouts")
      if (p.rollout && p.rollout->max_out() == p.rollout->servers.size())
        warning = "; warning: group_size " + std::to_string(p.rollout->group_size) + " takes every server of pool " +
                  p.rollout->pool + " out of service at once (an outage: rollout.below-floor)";
      return "procedure \"" + p.name + "\", " + p.kind + ", " + std::to_string(p.steps.size()) + " steps on " +
             topology.name + warning;
    }
    case FileType::Inventory: {
      const std::optional<std::string> topology_path = inventory_topology(path, topology_file);
      const Topology topology = topology_path ? load_topology(*topology_path) : Topology{};
      (void)live::load_inventory(path, topology);
      return "inventory for topology " + topology.name + ": " + std::to_string(topology.hosts.size()) + " hosts";
    }
    case FileType::Snapshot: {
      if (!topology_file)
        throw InputError(path, "", 0, "a snapshot is validated against its topology: give it with --topology FILE");
      System system(load_topology(*topology_file));
      load_snapshot(system, path);
      return "snapshot of topology " + system.topology().name + ": " + std::to_string(system.size()) + " components";
    }
    case FileType::Counterexample: {
      const sim::Counterexample ce = sim::load_counterexample(path);
      Topology topology;
      load_procedure(ce.procedure_file, &topology);
      return "counterexample of " + ce.procedure_file + ": " + std::to_string(ce.moves.size()) + " moves, " +
             ce.invariant;
    }
  }
  return {};
}

}  // namespace

int validate_command(const std::vector<std::string>& args) {
  po::options_description opts("acdsim validate FILE... : check scenario files\noptions");
  opts.add_options()("help,h", "show this help")("quiet,q", "print only errors")(
      "topology,t", po::value<std::string>(),
      "topology FILE that snapshots (and inventories naming none) are checked against");
  auto vm = parse_files(args, opts);
  if (vm.count("help")) {
    std::cout << opts
              << "\nEach FILE is read by the format it declares: a topology (acdsim-topology/1), a procedure or\n"
                 "rollout (acdsim-procedure/1, checked against its topology), an inventory (acdsim-inventory/1,\n"
                 "against the topology it names or --topology), a snapshot (acdsim-snapshot/1, against\n"
                 "--topology) or a counterexample (acdsim-counterexample/1, with the procedure it names).\n"
                 "Exit codes: 0 every file valid, 2 a file is not (each one is reported).\n";
    return kOk;
  }
  if (!vm.count("file")) throw UsageError("validate needs at least one FILE");
  std::optional<std::string> topology_file;
  if (vm.count("topology")) topology_file = vm["topology"].as<std::string>();
  int status = kOk;
  for (const std::string& path : vm["file"].as<std::vector<std::string>>()) {
    try {
      const std::string what = validate_one(path, topology_file);
      if (!vm.count("quiet")) std::cout << "ok: " << path << " (" << what << ")\n";
    } catch (const InputError& e) {
      std::cerr << "error: " << e.what() << "\n";
      status = kBadInput;
    }
  }
  return status;
}

}  // namespace acdsim::cli
