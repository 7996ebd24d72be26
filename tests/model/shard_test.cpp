// The split of a campaign over shards and the shard file's reader (acdsim merge).
#include "acdsim/model/shard.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <rapidcheck/gtest.h>

#include "acdsim/model/input_error.hpp"

namespace acdsim::model {
namespace {

RC_GTEST_PROP(ShardSplit, EveryJobInExactlyOneShardAndBalanced, ()) {
  const auto count = *rc::gen::inRange<unsigned>(1, 40);
  const auto total = *rc::gen::inRange<std::size_t>(0, 500);
  std::vector<unsigned> owners(total, 0);
  std::size_t least = total, most = 0;
  for (unsigned i = 0; i < count; ++i) {
    const Shard s{i, count};
    std::size_t mine = 0;
    for (std::size_t j = 0; j < total; ++j)
      if (s.owns(j)) ++owners[j], ++mine;
    RC_ASSERT(mine == s.jobs_of(total));  // the count merge checks each shard against
    least = std::min(least, mine), most = std::max(most, mine);
  }
  for (unsigned n : owners) RC_ASSERT(n == 1u);
  RC_ASSERT(most - least <= 1);
}

TEST(ShardSplit, IsFixedByIndexAndCount) {
  // a shard's jobs depend on nothing but I/N: the same on every machine, in every run
  const Shard s = parse_shard("2/7");
  std::vector<std::size_t> jobs;
  for (std::size_t j = 0; j < 30; ++j)
    if (s.owns(j)) jobs.push_back(j);
  EXPECT_EQ(jobs, (std::vector<std::size_t>{2, 9, 16, 23}));
  EXPECT_EQ(s.text(), "2/7");
}

TEST(ShardSplit, ParseRefusesWhatIsNotIOfN) {
  EXPECT_EQ(parse_shard("0/1").count, 1u);
  EXPECT_EQ(parse_shard("9999/10000").index, 9999u);
  for (const char* bad : {"", "1", "1/", "/2", "2/2", "3/2", "0/0", "-1/2", "1/2x", "0/10001", "1.0/2", " 0/2", "0/99999999999"})
    EXPECT_THROW(parse_shard(bad), std::invalid_argument) << bad;
}

std::string located(const std::string& text) {
  try {
    parse_json_lines(text, "s.jsonl");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(JsonLines, ErrorsNameFileAndLine) {
  EXPECT_EQ(located("{\"a\":1}\n{\"b\":2}"), "s.jsonl:2: the last line has no newline: the file was cut off (a torn or partial copy)");
  EXPECT_EQ(located("{\"a\":1}\n[1]\n"), "s.jsonl:2: expected one JSON object per line, got [1]");
  EXPECT_NE(located("{\"a\":1}\n{\"a\":\n").find("s.jsonl:2: expected one JSON object per line (acdsim-shard/1 JSON lines), at column"),
            std::string::npos);
  EXPECT_NE(located("{\"a\":1}\n{\"f\":1e400}\n").find("s.jsonl:2: expected one JSON object per line"), std::string::npos);
  EXPECT_EQ(located("{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}\n"), "");  // brackets in strings do not nest
  EXPECT_EQ(located("{\"a\":" + std::string(40, '[') + std::string(40, ']') + "}\n"),
            "s.jsonl:1: expected a JSON object nested at most 32 deep");
}

TEST(JsonLines, TypedAccessSaysWhatWasExpected) {
  const auto lines = parse_json_lines("{}\n{\"x\":{\"n\":-1,\"s\":3,\"b\":\"yes\"}}\n", "s.jsonl");
  const JsonLine& l = lines[1];
  const auto message = [&](auto f) {
    try {
      f();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(message([&] { l.whole_at("/x/n", 10); }), "s.jsonl:2: at /x/n: expected a whole number from 0 to 10, got -1");
  EXPECT_EQ(message([&] { l.string_at("/x/s"); }), "s.jsonl:2: at /x/s: expected a string, got 3");
  EXPECT_EQ(message([&] { l.boolean_at("/x/b"); }), "s.jsonl:2: at /x/b: expected true or false, got \"yes\"");
  EXPECT_EQ(message([&] { l.number_at("/x/missing"); }), "s.jsonl:2: at /x/missing: expected a number");
  EXPECT_EQ(message([&] { l.whole_at("/x/s/deeper", 10); }), "s.jsonl:2: at /x/s/deeper: expected a whole number");
}

std::string shard(unsigned i, unsigned n, const std::string& campaign = "{\"options\":{\"runs\":\"5\"}}",
                  const std::string& body = "{\"r\":1}\n") {
  return "{\"format\":\"acdsim-shard/1\",\"command\":\"fuzz\",\"shard\":{\"index\":" + std::to_string(i) + ",\"count\":" +
         std::to_string(n) + "},\"campaign\":" + campaign + "}\n" + body +
         shard_end_line(static_cast<std::size_t>(std::count(body.begin(), body.end(), '\n')));
}

std::string set_error(const std::vector<std::pair<std::string, std::string>>& files) {
  try {
    parse_shard_set(files);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ShardSet, SortsShardsByIndex) {
  const ShardSet set = parse_shard_set({{"b", shard(1, 2, "{}", "{\"r\":2}\n")}, {"a", shard(0, 2, "{}", "{\"r\":1}\n")}});
  ASSERT_EQ(set.bodies.size(), 2u);
  EXPECT_EQ(set.files, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(set.bodies[1][0].value()["r"], 2);
  EXPECT_EQ(set.bodies[1][0].line(), 2);
}

TEST(ShardSet, RefusesWhatIsNotOneWholeCampaign) {
  EXPECT_EQ(set_error({{"a", shard(0, 3)}, {"c", shard(2, 3)}}),
            "a:1: at /shard/count: the campaign has 3 shards, 2 given; missing: 1/3");
  EXPECT_EQ(set_error({{"a", shard(0, 2)}, {"b", shard(0, 2)}}), "b:1: at /shard/index: shard 0/2 is given twice (also a)");
  EXPECT_EQ(set_error({{"a", shard(0, 2)}, {"b", shard(1, 2, "{\"options\":{\"runs\":\"6\"}}")}}),
            "b:1: at /campaign/options/runs: another campaign than a (shard 0/2): every shard must be run with the same "
            "procedures (same content) and options");
  EXPECT_EQ(set_error({{"a", shard(0, 2)}, {"b", shard(1, 3)}}), "b:1: at /shard/count: this shard is one of 3, a one of 2");
  EXPECT_EQ(set_error({{"a", "{\"format\":\"acdsim-fuzz-case/1\"}\n"}}),
            "a:1: at /format: expected \"acdsim-shard/1\" (a file written by acdsim fuzz|whatif --shard)");
  EXPECT_EQ(set_error({{"a", shard(0, 1).substr(0, shard(0, 1).rfind("{\"end\""))}}),
            "a:2: expected the end record {\"end\":...} last: the file is incomplete");
  EXPECT_EQ(set_error({{"a", shard(0, 1, "{}", "{\"r\":1}\n{\"end\":{\"records\":0}}\n")}}),
            "a:3: at /end: expected a record of the campaign, got a header or end record");
  EXPECT_EQ(set_error({{"a", ""}}), "a: expected a shard file (acdsim-shard/1), got an empty file");
  EXPECT_EQ(set_error({{"a", shard(1, 1)}}), "a:1: at /shard/index: expected a whole number from 0 to 0, got 1");
}

}  // namespace
}  // namespace acdsim::model
