#include "acdsim/sim/engine.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

namespace acdsim::sim {
namespace {

RC_GTEST_PROP(EventQueue, PopsInTimeOrderAndTiesInInsertionOrder, (const std::vector<std::uint8_t>& times)) {
  EventQueue q;
  for (std::size_t i = 0; i < times.size(); ++i) q.push(times[i], 0, static_cast<std::uint32_t>(i));
  SimTime last = -1;
  std::uint32_t last_index = 0;
  std::size_t n = 0;
  while (!q.empty()) {
    const Event e = q.pop();
    RC_ASSERT(e.time >= last);
    if (e.time == last) RC_ASSERT(e.a > last_index);  // FIFO among equal times
    RC_ASSERT(static_cast<SimTime>(times[e.a]) == e.time);
    last = e.time, last_index = e.a;
    ++n;
  }
  RC_ASSERT(n == times.size());
}

TEST(Rng, SameSeedSameSequenceOtherSeedOther) {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next();
    EXPECT_EQ(x, b.next());
    EXPECT_NE(x, c.next());
  }
}

TEST(Rng, NamedStreamsAreIndependentOfEachOther) {
  // Drawing from one stream does not shift another: each depends on (seed, name) only.
  Rng faults = stream(7, "faults");
  Rng arrivals = stream(7, "arrivals");
  for (int i = 0; i < 10; ++i) faults.next();
  Rng arrivals_alone = stream(7, "arrivals");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(arrivals.next(), arrivals_alone.next());
  EXPECT_NE(stream(7, "faults").next(), stream(7, "arrivals").next());
}

TEST(Sample, UniformStaysInItsBoundsAndEmpiricalPicksASample) {
  Rng r(1);
  const model::Duration u{model::Duration::Shape::Uniform, 5, 9, {}};
  const model::Duration e{model::Duration::Shape::Empirical, 0, 0, {3, 4, 10}};
  for (int i = 0; i < 10000; ++i) {
    const double x = sample(u, r);
    EXPECT_GE(x, 5);
    EXPECT_LE(x, 9);
    const double y = sample(e, r);
    EXPECT_TRUE(y == 3 || y == 4 || y == 10);
  }
}

TEST(Sample, MeansMatchTheDistributions) {
  Rng r(3);
  const model::Duration ln{model::Duration::Shape::Lognormal, 100, 0.5, {}};
  double sum = 0, esum = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) sum += sample(ln, r), esum += r.exponential(2.0);
  EXPECT_NEAR(sum / n, mean(ln), 0.02 * mean(ln));  // 100 e^(0.125) = 113.3
  EXPECT_NEAR(esum / n, 2.0, 0.04);
  EXPECT_NEAR(mean(ln), 113.31, 0.01);
}

}  // namespace
}  // namespace acdsim::sim
