// Rollouts keep their promise: a group rollout never has more than the group
// size out of service, an atomic one never serves two editions, in the
// checker (every interleaving) and in simulated runs (random durations, load).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "acdsim/checker/checker.hpp"
#include "acdsim/planner/rollout_plan.hpp"
#include "acdsim/sim/simulator.hpp"
#include "generators.hpp"

namespace acdsim::property {
namespace {

RC_GTEST_PROP(Rollout, NeverMoreThanTheGroupOutNorTwoEditionsServing, ()) {
  Shape shape = *shapes(4);
  shape.lb = true;
  shape.redundant = false;
  shape.jb = *rc::gen::inRange(2, 5);
  const model::Topology t = topology_of(shape);
  const bool atomic = *rc::gen::arbitrary<bool>();
  const unsigned group = *rc::gen::inRange(1, shape.jb);
  const std::string block = atomic ? R"({"strategy": "atomic"})"
                                   : R"({"strategy": "group", "group_size": )" + std::to_string(group) + "}";
  const model::Procedure p = model::parse_procedure(
      R"({"format": "acdsim-procedure/1", "name": "r", "kind": "rollout", "topology": "generated.json", "rollout": )" + block + "}",
      "rollout.json", t);
  RC_LOG() << shape << " " << block << "\n";
  const checker::Result checked = checker::Checker(p, t, quick_check()).run();
  RC_ASSERT(checked.verdict != checker::Verdict::Incomplete);
  if (checked.violation) RC_ASSERT(!std::string(checked.violation->spec->id).starts_with("rollout."));
  const sim::Simulator simulator(p, t);
  sim::Options o = quick_run();
  o.load = *rc::gen::element(0.3, 1.0);
  o.guard_threshold = 0;  // the guard may refuse under load; the invariants are what is tested
  const sim::RunResult r = simulator.run(*rc::gen::arbitrary<std::uint64_t>(), o);
  for (const auto& f : r.findings) {
    RC_LOG() << f.id << " " << f.subject << "\n";
    RC_ASSERT(!f.id.starts_with("rollout."));
  }
}

// acdsim plan --kind rollout at any load: the chosen rollout never fell below
// the required capacity in its simulated runs, a fresh checker proves the
// written procedure safe, and everything faster was turned down with a reason.
RC_GTEST_PROP(Rollout, PlannedRolloutKeepsUpIsProvenAndIsTheFastestThatDoes, ()) {
  const bool redundant = *rc::gen::arbitrary<bool>();
  const double load = *rc::gen::inRange(0, 150) / 100.0;
  planner::RolloutOptions o;
  o.load = std::to_string(load);
  o.seeds = 3;
  o.threads = 1;
  if (redundant) o.pool = "web-lb1";
  const std::string topology_path = std::string(ACDSIM_SOURCE_DIR) + "/scenarios/topologies/" +
                                    (redundant ? "jtel-large-redundant" : "jtel-large") + ".json";
  const planner::RolloutPlan plan = planner::plan_rollout(topology_path, o);
  RC_LOG() << topology_path << " at " << load << "\n" << planner::explain(plan) << plan.failure << "\n";
  RC_ASSERT(!plan.candidates.empty());
  if (!plan.safe) {
    for (const planner::RolloutCandidate& c : plan.candidates) RC_ASSERT(!c.rejected.empty());
    return;
  }
  const planner::RolloutCandidate& chosen = plan.candidates[*plan.chosen];
  RC_ASSERT(chosen.rejected.empty());
  RC_ASSERT(chosen.simulated.completed == chosen.simulated.runs);
  if (chosen.simulated.strategy == "group") RC_ASSERT(chosen.simulated.below_capacity_max_s == 0.0);
  for (std::size_t i = 0; i < *plan.chosen; ++i) {
    RC_ASSERT(!plan.candidates[i].rejected.empty());
    RC_ASSERT(plan.candidates[i].simulated.window_mean_s <= chosen.simulated.window_mean_s + 0.5);
  }
  const model::Topology t = model::load_topology(topology_path);
  const model::Procedure p = model::parse_procedure(plan.procedure.dump(), "planned-rollout.json", t);
  RC_ASSERT(checker::Checker(p, t, quick_check()).run().verdict == checker::Verdict::Safe);
}

}  // namespace
}  // namespace acdsim::property
