// acdsim fuzz shrinks timing as well as faults: durations that do not matter
// for the failure go to their median, the one that does keeps its draw.
#include <gtest/gtest.h>

#include <algorithm>

#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "acdsim/planner/fuzz.hpp"
#include "acdsim/sim/simulator.hpp"

namespace acdsim::planner {
namespace {

// The web server's share is mounted 170 s after both VMs are powered on; the
// storage serves 60 s + a Samba start drawn from 1..200 s after: a late Samba
// start (> 110 s) breaks the mount, the median one (100.5 s) does not.
model::Topology race_topology() {
  return model::parse_topology(R"({
    "format": "acdsim-topology/1", "name": "race",
    "hosts": [{"alias": "acd-store", "roles": ["store", "dbm"]}, {"alias": "acd-jb1", "roles": ["jb"]}],
    "share_server": "acd-store",
    "parameters": {"durations": {
      "vm.boot_complete": {"fixed": "60s"},
      "acd-jb1/vm.boot_complete": {"fixed": "170s"},
      "acd-store/samba.start_complete": {"uniform": ["1s", "200s"]},
      "acd-store/mysql.start_complete": {"fixed": "5s"}}}})",
                               "race.json");
}

model::Procedure race_procedure(const model::Topology& t) {
  return model::parse_procedure(R"({
    "format": "acdsim-procedure/1", "name": "both at once", "kind": "startup", "topology": "race.json",
    "steps": [{"id": "store", "action": "power_on", "target": "acd-store", "wait": "acd-store/samba running"},
              {"id": "web", "action": "power_on", "target": "acd-jb1", "wait": "acd-jb1 up"}]})",
                                "race.json", t);
}

TEST(FuzzShrink, DurationsThatDoNotMatterGoToTheirMedianTheOneThatDoesKeepsItsDraw) {
  const model::Topology t = race_topology();
  const model::Procedure p = race_procedure(t);
  FuzzOptions o;
  o.runs = 20;
  const FuzzResult r = fuzz(p, t, o);
  ASSERT_GT(r.failed, 0u);
  ASSERT_LT(r.failed, r.runs);  // timing decides
  ASSERT_TRUE(r.shrunk);
  EXPECT_EQ(r.shrunk->failure, "share.mount-failed");
  EXPECT_FALSE(r.shrunk->typical_all);  // at the median the mount succeeds
  const auto& typical = r.shrunk->typical;
  const std::string samba = "acd-store/samba: start complete";
  EXPECT_EQ(std::count(typical.begin(), typical.end(), samba), 0) << "the deciding draw was made typical";
  EXPECT_EQ(typical.size() + 1, r.environment_moves);  // every other move at its median

  // The shrunk case replays: same seed, same typical moves, same failure.
  const sim::Simulator simulator(p, t);
  const FuzzCase again = run_case(simulator, r.shrunk->seed, r.shrunk->faults, o, false, typical);
  EXPECT_EQ(again.failure, "share.mount-failed");
  EXPECT_NE(replay_command(*r.shrunk, "race.json").find("--median-duration 'acd-jb1: boot complete'"), std::string::npos);
}

TEST(FuzzShrink, AFailureThatSurvivesMedianTimingIsShrunkToAllMedians) {
  const model::Topology t = race_topology();
  const model::Procedure p = model::parse_procedure(R"({
    "format": "acdsim-procedure/1", "name": "web first", "kind": "startup", "topology": "race.json",
    "steps": [{"id": "web", "action": "power_on", "target": "acd-jb1", "wait": "acd-jb1 up"},
              {"id": "store", "action": "power_on", "target": "acd-store", "after": ["web"], "wait": "acd-store/samba running"}]})",
                                                    "race.json", t);
  FuzzOptions o;
  o.runs = 3;
  const FuzzResult r = fuzz(p, t, o);
  ASSERT_TRUE(r.shrunk);
  EXPECT_TRUE(r.shrunk->typical_all);
  EXPECT_NE(replay_command(*r.shrunk, "race.json").find("--median-durations"), std::string::npos);
}

TEST(MedianDurations, EveryEnvironmentMoveAtItsMedianMakesTheWindowIndependentOfTheSeed) {
  const model::Topology t = race_topology();
  const model::Procedure p = race_procedure(t);
  const sim::Simulator simulator(p, t);
  sim::Options o;
  o.warmup_s = 0;
  o.horizon_s = 0;
  o.typical_all = true;
  const double first = simulator.run(1, o).window_s;
  for (std::uint64_t seed = 2; seed < 6; ++seed) EXPECT_EQ(simulator.run(seed, o).window_s, first);
  o.typical_all = false;
  o.typical = {"no such move"};
  const auto findings = simulator.run(1, o).findings;
  EXPECT_TRUE(std::any_of(findings.begin(), findings.end(),
                          [](const sim::Finding& f) { return f.id == "duration.not-applicable" && f.subject == "no such move"; }));
}

}  // namespace
}  // namespace acdsim::planner
