#include "timeline_html.hpp"

#include <cstdio>

#include "acdsim/planner/gantt.hpp"
#include "acdsim/sim/engine.hpp"

namespace acdsim::report {
namespace {

std::string condition_text(const model::Condition& c) {
  std::string out;
  for (const model::ConditionAtom& a : c.atoms)
    out += (out.empty() ? "" : c.mode == model::Condition::Mode::All ? " and " : " or ") + a.text;
  return out;
}

}  // namespace

std::string steps_html(const model::Procedure& p) {
  std::vector<std::vector<std::string>> rows;
  for (const model::Step& s : p.steps) {
    std::string after;
    for (const std::string& a : s.after) after += (after.empty() ? "" : ", ") + a;
    rows.push_back({s.id, s.action, s.target, after, s.wait ? condition_text(*s.wait) : "",
                    s.timeout_s > 0 ? sim::duration_text(s.timeout_s) : ""});
  }
  return table_html({"step", "action", "target", "after", "complete when", "timeout"}, rows, "steps");
}

std::vector<Fact> window_facts(const sim::RunResult& run) {
  std::vector<Fact> f;
  f.push_back({"commands done", run.commands_done_s ? "after " + sim::duration_text(*run.commands_done_s) : "never (procedure not complete)"});
  if (!run.goal.empty())
    f.push_back({run.goal, run.goal_s ? "after " + sim::duration_text(*run.goal_s) : "not within the run"});
  f.push_back({"window", sim::duration_text(run.window_s) + (run.goal.empty() ? " (commands done)" : " (commands done and " + run.goal + ")")});
  return f;
}

std::string timeline_html(const sim::RunResult& run, const std::string& title) {
  std::string out = facts_html(window_facts(run));
  out += svg_figure(planner::gantt_svg(run, title), "gantt",
                    "One simulated run (seed " + std::to_string(run.seed) +
                        "): one row per host, a bar per state it was in, the steps, the critical chain; time after the "
                        "procedure start.");
  if (run.critical_chain.empty()) return out;
  // systemd-analyze critical-chain: each move waited for the one before; the last decided the end.
  // The chart lists the chain too; this table (folded) adds when each move became possible.
  out += "<details class=\"chain\"><summary>Critical chain as a table</summary>\n<p class=\"note\">The moves that decided "
         "when the window ended, first cause first: each became possible when the one before it happened; shortening any of "
         "them ends the procedure sooner.</p>\n";
  out += "<div class=\"scroll\"><table class=\"chain\">\n<thead><tr><th>possible at</th><th>happened at</th><th>took</th>"
         "<th>move</th><th>label</th></tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < run.critical_chain.size(); ++i) {
    const sim::ChainLink& l = run.critical_chain[i];
    out += std::string(i + 1 == run.critical_chain.size() ? "<tr class=\"chain-last\">" : "<tr>") + "<td class=\"num\">+" +
           esc(sim::clock_text(l.ready_s)) + "</td><td class=\"num\">+" + esc(sim::clock_text(l.at_s)) +
           "</td><td class=\"num\">" + esc(sim::duration_text(l.at_s - l.ready_s)) + "</td><td>" + esc(l.what) + "</td><td>" +
           esc(l.label) + "</td></tr>\n";
  }
  return out + "</tbody></table></div>\n</details>\n";
}

std::string findings_html(const std::vector<sim::RunResult>& runs) {
  std::vector<std::vector<std::string>> rows;
  for (const sim::RunResult& r : runs)
    for (const sim::Finding& f : r.findings)
      rows.push_back({std::to_string(r.seed), "+" + sim::clock_text(f.time_s), f.id, f.severity, f.subject, f.detail,
                      f.accepted ? "accepted" : "FAILS"});
  if (rows.empty()) return "<p>No finding in any run.</p>\n";
  return table_html({"seed", "after the start", "invariant", "severity", "subject", "detail", "verdict"}, rows, "findings");
}

std::string workload_html(const sim::RunResult& run) {
  if (run.classes.empty()) return "<p class=\"note\">No workload in this topology.</p>\n";
  std::vector<std::vector<std::string>> rows;
  for (const sim::ClassMetrics& c : run.classes) {
    const double pct = c.offered ? 100.0 * static_cast<double>(c.abandoned) / static_cast<double>(c.offered) : 0.0;
    rows.push_back({c.name, std::to_string(c.offered), std::to_string(c.served), std::to_string(c.abandoned),
                    fixed(pct, 2) + " %", std::to_string(c.max_queue), fixed(c.wait_p95_s, 1) + " s",
                    sim::duration_text(c.below_capacity_s)});
  }
  return table_html({"class", "offered", "served", "abandoned", "abandoned %", "max queue", "wait p95",
                     "below capacity"},
                    rows, "workload");
}

}  // namespace acdsim::report
