// The planner's last startup stages (docs/planner.md, "Too many interleavings"):
// each group of alike hosts, or each host, starts once the previous one's own
// services are healthy, leaving out what needs a host not started yet.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "acdsim/planner/planner.hpp"

namespace acdsim::planner {
namespace {

// A storage pair and a master-master pair that keep settling after boot.
model::Topology settled_startup() {
  return model::load_topology(std::string(ACDSIM_SOURCE_DIR) + "/tests/cli/data/settled-startup.json");
}

Plan plan_within(std::uint64_t max_states) {
  Options o;
  o.check.max_states = max_states;
  return plan(settled_startup(), Kind::Startup, o);
}

nlohmann::ordered_json step(const Plan& p, const std::string& id) {
  for (const auto& s : p.procedure["steps"])
    if (s["id"] == id) return s;
  return {};
}

bool waits_for(const nlohmann::ordered_json& s, const std::string& atom) {
  const auto& w = s["wait"];
  return std::find(w.begin(), w.end(), atom) != w.end();
}

TEST(PlannerStages, AlikeHostsStartTogetherAfterThePreviousGroupSettled) {
  const Plan p = plan_within(1000);
  ASSERT_TRUE(p.safe) << p.failure;
  // The storage pair starts together, so each node's DRBD and pacemaker terms
  // are waited for before the DB masters (they read each other: both started).
  const auto s = step(p, "after-acd-lb2-healthy");
  ASSERT_FALSE(s.is_null()) << p.procedure.dump(2);
  for (const char* a : {"acd-lb1 up", "acd-lb1/drbd uptodate", "acd-lb1/pacemaker quorate", "acd-lb2 up",
                        "acd-lb2/drbd uptodate", "acd-lb2/pacemaker quorate"})
    EXPECT_TRUE(waits_for(s, a)) << a << " in " << s.dump();
  for (const char* h : {"on-acd-dbm1", "on-acd-dbm2"}) {
    const auto on = step(p, h);
    const auto& after = on["after"];
    EXPECT_NE(std::find(after.begin(), after.end(), "after-acd-lb2-healthy"), after.end()) << on.dump();
  }
  // The DB slave waits for both masters' replication to settle before the web server starts.
  const auto dbs = step(p, "after-acd-dbs-healthy");
  ASSERT_FALSE(dbs.is_null());
  EXPECT_TRUE(waits_for(dbs, "acd-dbs/replication:acd-dbm1 healthy")) << dbs.dump();
}

TEST(PlannerStages, OneHostAtATimeLeavesOutTermsThatNeedAPeerNotStartedYet) {
  const Plan p = plan_within(600);
  ASSERT_TRUE(p.safe) << p.failure;
  // acd-lb2 starts after acd-lb1: waiting for acd-lb1's DRBD or quorum would
  // never end (they need acd-lb2), so only what acd-lb1 reaches alone is waited for.
  const auto s = step(p, "after-acd-lb1-up");
  ASSERT_FALSE(s.is_null()) << p.procedure.dump(2);
  EXPECT_TRUE(waits_for(s, "acd-lb1 up"));
  EXPECT_FALSE(waits_for(s, "acd-lb1/drbd uptodate")) << s.dump();
  EXPECT_FALSE(waits_for(s, "acd-lb1/pacemaker quorate")) << s.dump();
  // The next host in the layer waits for the pair's settled terms, acd-lb1's
  // left-out ones included (both started by then).
  const auto next = step(p, "after-acd-lb2-healthy");
  ASSERT_FALSE(next.is_null()) << p.procedure.dump(2);
  for (const char* a : {"acd-lb1/drbd uptodate", "acd-lb1/pacemaker quorate", "acd-lb2/drbd uptodate", "acd-lb2/pacemaker quorate"})
    EXPECT_TRUE(waits_for(next, a)) << a << " in " << next.dump();
  EXPECT_FALSE(waits_for(next, "acd-lb1 up")) << "waited for by after-acd-lb1-up already: " << next.dump();
}

TEST(PlannerStages, TheLastStageIsReportedWhenEvenItDoesNotFit) {
  const Plan p = plan_within(300);
  EXPECT_FALSE(p.safe);
  EXPECT_NE(p.failure.find("even with one host at a time"), std::string::npos) << p.failure;
}

}  // namespace
}  // namespace acdsim::planner
