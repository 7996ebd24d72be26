// Issue 12: planned shutdowns wait for the seed's step 1 (every web and
// telephony host off) before the DB and the storage go down; a startup whose
// storage is started by hand gets the operator commands it needs.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "acdsim/checker/checker.hpp"
#include "acdsim/model/pacemaker.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/planner/planner.hpp"
#include "../../planner/src/operator_path.hpp"

namespace acdsim::planner {
namespace {

model::Topology topology(const std::string& name) {
  return model::load_topology(std::string(ACDSIM_SOURCE_DIR) + "/scenarios/topologies/" + name + ".json");
}

checker::Result check(const nlohmann::ordered_json& procedure, const model::Topology& t) {
  const model::Procedure p = model::parse_procedure(procedure.dump(), "<test>", t);
  return checker::Checker(p, t, checker::Options{}).run();
}

TEST(PlannedShutdown, WaitsForEveryWebAndTelephonyHostToBeOff) {
  const model::Topology t = topology("jtel-medium");
  const Plan p = plan(t, Kind::Shutdown);
  ASSERT_TRUE(p.safe) << p.failure;
  for (const char* h : {"acd-jb1", "acd-jb2", "acd-tel1", "acd-tel2"}) {
    const auto& steps = p.procedure["steps"];
    const auto it = std::find_if(steps.begin(), steps.end(), [&](const auto& s) { return s["id"] == std::string("off-") + h; });
    ASSERT_NE(it, steps.end()) << h;
    ASSERT_TRUE(it->contains("wait")) << it->dump();
    EXPECT_EQ((*it)["wait"], std::string(h) + " off");
  }
}

TEST(PlannedShutdown, WithoutTheStep1WaitADbMasterStopsUnderAStoppingApplication) {
  const model::Topology t = topology("jtel-medium");
  Plan p = plan(t, Kind::Shutdown);
  ASSERT_TRUE(p.safe) << p.failure;
  for (auto& s : p.procedure["steps"])
    if (s["id"] == "off-acd-jb1") s.erase("wait"), s.erase("timeout");
  const checker::Result r = check(p.procedure, t);
  ASSERT_EQ(r.verdict, checker::Verdict::Violated);
  std::vector<std::string> ids;
  for (const auto& v : r.violations) ids.emplace_back(v.spec->id);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "consumer.db-lost"), ids.end());
}

// The search itself, on the hand-started storage pair: from both nodes up
// with nothing started, the fewest commands that make a node serve.
TEST(OperatorPath, StartsAHandStartedStoragePairTheSeedsWay) {
  const model::System sys(topology("jtel-large-redundant-pp"));
  model::Snapshot s = sys.all_off();
  for (const char* h : {"acd-lb1", "acd-lb2"}) {
    s = *sys.apply(s, sys.command("power_on", h));
    for (const model::Move& m : sys.environment_moves())
      if (m.label == std::string(h) + ": boot complete") s = *sys.apply(s, m);
  }
  const std::vector<std::string> hosts{"acd-lb1", "acd-lb2"};
  constexpr auto kActive = static_cast<model::PredicateId>(model::pacemaker::Pred::Active);
  const model::Term lb1_active{*sys.find("acd-lb1/pacemaker"), kActive, false};
  const model::Term lb2_active{*sys.find("acd-lb2/pacemaker"), kActive, false};
  const StatePredicate healthy = healthy_on(sys, hosts);
  auto goal = [&](const model::Snapshot& x) { return healthy(x) && (sys.holds(x, lb1_active) || sys.holds(x, lb2_active)); };
  const auto path = operator_path(sys, s, hosts, goal, violates_an_invariant(sys));
  ASSERT_TRUE(path);
  std::vector<std::string> cmds;
  for (const OperatorCommand& c : *path) cmds.push_back(c.action + " " + c.target);
  EXPECT_EQ(cmds, (std::vector<std::string>{"drbdadm_up acd-lb1/drbd", "drbdadm_up acd-lb2/drbd", "drbdadm_primary acd-lb1/drbd",
                                            "drbdadm_primary acd-lb2/drbd", "pcs_cluster_start cluster:storage"}));
  // Each command's check names the settled state it is issued in.
  const auto& before_primary = (*path)[2].wait;
  EXPECT_NE(std::find(before_primary.begin(), before_primary.end(), "acd-lb1/drbd connected"), before_primary.end());
  EXPECT_NE(std::find(before_primary.begin(), before_primary.end(), "acd-lb1/vm up"), before_primary.end());
  // With an impossible goal there is no path (bounded search, no hang).
  EXPECT_FALSE(operator_path(sys, s, hosts, [](const model::Snapshot&) { return false; }, violates_an_invariant(sys), 3));
}

}  // namespace
}  // namespace acdsim::planner
