#include "acdsim/sim/simulator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "acdsim/model/input_error.hpp"
#include "acdsim/sim/replay.hpp"
#include "acdsim/sim/report.hpp"

namespace acdsim::sim {
namespace {

struct Scenario {
  model::Topology topology;
  model::Procedure procedure;
  explicit Scenario(const std::string& rel) {
    procedure = model::load_procedure(std::string(ACDSIM_SOURCE_DIR) + "/scenarios/" + rel, &topology);
  }
};

bool has(const RunResult& r, std::string_view id) {
  return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.id == id; });
}

TEST(Simulator, SameSeedGivesTheSameEventLogAndOtherSeedsDiffer) {
  const Scenario s("rollouts/jtel-large/group-peak.json");
  const Simulator sim(s.procedure, s.topology);
  const RunResult a = sim.run(5), b = sim.run(5), c = sim.run(6);
  EXPECT_EQ(a.log_hash, b.log_hash);
  EXPECT_EQ(a.log, b.log);
  EXPECT_EQ(run_json(a).dump(), run_json(b).dump());
  EXPECT_NE(a.log_hash, c.log_hash);
  EXPECT_GT(a.events, 5000u);
}

TEST(Simulator, GroupRolloutCompletesWithNoFindingsAndEveryServerOnTheNewEdition) {
  const Scenario s("rollouts/jtel-large/group-peak.json");
  const RunResult r = Simulator(s.procedure, s.topology).run(1);
  EXPECT_TRUE(r.completed);
  for (const Finding& f : r.findings) EXPECT_TRUE(f.accepted) << f.id << " " << f.subject;
  EXPECT_GT(r.window_s, 3 * 30.0);  // three drains of 30 s at least
  // the last slice of each jb track is serving the new edition
  for (std::uint32_t t = 0; t < r.timeline.tracks.size(); ++t) {
    if (r.timeline.tracks[t].rfind("acd-jb", 0) != 0) continue;
    std::string last;
    for (const auto& sl : r.timeline.slices)
      if (sl.track == t) last = sl.name;
    EXPECT_EQ(last, "serving (new)") << r.timeline.tracks[t];
  }
}

// Rollout invariant from the trace: never more than group-size (1) jb servers out of service.
TEST(Simulator, GroupRolloutNeverHasMoreThanOneServerOutOnTheTrace) {
  const Scenario s("rollouts/jtel-large/group-low.json");
  const Simulator sim(s.procedure, s.topology);
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const RunResult r = sim.run(seed);
    std::map<SimTime, int> delta;  // +1 when a jb server leaves "serving", -1 when it returns
    for (const auto& sl : r.timeline.slices) {
      if (r.timeline.tracks[sl.track].rfind("acd-jb", 0) != 0 || sl.name.rfind("serving", 0) == 0) continue;
      ++delta[sl.start];
      --delta[sl.end];
    }
    int out = 0, worst = 0;
    for (const auto& [t, d] : delta) worst = std::max(worst, out += d);
    EXPECT_EQ(worst, 1) << "seed " << seed;
    EXPECT_FALSE(has(r, "rollout.too-many-out"));
  }
}

TEST(Simulator, CrashDuringAGroupRolloutIsReportedAsTooManyOut) {
  const Scenario s("rollouts/jtel-large/group-low.json");
  Options o;
  o.faults.push_back({5, "acd-jb2: VM crashes"});  // while acd-jb1 is drained
  const RunResult r = Simulator(s.procedure, s.topology).run(1, o);
  ASSERT_TRUE(has(r, "rollout.too-many-out"));
  const Finding& f = *std::find_if(r.findings.begin(), r.findings.end(), [](const Finding& x) { return x.id == "rollout.too-many-out"; });
  EXPECT_NEAR(f.time_s, 5, 1e-6);  // one clock: after the procedure start (the warm-up of 600 s before it)
  EXPECT_GT(f.event_index, 0u);
}

TEST(Simulator, AtomicRolloutServesOneEditionAndHandsOverWithoutAQueue) {
  const Scenario s("rollouts/jtel-large/atomic-low.json");
  const RunResult r = Simulator(s.procedure, s.topology).run(2);
  EXPECT_TRUE(r.completed);
  EXPECT_FALSE(has(r, "rollout.two-editions"));
  const ClassMetrics& web = r.classes.at(1);
  EXPECT_EQ(web.name, "web");
  // the second half is quiesced as the router switches to the first half's new
  // edition: no moment with nobody serving (it was 30 s of queueing before)
  EXPECT_EQ(web.max_queue, 0u);
  EXPECT_EQ(web.below_capacity_s, 0.0);
  EXPECT_TRUE(r.outages.empty());
}

TEST(Simulator, LoadGuardRefusesAnAtomicRolloutAtPeakWithTheNumbers) {
  const Scenario s("rollouts/jtel-large/atomic-peak.json");
  const Simulator sim(s.procedure, s.topology);
  const RunResult r = sim.run(1);
  EXPECT_FALSE(r.completed);
  EXPECT_NE(r.refused.find("exceeds 100% of the capacity that stays in service (200)"), std::string::npos) << r.refused;
  Options no_guard;
  no_guard.guard_threshold = 0;
  const RunResult forced = sim.run(1, no_guard);
  EXPECT_TRUE(forced.completed);
  EXPECT_GT(forced.classes.at(1).abandoned, 0u);
  EXPECT_FALSE(forced.outages.empty());
}

TEST(Simulator, LoadGuardPausesAGroupRolloutUntilTheLoadFalls) {
  const Scenario s("rollouts/jtel-large/group-peak.json");
  Options o;
  o.load = 1.15;        // 1.15 x 363 Erlangs fits 400 only after the peak hour
  o.start_hour = 9.99;  // the first group passes just before the peak, the next ones wait
  const RunResult r = Simulator(s.procedure, s.topology).run(1, o);
  EXPECT_FALSE(r.pauses.empty());
}

TEST(Simulator, TraceSlicesNeverOverlapOnATrackAndChromeJsonIsWellFormed) {
  const Scenario s("procedures/jtel-large/startup.json");
  const RunResult r = Simulator(s.procedure, s.topology).run(3);
  EXPECT_TRUE(r.completed);
  std::map<std::uint32_t, SimTime> end;
  for (const auto& sl : r.timeline.slices) {
    EXPECT_LT(sl.start, sl.end);
    EXPECT_GE(sl.start, end[sl.track]) << r.timeline.tracks[sl.track];
    end[sl.track] = sl.end;
  }
  const nlohmann::json t = chrome_trace(r);
  std::size_t slices = 0, counters = 0;
  for (const auto& e : t["traceEvents"]) {
    ASSERT_TRUE(e.contains("ph") && e.contains("pid"));
    if (e["ph"] == "X") {
      ++slices;
      EXPECT_GE(e["dur"].get<SimTime>(), 1);
    }
    if (e["ph"] == "C") ++counters;
  }
  EXPECT_EQ(slices, r.timeline.slices.size() + r.timeline.steps.size());  // host tracks, then the procedure's steps
  EXPECT_GT(counters, 0u);
  EXPECT_GT(r.window_s, 70.0);  // at least one VM boot
}

TEST(Simulator, RandomFaultsComeFromTheirOwnStream) {
  const Scenario s("rollouts/jtel-large/group-low.json");
  const Simulator sim(s.procedure, s.topology);
  Options calm_options;
  calm_options.max_procedure_s = calm_options.horizon_s;  // both runs end at the same time
  Options faulty = calm_options;
  faulty.fault_rate_per_hour = 20;
  const RunResult calm = sim.run(9, calm_options), stormy = sim.run(9, faulty);
  EXPECT_NE(stormy.findings.size(), calm.findings.size());
  // the workload's draws do not shift: offered work is the same
  EXPECT_EQ(calm.classes[1].offered, stormy.classes[1].offered);
  EXPECT_NE(calm.log_hash, stormy.log_hash);
}

// The checker's shortest trace for known-bad/apps-without-storage-wait.json,
// as acdsim check --trace-out writes it.
std::vector<ReplayMove> apps_without_storage_wait_trace() {
  return {{"step", "boot-dbm: power_on acd-dbm"},
          {"environment", "acd-dbm: boot complete"},
          {"environment", "acd-dbm/mysql: start complete"},
          {"step", "boot-jb: power_on acd-jb1"},
          {"environment", "acd-jb1: boot complete"}};
}

TEST(Replay, ACounterexampleReplaysWithDurationsAndTripsTheSameInvariant) {
  const Scenario s("procedures/jtel-medium/known-bad/apps-without-storage-wait.json");
  const Simulator sim(s.procedure, s.topology);
  Options o;
  o.replay = apps_without_storage_wait_trace();
  const RunResult r = sim.run(1, o);
  ASSERT_EQ(r.replayed.size(), 5u);
  EXPECT_TRUE(r.completed);
  EXPECT_TRUE(has(r, "share.mount-failed"));
  EXPECT_FALSE(has(r, "replay.diverged"));
  // each boot takes its drawn duration (lognormal, median 70 s): not instantaneous
  EXPECT_GT(r.replayed[1].time_s - r.replayed[0].time_s, 20.0);
  EXPECT_GT(r.replayed[4].time_s - r.replayed[3].time_s, 20.0);
  for (std::size_t i = 1; i < r.replayed.size(); ++i) EXPECT_GE(r.replayed[i].time_s, r.replayed[i - 1].time_s);
  EXPECT_EQ(r.replayed[3].label, "boot-jb: power_on acd-jb1");
  // the run ends with the trace
  EXPECT_NEAR(r.window_s, r.replayed.back().time_s, 1e-6);
}

TEST(Replay, AMoveThatDoesNotApplyIsReportedAsDiverged) {
  const Scenario s("procedures/jtel-medium/known-bad/apps-without-storage-wait.json");
  Options o;
  o.replay = apps_without_storage_wait_trace();
  o.replay.erase(o.replay.begin());  // the database host was never powered on: it cannot finish booting
  const RunResult r = Simulator(s.procedure, s.topology).run(1, o);
  ASSERT_TRUE(has(r, "replay.diverged"));
  EXPECT_FALSE(r.completed);
  EXPECT_TRUE(r.replayed.empty());
  EXPECT_FALSE(has(r, "procedure.stuck"));
}

TEST(Replay, CounterexampleFileErrorsAreLocated) {
  try {
    load_counterexample(std::string(ACDSIM_SOURCE_DIR) + "/tests/sim/data/wide-pool.json");
    FAIL() << "no error";
  } catch (const model::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("at /format: expected \"acdsim-counterexample/1\""), std::string::npos) << e.what();
  }
}

TEST(Faults, ASlowBootMakesEveryBootTakeItsFactorLonger) {
  const Scenario s("procedures/jtel-large/startup.json");
  const Simulator sim(s.procedure, s.topology);
  Options slow;
  slow.slow_boot_share = 1;  // every boot slow, x5
  const RunResult normal = sim.run(4), slowed = sim.run(4, slow);
  ASSERT_TRUE(normal.completed && slowed.completed);
  EXPECT_GT(slowed.window_s, normal.window_s + 4 * 50.0);  // at least one boot of >= 50 s on the critical path, 4x more
  bool instant = false;
  for (const auto& i : slowed.timeline.instants) instant |= i.name.find("slow boot") != std::string::npos;
  EXPECT_TRUE(instant);
}

TEST(Faults, RandomFaultsIncludeHardPowerOffs) {
  const Scenario s("rollouts/jtel-large/group-low.json");
  const Simulator sim(s.procedure, s.topology);
  Options o;
  o.fault_rate_per_hour = 30;
  std::size_t power_offs = 0, others = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed)
    for (const auto& i : sim.run(seed, o).timeline.instants) {
      if (i.name.rfind("fault: ", 0) != 0) continue;
      (i.name.find("hard power-off") != std::string::npos ? power_offs : others) += 1;
    }
  EXPECT_GT(power_offs, 0u);
  EXPECT_GT(others, 0u);
}

TEST(Faults, ScheduledSlowBootOfAnUnknownHostIsReported) {
  const Scenario s("rollouts/jtel-large/group-low.json");
  Options o;
  o.faults.push_back({0, "slow_boot acd-nowhere"});
  const RunResult r = Simulator(s.procedure, s.topology).run(1, o);
  EXPECT_TRUE(has(r, "fault.not-applicable"));
}

// A pool too wide for the checker's subset clauses: the simulator counts.
TEST(Simulator, WidePoolRolloutIsCountedWhenTheCheckerHasNoClauses) {
  const Scenario s("../tests/sim/data/wide-pool-rollout.json");
  const Simulator sim(s.procedure, s.topology);
  const RunResult calm = sim.run(1);
  EXPECT_TRUE(calm.completed);
  EXPECT_FALSE(has(calm, "rollout.too-many-out"));
  Options o;
  o.faults.push_back({5, "acd-jb16: VM crashes"});  // while the first group of four is drained
  const RunResult r = sim.run(1, o);
  ASSERT_TRUE(has(r, "rollout.too-many-out"));
  const Finding& f = *std::find_if(r.findings.begin(), r.findings.end(), [](const Finding& x) { return x.id == "rollout.too-many-out"; });
  EXPECT_EQ(f.subject, "acd-jb1 + acd-jb2 + acd-jb3 + acd-jb4 + acd-jb16");
}

TEST(TimeText, ClockAndDurationsReadAsPeopleWriteThem) {
  EXPECT_EQ(clock_text(605), "0:10:05");
  EXPECT_EQ(clock_text(605.25), "0:10:05.250");
  EXPECT_EQ(clock_text(3 * 3600 + 61), "3:01:01");
  EXPECT_EQ(duration_text(0.5), "0.5 s");
  EXPECT_EQ(duration_text(45), "45 s");
  EXPECT_EQ(duration_text(750), "12 min 30 s");
  EXPECT_EQ(duration_text(7185), "2 h 00 min");
}

}  // namespace
}  // namespace acdsim::sim
