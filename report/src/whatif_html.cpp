#include "acdsim/report/whatif_html.hpp"

#include <cstdint>
#include <cstdio>
#include <exception>

#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "acdsim/report/html.hpp"
#include "acdsim/sim/engine.hpp"
#include "acdsim/sim/whatif_svg.hpp"

namespace acdsim::report {
namespace {

bool over(const sim::PointResult& p, double limit) { return p.abandoned_pct_max > limit || p.unaccepted_findings > 0; }

std::string answers_html(const sim::WhatIfAnswers& a) {
  std::vector<Fact> f;
  f.push_back({"highest load, atomic rollout under " + fixed(a.abandon_limit_pct, 2) + " % abandoned",
               a.highest_atomic_load ? fixed(*a.highest_atomic_load, 2) + " x peak" : "none of the swept loads (or no atomic points)"});
  for (const auto& [load, size] : a.fastest_safe_group)
    f.push_back({"fastest group size never below capacity at load " + fixed(load, 2),
                 size ? std::to_string(*size) : "none of the swept sizes"});
  return facts_html(f);
}

std::string points_table(const std::vector<sim::PointResult>& points, double limit) {
  std::vector<std::string> headers;
  if (!points.empty())
    for (const auto& [k, v] : points[0].params) headers.push_back(k);
  for (const char* h : {"strategy", "load (x peak)", "done", "refused", "commands done (mean)", "service back (mean)", "window (mean)", "abandoned % (mean)", "abandoned % (max)",
                        "max queue", "wait p95", "below capacity", "runs with findings", "within limit"})
    headers.push_back(h);
  std::vector<std::vector<std::string>> rows;
  for (const sim::PointResult& p : points) {
    std::vector<std::string> row;
    for (const auto& [k, v] : p.params) row.push_back(v);
    row.push_back(p.strategy == "group" ? "group of " + std::to_string(p.group_size) : p.strategy);
    for (const std::string& cell : std::vector<std::string>{
             fixed(p.load, 2), std::to_string(p.completed) + "/" + std::to_string(p.runs), std::to_string(p.refused),
          sim::duration_text(p.commands_done_mean_s),
          p.goal_reached ? sim::duration_text(p.goal_mean_s) + " (" + std::to_string(p.goal_reached) + " runs)" : "not reached",
          sim::duration_text(p.window_mean_s), fixed(p.abandoned_pct_mean, 2), fixed(p.abandoned_pct_max, 2),
          fixed(p.max_queue_mean, 1), fixed(p.wait_p95_mean_s, 1) + " s", sim::duration_text(p.below_capacity_mean_s),
          std::to_string(p.unaccepted_findings), std::string(over(p, limit) ? "NO" : "yes")})
      row.push_back(cell);
    rows.push_back(std::move(row));
  }
  return table_html(headers, rows, "points");
}

}  // namespace

std::string whatif_html(const WhatIfRun& run, const std::vector<sim::PointResult>& points, const sim::WhatIfAnswers& answers) {
  const double limit = answers.abandon_limit_pct;
  std::size_t failing = 0;
  for (const sim::PointResult& p : points) failing += over(p, limit) ? 1 : 0;
  Headline h;
  if (failing)
    h = {std::to_string(failing) + " OF " + std::to_string(points.size()) + " POINTS OVER THE LIMIT", Tone::Bad,
         "Some grid points abandon more than " + fixed(limit, 2) + " % of the web sessions in a run, or had a finding.", {}};
  else
    h = {"ALL " + std::to_string(points.size()) + " POINTS WITHIN THE LIMIT", Tone::Good,
         "No grid point abandons more than " + fixed(limit, 2) + " % of the web sessions in any run, and none had a finding.", {}};
  std::string sweep;
  for (const sim::SweepAxis& a : run.axes) {
    sweep += (sweep.empty() ? "" : "; ") + a.key + " =";
    for (std::size_t i = 0; i < a.values.size(); ++i) sweep += (i ? ", " : " ") + a.values[i];
  }
  h.facts = {{"scenario", run.scenario},
             {"sweep", sweep.empty() ? "(no axis: the scenario as written)" : sweep},
             {"runs", std::to_string(points.size()) + " points x " + std::to_string(run.seeds) + " seeds (from seed " +
                          std::to_string(run.first_seed) + ")"}};
  std::string body = section("answers", "Answers", answers_html(answers));
  body += section("plot", "Abandoned sessions and queue against load", svg_figure(sim::whatif_svg(points, run.scenario, limit), "whatif", ""));
  body += section("points", "Every grid point", points_table(points, limit));
  try {
    model::Topology topology;
    model::load_procedure(run.scenario, &topology);
    body += section("topology", "Topology: " + topology.name, topology_figure(topology));
  } catch (const std::exception& e) {
    body += section("topology", "Topology", "<p class=\"missing\">" + esc(e.what()) + "</p>\n");
  }
  return document("acdsim whatif: " + run.scenario, h, body);
}

}  // namespace acdsim::report
