#include <cctype>
#include <cstdio>
#include <exception>
#include <optional>

#include "acdsim/report/html.hpp"
#include "acdsim/report/run_html.hpp"
#include "acdsim/report/swimlanes.hpp"
#include "acdsim/sim/engine.hpp"
#include "timeline_html.hpp"

namespace acdsim::report {
namespace {

// What the three kinds of plan have in common.
struct PlanView {
  std::string title;  // "jtel-large startup"
  bool safe = false;
  std::string failure;
  const nlohmann::ordered_json* procedure = nullptr;
  const checker::Result* last = nullptr;
  std::string explain;                  // the planner's --explain text
  std::vector<std::string> rounds;      // refinement rounds (startup, shutdown)
  bool cold = true;                     // simulate from the procedure start, no warm-up (startup, shutdown, failover)
};

// The procedure as a download (a data: URL needs no network) and as text.
std::string procedure_block(const nlohmann::ordered_json& procedure, const std::string& file_name) {
  const std::string text = procedure.dump(2) + "\n";
  std::string url = "data:application/json;charset=utf-8,";
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      url += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      url += buf;
    }
  }
  return "<p><a download=\"" + esc(file_name) + "\" href=\"" + url + "\">Save the procedure as " + esc(file_name) +
         "</a> (or run the same acdsim plan without --format html).</p>\n<details><summary>procedure JSON</summary><pre>" +
         esc(text) + "</pre></details>\n";
}

std::string render(const PlanView& v, const model::Topology& topology, std::uint64_t seed, const std::string& kind) {
  Headline h;
  std::string body;
  std::optional<sim::RunResult> run;
  std::optional<model::Procedure> procedure;
  std::string simulation_error;
  if (v.safe) {
    try {
      procedure = model::parse_procedure(v.procedure->dump(2), "<planned procedure>", topology);
      sim::Options so;
      if (v.cold) so.warmup_s = 0, so.horizon_s = 0, so.load = 0;  // as acdsim plan's own timeline: timing only
      const sim::Simulator simulator(*procedure, topology);
      run = simulator.run(seed, so);
    } catch (const std::exception& e) {
      simulation_error = e.what();
    }
  }
  if (v.safe) {
    h = {"SAFE", Tone::Good,
         "Planned and proven by the checker over every interleaving of its steps with the environment (" +
             count_text(v.last->states) + " states).",
         {}};
  } else {
    h = {"NO SAFE PLAN", Tone::Bad, "No plan could be proven safe: " + v.failure, {}};
  }
  h.facts = {{"topology", topology.name + " (" + std::to_string(topology.hosts.size()) + " hosts)"}, {"kind", kind}};
  if (procedure) h.facts.push_back({"steps", std::to_string(procedure->steps.size())});
  h.facts.push_back({"states explored", count_text(v.last->states)});
  if (!v.rounds.empty()) h.facts.push_back({"refinement rounds", std::to_string(v.rounds.size())});
  if (run)
    for (Fact& f : window_facts(*run)) h.facts.push_back({f.name + " (simulated, seed " + std::to_string(seed) + ")", f.value});

  if (!v.safe && v.last->violation)
    body += section("counterexample", "Why the last candidate is not safe", swimlanes_html(*v.last->violation, topology, 1, 1));
  if (run) body += section("timeline", "Timeline of one simulated run", timeline_html(*run, v.title + " (planned)"));
  else if (!simulation_error.empty())
    body += section("timeline", "Timeline", "<p class=\"missing\">Not simulated: " + esc(simulation_error) + "</p>\n");
  if (procedure) body += section("steps", "Steps", steps_html(*procedure));
  // The explanation lists the layers, the reason for each wait and the refinement rounds.
  if (!v.explain.empty()) body += section("explain", "Why each wait and order is there", "<pre>" + esc(v.explain) + "</pre>\n");
  body += section("topology", "Topology: " + topology.name, topology_figure(topology));
  if (v.safe && v.procedure) body += section("procedure", "The procedure", procedure_block(*v.procedure, topology.name + "-" + kind + ".json"));
  return document("acdsim plan: " + v.title, h, body);
}

}  // namespace

std::string plan_html(const planner::Plan& plan, const model::Topology& topology, std::uint64_t seed) {
  const std::string kind = plan.procedure.contains("kind") ? plan.procedure["kind"].get<std::string>() : "plan";
  PlanView v{topology.name + " " + kind, plan.safe, plan.failure, &plan.procedure, &plan.last, planner::explain(plan), plan.rounds, true};
  return render(v, topology, seed, kind);
}

std::string plan_html(const planner::RolloutPlan& plan, const model::Topology& topology, std::uint64_t seed) {
  PlanView v{topology.name + " rollout", plan.safe, plan.failure, &plan.procedure, &plan.last, planner::explain(plan), {}, false};
  return render(v, topology, seed, "rollout");
}

std::string plan_html(const planner::FailoverPlan& plan, const model::Topology& topology, std::uint64_t seed, bool failback) {
  const std::string kind = failback ? "failback" : "failover";
  PlanView v{topology.name + " " + kind, plan.safe, plan.failure, &plan.procedure, &plan.last, planner::explain(plan), {}, true};
  return render(v, topology, seed, kind);
}

}  // namespace acdsim::report
