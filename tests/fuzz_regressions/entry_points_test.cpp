// The text-level entry points the fuzz targets use answer as the file readers do; the fixed
// findings of the fuzz targets, with their located messages.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "acdsim/live/journal.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"
#include "acdsim/sim/replay.hpp"

namespace {

const std::string kRoot = ACDSIM_SOURCE_DIR;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(ParseSnapshot, SameStateAsLoadSnapshot) {
  const acdsim::model::System system(
      acdsim::model::load_topology(kRoot + "/scenarios/topologies/jtel-large-redundant-pp.json"));
  const std::string path = kRoot + "/scenarios/snapshots/jtel-large-redundant-pp-lb2-down.json";
  const acdsim::model::Snapshot loaded = acdsim::model::load_snapshot(system, path);
  EXPECT_EQ(acdsim::model::parse_snapshot(system, read_text(path), path), loaded);
  EXPECT_NE(loaded, system.all_up());
}

TEST(ParseSnapshot, ErrorNamesTheGivenFileAndLine) {
  const acdsim::model::System system(acdsim::model::load_topology(kRoot + "/scenarios/topologies/jtel-medium.json"));
  const std::string text = "{\n  \"format\": \"acdsim-snapshot/1\",\n  \"states\": {\n    \"acd-nope/vm\": \"Up\"\n  }\n}\n";
  try {
    (void)acdsim::model::parse_snapshot(system, text, "given.json");
    FAIL() << "an unknown component was accepted";
  } catch (const acdsim::model::InputError& e) {
    EXPECT_EQ(e.file(), "given.json");
    EXPECT_EQ(e.json_path(), "/states/acd-nope~1vm");
    EXPECT_EQ(e.line(), 4);
  }
}

TEST(ParseCounterexample, SameAsLoadCounterexample) {
  const std::string path = kRoot + "/fuzz/seeds/counterexample/storage-down-first.json";
  const acdsim::sim::Counterexample loaded = acdsim::sim::load_counterexample(path);
  const acdsim::sim::Counterexample parsed = acdsim::sim::parse_counterexample(read_text(path), path);
  EXPECT_EQ(parsed.procedure_file, loaded.procedure_file);
  EXPECT_EQ(parsed.initial, loaded.initial);
  EXPECT_EQ(parsed.invariant, loaded.invariant);
  ASSERT_EQ(parsed.moves.size(), loaded.moves.size());
  ASSERT_FALSE(loaded.moves.empty());
  for (std::size_t i = 0; i < loaded.moves.size(); ++i) EXPECT_EQ(parsed.moves[i].label, loaded.moves[i].label);
}

TEST(ParseCounterexample, MalformedTextIsALocatedInputError) {
  try {
    (void)acdsim::sim::parse_counterexample("{\"format\": \"acdsim-counterexample/1\",\n \"file\": 7}", "ce.json");
    FAIL() << "a number as the procedure file was accepted";
  } catch (const acdsim::model::InputError& e) {
    EXPECT_EQ(e.file(), "ce.json");
    EXPECT_EQ(e.json_path(), "/file");
    EXPECT_EQ(e.line(), 2);
  }
}

}  // namespace

namespace {

// fuzz_journal's findings: records that are JSON but of the wrong shape escaped as nlohmann
// type_error / out_of_range; now a refusal that names the record's line.
int journal_error_line(const std::string& name, const std::string& content) {
  const std::string path = testing::TempDir() + "/" + name;
  {
    std::ofstream out(path, std::ios::binary);
    out << content;
  }
  try {
    (void)acdsim::live::read_journal(path);
  } catch (const acdsim::model::InputError& e) {
    std::remove(path.c_str());
    return e.line();
  }
  std::remove(path.c_str());
  return -1;
}

TEST(ReadJournal, RecordsOfTheWrongShapeAreRefusedWithTheirLine) {
  const std::string start = R"({"type": "start", "format": "acdsim-journal/1"})" "\n";
  EXPECT_EQ(journal_error_line("j1.jsonl", start + "9\n"), 2);
  EXPECT_EQ(journal_error_line("j2.jsonl", start + R"({"type": "step_done", "step": 7})" "\n"), 2);
  EXPECT_EQ(journal_error_line("j3.jsonl", start + R"({"type": ["finish"]})" "\n"), 2);
  EXPECT_EQ(journal_error_line("j4.jsonl", start + R"({"type": "command", "exit": 1e999})" "\n"), 2);
  EXPECT_EQ(journal_error_line("j5.jsonl", R"({"type": "start", "format": 1})" "\n"), 1);
  // Unchanged: a torn last record is not an error.
  EXPECT_EQ(journal_error_line("j6.jsonl", start + R"({"type": "step_do)"), -1);
}

}  // namespace
