#include "acdsim/sim/station.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace acdsim::sim {
namespace {

// M/M/c through a Station driven by an EventQueue: returns the mean wait.
double mmc_mean_wait(unsigned c, double lambda, double mu, std::uint64_t customers, std::uint64_t seed) {
  EventQueue q;
  Rng arrivals = stream(seed, "arrivals"), handle = stream(seed, "handle"), patience = stream(seed, "patience");
  const model::Duration exp_service{model::Duration::Shape::Exponential, 1 / mu, 0, {}};
  Station st(0, {c}, exp_service, std::nullopt, 1, false);
  q.push(0, 0);
  std::uint64_t arrived = 0;
  while (!q.empty()) {
    const Event e = q.pop();
    if (e.type == 0) {
      st.arrive(e.time, q, handle, patience);
      if (++arrived < customers) q.push(e.time + from_seconds(arrivals.exponential(1 / lambda)), 0);
    } else {
      st.depart(e.time, e.b, q, handle);
    }
  }
  EXPECT_EQ(st.stats().served, customers);
  return st.stats().wait_sum / static_cast<double>(customers);
}

TEST(ErlangC, FormulaKnownValues) {
  // M/M/1: Wq = rho / (mu - lambda)
  EXPECT_NEAR(erlang_c_mean_wait(1, 0.5, 1.0), 1.0, 1e-12);
  // M/M/2, lambda 1, mu 1: P(wait) = 1/3, Wq = 1/3
  EXPECT_NEAR(erlang_c_mean_wait(2, 1.0, 1.0), 1.0 / 3, 1e-12);
}

// Fixed seeds (deterministic); tolerances wide enough to hold for any seed at these sizes.
TEST(ErlangC, StationAgreesWithTheFormulaForMM8AtRho09) {
  const double w = mmc_mean_wait(8, 7.2, 1.0, 300000, 11);
  const double expected = erlang_c_mean_wait(8, 7.2, 1.0);  // about 0.83 s
  EXPECT_NEAR(w, expected, 0.15 * expected);
}

TEST(ErlangC, StationAgreesWithTheFormulaForMM2AtRho05) {
  const double w = mmc_mean_wait(2, 1.0, 1.0, 200000, 5);
  EXPECT_NEAR(w, 1.0 / 3, 0.1 / 3);
}

TEST(Station, QueuesWhatNoServerCanTakeAndAbandonsAfterPatience) {
  EventQueue q;
  Rng h(1), p(2);
  const model::Duration long_work{model::Duration::Shape::Fixed, 100, 0, {}};
  const model::Duration patience{model::Duration::Shape::Fixed, 10, 0, {}};
  Station st(0, {1}, long_work, patience, 1);
  st.arrive(0, q, h, p);  // served at once
  st.arrive(0, q, h, p);  // queued
  EXPECT_EQ(st.queue_depth(), 1u);
  const Event abandon = q.pop();  // at 10 s, before the departure at 100 s
  EXPECT_EQ(abandon.type, 2u);
  EXPECT_EQ(abandon.time, 10 * kSecond);
  st.abandon(abandon.b);
  EXPECT_EQ(st.queue_depth(), 0u);
  EXPECT_EQ(st.stats().abandoned, 1u);
  EXPECT_EQ(st.stats().served, 1u);
}

TEST(Station, ServerOutOfServiceTakesNoNewWorkAndDownDropsItsWork) {
  EventQueue q;
  Rng h(1), p(2);
  const model::Duration work{model::Duration::Shape::Fixed, 100, 0, {}};
  Station st(0, {2, 2}, work, std::nullopt, 1);
  st.set_server(0, false, true, 0, q, h);  // draining: keeps work, takes none
  EXPECT_EQ(st.capacity_in_service(), 2u);
  st.arrive(0, q, h, p);
  st.arrive(0, q, h, p);
  st.arrive(0, q, h, p);
  EXPECT_EQ(st.busy(0), 0u);
  EXPECT_EQ(st.busy(1), 2u);
  EXPECT_EQ(st.queue_depth(), 1u);
  st.set_server(1, false, false, 1, q, h);  // stopped: its two are dropped
  EXPECT_EQ(st.stats().dropped, 2u);
  st.set_server(0, true, true, 2, q, h);  // back in service: takes the queued one
  EXPECT_EQ(st.busy(0), 1u);
  EXPECT_EQ(st.queue_depth(), 0u);
  EXPECT_EQ(st.stats().max_queue, 1u);
}

}  // namespace
}  // namespace acdsim::sim
