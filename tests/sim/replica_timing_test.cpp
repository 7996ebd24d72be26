// Replica timing in the simulator (issue 12): phase-locked connect retries,
// a lost master noticed at once, and "healthy" = caught up. The retry phase
// is checked against two real MariaDB servers by tests/live/replica_retry_test.sh.
#include "replica_timing.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "acdsim/model/procedure.hpp"
#include "acdsim/sim/simulator.hpp"

namespace acdsim::sim {
namespace {

using detail::ReplicaTiming;

constexpr const char* kReplica = "acd-dbs/replication:acd-dbm";

struct Scenario {
  model::Topology topology;
  model::Procedure procedure;
  explicit Scenario(const std::string& rel) {
    procedure = model::load_procedure(std::string(ACDSIM_SOURCE_DIR) + "/scenarios/" + rel, &topology);
  }
};

TEST(ReplicaTiming, NextAttemptIsTheFirstRetryOnThePhaseNotBeforeNow) {
  const SimTime r = 60 * kSecond, a = 100 * kSecond;
  EXPECT_EQ(ReplicaTiming::next_attempt(a, r, a), a);  // the thread's first try is immediate
  EXPECT_EQ(ReplicaTiming::next_attempt(a, r, a - kSecond), a);
  EXPECT_EQ(ReplicaTiming::next_attempt(a, r, a + 1), a + r);
  EXPECT_EQ(ReplicaTiming::next_attempt(a, r, a + r), a + r);  // exactly on a retry
  EXPECT_EQ(ReplicaTiming::next_attempt(a, r, a + r + 1), a + 2 * r);
  EXPECT_EQ(ReplicaTiming::next_attempt(a, r, a + 10 * r - 5), a + 10 * r);
  for (SimTime now = a; now < a + 5 * r; now += 7 * kSecond + 3) {
    const SimTime t = ReplicaTiming::next_attempt(a, r, now);
    EXPECT_GE(t, now);
    EXPECT_LT(t - now, r);
    EXPECT_EQ((t - a) % r, 0);
  }
}

// The hook on hand-made states of jtel-medium: the replica's mysql starts at
// 100 s with the master down, the master comes up at 130 s.
class ReplicaTimingStates : public ::testing::Test {
 protected:
  ReplicaTimingStates() : s_("procedures/jtel-medium/startup.json") {
    s_.topology.replication.at(0).connect_retry_s = 60;
    s_.topology.replication.at(0).catch_up_ratio = 0.5;
    impl_ = std::make_unique<Simulator::Impl>(s_.procedure, s_.topology);
    snap_ = impl_->system.all_off();
    words_.assign(impl_->words, 0);
    for (std::uint32_t m = 0; m < impl_->model.environment_end(); ++m)
      if (impl_->model.moves()[m].move->label == std::string(kReplica) + ": IO thread connects") move_ = m;
  }
  void set(const std::string& path, const std::string& state) {
    const auto c = *impl_->system.find(path);
    snap_[c] = *impl_->system.table(c).code_of(state);
  }
  const detail::Word* state() {
    impl_->model.pack(snap_, words_.data());
    return words_.data();
  }
  Scenario s_;
  std::unique_ptr<Simulator::Impl> impl_;
  model::Snapshot snap_;
  std::vector<detail::Word> words_;
  std::uint32_t move_ = 0xFFFFFFFFu;
};

TEST_F(ReplicaTimingStates, AReplicaStartedBeforeItsMasterConnectsOnItsOwnRetryPhaseThenCatchesUp) {
  ASSERT_NE(move_, 0xFFFFFFFFu);
  ReplicaTiming t(*impl_);
  t.observe(0, state());
  set("acd-dbs/mysql", "Running");
  set(kReplica, "Connecting");
  t.observe(100 * kSecond, state());
  set("acd-dbm/mysql", "Running");
  t.observe(130 * kSecond, state());
  // attempt at 160 s (100 + 60), 30 s of master writes missed: 30 + base 2 + 0.5 x 30
  EXPECT_DOUBLE_EQ(t.delay(move_, 130 * kSecond, 2.0), 30 + 2 + 15);
  // other moves keep their draw
  EXPECT_DOUBLE_EQ(t.delay(move_ == 0 ? 1 : 0, 130 * kSecond, 7.5), 7.5);
}

TEST_F(ReplicaTimingStates, TheMasterComingUpManyRetriesLaterWaitsForTheNextOneOnThePhase) {
  ReplicaTiming t(*impl_);
  t.observe(0, state());
  set("acd-dbs/mysql", "Running");
  set(kReplica, "Connecting");
  t.observe(100 * kSecond, state());
  set("acd-dbm/mysql", "Running");
  t.observe(461 * kSecond, state());  // after the attempts at 160..460
  EXPECT_DOUBLE_EQ(t.delay(move_, 461 * kSecond, 0), 59 + 0.5 * 59);
}

TEST_F(ReplicaTimingStates, AMasterStoppedUnderAStreamingReplicaStartsANewPhaseAtTheLoss) {
  ReplicaTiming t(*impl_);
  set("acd-dbm/mysql", "Running");
  set("acd-dbs/mysql", "Running");
  set(kReplica, "Streaming");
  t.observe(0, state());
  set("acd-dbm/mysql", "Stopping");
  t.observe(1000 * kSecond, state());
  set(kReplica, "Connecting");  // noticed (the model's master_lost move)
  t.observe(1000 * kSecond + 10'000, state());
  set("acd-dbm/mysql", "Running");
  t.observe(1100 * kSecond, state());
  // retries at 1000.01 + k x 60: the next is 1120.01; nothing missed while the master was down
  EXPECT_NEAR(t.delay(move_, 1100 * kSecond, 1.0), 20.01 + 1 + 0.5 * 20.01, 1e-9);
}

TEST_F(ReplicaTimingStates, AMasterLostWhileTheReplicaCatchesUpMovesThePhaseToTheLoss) {
  ReplicaTiming t(*impl_);
  set("acd-dbm/mysql", "Running");
  set("acd-dbs/mysql", "Running");
  set(kReplica, "Connecting");
  t.observe(0, state());
  EXPECT_DOUBLE_EQ(t.delay(move_, 0, 100.0), 100.0);  // connected at once, catching up until 100 s
  set("acd-dbm/mysql", "Stopping");
  t.observe(50 * kSecond, state());  // lost while catching up: noticed now
  set("acd-dbm/mysql", "Running");
  t.observe(70 * kSecond, state());
  // the phase is 50 + k x 60 (not 0 + k x 60): next attempt at 110 s
  EXPECT_DOUBLE_EQ(t.delay(move_, 70 * kSecond, 0), 40 + 0.5 * (50 + 40));
}

TEST_F(ReplicaTimingStates, AMasterStoppedBeforeTheAttemptKeepsThePhase) {
  ReplicaTiming t(*impl_);
  set("acd-dbs/mysql", "Running");
  set(kReplica, "Connecting");
  t.observe(0, state());
  set("acd-dbm/mysql", "Running");
  t.observe(10 * kSecond, state());
  EXPECT_DOUBLE_EQ(t.delay(move_, 10 * kSecond, 0), 50 + 0.5 * 50);
  set("acd-dbm/mysql", "Stopping");
  t.observe(30 * kSecond, state());  // before the attempt at 60 s: it will fail, the phase stays
  set("acd-dbm/mysql", "Running");
  t.observe(200 * kSecond, state());
  EXPECT_DOUBLE_EQ(t.delay(move_, 200 * kSecond, 0), 40 + 0.5 * (20 + 40));
}

// End to end: the known-bad startup boots the replica before the master.
// Times of the model log lines "H:MM:SS.mmm #n label", in seconds.
double log_time(const RunResult& r, const std::string& label) {
  for (const std::string& line : r.log) {
    if (line.find(" " + label) == std::string::npos) continue;
    const bool negative = line[0] == '-';
    long long h = 0, m = 0, ms = 0;
    double s = 0;
    if (std::sscanf(line.c_str() + (negative ? 1 : 0), "%lld:%lld:%lf", &h, &m, &s) != 3) continue;
    ms = std::llround((static_cast<double>(h * 3600 + m * 60) + s) * 1000);
    return (negative ? -1 : 1) * static_cast<double>(ms) / 1000;
  }
  return NAN;
}

// The replica started before its master (known-bad/slave-before-master), its IO thread retrying
// every 60 s, connecting in connected_s (fixed) and catching up at catch_up_ratio.
struct SlaveBeforeMaster : Scenario {
  SlaveBeforeMaster(double connected_s, double catch_up_ratio)
      : Scenario("procedures/jtel-medium/known-bad/slave-before-master.json") {
    topology.params.durations["replication.connected"] = model::Duration{model::Duration::Shape::Fixed, connected_s, 0, {}};
    topology.replication.at(0).catch_up_ratio = catch_up_ratio;
    topology.replication.at(0).connect_retry_s = 60;
  }
};

// When, in a run, the replica and the master finished starting and the replica's IO thread connected.
struct StartTimes {
  double replica_up, master_up, connected;
  explicit StartTimes(const RunResult& r)
      : replica_up(log_time(r, "acd-dbs/mysql: start complete")),
        master_up(log_time(r, "acd-dbm/mysql: start complete")),
        connected(log_time(r, std::string(kReplica) + ": IO thread connects")) {}
};

TEST(ReplicaTimingRuns, TheReplicaConnectsOnStartPlusKRetriesWithNoCatchUpConfigured) {
  const SlaveBeforeMaster s(0, 0);
  const Simulator sim(s.procedure, s.topology);
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const auto [replica_up, master_up, connected] = StartTimes(sim.run(seed));
    ASSERT_FALSE(std::isnan(replica_up) || std::isnan(master_up) || std::isnan(connected)) << seed;
    ASSERT_LT(replica_up, master_up) << seed;
    EXPECT_GE(connected, master_up) << seed;
    EXPECT_LT(connected - master_up, 60.0) << seed;
    const double k = (connected - replica_up) / 60;
    EXPECT_NEAR(k, std::round(k), 0.002 / 60) << seed << ": " << connected - replica_up << " s after the replica started";
  }
}

TEST(ReplicaTimingRuns, CatchUpGrowsWithTheTimeTheMasterRanWithoutTheReplica) {
  const SlaveBeforeMaster s(2, 0.5);
  const Simulator sim(s.procedure, s.topology);
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const auto [replica_up, master_up, caught_up] = StartTimes(sim.run(seed));
    const double attempt = replica_up + 60 * std::ceil((master_up - replica_up) / 60);
    EXPECT_NEAR(caught_up, attempt + 2 + 0.5 * (attempt - master_up), 0.003) << seed;
  }
}

}  // namespace
}  // namespace acdsim::sim
