#include <cstdint>
#include <iostream>

#include "acdsim/model/input_file.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/planner/gantt.hpp"
#include "acdsim/report/run_html.hpp"
#include "acdsim/sim/replay.hpp"
#include "acdsim/sim/report.hpp"
#include "acdsim/sim/simulator.hpp"
#include "cli_common.hpp"
#include "commands.hpp"

namespace acdsim::cli {

using namespace acdsim::model;

namespace {
// "600:acd-jb1: VM crashes" -> at 600 s after the procedure starts
sim::ScheduledFault parse_fault(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) throw OptionError("--fault: expected SECONDS:WHAT, got \"" + text + "\"");
  return sim::ScheduledFault{real_value("fault", text.substr(0, colon), 0, limits::kMaxDurationS, "SECONDS (of SECONDS:WHAT)"),
                             text.substr(colon + 1)};
}
}  // namespace

sim::Options simulation_options(const po::variables_map& vm) {
  sim::Options o;
  if (vm.count("load")) o.load = load_value("load", vm["load"].as<std::string>());
  if (vm.count("start-hour")) o.start_hour = real_option(vm, "start-hour", 0, 24, "an hour of the day");
  o.warmup_s = real_option(vm, "warmup", 0, limits::kMaxWindowS, "seconds");
  o.horizon_s = real_option(vm, "horizon", 0, limits::kMaxWindowS, "seconds");
  o.fault_rate_per_hour = real_option(vm, "fault-rate", 0, limits::kMaxFaultRate, "faults per hour");
  o.slow_boot_factor = real_option(vm, "slow-boot", 1, limits::kMaxSlowBoot, "a factor");
  o.slow_boot_share = real_option(vm, "slow-boot-share", 0, 1, "a probability");
  if (vm.count("no-guard")) o.guard_threshold = 0;
  if (vm.count("fault"))
    for (const std::string& f : vm["fault"].as<std::vector<std::string>>()) o.faults.push_back(parse_fault(f));
  o.typical_all = vm.count("median-durations") > 0;
  if (vm.count("median-duration")) o.typical = vm["median-duration"].as<std::vector<std::string>>();
  return o;
}

void add_simulation_options(po::options_description& opts) {
  opts.add_options()
      ("load", po::value<std::string>(), "offered load: low (0.3), peak (1.0), over-peak (1.3) or a fraction of the peak (at most 100); default the procedure's \"load\", else peak")
      ("start-hour", po::value<std::string>(), "hour of day when the procedure starts, 0 to 24 (default: the workload's peak hour)")
      ("warmup", po::value<std::string>()->default_value("600"), "seconds of workload before the procedure starts (at most 86400)")
      ("horizon", po::value<std::string>()->default_value("3600"), "seconds of workload after the procedure starts (at most 86400)")
      ("fault-rate", po::value<std::string>()->default_value("0"), "random faults per hour, at most 3600 (own random stream)")
      ("fault", po::value<std::vector<std::string>>()->composing(), "SECONDS:WHAT scheduled fault, e.g. 300:acd-jb1: VM crashes, 300:power_off acd-jb2 or 0:slow_boot acd-jb1 (its next boot takes 5x); repeatable")
      ("median-durations", "every environment move takes its median duration instead of a random draw")
      ("median-duration", po::value<std::vector<std::string>>()->composing(),
       "LABEL, e.g. \"acd-jb1: boot complete\": that environment move takes its median duration (a wrong label lists them all); repeatable")
      ("slow-boot", po::value<std::string>()->default_value("1"), "every VM boot takes this many times longer (1 to 100)")
      ("slow-boot-share", po::value<std::string>()->default_value("0"), "probability that a VM boot is slow (5x; fault stream)")
      ("no-guard", "turn the rollout's load-aware guard off");
}

int simulate_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "acdsim simulate PROCEDURE : timed runs with workload, faults and metrics\n"
      "acdsim simulate --replay COUNTEREXAMPLE : a checker counterexample, timed\noptions");
  opts.add_options()("help,h", "show this help")
      ("replay", po::value<std::string>(), "replay a counterexample of acdsim check --trace-out with durations (PROCEDURE optional: default the one it names)")
      ("topology", po::value<std::string>(), "use this topology instead of the procedure's")
      ("seed", po::value<std::string>()->default_value("1"), "first seed (run i uses seed + i)")
      ("runs", po::value<std::string>()->default_value("1"), "number of runs (at most 10000)")
      ("format,f", po::value<std::string>()->default_value("text"), "text, json or html (one self-contained page, docs/reports.md)")
      ("trace-out", po::value<std::string>(), "write the first run's timeline as Chrome trace JSON (Perfetto)")
      ("svg", po::value<std::string>(), "write the first run's Gantt chart (hosts, steps' critical chain, service back) as SVG")
      ("log", "print the first run's model event log")
      ("output,o", po::value<std::string>(), "write the report to this file (atomically; - is standard output)");
  add_simulation_options(opts);
  auto vm = parse_files(args, opts);
  if (vm.count("help")) {
    std::cout << opts << "\nExit codes: 0 no unaccepted finding, 1 a finding (invariant, stuck, refused step),\n"
                         "2 bad input or usage. Details: docs/simulator.md.\n";
    return kOk;
  }
  // numbers first: a bad one is answered before any file is read
  sim::Options options = simulation_options(vm);
  const std::uint64_t seed = whole_option(vm, "seed", 0, UINT64_MAX, "a seed");
  const auto n = static_cast<unsigned>(whole_option(vm, "runs", 1, limits::kMaxRuns, "a number of runs"));
  const std::size_t files = vm.count("file") ? vm["file"].as<std::vector<std::string>>().size() : 0;
  std::optional<sim::Counterexample> replay;
  if (vm.count("replay")) replay = sim::load_counterexample(vm["replay"].as<std::string>());
  if (files > 1 || (files == 0 && !replay)) throw UsageError("simulate needs exactly one PROCEDURE file (or --replay COUNTEREXAMPLE)");
  const std::string path = files ? vm["file"].as<std::vector<std::string>>()[0] : replay->procedure_file;
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json" && format != "html")
    throw UsageError("unknown --format " + format + " (expected text, json or html)");
  Topology topology;
  Procedure procedure;
  if (vm.count("topology")) {
    topology = load_topology(vm["topology"].as<std::string>());
    load_procedure(path);  // validates it against its own topology too
    procedure = parse_procedure(read_input_file(path), path, topology);
  } else {
    procedure = load_procedure(path, &topology);
  }
  const sim::Simulator simulator(procedure, topology);
  if (const std::string bad = simulator.invalid_options(options); !bad.empty()) throw UsageError(bad);
  if (replay) {
    options.replay = replay->moves;
    options.initial_state = model::snapshot_from_json(simulator.system(), replay->initial, vm["replay"].as<std::string>());
  }
  std::vector<sim::RunResult> runs;
  for (unsigned i = 0; i < n; ++i) {
    options.timeline = i == 0;
    runs.push_back(simulator.run(seed + i, options));
  }
  if (vm.count("trace-out")) write_output(vm["trace-out"].as<std::string>(), sim::chrome_trace(runs[0]).dump() + "\n");
  if (vm.count("svg"))
    write_output(vm["svg"].as<std::string>(),
                          planner::gantt_svg(runs[0], procedure.name + " (simulated" + (replay ? ", replay" : "") + ")"));
  std::string out;
  if (format == "html") {
    out = report::simulate_html(procedure, topology, path, runs, replay ? vm["replay"].as<std::string>() : "");
  } else if (format == "json") {
    nlohmann::json j{{"procedure", procedure.name}, {"file", path}, {"summary", sim::summary_json(runs)}};
    j["runs"] = nlohmann::json::array();
    for (const auto& r : runs) j["runs"].push_back(sim::run_json(r));
    out = j.dump(2) + "\n";
  } else {
    out.clear();
    if (replay) {
      out += "replay of " + vm["replay"].as<std::string>() + " (the checker found " + replay->invariant +
             (replay->subject.empty() ? "" : " on " + replay->subject) + ")\n";
      for (const auto& m : runs[0].replayed)
      {
        const std::string at = "+" + sim::clock_text(m.time_s);
        out += "  " + at + std::string(at.size() < 14 ? 14 - at.size() : 1, ' ') + m.what +
               std::string(m.what.size() < 12 ? 12 - m.what.size() : 1, ' ') + m.label + "\n";
      }
    }
    out += sim::summary_text(procedure.name, runs);
    if (vm.count("log"))
      for (const std::string& l : runs[0].log) out += "  " + l + "\n";
  }
  write_output_option(vm, out);
  for (const auto& r : runs)
    for (const auto& f : r.findings)
      if (!f.accepted) return kViolation;
  return kOk;
}

}  // namespace acdsim::cli
