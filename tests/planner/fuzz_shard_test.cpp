// acdsim fuzz --shard: shards merged give the unsplit campaign's result, also
// after a round trip through the shard file's records; a record that the shard
// cannot have written is refused at its line.
#include "acdsim/planner/fuzz_shard.hpp"

#include <gtest/gtest.h>

#include "acdsim/model/input_error.hpp"
#include "acdsim/model/procedure.hpp"

namespace acdsim::planner {
namespace {

struct Campaign {
  model::Topology topology;
  model::Procedure procedure;
  FuzzOptions options;
  Campaign() {
    procedure = model::load_procedure(ACDSIM_SOURCE_DIR "/scenarios/procedures/jtel-small/shutdown.json", &topology);
    options.runs = 24;
    options.window_s = 600;
    options.faults = parse_fault_rates("crashes:20");
  }
};

std::string shown(const std::optional<FuzzCase>& c) { return c ? case_json(*c, "p").dump() : "none"; }

void expect_same(const FuzzResult& a, const FuzzResult& b) {
  EXPECT_EQ(a.runs, b.runs);
  EXPECT_EQ(a.failed, b.failed);
  EXPECT_EQ(shown(a.first_failure), shown(b.first_failure));
  EXPECT_EQ(shown(a.shrunk), shown(b.shrunk));
  EXPECT_EQ(a.shrink_runs, b.shrink_runs);
  EXPECT_EQ(a.environment_moves, b.environment_moves);
}

// The records as a shard file's body lines (what acdsim merge reads).
std::vector<model::JsonLine> as_lines(const std::vector<nlohmann::ordered_json>& records) {
  std::string text;
  for (const auto& r : records) text += r.dump() + "\n";
  return model::parse_json_lines(text, "s.jsonl");
}

TEST(FuzzShard, ShardsMergeToTheUnsplitResult) {
  const Campaign c;
  const FuzzResult single = fuzz(c.procedure, c.topology, c.options);
  ASSERT_GT(single.failed, 1u);  // failures in several shards: the lowest run index must win
  ASSERT_TRUE(single.shrunk);
  for (unsigned n : {2u, 3u, 5u, 30u}) {
    SCOPED_TRACE(n);
    std::vector<FuzzShardResult> shards, read;
    for (unsigned i = 0; i < n; ++i) {
      shards.push_back(fuzz_shard(c.procedure, c.topology, c.options, {i, n}));
      read.push_back(read_fuzz_shard("s.jsonl", as_lines(fuzz_shard_records(0, shards.back())), {i, n}, 1, c.options).at(0));
    }
    expect_same(merge_fuzz(shards), single);
    expect_same(merge_fuzz(read), single);
  }
}

std::string refused(const std::vector<nlohmann::ordered_json>& records, model::Shard shard, const FuzzOptions& o) {
  try {
    read_fuzz_shard("s.jsonl", as_lines(records), shard, 1, o);
  } catch (const model::InputError& e) {
    return e.what();
  }
  return "";
}

TEST(FuzzShard, RecordsThisShardCannotHaveWrittenAreRefused) {
  const Campaign c;
  FuzzShardResult r;
  unsigned i = 0;  // a shard of three with a failing run
  for (; i < 3 && r.failures.empty(); ++i) r = fuzz_shard(c.procedure, c.topology, c.options, {i, 3});
  ASSERT_FALSE(r.failures.empty());
  const model::Shard s{i - 1, 3};
  auto records = fuzz_shard_records(0, r);
  EXPECT_EQ(refused(records, s, c.options), "");

  auto foreign = records;
  foreign[0]["run"] = (s.index + 1) % 3;  // another shard's run
  EXPECT_NE(refused(foreign, s, c.options).find("s.jsonl:1: at /run: run " + std::to_string((s.index + 1) % 3) + " is not one of shard"),
            std::string::npos);
  auto twice = records;
  twice.insert(twice.begin(), records[0]);
  EXPECT_NE(refused(twice, s, c.options).find("s.jsonl:2: at /run: expected a run after"), std::string::npos);
  auto other_case = records;
  other_case.back()["first_failure"]["seed"] = 999;
  EXPECT_NE(refused(other_case, s, c.options).find("at /first_failure: expected run"), std::string::npos);
  auto no_case = records;
  no_case.back()["shrunk"] = nullptr;
  EXPECT_NE(refused(no_case, s, c.options).find("at /shrunk: expected the shrunk case"), std::string::npos);
  auto bad_fault = records;
  bad_fault.back()["shrunk"]["faults"] = {{{"at_s", -1}, {"what", "x"}}};
  EXPECT_NE(refused(bad_fault, s, c.options).find("at /shrunk/faults/0/at_s: expected seconds >= 0"), std::string::npos);
  auto no_totals = records;
  no_totals.pop_back();
  EXPECT_NE(refused(no_totals, s, c.options).find("expected more records: the records of procedure 0 (its totals) are missing"),
            std::string::npos);
  EXPECT_EQ(refused({}, s, c.options), "s.jsonl: expected records: the records of procedure 0 (its totals) are missing");
}

}  // namespace
}  // namespace acdsim::planner
