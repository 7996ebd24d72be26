// Every file of the corpus of real outputs (tests/live/corpus/README.md) reads
// as expected.json says, and the corpus is what its README claims.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "corpus_reading.hpp"

using namespace acdsim::live;
using namespace acdsim::live::corpus;

TEST(Corpus, EveryFileIsListedWithItsProvenanceAndSixtyAreReal) {
  const json expected = load_expected();
  const std::string readme = read_text(corpus_dir() + "README.md");
  std::set<std::string> listed;
  int real = 0;
  for (const json& e : expected.at("files")) {
    const std::string file = e.at("file");
    EXPECT_TRUE(listed.insert(file).second) << file << " listed twice";
    EXPECT_TRUE(std::filesystem::is_regular_file(corpus_dir() + file)) << file;
    EXPECT_NE(readme.find("| `" + file + "` |"), std::string::npos) << file << " has no provenance line in README.md";
    if (file.find("constructed") == std::string::npos) ++real;
  }
  for (const auto& f : std::filesystem::recursive_directory_iterator(corpus_dir())) {
    if (f.path().extension() != ".txt") continue;
    const std::string rel = std::filesystem::relative(f.path(), corpus_dir()).generic_string();
    EXPECT_TRUE(listed.contains(rel)) << rel << " is in the corpus but not in expected.json";
  }
  EXPECT_GE(real, 60);
}

TEST(Corpus, EveryFileReadsAsExpected) {
  const json expected = load_expected();
  for (const json& e : expected.at("files")) {
    const std::string file = e.at("file");
    const json got = reading_of(e, read_text(corpus_dir() + file));
    EXPECT_EQ(got, e.at("reading")) << file << "\n got:      " << got.dump() << "\n expected: " << e.at("reading").dump();
  }
}

// parse_pcs_status (what `acdsim run` and `observe` use) says no more than the
// whole reading: a node is known only when its membership, its activity and
// the quorum are, and then agrees with them.
TEST(Corpus, PcsStatusForOneNodeAgreesWithTheWholeReading) {
  int known_nodes = 0;
  const json expected = load_expected();
  for (const json& e : expected.at("files")) {
    if (e.at("tool") != "pacemaker") continue;
    const std::string text = read_text(corpus_dir() + e.at("file").get<std::string>());
    const json& r = e.at("reading");
    if (!r.at("known").get<bool>() || !r.at("running").get<bool>()) continue;
    for (const auto& [name, n] : r.at("nodes").items()) {
      const PcsNodeStatus p = parse_pcs_status(text, name, e.at("exit"));
      SCOPED_TRACE(e.at("file").get<std::string>() + " node " + name);
      if (n.at("member") == "offline") {
        EXPECT_TRUE(p.known && p.offline);
        continue;
      }
      const bool provable = n.at("member") != "unknown" && n.at("active") != "unknown" && r.at("quorum") != "unknown";
      ASSERT_EQ(p.known, provable) << p.why;
      if (!p.known) {
        EXPECT_FALSE(p.why.empty());
        continue;
      }
      ++known_nodes;
      EXPECT_EQ(p.standby, n.at("member") == "standby");
      EXPECT_EQ(p.resources_started > 0, n.at("active") == "yes");
      EXPECT_EQ(p.failed_start, n.at("failed_start") == "yes");
      EXPECT_EQ(p.quorate, r.at("quorum") == "yes");
    }
  }
  EXPECT_GT(known_nodes, 50);  // the corpus does prove states, not only unknowns
}
