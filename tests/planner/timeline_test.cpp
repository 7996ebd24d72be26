// Planned procedures end with a readiness check and carry timeouts; the
// Gantt chart of a run (issue 14).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "acdsim/model/procedure.hpp"
#include "acdsim/planner/gantt.hpp"
#include "acdsim/planner/planner.hpp"
#include "acdsim/sim/simulator.hpp"

namespace acdsim::planner {
namespace {

model::Topology topology(const std::string& name) {
  return model::load_topology(std::string(ACDSIM_SOURCE_DIR) + "/scenarios/topologies/" + name + ".json");
}

sim::Options timing_only() {
  sim::Options o;
  o.warmup_s = 0, o.horizon_s = 0, o.load = 0;
  return o;
}

TEST(PlannedProcedure, StartupEndsWithAReadinessCheckAndEveryWaitHasATimeout) {
  const model::Topology t = topology("jtel-small");
  const Plan p = plan(t, Kind::Startup);
  ASSERT_TRUE(p.safe) << p.failure;
  const auto& steps = p.procedure["steps"];
  const auto& last = steps.back();
  EXPECT_EQ(last["id"], "service-ready");
  EXPECT_EQ(last["action"], "check");
  EXPECT_EQ(last["after"].size(), t.hosts.size());  // after every host's power_on
  const std::string wait = last["wait"].dump();
  EXPECT_NE(wait.find("acd-app1/jboss in_service"), std::string::npos) << wait;
  for (const auto& s : steps)
    if (s.contains("wait")) {
      ASSERT_TRUE(s.contains("timeout")) << s.dump();
      const std::string timeout = s["timeout"];
      EXPECT_GE(std::stoi(timeout), 2) << timeout;  // minutes, at least 2
    }
  // The planned window includes service coming back, and it is the end of the commands.
  const model::Procedure proc = model::parse_procedure(p.procedure.dump(), "planned", t);
  const sim::RunResult r = sim::Simulator(proc, t).run(1, timing_only());
  ASSERT_TRUE(r.completed && r.goal_s && r.commands_done_s);
  EXPECT_NEAR(*r.goal_s, *r.commands_done_s, 1e-6);
  EXPECT_GT(r.window_s, 120.0);  // a boot and a deployment of minutes
}

TEST(PlannedProcedure, ShutdownEndsWhenEveryHostIsOff) {
  const model::Topology t = topology("jtel-medium");
  const Plan p = plan(t, Kind::Shutdown);
  ASSERT_TRUE(p.safe) << p.failure;
  const auto& last = p.procedure["steps"].back();
  EXPECT_EQ(last["id"], "all-off");
  EXPECT_TRUE(last.contains("timeout"));
  const model::Procedure proc = model::parse_procedure(p.procedure.dump(), "planned", t);
  const sim::RunResult r = sim::Simulator(proc, t).run(1, timing_only());
  ASSERT_TRUE(r.completed && r.goal_s);
  EXPECT_GT(r.window_s, 10.0);  // not 0: the VMs take time to go off
  EXPECT_NEAR(r.window_s, *r.commands_done_s, 1e-6);
}

// One crash of a web server while it boots: the planned startup stops at the
// readiness check's timeout (procedure.timeout) instead of waiting 6 h.
TEST(PlannedProcedure, ACrashStopsThePlannedStartupAtItsTimeout) {
  const model::Topology t = topology("jtel-small");
  const Plan p = plan(t, Kind::Startup);
  ASSERT_TRUE(p.safe);
  const model::Procedure proc = model::parse_procedure(p.procedure.dump(), "planned", t);
  sim::Options o = timing_only();
  o.faults.push_back({200, "acd-app1: VM crashes"});
  const sim::RunResult r = sim::Simulator(proc, t).run(1, o);
  EXPECT_FALSE(r.completed);
  const auto f = std::find_if(r.findings.begin(), r.findings.end(), [](const sim::Finding& x) { return x.id == "procedure.timeout"; });
  ASSERT_NE(f, r.findings.end());
  EXPECT_LT(f->time_s, 3600.0);
  EXPECT_TRUE(std::none_of(r.findings.begin(), r.findings.end(), [](const sim::Finding& x) { return x.id == "procedure.stuck"; }));
}

TEST(Gantt, TimeAxisHasRoundDistinctTicksInOneUnit) {
  for (const double span : {0.8, 1.3, 7.0, 74.0, 135.0, 712.0, 3000.0, 20000.0}) {
    const Axis a = time_axis(span);
    EXPECT_GE(a.end_s, span);
    EXPECT_GE(a.ticks.size(), 3u) << span;
    EXPECT_LE(a.ticks.size(), 11u) << span;
    std::set<std::string> labels;
    for (const auto& [t, text] : a.ticks) labels.insert(text);
    EXPECT_EQ(labels.size(), a.ticks.size()) << span;  // never "0 s 0 s 0 s 1 s"
  }
  const Axis a = time_axis(712);
  EXPECT_EQ(a.step_s, 120);
  EXPECT_EQ(a.ticks[1].second, "2 min");
  EXPECT_EQ(time_axis(1.3).ticks[1].second, "0.2 s");
  EXPECT_EQ(time_axis(74).ticks[1].second, "10 s");
}

TEST(Gantt, DrawsTheWindowToServiceBackWithLegendMarkersAndTheChain) {
  const model::Topology t = topology("jtel-large");
  const model::Procedure proc =
      model::load_procedure(std::string(ACDSIM_SOURCE_DIR) + "/tests/sim/data/large-startup-no-checks.json");
  const sim::RunResult r = sim::Simulator(proc, t).run(1, timing_only());
  ASSERT_TRUE(r.goal_s && *r.goal_s > *r.commands_done_s);
  const std::string svg = gantt_svg(r, "jtel-large startup");
  for (const char* word : {"offline", "booting", "serving", "critical chain", "commands done", "service back 11 min"})
    EXPECT_NE(svg.find(word), std::string::npos) << word;
  // every web and telephony host ends serving: its green bar reaches the right edge
  for (const char* host : {"acd-jb1", "acd-jb2", "acd-jb3", "acd-tel1", "acd-tel2", "acd-tel3"})
    EXPECT_NE(svg.find(std::string("<title>") + host + " serving"), std::string::npos) << host;
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

}  // namespace
}  // namespace acdsim::planner
