#include <algorithm>
#include <cstdio>
#include <set>

#include "acdsim/report/html.hpp"
#include "acdsim/report/run_html.hpp"
#include "acdsim/sim/engine.hpp"
#include "timeline_html.hpp"

namespace acdsim::report {
namespace {

bool fails(const sim::RunResult& r) {
  return std::any_of(r.findings.begin(), r.findings.end(), [](const sim::Finding& f) { return !f.accepted; });
}

Headline headline(const model::Procedure& procedure, const model::Topology& topology, const std::string& file,
                  const std::vector<sim::RunResult>& runs) {
  Headline h;
  std::size_t failing = 0, incomplete = 0;
  std::set<std::string> ids;
  for (const sim::RunResult& r : runs) {
    if (fails(r)) ++failing;
    else if (!r.completed) ++incomplete;
    for (const sim::Finding& f : r.findings)
      if (!f.accepted) ids.insert(f.id);
  }
  const std::string of_runs = " of " + std::to_string(runs.size()) + (runs.size() == 1 ? " simulated run" : " simulated runs");
  if (failing) {
    std::string list;
    for (const std::string& id : ids) list += (list.empty() ? "" : ", ") + id;
    h = {"VIOLATED", Tone::Bad, "A finding in " + std::to_string(failing) + of_runs + ": " + list + ".", {}};
  } else if (incomplete) {
    h = {"INCOMPLETE", Tone::Unknown,
         "The procedure did not complete in " + std::to_string(incomplete) + of_runs + " (no finding).", {}};
  } else {
    h = {"PASSED", Tone::Good,
         "No finding in " + std::to_string(runs.size()) + (runs.size() == 1 ? " simulated run" : " simulated runs") +
             ". A simulation samples timings; acdsim check proves a procedure over every interleaving.",
         {}};
  }
  h.facts = {{"procedure", procedure.name + " (" + procedure.kind + ", " + std::to_string(procedure.steps.size()) + " steps)"},
             {"file", file},
             {"topology", topology.name + " (" + std::to_string(topology.hosts.size()) + " hosts)"},
             {"runs", std::to_string(runs.size()) + " (seed " + std::to_string(runs.front().seed) +
                          (runs.size() > 1 ? " to " + std::to_string(runs.back().seed) : "") + ")"}};
  char load[32];
  std::snprintf(load, sizeof load, "%.2f", runs.front().load);
  h.facts.push_back({"offered load", std::string(load) + " x the workload's peak"});
  for (Fact& f : window_facts(runs.front())) h.facts.push_back({f.name + " (seed " + std::to_string(runs.front().seed) + ")", f.value});
  return h;
}

std::string runs_table(const std::vector<sim::RunResult>& runs) {
  std::vector<std::vector<std::string>> rows;
  for (const sim::RunResult& r : runs) {
    std::size_t unaccepted = 0;
    for (const sim::Finding& f : r.findings) unaccepted += f.accepted ? 0 : 1;
    rows.push_back({std::to_string(r.seed), r.completed ? "yes" : "no", sim::duration_text(r.window_s),
                    std::to_string(r.findings.size()), std::to_string(unaccepted), std::to_string(r.events)});
  }
  return table_html({"seed", "completed", "window", "findings", "failing", "events"}, rows, "runs");
}

}  // namespace

std::string simulate_html(const model::Procedure& procedure, const model::Topology& topology, const std::string& file,
                          const std::vector<sim::RunResult>& runs, const std::string& replay_of) {
  if (runs.empty()) return document("acdsim simulate: " + procedure.name, {"INCOMPLETE", Tone::Unknown, "No run.", {}}, "");
  std::string body;
  const sim::RunResult& first = runs.front();
  if (!replay_of.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const sim::ReplayedMove& m : first.replayed) rows.push_back({"+" + sim::clock_text(m.time_s), m.what, m.label});
    body += section("replay", "Replay of " + replay_of, table_html({"at", "move", "label"}, rows, "replay"));
  }
  body += section("timeline", "Timeline", timeline_html(first, procedure.name));
  body += section("findings", "Findings", findings_html(runs));
  if (runs.size() > 1) body += section("runs", "Runs", runs_table(runs));
  body += section("workload", "Workload (seed " + std::to_string(first.seed) + ")", workload_html(first));
  body += section("topology", "Topology: " + topology.name, topology_figure(topology));
  return document("acdsim simulate: " + procedure.name, headline(procedure, topology, file, runs), body);
}

}  // namespace acdsim::report
