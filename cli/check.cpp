#include "commands.hpp"

#include <iostream>

#include "acdsim/checker/checker.hpp"
#include "acdsim/checker/report.hpp"
#include "acdsim/model/output.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"
#include "acdsim/report/check_html.hpp"

#include "cli_common.hpp"

namespace acdsim::cli {

using namespace acdsim::model;

std::string counterexample_text(const acdsim::checker::Checked& c) {
  nlohmann::json t = acdsim::checker::report_json(c);
  t["format"] = "acdsim-counterexample/1";
  t.erase("violations");  // the first violation's counterexample only
  t["initial"] = c.initial;
  return t.dump(2) + "\n";
}

int check_command(const std::vector<std::string>& args) {
  po::options_description opts("acdsim check PROCEDURE... : every interleaving of the steps with the environment\noptions");
  opts.add_options()("help,h", "show this help")
      ("format,f", po::value<std::string>()->default_value("text"), "text, json, junit or html (one self-contained page, docs/reports.md)")
      ("first", "stop at the first violation (fast) instead of listing every distinct one")
      ("after-violation", po::value<std::string>()->default_value("4000000"),
       "look at most this many more states for further violations once one is found")
      ("faults", po::value<std::string>()->default_value("0"), "also explore up to this many faults anywhere (at most 100)")
      ("max-states", po::value<std::string>()->default_value("200000000"), "stop (verdict incomplete) after this many states")
      ("max-memory", po::value<std::string>()->default_value(std::to_string(default_max_memory_mib())),
       "stop (verdict incomplete) above this many MiB (default: 16 GiB, at most 3/4 of this machine's memory, cgroup limit and ulimit -v)")
      ("accept", po::value<std::vector<std::string>>()->composing(),
       "also accept violations of this severity (data-loss, outage, manual-fix, warning); repeatable")
      ("trace-out", po::value<std::string>(), "write the first violation's counterexample (JSON) to this file; with several procedures, the first violated one's")
      ("output,o", po::value<std::string>(), "write the report to this file (atomically; - is standard output) instead of standard output")
      ("initial", po::value<std::string>(), "start from this snapshot (e.g. acdsim observe --out) instead of the procedure's initial state")
      ("threads,j", po::value<std::string>()->default_value("0"),
       "search threads (0: every core this process may use; at most 4096); any number gives the same report")
      ("no-symmetry", "do not merge states that differ only by interchangeable hosts")
      ("no-por", "no partial-order reduction")
      ("quiet,q", "no progress on standard error");
  auto vm = parse_files(args, opts);
  if (vm.count("help")) {
    std::cout << opts << "\nEvery distinct violated invariant is listed (one shortest trace per invariant and\n"
                         "component kind), looking --after-violation states past the first; --first stops there.\n"
                         "Exit codes: 0 every procedure safe, 1 a violation (even if a limit then stopped the\n"
                         "search), 2 bad input or usage, 3 incomplete: a limit (--max-states, --max-memory)\n"
                         "stopped the search before any violation, 4 internal error. Invariants: docs/invariants.md.\n";
    return kOk;
  }
  if (!vm.count("file")) throw UsageError("check needs at least one PROCEDURE file");
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json" && format != "junit" && format != "html")
    throw UsageError("unknown --format " + format + " (expected text, json, junit or html)");
  acdsim::checker::Options options;
  options.faults = static_cast<unsigned>(whole_option(vm, "faults", 0, limits::kMaxFaults, "a number of faults"));
  options.max_states = whole_option(vm, "max-states", 1, limits::kMaxStates, "a number of states");
  options.max_memory_bytes =
      whole_option(vm, "max-memory", limits::kMinMemoryMiB, limits::kMaxMemoryMiB, "MiB") << 20;
  options.threads = static_cast<unsigned>(whole_option(vm, "threads", 0, limits::kMaxThreads, "a number of threads"));
  options.progress = !vm.count("quiet");
  options.symmetry = !vm.count("no-symmetry");
  options.partial_order = !vm.count("no-por");
  options.all_violations = !vm.count("first");
  options.states_after_violation = whole_option(vm, "after-violation", 0, limits::kMaxStates, "a number of states");
  if (vm.count("accept"))
    for (const std::string& s : vm["accept"].as<std::vector<std::string>>()) {
      auto sev = acdsim::checker::severity_by_name(s);
      if (!sev) throw UsageError("unknown severity \"" + s + "\" (expected data-loss, outage, manual-fix, warning)");
      options.accepted.push_back(*sev);
    }
  std::vector<acdsim::checker::Checked> all;
  std::vector<Topology> topologies;  // for the html report
  for (const std::string& path : vm["file"].as<std::vector<std::string>>()) {
    Topology topology;
    Procedure procedure = load_procedure(path, &topology);
    // The topology's "accepts" hold for every procedure on it (docs/formats.md).
    acdsim::checker::Options these = options;
    for (const std::string& s : topology.accepts) these.accepted.push_back(*acdsim::checker::severity_by_name(s));
    if (vm.count("initial")) these.initial_state = load_snapshot(System(topology), vm["initial"].as<std::string>());
    acdsim::checker::Checker checker(procedure, topology, these);
    acdsim::checker::Result result = checker.run();
    all.push_back({path, procedure, std::move(result), snapshot_to_json(System(topology), checker.initial())});
    topologies.push_back(std::move(topology));
  }
  std::string out;
  if (format == "html") {
    out = acdsim::report::check_html(all, topologies);
  } else if (format == "junit") {
    out = acdsim::checker::report_junit(all);
  } else if (format == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& c : all) j.push_back(acdsim::checker::report_json(c));
    out = (all.size() == 1 ? j[0] : j).dump(2) + "\n";
  } else {
    for (const auto& c : all) out += acdsim::checker::report_text(c);
  }
  write_output_option(vm, out);
  // A violation anywhere outweighs an incomplete search elsewhere.
  int status = kOk;
  for (const auto& c : all) {
    if (c.result.verdict == acdsim::checker::Verdict::Violated) status = kViolation;
    else if (c.result.verdict == acdsim::checker::Verdict::Incomplete && status == kOk) status = kIncomplete;
  }
  if (vm.count("trace-out"))
    for (const auto& c : all) {
      if (!c.result.violation) continue;
      write_output(vm["trace-out"].as<std::string>(), counterexample_text(c));
      break;
    }
  return status;
}

}  // namespace acdsim::cli
