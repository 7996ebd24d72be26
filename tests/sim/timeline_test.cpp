// Time to service (commands done, goal, window), the critical chain, one
// clock, cold-start load, timeouts and option checking (issue 14).
#include <gtest/gtest.h>

#include <algorithm>

#include "acdsim/sim/report.hpp"
#include "acdsim/sim/simulator.hpp"

namespace acdsim::sim {
namespace {

struct Scenario {
  model::Topology topology;
  model::Procedure procedure;
  explicit Scenario(const std::string& path) { procedure = model::load_procedure(path, &topology); }
};
std::string shipped(const std::string& rel) { return std::string(ACDSIM_SOURCE_DIR) + "/scenarios/" + rel; }
std::string data(const std::string& rel) { return std::string(ACDSIM_SOURCE_DIR) + "/tests/sim/data/" + rel; }

bool has(const RunResult& r, std::string_view id) {
  return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.id == id; });
}

Options timing_only() {
  Options o;
  o.warmup_s = 0, o.horizon_s = 0, o.load = 0;
  return o;
}

// The chain is causal: every link became possible after the one before it happened.
void expect_causal_chain(const RunResult& r) {
  ASSERT_FALSE(r.critical_chain.empty());
  for (std::size_t i = 0; i < r.critical_chain.size(); ++i) {
    const ChainLink& l = r.critical_chain[i];
    EXPECT_LE(l.ready_s, l.at_s + 1e-9) << l.label;
    if (i) {
      EXPECT_GE(l.ready_s + 1e-9, r.critical_chain[i - 1].at_s) << l.label;
    }
  }
  EXPECT_NEAR(r.critical_chain.back().at_s, r.window_s, 1e-6);  // its last link ends the window
}

TEST(TimeToService, StartupWindowEndsWhenServiceIsBackNotWithTheLastCommand) {
  const Scenario s(data("large-startup-no-checks.json"));
  const Simulator sim(s.procedure, s.topology);
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const RunResult r = sim.run(seed, timing_only());
    ASSERT_TRUE(r.completed);
    EXPECT_EQ(r.goal, "service back");
    ASSERT_TRUE(r.commands_done_s && r.goal_s);
    // the web and telephony servers deploy minutes after their power_on, the last command
    EXPECT_GT(*r.goal_s, *r.commands_done_s + 60);
    EXPECT_DOUBLE_EQ(r.window_s, *r.goal_s);
    EXPECT_DOUBLE_EQ(r.procedure_end_s - r.procedure_start_s, r.window_s);
    expect_causal_chain(r);
    EXPECT_EQ(r.critical_chain.front().what, "step");  // it starts with a command of the procedure
  }
}

TEST(TimeToService, ShutdownWindowEndsWhenEveryVmIsOff) {
  const Scenario s(shipped("procedures/jtel-large/shutdown.json"));
  const RunResult r = Simulator(s.procedure, s.topology).run(1, timing_only());
  ASSERT_TRUE(r.completed);
  EXPECT_EQ(r.goal, "all off");
  ASSERT_TRUE(r.goal_s);
  EXPECT_GT(r.window_s, 10.0);  // at least one VM shutdown (10 s or more), not 0
  EXPECT_GT(*r.goal_s, *r.commands_done_s);
  expect_causal_chain(r);
  EXPECT_EQ(r.critical_chain.back().what, "environment");  // a VM going off ends it
}

TEST(TimeToService, MaintenanceHasNoGoalAndEndsWithItsCommands) {
  const Scenario s(shipped("rollouts/jtel-large/group-low.json"));
  const RunResult r = Simulator(s.procedure, s.topology).run(1);
  ASSERT_TRUE(r.completed);
  ASSERT_TRUE(r.commands_done_s);
  EXPECT_LE(*r.commands_done_s, r.window_s + 1e-9);
}

// A rollout's service is its pool: on the redundant topology the second
// router is not routing while the first is in manual mode, and that must not
// keep "service back" from ever being reached.
TEST(TimeToService, RolloutServiceIsBackWhenEveryRolledServerServesAgain) {
  const Scenario s(shipped("rollouts/jtel-large-redundant/group-low.json"));
  const RunResult r = Simulator(s.procedure, s.topology).run(1);
  ASSERT_TRUE(r.completed);
  EXPECT_EQ(r.goal, "service back");
  ASSERT_TRUE(r.goal_s);
  EXPECT_LE(*r.goal_s, r.window_s + 1e-9);
}

TEST(TimeToService, ReportedInTextAndJson) {
  const Scenario s(shipped("procedures/jtel-large/startup.json"));
  const RunResult r = Simulator(s.procedure, s.topology).run(1, timing_only());
  const std::string text = summary_text("x", {r});
  EXPECT_NE(text.find("commands done: "), std::string::npos) << text;
  EXPECT_NE(text.find("service back: "), std::string::npos) << text;
  EXPECT_NE(text.find("critical chain"), std::string::npos) << text;
  const nlohmann::json j = run_json(r);
  EXPECT_EQ(j["goal"], "service back");
  EXPECT_DOUBLE_EQ(j["goal_s"].get<double>(), *r.goal_s);
  EXPECT_DOUBLE_EQ(j["commands_done_s"].get<double>(), *r.commands_done_s);
  EXPECT_EQ(j["critical_chain"].size(), r.critical_chain.size());
  EXPECT_EQ(summary_json({r, r})["goal_reached"], 2u);
}

TEST(TimeToService, ChromeTraceHasAStepTrackAndTheMarkers) {
  const Scenario s(shipped("procedures/jtel-large/startup.json"));
  const RunResult r = Simulator(s.procedure, s.topology).run(1, timing_only());
  const nlohmann::json t = chrome_trace(r);
  std::size_t steps = 0;
  bool process = false, done = false, back = false;
  for (const auto& e : t["traceEvents"]) {
    if (e["ph"] == "M" && e["args"].value("name", "") == "procedure steps") process = true;
    if (e.value("cat", "") == "step") ++steps;
    if (e["ph"] == "i" && e["name"] == "commands done") done = true;
    if (e["ph"] == "i" && e["name"] == "service back") back = true;
  }
  EXPECT_TRUE(process && done && back);
  EXPECT_EQ(steps, r.timeline.steps.size());
  EXPECT_GE(steps, s.procedure.steps.size());  // every step (a phase's wait is a step of its own)
}

TEST(OneClock, FindingsOutagesAndTheLogCountFromTheProcedureStart) {
  const Scenario s(shipped("rollouts/jtel-large/group-low.json"));
  Options o;
  o.faults.push_back({5, "acd-jb2: VM crashes"});
  const RunResult r = Simulator(s.procedure, s.topology).run(1, o);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NEAR(r.findings.front().time_s, 5, 1e-6);
  EXPECT_EQ(r.log.front().rfind("-0:10:00", 0), 0u) << r.log.front();  // the initial state, in the warm-up
  EXPECT_EQ(clock_text(-300), "-0:05:00");
}

TEST(ColdStart, NoLoadIsOfferedToAClusterThatIsOff) {
  const Scenario s(shipped("procedures/jtel-large/startup.json"));
  const Simulator sim(s.procedure, s.topology);
  const RunResult r = sim.run(1);  // peak load, warm-up 600 s, horizon 3600 s
  ASSERT_TRUE(r.goal_s);
  for (const ClassMetrics& m : r.classes) {
    EXPECT_GT(m.offered, 0u) << m.name;  // offered once service is back
    EXPECT_LT(static_cast<double>(m.abandoned), 0.01 * static_cast<double>(m.offered)) << m.name;
  }
  for (const Outage& o : r.outages) EXPECT_GE(o.start_s, *r.goal_s - 1e-6) << o.cls;  // nothing counted before
}

TEST(Timeouts, AWaitThatTimesOutStopsTheProcedure) {
  const Scenario s(data("never-ready.json"));
  const RunResult r = Simulator(s.procedure, s.topology).run(1, timing_only());
  EXPECT_FALSE(r.completed);
  ASSERT_TRUE(has(r, "procedure.timeout"));
  EXPECT_FALSE(has(r, "procedure.stuck"));
  const auto f = std::find_if(r.findings.begin(), r.findings.end(), [](const Finding& x) { return x.id == "procedure.timeout"; });
  EXPECT_NEAR(f->time_s, 300, 1e-6);
  // the run ends at the timeout, not 6 h later; the step after it never runs
  for (const std::string& line : r.log) EXPECT_EQ(line.find("shutdown acd-app1"), std::string::npos) << line;
}

TEST(Options, UnknownLabelsAndHostsAreRefusedWithTheValidOnes) {
  const Scenario s(shipped("procedures/jtel-large/startup.json"));
  const Simulator sim(s.procedure, s.topology);
  Options o;
  EXPECT_EQ(sim.invalid_options(o), "");
  o.typical = {"acd-jb1/vm: boot completes"};
  std::string why = sim.invalid_options(o);
  EXPECT_NE(why.find("names no environment move"), std::string::npos) << why;
  EXPECT_NE(why.find("acd-jb1: boot complete"), std::string::npos) << why;  // the real label is listed
  o.typical = {"acd-jb1: boot complete"};
  EXPECT_EQ(sim.invalid_options(o), "");
  o.faults = {{300, "power_off acd-jb9"}};
  why = sim.invalid_options(o);
  EXPECT_NE(why.find("names no host"), std::string::npos) << why;
  EXPECT_NE(why.find("acd-jb3"), std::string::npos) << why;
  o.faults = {{300, "acd-jb9: VM crashes"}};
  why = sim.invalid_options(o);
  EXPECT_NE(why.find("matches no fault move"), std::string::npos) << why;
  EXPECT_NE(why.find("acd-jb1: VM crashes"), std::string::npos) << why;
  o.faults = {{300, "acd-jb1: VM crashes"}, {0, "slow_boot acd-jb2"}, {5, "power_off acd-tel1"}};
  EXPECT_EQ(sim.invalid_options(o), "");
}

}  // namespace
}  // namespace acdsim::sim
