#include <filesystem>
#include <iostream>

#include "acdsim/checker/invariants.hpp"
#include "acdsim/model/output.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "acdsim/planner/failover_plan.hpp"
#include "acdsim/planner/gantt.hpp"
#include "acdsim/planner/planner.hpp"
#include "acdsim/planner/rollout_plan.hpp"
#include "acdsim/report/run_html.hpp"
#include "acdsim/sim/report.hpp"
#include "acdsim/sim/simulator.hpp"
#include "cli_common.hpp"
#include "commands.hpp"

namespace acdsim::cli {

namespace {

// The procedure (or, with --format html, the report) to --out or standard output.
void emit(const std::string& out_path, const std::string& text) {
  if (out_path.empty()) std::cout << text;
  else write_output(out_path, text);
}
bool html_format(const po::variables_map& vm) { return vm["format"].as<std::string>() == "html"; }
std::uint64_t seed_of(const po::variables_map& vm) { return whole_option(vm, "seed", 0, UINT64_MAX, "a seed"); }
std::uint64_t max_states_of(const po::variables_map& vm) {
  return whole_option(vm, "max-states", 1, limits::kMaxStates, "a number of states");
}
// --threads: every check's search, and the rollout's simulations.
unsigned threads_of(const po::variables_map& vm) {
  return static_cast<unsigned>(whole_option(vm, "threads", 0, limits::kMaxThreads, "a number of threads"));
}

// One simulated run of the planned procedure (topology durations, --seed):
// when its commands are done, when its goal holds (service back, all off),
// the chain of moves that decided it; the Gantt chart with --svg.
void report_timeline(std::ostream& info, const po::variables_map& vm, const std::string& text, const std::string& out_path,
                     const model::Topology& topology, const std::string& title) {
  const model::Procedure procedure = model::parse_procedure(text, out_path.empty() ? "<planned procedure>" : out_path, topology);
  sim::Options so;
  so.warmup_s = 0;
  so.horizon_s = 0;
  so.load = 0;  // timing only: environment durations have their own random stream
  const sim::Simulator simulator(procedure, topology);
  const sim::RunResult run = simulator.run(seed_of(vm), so);
  info << "timeline (one simulated run, seed " << run.seed << "): commands done "
       << (run.commands_done_s ? sim::duration_text(*run.commands_done_s) : std::string("never"));
  if (!run.goal.empty())
    info << ", " << run.goal << " " << (run.goal_s ? sim::duration_text(*run.goal_s) : std::string("not within the run"));
  info << "; window " << sim::duration_text(run.window_s) << "\n" << sim::chain_text(run);
  if (vm.count("svg")) {
    write_output(vm["svg"].as<std::string>(), planner::gantt_svg(run, title));
    info << "Gantt chart in " << vm["svg"].as<std::string>() << "\n";
  }
}

int plan_rollout(const po::variables_map& vm, const std::string& topology_path, const std::string& topology_reference,
                 const std::string& out_path) {
  if (vm.count("svg")) throw UsageError("--svg draws a startup or shutdown plan; for rollouts see acdsim whatif --svg");
  planner::RolloutOptions o;
  if (vm.count("pool")) o.pool = vm["pool"].as<std::string>();
  o.load = vm["load"].as<std::string>();
  (void)load_value("load", o.load);  // range-checked here; the planner reads the name
  o.strategy = vm["strategy"].as<std::string>();
  o.restart = vm["restart"].as<std::string>();
  if (o.restart != "application" && o.restart != "server")
    throw UsageError("unknown --restart " + o.restart + " (expected application or server)");
  o.drain = vm["drain"].as<std::string>();
  o.seeds = static_cast<unsigned>(whole_option(vm, "seeds", 1, limits::kMaxSeeds, "a number of runs per candidate"));
  o.first_seed = seed_of(vm);
  o.threads = threads_of(vm);
  o.check.threads = o.threads;
  o.abandon_limit_pct = real_option(vm, "abandon-limit", 0, 100, "a percentage");
  o.topology_reference = topology_reference;
  o.check.max_states = max_states_of(vm);
  o.check.max_memory_bytes = default_max_memory_mib() << 20;
  o.check.progress = false;
  if (!vm.count("quiet")) std::cerr << "planning a rollout: simulating every group size and atomic, " << o.seeds << " runs each...\n";
  planner::RolloutPlan plan;
  try {
    plan = planner::plan_rollout(topology_path, o);
  } catch (const std::invalid_argument& e) {
    throw OptionError(e.what());
  }
  std::ostream& info = out_path.empty() ? std::cerr : std::cout;
  if (vm.count("explain") || !plan.safe) info << planner::explain(plan);
  if (html_format(vm)) emit(out_path, report::plan_html(plan, model::load_topology(topology_path), seed_of(vm)));
  if (!plan.safe) {
    std::cerr << "no safe rollout: " << plan.failure << "\n";
    return kViolation;
  }
  if (!html_format(vm)) emit(out_path, plan.procedure.dump(2) + "\n");
  info << "SAFE: " << plan.procedure["readings"][0].get<std::string>() << "; proven by the checker (" << plan.last.states
       << " states)" << (out_path.empty() ? "" : "; written to " + out_path) << "\n";
  return kOk;
}

int plan_failover(const po::variables_map& vm, const std::string& topology_path, const std::string& topology_reference,
                  const std::string& out_path, bool failback) {
  const model::Topology topology = model::load_topology(topology_path);
  planner::FailoverOptions o;
  o.failback = failback;
  o.topology_reference = topology_reference;
  o.check.max_states = max_states_of(vm);
  o.check.max_memory_bytes = default_max_memory_mib() << 20;
  o.check.threads = threads_of(vm);
  if (vm.count("accept"))
    for (const std::string& s : vm["accept"].as<std::vector<std::string>>()) {
      const auto sev = checker::severity_by_name(s);
      if (!sev) throw UsageError("unknown severity " + s + " for --accept (expected data-loss, outage, manual-fix or warning)");
      o.check.accepted.push_back(*sev);
    }
  const planner::FailoverPlan plan = planner::plan_failover(topology, o);
  std::ostream& info = out_path.empty() ? std::cerr : std::cout;
  if (vm.count("explain") || !plan.safe) info << planner::explain(plan);
  if (html_format(vm)) emit(out_path, report::plan_html(plan, topology, seed_of(vm), failback));
  if (!plan.safe) {
    std::cerr << "no safe " << (failback ? "failback" : "failover") << ": " << plan.failure << "\n";
    return kViolation;
  }
  const std::string text = plan.procedure.dump(2) + "\n";
  if (!html_format(vm)) emit(out_path, text);
  info << "SAFE: " << plan.procedure["steps"].size() << " steps, " << plan.from << " -> " << plan.to
       << (failback ? " and back" : "") << ", proven by the checker (" << plan.last.states << " states"
       << (plan.last.accepted.empty() ? "" : "; accepted findings seen") << ")"
       << (out_path.empty() ? "" : "; written to " + out_path) << "\n";
  report_timeline(info, vm, text, out_path, topology, topology.name + (failback ? " failover and failback" : " failover") + " (planned)");
  return kOk;
}

}  // namespace

int plan_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "acdsim plan TOPOLOGY --kind startup|shutdown|failover|failback|rollout : derive a procedure and prove it safe\noptions");
  opts.add_options()("help,h", "show this help")
      ("kind", po::value<std::string>(), "startup, shutdown, failover, failback or rollout")
      ("out,o", po::value<std::string>(), "write the procedure here (atomically; - is standard output) instead of standard output")
      ("format,f", po::value<std::string>()->default_value("json"), "json (the procedure) or html (a report with the procedure inside, docs/reports.md)")
      ("svg", po::value<std::string>(), "write a Gantt chart of the plan's simulated run (startup, shutdown, failover, failback)")
      ("seed", po::value<std::string>()->default_value("1"), "seed of the plan's simulated run (timeline, --svg); rollout: the first seed of the simulated runs")
      ("explain", "print the layers and, for every wait, the invariant that needs it")
      ("max-states", po::value<std::string>()->default_value("4000000"),
       "state limit of each check (a plan too big to prove at it is constrained further)")
      ("threads,j", po::value<std::string>()->default_value("0"),
       "threads of each check's search and of the rollout's simulations (0: every core this process may use; at most "
       "4096); any number gives the same plan")
      ("quiet,q", "no progress on standard error");
  po::options_description rollout_opts("rollout options (--kind rollout)");
  rollout_opts.add_options()
      ("pool", po::value<std::string>(), "the router pool to roll out (default: the topology's only pool)")
      ("load", po::value<std::string>()->default_value("peak"), "offered load: low, peak, over-peak or a fraction of the peak")
      ("strategy", po::value<std::string>()->default_value("any"), "group, atomic or any (the fastest that passes)")
      ("restart", po::value<std::string>()->default_value("application"), "application or server (JVM restart)")
      ("drain", po::value<std::string>()->default_value("30s"), "quiesce interval before each stop")
      ("seeds", po::value<std::string>()->default_value("10"), "simulated runs per candidate (at most 10000)")
      ("abandon-limit", po::value<std::string>()->default_value("1"), "atomic: most callers (%, 0 to 100) that may abandon in a run");
  opts.add(rollout_opts);
  po::options_description failover_opts("failover and failback options");
  failover_opts.add_options()("accept", po::value<std::vector<std::string>>()->composing(),
                              "a severity the plan may reach (data-loss, outage, manual-fix, warning); repeatable");
  opts.add(failover_opts);
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
  seed_of(vm), max_states_of(vm), threads_of(vm);  // numbers first: a bad one is answered before any planning
  if (!vm.count("kind")) throw UsageError("plan needs --kind startup, shutdown or rollout");
  if (vm["format"].as<std::string>() != "json" && !html_format(vm))
    throw UsageError("unknown --format " + vm["format"].as<std::string>() + " (expected json or html)");
  const std::string kind_name = vm["kind"].as<std::string>();
  const auto kind = planner::kind_by_name(kind_name);
  if (!kind && kind_name != "rollout" && kind_name != "failover" && kind_name != "failback")
    throw UsageError("unknown --kind " + kind_name + " (expected startup, shutdown, failover, failback or rollout)");
  const std::string topology_path = vm["topology"].as<std::string>();
  namespace fs = std::filesystem;
  const std::string out_path = vm.count("out") ? vm["out"].as<std::string>() : "";
  // "topology" is relative to the procedure file.
  const fs::path base = out_path.empty() ? fs::current_path() : fs::absolute(out_path).parent_path();
  const std::string topology_reference = fs::relative(fs::absolute(topology_path), base).generic_string();
  if (kind_name == "rollout") return plan_rollout(vm, topology_path, topology_reference, out_path);
  if (!kind) return plan_failover(vm, topology_path, topology_reference, out_path, kind_name == "failback");
  if (vm.count("accept")) throw UsageError("--accept is a failover and failback option");
  if (vm.count("pool") || !vm["strategy"].defaulted())
    throw UsageError("--pool and --strategy are rollout options (--kind rollout)");
  const model::Topology topology = model::load_topology(topology_path);

  planner::Options options;
  options.check.max_states = max_states_of(vm);
  options.check.max_memory_bytes = default_max_memory_mib() << 20;
  options.check.threads = threads_of(vm);
  options.check.progress = !vm.count("quiet");  // a state count while a check runs (on a terminal)
  options.topology_reference = topology_reference;
  if (!vm.count("quiet")) options.on_round = [](const std::string& line) { std::cerr << "  " << line << "\n"; };

  if (!vm.count("quiet")) std::cerr << "planning " << topology.name << " " << planner::to_string(*kind) << "...\n";
  const planner::Plan plan = planner::plan(topology, *kind, options);
  std::ostream& info = out_path.empty() ? std::cerr : std::cout;
  if (vm.count("explain") || !plan.safe) info << planner::explain(plan);
  if (html_format(vm)) emit(out_path, report::plan_html(plan, topology, seed_of(vm)));
  if (!plan.safe) {
    std::cerr << "no safe plan: " << plan.failure << "\n";
    return kViolation;
  }
  const std::string text = plan.procedure.dump(2) + "\n";
  if (!html_format(vm)) emit(out_path, text);
  info << "SAFE: " << plan.procedure["steps"].size() << " steps in " << plan.layers.size() << " layers, proven by the checker ("
       << plan.last.states << " states, " << plan.rounds.size() << " rounds)" << (out_path.empty() ? "" : "; written to " + out_path)
       << "\n";
  report_timeline(info, vm, text, out_path, topology, topology.name + " " + std::string(planner::to_string(*kind)) + " (planned)");
  return kOk;
}

}  // namespace acdsim::cli
