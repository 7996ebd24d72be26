// Limits on input files (issue 15, item 3): nesting depth, memory and time on hostile
// JSON, and the documented range of every number a topology or procedure holds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "acdsim/model/input_error.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "input_test_data.hpp"
#include "json_source.hpp"

namespace acdsim::model {
namespace {

using json_input::LineIndex;
using json_input::Range;
using json_input::Source;
using ::testing::HasSubstr;

using test::error_of;  // tests/model/input_test_data.hpp

void expect_error(const InputError& e, std::string_view pointer, int line, std::string_view fragment) {
  EXPECT_EQ(e.json_path(), pointer) << e.what();
  EXPECT_EQ(e.line(), line) << e.what();
  EXPECT_THAT(e.message(), HasSubstr(std::string(fragment))) << e.what();
}

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// ---- nesting, size, time -------------------------------------------------------------

TEST(InputLimits, NestingUpTo256LevelsIsRead) {
  const Source source(nested(256), "x.json");
  EXPECT_TRUE(source.root().is_array());
}

TEST(InputLimits, NestingDeeperThan256LevelsIsALocatedError) {
  expect_error(error_of([] { Source("{\"a\": 1,\n\n\"b\": " + nested(300) + "}", "x.json"); }), "", 3,
               "nested deeper than 256 levels at line 3");
  // 100,000 levels crashed every command; 30,000 took 1.7 GB.
  const std::string deep = "{\"format\": \"acdsim-topology/1\",\n\"x\":\n" + nested(100000) + "}";
  expect_error(error_of([&] { Source(deep, "x.json"); }), "", 3, "nested deeper than 256 levels");
  const std::string objects = [] {
    std::string s;
    for (int i = 0; i < 300; ++i) s += "{\"k\":";
    return s + "1" + std::string(300, '}');
  }();
  expect_error(error_of([&] { Source(objects, "x.json"); }), "", 1, "nested deeper than 256 levels");
}

TEST(InputLimits, LineIndexStopsAtTheLimitAndCountsEveryValue) {
  const std::string text = "[\n" + nested(400) + "]";
  const LineIndex index(text);
  EXPECT_EQ(index.too_deep_line(), 2);
  EXPECT_EQ(index.size(), 256u);  // the outer array and 255 levels below it
  const LineIndex flat("[1, 2, {\"a\": [3]}]");
  EXPECT_EQ(flat.too_deep_line(), 0);
  EXPECT_EQ(flat.size(), 6u);  // one node per value, however deep: no pointer strings
}

double seconds_to(const std::function<void()>& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(InputLimits, ManyKeysParseInLinearTime) {
  // Appending each key after a linear search of the object (ordered_json's insert) made
  // 400,000 keys take minutes; 200,000 took over 10 s.
  std::string text = "{";
  for (int i = 0; i < 200000; ++i) text += (i ? ",\n\"k" : "\"k") + std::to_string(i) + "\": " + std::to_string(i);
  text += "}";
  double elapsed = seconds_to([&] {
    const Source source(text, "x.json");
    const auto members = source.root().members();
    ASSERT_EQ(members.size(), 200000u);
    EXPECT_EQ(members[123456].first, "k123456");  // file order kept
    EXPECT_EQ(source.line_of("/k199999"), 200000);
  });
  EXPECT_LT(elapsed, 10.0);
  // A duplicate among them is still found, at its second occurrence.
  text.back() = ',';
  text += "\n\"k7\": 0}";
  expect_error(error_of([&] { Source(text, "x.json"); }), "/k7", 200001, R"(duplicate key "k7")");
}

TEST(InputLimits, AWideArrayIsIndexedCheaply) {
  std::string text = "{\"a\": [";
  for (int i = 0; i < 1000000; ++i) text += i ? ",1" : "1";
  text += ",\n\"x\"]}";
  const Source source(text, "x.json");
  EXPECT_EQ(source.line_of("/a/999999"), 1);
  EXPECT_EQ(source.line_of("/a/1000000"), 2);
  EXPECT_EQ(source.line_of("/a/1000001"), 1);  // no such element: its array's line
}

// ---- the checked accessors ----------------------------------------------------------------

TEST(NumberLimits, CheckedAccessors) {
  const Source src(R"({"n": 5, "big": 1e19, "neg": -1, "half": 2.5, "zero": 0, "huge": 4294967296,
    "d": "10000000000000s", "dn": 1e13, "year": "8760h", "a/b": 7, "list": [1, 2, 300]})",
                   "x.json");
  const json_input::Value root = src.root();
  EXPECT_EQ(root.at("n").number(Range{0, 10}), 5);
  EXPECT_EQ(root.at("n").whole_number(1, 10), 5);
  expect_error(error_of([&] { root.at("big").number(Range{0, 1e6}); }), "/big", 1,
               R"("big": expected a number from 0 to 1000000, got 1e+19)");
  expect_error(error_of([&] { root.at("neg").number(Range{0, 1e6}, "a capacity"); }), "/neg", 1,
               R"("neg": expected a capacity from 0 to 1000000, got -1)");
  expect_error(error_of([&] { root.at("zero").number(Range{0, 1e6, true}); }), "/zero", 1,
               R"("zero": expected a number greater than 0 and at most 1000000, got 0)");
  expect_error(error_of([&] { root.at("half").whole_number(1, 1000000); }), "/half", 1,
               R"("half": expected a whole number from 1 to 1000000, got 2.5)");
  expect_error(error_of([&] { root.at("big").whole_number(1, 1000000); }), "/big", 1, "got 1e+19");
  expect_error(error_of([&] { root.at("huge").whole_number(1, 65535); }), "/huge", 1,
               R"("huge": expected a whole number from 1 to 65535, got 4294967296)");
  expect_error(error_of([&] { root.at("a/b").whole_number(1, 5); }), "/a~1b", 2, R"("a/b": expected)");
  expect_error(error_of([&] { root.at("list").array()[2].number(Range{0, 1}); }), "/list/2", 2,
               R"("list"[2]: expected a number from 0 to 1, got 300)");
}

TEST(NumberLimits, DurationsAreAtMostAYear) {
  const Source src(R"({"d": "10000000000000s", "dn": 1e13, "year": "8760h", "over": "8761h", "zero": "0s"})", "x.json");
  const json_input::Value root = src.root();
  // 1e13 s once became 0 further on (a 1e13 s drain "completed" at once).
  expect_error(error_of([&] { root.at("d").duration(); }), "/d", 1,
               R"("d": expected a duration from 0 s to 1 year (31536000 s), got "10000000000000s")");
  expect_error(error_of([&] { root.at("dn").duration(); }), "/dn", 1, "got 10000000000000.0");
  EXPECT_EQ(root.at("year").duration(), 31536000);
  expect_error(error_of([&] { root.at("over").duration(); }), "/over", 1, "1 year");
  expect_error(error_of([&] { root.at("zero").duration(Range{0, 60, true}); }), "/zero", 1,
               R"("zero": expected a duration greater than 0 s and at most 60 s, got "0s")");
}

// ---- every number of a topology and a procedure ----------------------------------------------

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string small_topology() { return read(std::string(ACDSIM_SOURCE_DIR) + "/scenarios/topologies/jtel-small.json"); }

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

InputError topology_error(std::string_view from, std::string_view to) {
  const std::string text = replaced(small_topology(), from, to);
  return error_of([&] { parse_topology(text, "t.json"); });
}

TEST(NumberLimits, TopologyNumbers) {
  // A capacity of 1e19 read as 0.
  expect_error(topology_error(R"("jb": 200)", R"("jb": 1e19)"), "/parameters/capacities/jb", 31,
               R"("jb": expected a capacity greater than 0 and at most 1000000, got 1e+19)");
  expect_error(topology_error(R"({"fixed": "300s"})", R"({"fixed": "10000000000000s"})"),
               "/parameters/durations/hazelcast.merge/fixed", 28, "1 year (31536000 s)");
  expect_error(topology_error(R"(["10s", "60s"])", R"(["10s", 1e300])"),
               "/parameters/durations/vm.shutdown_complete/uniform/1", 18, "got 1e+300");
  expect_error(topology_error(R"("sigma": 0.2)", R"("sigma": 1e9)"), "/parameters/durations/vm.boot_complete/lognormal/sigma",
               17, R"("sigma": expected a sigma from 0 to 5, got 1000000000.0)");
  expect_error(topology_error(R"("median": "70s")", R"("median": 4e7)"),
               "/parameters/durations/vm.boot_complete/lognormal/median", 17, "at most 1 year");
}

TEST(NumberLimits, WorkloadNumbers) {
  const std::string workload =
      R"("capacities": {"jb": 200, "tel": 120},
    "workload": {"calls": {"role": "tel", "peak_per_hour": PEAK, "profile": [PROFILE], "patience": PATIENCE}})";
  auto with = [&](std::string_view peak, std::string_view first_factor, std::string_view patience) {
    std::string profile(first_factor);
    for (int hour = 1; hour < 24; ++hour) profile += ",1";
    const std::string w = replaced(replaced(replaced(workload, "PEAK", peak), "PATIENCE", patience), "PROFILE", profile);
    const std::string text = replaced(small_topology(), R"("capacities": {"jb": 200, "tel": 120})", w);
    return error_of([&] { parse_topology(text, "t.json"); });
  };
  expect_error(with("1e12", "1", "60"), "/parameters/workload/calls/peak_per_hour", 32,
               R"("peak_per_hour": expected arrivals per hour from 0 to 36000000, got 1000000000000.0)");
  expect_error(with("100", "2", "60"), "/parameters/workload/calls/profile/0", 32, R"("profile"[0]: expected a factor of the peak from 0 to 1)");
  expect_error(with("100", "1", "\"1000000h\""), "/parameters/workload/calls/patience", 32, "1 year");
}

const Topology& large() {
  static const Topology t = load_topology(std::string(ACDSIM_SOURCE_DIR) + "/scenarios/topologies/jtel-large.json");
  return t;
}

InputError procedure_error(const std::string& fields) {
  const std::string text = R"({"format": "acdsim-procedure/1", "name": "r", "kind": "rollout", "topology": "t.json",
    )" + fields + "}";
  return error_of([&] { parse_procedure(text, "p.json", large()); });
}

TEST(NumberLimits, ProcedureNumbers) {
  expect_error(procedure_error(R"("load": 4294967296, "rollout": {})"), "/load", 2,
               R"("load": expected a load (fraction of the peak) from 0 to 100, got 4294967296)");
  expect_error(procedure_error(R"("load": "1e9", "rollout": {})"), "/load", 2, "from 0 to 100");
  expect_error(procedure_error(R"("rollout": {"drain": 1e13})"), "/rollout/drain", 2,
               R"("drain": expected a duration from 0 s to 1 year (31536000 s), got 10000000000000.0)");
  expect_error(procedure_error(R"("rollout": {"restart": "server", "server_restart": "9000h"})"), "/rollout/server_restart", 2,
               "1 year");
  expect_error(procedure_error(R"("rollout": {"group_size": 1e19})"), "/rollout/group_size", 2,
               R"("group_size": expected a whole number from 1 to 1000000, got 1e+19)");
  expect_error(procedure_error(R"("rollout": {"floor": 1e19})"), "/rollout/floor", 2, "expected a whole number from 1 to 1000000");
  expect_error(procedure_error(R"("rollout": {"guard": 1e300})"), "/rollout/guard", 2,
               R"("guard": expected a threshold (fraction of the capacity) from 0 to 100, got 1e+300)");
}

}  // namespace
}  // namespace acdsim::model
