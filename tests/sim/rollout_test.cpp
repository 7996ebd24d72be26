// Rollouts in simulated runs as the second seed describes them (issue 15):
// the atomic hand-over without an outage, the server restart's extra time,
// capacity outages reported guard on or off, a group of the whole pool.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "acdsim/model/procedure.hpp"
#include "acdsim/sim/simulator.hpp"
#include "acdsim/sim/whatif.hpp"
#include "capacity.hpp"

namespace acdsim::sim {
namespace {

const std::string kRollouts = std::string(ACDSIM_SOURCE_DIR) + "/scenarios/rollouts/";

struct Scenario {
  model::Topology topology;
  model::Procedure procedure;
  explicit Scenario(const std::string& rel) { procedure = model::load_procedure(kRollouts + rel, &topology); }
  // the same scenario with the rollout block's keys changed
  Scenario(const std::string& rel, const nlohmann::json& changes) {
    model::load_procedure(kRollouts + rel, &topology);
    nlohmann::json j = nlohmann::json::parse(read(kRollouts + rel));
    j["rollout"].update(changes);
    procedure = model::parse_procedure(j.dump(), kRollouts + rel, topology);
  }
  static std::string read(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
};

const Finding* find(const RunResult& r, std::string_view id) {
  auto it = std::find_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.id == id; });
  return it == r.findings.end() ? nullptr : &*it;
}

const ClassMetrics& web(const RunResult& r) {
  return *std::find_if(r.classes.begin(), r.classes.end(), [](const ClassMetrics& m) { return m.name == "web"; });
}

// The measure: 4 web servers, a load that 2 of them carry (0.7 x peak:
// 338 Erlangs, 2 x 200 sessions). It had 30 s with nobody serving in every run.
TEST(AtomicRollout, HalfThePoolCarriesTheLoadSoNoSeedIsEverBelowCapacity) {
  const Scenario s("jtel-large-redundant/atomic-0.7.json");
  ASSERT_EQ(s.procedure.rollout->servers.size(), 4u);
  const Simulator sim(s.procedure, s.topology);
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    for (const double guard : {1.0, 0.0}) {
      Options o;
      o.guard_threshold = guard;
      const RunResult r = sim.run(seed, o);
      EXPECT_TRUE(r.completed) << seed;
      EXPECT_EQ(web(r).below_capacity_s, 0.0) << "seed " << seed;
      EXPECT_EQ(web(r).abandoned, 0u) << "seed " << seed;
      EXPECT_TRUE(r.outages.empty()) << "seed " << seed;
      EXPECT_TRUE(r.findings.empty()) << "seed " << seed << ": " << r.findings.front().id;
    }
  }
}

TEST(AtomicRollout, TheSwitchComesWithTheSecondHalfsQuiesceAndTheStopADrainIntervalLater) {
  const Scenario s("jtel-large-redundant/atomic-low.json");
  const RunResult r = Simulator(s.procedure, s.topology).run(3);
  auto done = [&](const std::string& prefix) {
    auto it = std::find_if(r.timeline.steps.begin(), r.timeline.steps.end(),
                           [&](const Timeline::Slice& x) { return x.name.rfind(prefix, 0) == 0; });
    EXPECT_NE(it, r.timeline.steps.end()) << prefix;
    return *it;
  };
  const Timeline::Slice quiesce = done("second.drain@acd-jb3"), sw = done("rollout.switch-edition");
  const Timeline::Slice stop = done("second.stop@acd-jb3");
  EXPECT_EQ(sw.start, quiesce.start);  // the same instant
  EXPECT_EQ(stop.start, quiesce.start + 30 * kSecond);  // the drain interval: the wait before stopping
}

// restart "server": the JVM's 60 s come on top of each server's application
// restart (it was a minimum duration: 33-73 s more for four servers).
TEST(GroupRollout, ServerRestartAddsItsTimeForEveryServer) {
  const Scenario app("jtel-large-redundant/group-low.json", {{"restart", "application"}});
  const Scenario srv("jtel-large-redundant/group-low.json", {{"restart", "server"}, {"server_restart", "60s"}});
  const Simulator a(app.procedure, app.topology), b(srv.procedure, srv.topology);
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const RunResult ra = a.run(seed), rb = b.run(seed);
    ASSERT_TRUE(ra.commands_done_s && rb.commands_done_s);
    EXPECT_NEAR(*rb.commands_done_s - *ra.commands_done_s, 4 * 60.0, 1e-3) << "seed " << seed;
  }
}

// Without the guard a rollout at over-peak runs; leaving fewer servers than
// the load needs for longer than the callers' patience is an outage finding.
TEST(CapacityOutage, GuardOffRolloutBelowTheLoadIsAnOutageFinding) {
  const Scenario s("jtel-large/group-over-peak.json");
  Options o;
  o.guard_threshold = 0;
  const RunResult r = Simulator(s.procedure, s.topology).run(1, o);
  EXPECT_TRUE(r.completed);
  const Finding* f = find(r, "workload.capacity-outage");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, "outage");
  EXPECT_EQ(f->subject, "web");
  EXPECT_FALSE(f->accepted);
  EXPECT_NE(f->detail.find("capacity in service 400 below the offered load of"), std::string::npos) << f->detail;
  EXPECT_NE(f->detail.find("patience (median 30 s)"), std::string::npos) << f->detail;
  // reported once the interval is longer than the patience, not before
  ASSERT_FALSE(r.outages.empty());
  EXPECT_NEAR(f->time_s, r.outages.front().start_s + 30, 1e-6);
  // the guard (as shipped) refuses instead: no outage happens
  const RunResult guarded = Simulator(s.procedure, s.topology).run(1);
  EXPECT_FALSE(guarded.refused.empty());
  EXPECT_EQ(find(guarded, "workload.capacity-outage"), nullptr);
}

TEST(CapacityOutage, ADipShorterThanThePatienceIsNoOutageALongerOneIsOneAnInstantIsNothing) {
  CapacityWatch w({30 * kSecond});
  EXPECT_FALSE(w.update(0, 0, 400, 300));
  // an instant with nobody serving (a hand-over within one step): no interval, no time below
  ASSERT_TRUE(w.update(0, 10 * kSecond, 0, 300));
  EXPECT_FALSE(w.update(0, 10 * kSecond, 400, 300));
  EXPECT_TRUE(w.intervals().empty());
  EXPECT_EQ(w.below_seconds(0), 0.0);
  // 20 s below: counted, but shorter than the patience
  const auto due = w.update(0, 100 * kSecond, 200, 300);
  ASSERT_TRUE(due);
  EXPECT_EQ(*due, 130 * kSecond);
  w.update(0, 120 * kSecond, 400, 300);
  EXPECT_FALSE(w.outage_due(0, 130 * kSecond));
  EXPECT_EQ(w.below_seconds(0), 20.0);
  ASSERT_EQ(w.intervals().size(), 1u);
  // 40 s below: an outage once it has lasted the patience, reported once
  const auto due2 = w.update(0, 200 * kSecond, 200, 300);
  ASSERT_TRUE(due2);
  EXPECT_FALSE(w.outage_due(0, 229 * kSecond));
  EXPECT_TRUE(w.outage_due(0, 230 * kSecond));
  EXPECT_FALSE(w.outage_due(0, 235 * kSecond));
  w.finish(240 * kSecond);
  EXPECT_EQ(w.below_seconds(0), 60.0);
  ASSERT_EQ(w.intervals().size(), 2u);
  EXPECT_EQ(w.intervals()[1].end, 240 * kSecond);
  EXPECT_FALSE(w.update(0, 300 * kSecond, 200, 300));  // reported already: no new check
}

TEST(CapacityOutage, AcceptedWhenTheProcedureAcceptsOutages) {
  Scenario s("jtel-large/group-over-peak.json");
  s.procedure.accepts.push_back("outage");
  Options o;
  o.guard_threshold = 0;
  const Finding* f = nullptr;
  const RunResult r = Simulator(s.procedure, s.topology).run(1, o);
  f = find(r, "workload.capacity-outage");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->accepted);
}

// A shutdown takes the service away on purpose; a maintenance procedure that
// stops every web and telephony server causes an outage it should own.
TEST(CapacityOutage, WatchedInEveryProcedureButAShutdown) {
  const std::string procedures = std::string(ACDSIM_SOURCE_DIR) + "/scenarios/procedures/";
  model::Topology t1, t2;
  const model::Procedure shutdown = model::load_procedure(procedures + "jtel-large/shutdown.json", &t1);
  const RunResult off = Simulator(shutdown, t1).run(1);
  EXPECT_GT(web(off).below_capacity_s, 60.0);
  EXPECT_EQ(find(off, "workload.capacity-outage"), nullptr);
  const model::Procedure stop_both = model::load_procedure(procedures + "jtel-large-redundant/storage-stop-both.json", &t2);
  const RunResult maintenance = Simulator(stop_both, t2).run(1);
  const Finding* f = find(maintenance, "workload.capacity-outage");
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->accepted);
}

// group_size N is kept (never clamped to N-1): the whole pool goes out, which
// the simulation reports, guard off as the outage, guard on as a refusal that
// is not accepted (no load can ever pass).
TEST(GroupRollout, AGroupOfTheWholePoolIsReportedAsTheOutage) {
  const Scenario s("jtel-large/group-low.json", {{"group_size", 3}});
  ASSERT_EQ(s.procedure.rollout->max_out(), 3u);
  const Simulator sim(s.procedure, s.topology);
  Options off;
  off.guard_threshold = 0;
  const RunResult r = sim.run(1, off);
  ASSERT_NE(find(r, "rollout.below-floor"), nullptr);
  EXPECT_FALSE(find(r, "rollout.below-floor")->accepted);
  ASSERT_NE(find(r, "workload.capacity-outage"), nullptr);
  EXPECT_GT(web(r).abandoned, 0u);
  const RunResult guarded = sim.run(1);
  EXPECT_FALSE(guarded.refused.empty());
  const Finding* refused = find(guarded, "rollout.refused");
  ASSERT_NE(refused, nullptr);
  EXPECT_FALSE(refused->accepted);
  EXPECT_NE(refused->detail.find("the group is the whole pool"), std::string::npos) << refused->detail;
}

TEST(WhatIf, GroupSizesAreWholeNumbersUpToThePool) {
  for (const char* bad : {"group-size=2.9", "group-size=1e10", "group-size=99999999999", "group-size=0"})
    EXPECT_THROW(parse_sweep(bad), std::invalid_argument) << bad;
  EXPECT_EQ(parse_sweep("group-size=1,3").values, (std::vector<std::string>{"1", "3"}));
  WhatIfOptions o;
  o.seeds = 1;
  o.threads = 1;
  try {
    run_whatif(kRollouts + "jtel-large/group-low.json", {parse_sweep("group-size=4")}, o);
    ADD_FAILURE() << "a group larger than the pool ran";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--sweep group-size: 4 is more than the 3 servers of pool web"), std::string::npos)
        << e.what();
  }
  // all of them is simulated, and shows as the outage it is
  const auto points = run_whatif(kRollouts + "jtel-large/group-low.json", {parse_sweep("group-size=3")}, o);
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].group_size, 3u);
  EXPECT_EQ(points[0].unaccepted_findings, 1u);
  EXPECT_GT(points[0].below_capacity_max_s, 0);
}

}  // namespace
}  // namespace acdsim::sim
