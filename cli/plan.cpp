#include <filesystem>
#include <iostream>

#include "acdsim/model/output.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "acdsim/planner/gantt.hpp"
#include "acdsim/planner/planner.hpp"
#include "acdsim/sim/simulator.hpp"
#include "cli_common.hpp"
#include "commands.hpp"

namespace acdsim::cli {

int plan_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "acdsim plan TOPOLOGY --kind startup|shutdown : derive a procedure from the model and prove it safe\noptions");
  opts.add_options()("help,h", "show this help")
      ("kind", po::value<std::string>(), "startup or shutdown")
      ("out,o", po::value<std::string>(), "write the procedure here (atomically) instead of standard output")
      ("svg", po::value<std::string>(), "write a Gantt chart of one simulated run of the plan (topology durations)")
      ("seed", po::value<std::uint64_t>()->default_value(1), "seed of the run drawn with --svg")
      ("explain", "print the layers and, for every wait, the invariant that needs it")
      ("max-states", po::value<std::uint64_t>()->default_value(20'000'000), "state limit of each check")
      ("quiet,q", "no progress on standard error");
  po::options_description hidden;
  hidden.add_options()("topology", po::value<std::string>(), "");
  po::positional_options_description pos;
  pos.add("topology", 1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    std::cout << opts << "\nExit codes: 0 a plan proven safe was written, 1 no safe plan found (the rounds say why),\n"
                         "2 bad input or usage. How it plans: docs/planner.md.\n";
    return kOk;
  }
  if (!vm.count("topology")) throw UsageError("plan needs a TOPOLOGY file");
  if (!vm.count("kind")) throw UsageError("plan needs --kind startup or --kind shutdown");
  const auto kind = planner::kind_by_name(vm["kind"].as<std::string>());
  if (!kind)
    throw UsageError("unknown --kind " + vm["kind"].as<std::string>() +
                     " (expected startup or shutdown; failover, failback and rollout are not planned yet)");
  const std::string topology_path = vm["topology"].as<std::string>();
  const model::Topology topology = model::load_topology(topology_path);

  namespace fs = std::filesystem;
  planner::Options options;
  options.check.max_states = vm["max-states"].as<std::uint64_t>();
  options.check.progress = false;
  const std::string out_path = vm.count("out") ? vm["out"].as<std::string>() : "";
  // "topology" is relative to the procedure file.
  const fs::path base = out_path.empty() ? fs::current_path() : fs::absolute(out_path).parent_path();
  options.topology_reference = fs::relative(fs::absolute(topology_path), base).generic_string();

  if (!vm.count("quiet")) std::cerr << "planning " << topology.name << " " << planner::to_string(*kind) << "...\n";
  const planner::Plan plan = planner::plan(topology, *kind, options);
  std::ostream& info = out_path.empty() ? std::cerr : std::cout;
  if (vm.count("explain") || !plan.safe) info << planner::explain(plan);
  if (!plan.safe) {
    std::cerr << "no safe plan: " << plan.failure << "\n";
    return kViolation;
  }
  const std::string text = plan.procedure.dump(2) + "\n";
  if (out_path.empty()) std::cout << text;
  else model::write_file_atomically(out_path, text);
  info << "SAFE: " << plan.procedure["steps"].size() << " steps in " << plan.layers.size() << " layers, proven by the checker ("
       << plan.last.states << " states, " << plan.rounds.size() << " rounds)" << (out_path.empty() ? "" : "; written to " + out_path)
       << "\n";
  if (vm.count("svg")) {
    const model::Procedure procedure =
        model::parse_procedure(text, out_path.empty() ? "<planned procedure>" : out_path, topology);
    sim::Options so;
    so.warmup_s = 0;
    so.horizon_s = 0;
    const sim::Simulator simulator(procedure, topology);
    const sim::RunResult run = simulator.run(vm["seed"].as<std::uint64_t>(), so);
    model::write_file_atomically(vm["svg"].as<std::string>(),
                                 planner::gantt_svg(run, topology.name + " " + std::string(planner::to_string(*kind)) + " (planned)"));
    info << "timeline: " << std::lround(run.window_s) << " s in one simulated run (seed " << run.seed << "); Gantt chart in "
         << vm["svg"].as<std::string>() << "\n";
  }
  return kOk;
}

}  // namespace acdsim::cli
