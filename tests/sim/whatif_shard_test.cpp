// acdsim whatif --shard: every run's numbers survive the shard file bit for
// bit, and shards aggregate to the unsplit sweep's rows.
#include "acdsim/sim/whatif_shard.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>

#include "acdsim/model/input_error.hpp"

namespace acdsim::sim {
namespace {

std::vector<model::JsonLine> as_lines(const std::vector<nlohmann::ordered_json>& records) {
  std::string text;
  for (const auto& r : records) text += r.dump() + "\n";
  return model::parse_json_lines(text, "s.jsonl");
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(WhatIfShard, DoublesRoundTripBitForBit) {
  const std::vector<SweepAxis> axes{{"load", {"0.3", "1"}}};
  std::vector<PointResult> points(2);
  points[0].params = {{"load", "0.3"}}, points[1].params = {{"load", "1"}};
  points[0].strategy = points[1].strategy = "group";
  std::vector<RunSummary> runs(2);
  const double awkward[] = {0.1 + 0.2, 1e-310 /* subnormal */, -0.0, 123456.78901234567, std::numeric_limits<double>::max()};
  runs[0].window_s = awkward[0], runs[0].goal_s = awkward[1], runs[0].commands_done_s = awkward[2];
  runs[0].has_class = true, runs[0].wait_p95_s = awkward[3], runs[0].below_capacity_s = awkward[4];
  runs[0].offered = std::numeric_limits<std::uint64_t>::max(), runs[0].abandoned = 7, runs[0].max_queue = 3;
  runs[1].completed = true;
  std::vector<RunSummary> back;
  const auto read = read_whatif_shard("s.jsonl", as_lines(whatif_shard_records(points, {0, 1}, 1, runs)), {0, 1}, axes, 1, back);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_TRUE(same_bits(back[0].window_s, awkward[0]));
  EXPECT_TRUE(same_bits(*back[0].goal_s, awkward[1]));
  EXPECT_TRUE(same_bits(*back[0].commands_done_s, awkward[2]));
  EXPECT_TRUE(same_bits(back[0].wait_p95_s, awkward[3]));
  EXPECT_TRUE(same_bits(back[0].below_capacity_s, awkward[4]));
  EXPECT_EQ(back[0].offered, runs[0].offered);
  EXPECT_FALSE(back[1].has_class);
  EXPECT_FALSE(back[1].goal_s);
  EXPECT_EQ(read[1].params, points[1].params);
}

TEST(WhatIfShard, ShardsAggregateToTheUnsplitRows) {
  const std::string path = ACDSIM_SOURCE_DIR "/scenarios/rollouts/jtel-large/group-low.json";
  const std::vector<SweepAxis> axes{parse_sweep("strategy=group,atomic"), parse_sweep("load=0.5,1.3")};
  WhatIfOptions o;
  o.seeds = 3;
  o.threads = 2;
  o.base.fault_rate_per_hour = 2;
  const WhatIfGrid grid = prepare_whatif(path, axes, o);
  const std::string single = whatif_csv(aggregate_whatif(grid.points, o.seeds, run_whatif_jobs(grid, o, {0, 1})));
  for (unsigned n : {2u, 5u, 13u}) {  // 13: more shards than the 12 runs
    std::vector<RunSummary> all;
    std::vector<PointResult> points;
    for (unsigned i = 0; i < n; ++i) {
      const auto records = whatif_shard_records(grid.points, {i, n}, o.seeds, run_whatif_jobs(grid, o, {i, n}));
      auto these = read_whatif_shard("s.jsonl", as_lines(records), {i, n}, axes, o.seeds, all, i ? &points : nullptr);
      if (i == 0) points = std::move(these);
    }
    EXPECT_EQ(whatif_csv(aggregate_whatif(points, o.seeds, all)), single) << n << " shards";
  }
}

TEST(WhatIfShard, RunsOutOfPlaceAreRefused) {
  const std::vector<SweepAxis> axes{{"load", {"1"}}};
  std::vector<PointResult> points(1);
  points[0].params = {{"load", "1"}}, points[0].strategy = "group";
  auto records = whatif_shard_records(points, {1, 2}, 4, std::vector<RunSummary>(2));
  std::vector<RunSummary> runs;
  EXPECT_NO_THROW(read_whatif_shard("s.jsonl", as_lines(records), {1, 2}, axes, 4, runs));
  std::swap(records[1], records[2]);
  try {
    read_whatif_shard("s.jsonl", as_lines(records), {1, 2}, axes, 4, runs);
    FAIL() << "accepted runs out of order";
  } catch (const model::InputError& e) {
    EXPECT_STREQ(e.what(), "s.jsonl:2: at /run: expected run 1 (shard 1/2's runs in order, each once)");
  }
  records.pop_back();
  EXPECT_THROW(read_whatif_shard("s.jsonl", as_lines(records), {1, 2}, axes, 4, runs), model::InputError);
}

}  // namespace
}  // namespace acdsim::sim
