// The planner's output is proven safe on every generated topology, and
// undoing any one of its orderings is caught by the checker.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>

#include "acdsim/checker/checker.hpp"
#include "generators.hpp"

namespace acdsim::property {
namespace {

checker::Verdict verdict_of(const nlohmann::ordered_json& procedure, const model::Topology& t) {
  return checker::Checker(procedure_of(procedure, t), t, quick_check()).run().verdict;
}

RC_GTEST_PROP(Planner, StartupAndShutdownArePlannedSafeOnEveryTopology, ()) {
  const Shape shape = *shapes();
  RC_TAG(shape.redundant ? "redundant storage" : "one store");
  const model::Topology t = topology_of(shape);
  for (planner::Kind kind : {planner::Kind::Startup, planner::Kind::Shutdown}) {
    const planner::Plan plan = plan_of(t, kind);
    RC_LOG() << shape << " " << planner::to_string(kind) << ": " << plan.failure << "\n" << planner::explain(plan);
    RC_ASSERT(plan.safe);
    // The written file, parsed again like a user's, is safe for a fresh checker.
    RC_ASSERT(verdict_of(plan.procedure, t) == checker::Verdict::Safe);
  }
}

RC_GTEST_PROP(Planner, RunningADependentStepBeforeItsDependencyIsCaught, ()) {
  const Shape shape = *shapes();
  const model::Topology t = topology_of(shape);
  const planner::Plan plan = safe_plan(t);
  const auto dependent = dependent_host_steps(plan.procedure);
  RC_PRE(!dependent.empty());
  const std::size_t step = *rc::gen::elementOf(dependent);
  const auto mutated = without_dependencies(plan.procedure, step);
  RC_LOG() << shape << " " << plan.procedure["kind"].get<std::string>() << ": " << plan.procedure["steps"][step]["id"] << " without its dependencies\n";
  RC_ASSERT(verdict_of(mutated, t) == checker::Verdict::Violated);
}

RC_GTEST_PROP(Planner, EveryHostWaitLeftInAPlanIsNeeded, ()) {
  const model::Topology t = topology_of(*shapes());
  const planner::Plan plan = safe_plan(t);
  for (std::size_t i = 0; i < plan.procedure["steps"].size(); ++i) {
    const auto& step = plan.procedure["steps"][i];
    if (!step.contains("wait") || step["action"] == "check") continue;
    auto mutated = plan.procedure;
    mutated["steps"][i].erase("wait");
    mutated["steps"][i].erase("timeout");  // a timeout bounds the wait: it goes with it
    RC_LOG() << "wait of " << step["id"] << " removed\n";
    RC_ASSERT(verdict_of(mutated, t) == checker::Verdict::Violated);
  }
}

TEST(Planner, ShippedStartupsKeepTheSeedsPriorityOrder) {
  // store, lb, dbm, then dbs/dbr, then the application servers: no host is
  // planned into an earlier layer than a host of an earlier class.
  const std::map<std::string, int> rank{{"store", 0}, {"lb", 1}, {"dbm", 2}, {"dbs", 3}, {"dbr", 3},
                                        {"jb", 4}, {"tel", 4}, {"api", 4}, {"chat", 4}, {"chatbot", 4}};
  for (const char* name : {"jtel-small", "jtel-medium"}) {  // jtel-large: 53 s, too slow for every CI run
    const model::Topology t = model::load_topology(std::string(ACDSIM_SOURCE_DIR) + "/scenarios/topologies/" + name + ".json");
    const planner::Plan plan = plan_of(t, planner::Kind::Startup);
    ASSERT_TRUE(plan.safe) << name << ": " << plan.failure;
    std::map<std::string, std::size_t> layer;
    for (std::size_t l = 0; l < plan.layers.size(); ++l)
      for (const auto& h : plan.layers[l]) layer[h] = l;
    auto host_rank = [&](const model::Host& h) {
      int r = 9;
      for (auto role : h.roles) r = std::min(r, rank.at(std::string(model::to_string(role))));
      return r;
    };
    for (const auto& a : t.hosts)
      for (const auto& b : t.hosts) {
        if (host_rank(a) < host_rank(b)) {
          EXPECT_LE(layer[a.alias], layer[b.alias]) << name << ": " << a.alias << " vs " << b.alias;
        }
      }
  }
}

}  // namespace
}  // namespace acdsim::property
