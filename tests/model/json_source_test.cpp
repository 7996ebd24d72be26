// The private JSON helper of the topology and procedure parsers.
#include "json_source.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "acdsim/model/input_error.hpp"
#include "input_test_data.hpp"
#include "acdsim/model/input_file.hpp"

#include <sys/stat.h>

namespace acdsim::model::json_input {
namespace {

using ::testing::HasSubstr;

using test::error_of;  // tests/model/input_test_data.hpp

void expect_error(const InputError& e, std::string_view pointer, int line, std::string_view fragment) {
  EXPECT_EQ(e.file(), "x.json") << e.what();
  EXPECT_EQ(e.json_path(), pointer) << e.what();
  EXPECT_EQ(e.line(), line) << e.what();
  EXPECT_THAT(e.message(), HasSubstr(std::string(fragment))) << e.what();
}

// ---- pointers and lines ----------------------------------------------------------

TEST(JsonPointer, EscapesTokens) {
  EXPECT_EQ(escape_token("plain"), "plain");
  EXPECT_EQ(escape_token("a/b~c"), "a~1b~0c");
  EXPECT_EQ(child_pointer("", "acd-dbm/mysql.start"), "/acd-dbm~1mysql.start");
  EXPECT_EQ(child_pointer("/steps", std::size_t{3}), "/steps/3");
  EXPECT_EQ(child_pointer("/x", ""), "/x/");
}

constexpr std::string_view kNested = R"({
  "a": 1,
  "b": [
    true,
    {"c": "x\"}]", "d/e": null, "f~g": [1,
      2]}
  ],
  "\u00e9t\u00e9": "\n",
  "": {"x": [], "y": {}}
})";

TEST(LineIndex, LineOfEveryValue) {
  const LineIndex index(kNested);
  const std::map<std::string, int> expected = {
      {"", 1},          {"/a", 2},         {"/b", 3},           {"/b/0", 4},         {"/b/1", 5},
      {"/b/1/c", 5},    {"/b/1/d~1e", 5},  {"/b/1/f~0g", 5},    {"/b/1/f~0g/0", 5},  {"/b/1/f~0g/1", 6},
      {"/\xC3\xA9t\xC3\xA9", 8},           {"/", 9},            {"//x", 9},          {"//y", 9}};
  const Json json = Json::parse(kNested);
  for (const auto& [pointer, line] : expected) {
    EXPECT_EQ(index.line_of(pointer), line) << pointer;
    // The pointers are the ones nlohmann understands (same escaping, same decoded keys).
    EXPECT_TRUE(json.contains(Json::json_pointer(pointer))) << pointer;
  }
  EXPECT_FALSE(index.duplicate());
}

TEST(LineIndex, UnknownPointerFallsBackToItsNearestAncestor) {
  const LineIndex index(kNested);
  EXPECT_EQ(index.line_of("/b/1/f~0g/7"), 5);
  EXPECT_EQ(index.line_of("/b/9/z"), 3);
  EXPECT_EQ(index.line_of("/nope"), 1);
  EXPECT_EQ(LineIndex("").line_of(""), 0);
}

TEST(LineIndex, ByteOrderMarkAndBlankLines) {
  const LineIndex index("\xEF\xBB\xBF\n\n  {\"a\":\n\n 5}");
  EXPECT_EQ(index.line_of(""), 3);
  EXPECT_EQ(index.line_of("/a"), 5);
}

TEST(LineIndex, SurrogatePairKeys) {
  const std::string text = R"({"\ud83d\ude00": 1})";
  const LineIndex index(text);
  EXPECT_EQ(index.line_of("/\xF0\x9F\x98\x80"), 1);
  EXPECT_TRUE(Json::parse(text).contains("\xF0\x9F\x98\x80"));
}

TEST(LineIndex, FindsTheFirstDuplicateKey) {
  const LineIndex index("{\"a\": {\"b\": 1,\n \"_c\": 0, \"_c\": 0,\n \"b\": 2}, \"a\": 3}");
  ASSERT_TRUE(index.duplicate());
  EXPECT_EQ(index.duplicate()->pointer, "/a/b");
  EXPECT_EQ(index.duplicate()->key, "b");
  EXPECT_EQ(index.duplicate()->line, 3);
}

// ---- parsing -------------------------------------------------------------------

TEST(JsonSource, DuplicateKeyIsAnError) {
  expect_error(error_of([] { Source("{\"a\": 1,\n  \"a\": 2}", "x.json"); }), "/a", 2,
               R"(duplicate key "a" (each key may appear once per object))");
  // Comment keys may repeat.
  EXPECT_NO_THROW(Source("{\"_\": 1, \"_\": 2}", "x.json"));
}

TEST(JsonSource, MalformedJsonHasTheParsersLineAndColumn) {
  expect_error(error_of([] { Source("{\n  \"a\": 1,\n}", "x.json"); }), "", 3,
               "malformed JSON at line 3, column 1: syntax error while parsing object key - unexpected '}'; "
               "expected string literal");
  expect_error(error_of([] { Source("{\"a\": [1, 2\n\n", "x.json"); }), "", 3, "malformed JSON at line 3");
  expect_error(error_of([] { Source("", "x.json"); }), "", 1, "malformed JSON at line 1, column 1");
  expect_error(error_of([] { Source("{} x", "x.json"); }), "", 1, "malformed JSON at line 1, column 4");
  expect_error(error_of([] { Source("{\"a\": \"\xFF\"}", "x.json"); }), "", 1, "ill-formed UTF-8");
  expect_error(error_of([] { Source("// comment\n{}", "x.json"); }), "", 1, "malformed JSON at line 1");
}

TEST(JsonSource, NumberOverflowIsLocated) {
  expect_error(error_of([] { Source("{\n  \"a\":\n  1e999}", "x.json"); }), "", 3,
               "malformed JSON: number overflow parsing '1e999'");
}

TEST(JsonSource, ReadsFiles) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "acdsim_json_source_test";
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "ok.json").string();
  std::ofstream(file) << "{\"a\":\n 1}";
  EXPECT_EQ(read_text_file(file), "{\"a\":\n 1}");
  const Source source = Source::load(file);
  EXPECT_EQ(source.file(), file);
  EXPECT_EQ(source.line_of("/a"), 2);

  const std::string missing = (dir / "missing.json").string();
  const InputError e = error_of([&] { Source::load(missing); });
  EXPECT_EQ(e.file(), missing);
  EXPECT_EQ(e.json_path(), "");
  EXPECT_EQ(e.line(), 0);
  EXPECT_EQ(e.message(), "cannot read the file: No such file or directory");
  EXPECT_EQ(error_of([&] { read_text_file(dir.string()); }).message(),
            "cannot read the file: it is a directory, expected a regular file");
  // A FIFO with no writer would block a plain open or read for ever: refused at once.
  const std::string fifo = (dir / "fifo.json").string();
  std::filesystem::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(error_of([&] { read_text_file(fifo); }).message(),
            "cannot read the file: it is a FIFO, expected a regular file");
  // Over the input limit: refused from its size, before anything is read.
  const std::string huge = (dir / "huge.json").string();
  { std::ofstream create(huge); }
  std::filesystem::resize_file(huge, kMaxInputFileBytes + 1);  // sparse: no disk used
  EXPECT_NE(error_of([&] { read_text_file(huge); }).message().find("over the input limit of 64 MiB"), std::string::npos);
}

// ---- typed access ----------------------------------------------------------------

constexpr std::string_view kTyped = R"({
  "s": "text",
  "e": "",
  "n": 2.5,
  "b": true,
  "a": [1, "two"],
  "o": {"k": 1, "_comment": "skip", "j": 2},
  "z": null
})";

TEST(JsonValue, TypedAccessors) {
  const Source src(std::string(kTyped), "x.json");
  const Value root = src.root();
  EXPECT_EQ(root.at("s").string(), "text");
  EXPECT_EQ(root.at("s").nonempty_string(), "text");
  EXPECT_EQ(root.at("n").number(), 2.5);
  EXPECT_TRUE(root.at("b").boolean());
  const std::vector<Value> items = root.at("a").array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].pointer(), "/a/1");
  EXPECT_EQ(items[1].line(), 6);
  EXPECT_FALSE(root.find("missing"));
  EXPECT_EQ(root.at("o").at("j").pointer(), "/o/j");
  // Members in file order, comments left out.
  std::vector<std::string> keys;
  for (const auto& [key, value] : root.at("o").members()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"k", "j"}));
  EXPECT_EQ(root.at("z").type_name(), "null");
}

TEST(JsonValue, WrongTypesAreLocated) {
  const Source src(std::string(kTyped), "x.json");
  const Value root = src.root();
  expect_error(error_of([&] { root.at("n").string(); }), "/n", 4, "expected a string, got number");
  expect_error(error_of([&] { root.at("e").nonempty_string(); }), "/e", 3, R"(expected a non-empty string, got "")");
  expect_error(error_of([&] { root.at("s").number(); }), "/s", 2, "expected a number, got string");
  expect_error(error_of([&] { root.at("z").boolean(); }), "/z", 8, "expected a boolean (true or false), got null");
  expect_error(error_of([&] { root.at("o").array(); }), "/o", 7, "expected an array, got object");
  expect_error(error_of([&] { root.at("a").require_object(); }), "/a", 6, "expected an object, got array");
  expect_error(error_of([&] { root.at("a").array()[0].find("x"); }), "/a/0", 6, "expected an object, got number");
}

TEST(JsonValue, MissingAndUnknownKeys) {
  const Source src(std::string(kTyped), "x.json");
  const Value o = src.root().at("o");
  expect_error(error_of([&] { o.at("x"); }), "/o", 7, R"(missing key "x")");
  EXPECT_NO_THROW(o.allow_keys({"k", "j"}));  // "_comment" is always allowed
  expect_error(error_of([&] { o.allow_keys({"k"}); }), "/o/j", 7,
               R"(unknown key "j" (expected one of: k; keys starting with "_" are comments))");
}

// ---- durations -------------------------------------------------------------------

TEST(Duration, ParsesTheUnits) {
  const std::map<std::string, double> good = {{"250ms", 0.25}, {"30s", 30},  {"5m", 300},     {"1h", 3600},
                                              {"1h30m", 5400}, {"1.5s", 1.5}, {"1m30s", 90},  {"2h0m5s", 7205},
                                              {"0s", 0},       {"1s500ms", 1.5}, {"90m", 5400}};
  for (const auto& [text, seconds] : good) {
    ASSERT_TRUE(parse_duration(text)) << text;
    EXPECT_DOUBLE_EQ(*parse_duration(text), seconds) << text;
  }
}

TEST(Duration, RejectsGarbledText) {
  for (const char* text : {"", "5", "s", "5x", "5 s", " 5s", "5s ", "30m1h", "1h1h", "-5s", "+5s", "1.s", ".5s",
                           "5S", "5min", "1e3s", "1h30"})
    EXPECT_FALSE(parse_duration(text)) << text;
}

TEST(Duration, ValueAccessor) {
  const Source src(R"({"n": 12, "s": "2m", "neg": -1, "nstr": "-1s", "bad": "2 m", "b": false})", "x.json");
  const Value root = src.root();
  EXPECT_DOUBLE_EQ(root.at("n").duration(), 12);
  EXPECT_DOUBLE_EQ(root.at("s").duration(), 120);
  expect_error(error_of([&] { root.at("neg").duration(); }), "/neg", 1, "expected a duration from 0 s to 1 year (31536000 s), got -1");
  expect_error(error_of([&] { root.at("nstr").duration(); }), "/nstr", 1, R"("nstr": expected a duration from 0 s to 1 year (31536000 s), got "-1s")");
  expect_error(error_of([&] { root.at("bad").duration(); }), "/bad", 1,
               R"(expected a duration: a number of seconds or a string such as "250ms", "30s", "5m", "1h", "1h30m", got "2 m")");
  expect_error(error_of([&] { root.at("b").duration(); }), "/b", 1, "expected a duration: a number of seconds or a string such as");
}

TEST(JoinNames, ShortensLongLists) {
  EXPECT_EQ(join_names({"a", "b"}), "a, b");
  EXPECT_EQ(join_names({}), "");
  EXPECT_EQ(join_names({"a", "b", "c"}, 2), "a, b, ...");
}

// ---- properties --------------------------------------------------------------------

const std::vector<std::string>& tricky_strings() {
  static const std::vector<std::string> s = {"",     "a",  "a/b",       "~",    "~1", "\"q\"", "back\\slash",
                                             "line\nbreak", "\xC3\xA9", "{[",   "_c", "x:y",  "\t"};
  return s;
}

Json random_json(int depth) {
  const int kind = *rc::gen::inRange(0, depth > 0 ? 6 : 4);
  switch (kind) {
    case 0: return *rc::gen::arbitrary<bool>();
    case 1: return *rc::gen::arbitrary<int>();
    case 2: return *rc::gen::elementOf(tricky_strings());
    case 3: return nullptr;
    case 4: {
      Json a = Json::array();
      const int n = *rc::gen::inRange(0, 4);
      for (int i = 0; i < n; ++i) a.push_back(random_json(depth - 1));
      return a;
    }
    default: {
      Json o = Json::object();
      const int n = *rc::gen::inRange(0, 4);
      for (int i = 0; i < n; ++i) o[*rc::gen::elementOf(tricky_strings())] = random_json(depth - 1);
      return o;
    }
  }
}

// Where dump(2) puts each value: one member or element per line.
void expected_lines(const Json& j, const std::string& pointer, int& line, std::map<std::string, int>& out) {
  out[pointer] = line;
  if (!j.is_structured() || j.empty()) return;
  if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) expected_lines(j[i], child_pointer(pointer, i), ++line, out);
  } else {
    for (const auto& [key, value] : j.items()) expected_lines(value, child_pointer(pointer, key), ++line, out);
  }
  ++line;  // the closing bracket
}

RC_GTEST_PROP(LineIndexProperty, MatchesTheLayoutOfAnIndentedDump, ()) {
  const Json json = random_json(3);
  const std::string text = json.dump(2);
  std::map<std::string, int> expected;
  int line = 1;
  expected_lines(json, "", line, expected);
  const LineIndex index(text);
  for (const auto& [pointer, l] : expected) RC_ASSERT(index.line_of(pointer) == l);
  const std::string compact_text = json.dump();  // the index reads keys from its text
  const LineIndex compact(compact_text);
  for (const auto& [pointer, l] : expected) RC_ASSERT(compact.line_of(pointer) == 1);
}

}  // namespace
}  // namespace acdsim::model::json_input
