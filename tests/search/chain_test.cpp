// The search on the benchmark scenario (bench/chain_scenario.hpp), whose
// reachable state count is known exactly: 3^(W+T) + 6 without reductions.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "acdsim/checker/checker.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "chain_scenario.hpp"

namespace acdsim::checker {
namespace {

struct Chain {
  model::Topology topology;
  model::Procedure procedure;
};

Chain chain(int web, int tel, const std::string& procedure_text = "") {
  Chain c;
  c.topology = model::parse_topology(bench::chain_topology_json(web, tel), "chain.json");
  c.procedure = model::parse_procedure(
      procedure_text.empty() ? bench::chain_procedure_json(web, tel, "chain.json") : procedure_text, "p.json",
      c.topology);
  return c;
}

Options unreduced() {
  Options o;
  o.symmetry = false;
  o.partial_order = false;
  return o;
}

std::uint64_t pow3(int n) { return n == 0 ? 1 : 3 * pow3(n - 1); }

TEST(ChainScenario, UnreducedCountIsThreeToTheServersPlusSix) {
  for (auto [w, t] : {std::pair{0, 0}, {1, 0}, {1, 1}, {2, 1}, {2, 2}, {3, 2}, {4, 3}}) {
    const Chain c = chain(w, t);
    const Result r = Checker(c.procedure, c.topology, unreduced()).run();
    EXPECT_EQ(r.verdict, Verdict::Safe) << w << "," << t;
    EXPECT_EQ(r.states, pow3(w + t) + 6) << w << "," << t;
    EXPECT_EQ(r.words_per_state, 1u) << "a chain state is one word";
  }
}

// web1 started right after the storage: the shortest breaking path is
// storage on, storage up, web1 on, web1 up (4 moves), not any longer one.
TEST(ChainScenario, StartingAServerBeforeTheMasterIsCaughtWithTheShortestTrace) {
  std::string text = bench::chain_procedure_json(2, 1, "chain.json");
  const std::string from = R"("target": "web1", "after": ["dbs"])";
  text.replace(text.find(from), from.size(), R"("target": "web1", "after": ["storage"])");
  const Chain c = chain(2, 1, text);
  for (bool reduced : {false, true}) {
    Options o = reduced ? Options{} : unreduced();
    const Result r = Checker(c.procedure, c.topology, o).run();
    ASSERT_EQ(r.verdict, Verdict::Violated);
    EXPECT_EQ(std::string(r.violation->spec->id), "user.web1-needs-storage-and-master");
    ASSERT_EQ(r.violation->trace.size(), 4u);
    EXPECT_EQ(r.violation->trace[0].label, "storage: power_on storage");
    EXPECT_EQ(r.violation->trace[2].label, "web1: power_on web1");
    EXPECT_EQ(r.violation->trace[3].changes, std::vector<std::string>{"web1/vm: Booting -> Up"});
  }
}

// The path comes from the levels kept during the search, or, when they
// outgrow their budget, from a second search: both give the same shortest trace.
TEST(ChainScenario, TraceWithoutKeptLevelsIsTheSame) {
  std::string text = bench::chain_procedure_json(4, 3, "chain.json");
  const std::string from = R"("target": "tel3", "after": ["dbs"])";
  text.replace(text.find(from), from.size(), R"("target": "tel3", "after": ["storage"])");
  const Chain c = chain(4, 3, text);
  Options kept = unreduced();
  Options dropped = unreduced();
  dropped.trace_history_bytes = 0;
  const Result a = Checker(c.procedure, c.topology, kept).run();
  const Result b = Checker(c.procedure, c.topology, dropped).run();
  ASSERT_EQ(a.verdict, Verdict::Violated);
  ASSERT_EQ(b.verdict, Verdict::Violated);
  EXPECT_EQ(a.states, b.states);
  ASSERT_EQ(a.violation->trace.size(), 4u) << "storage on/up, tel3 on/up";
  ASSERT_EQ(b.violation->trace.size(), a.violation->trace.size());
  for (std::size_t i = 0; i < a.violation->trace.size(); ++i) {
    EXPECT_EQ(a.violation->trace[i].label, b.violation->trace[i].label) << i;
    EXPECT_EQ(a.violation->trace[i].changes, b.violation->trace[i].changes) << i;
  }
}

TEST(ChainScenario, OneFaultBreaksIt) {
  const Chain c = chain(1, 0);
  Options o = unreduced();
  o.faults = 1;
  const Result r = Checker(c.procedure, c.topology, o).run();
  ASSERT_EQ(r.verdict, Verdict::Violated);
  // Shortest: the storage VM crashes while booting, so its wait never ends.
  EXPECT_EQ(std::string(r.violation->spec->id), "procedure.stuck");
  ASSERT_EQ(r.violation->trace.size(), 2u);
  EXPECT_EQ(r.violation->trace[1].what, "fault");
  EXPECT_EQ(r.violation->trace[1].changes, std::vector<std::string>{"storage/vm: Booting -> Off"});
}

TEST(ChainScenario, LimitsStopTheSearchWithAnIncompleteVerdict) {
  const Chain c = chain(3, 3);
  Options o = unreduced();
  o.max_states = 100;
  Result r = Checker(c.procedure, c.topology, o).run();
  EXPECT_EQ(r.verdict, Verdict::Incomplete);
  EXPECT_NE(r.incomplete_reason.find("state limit of 100"), std::string::npos);
  EXPECT_EQ(r.states, 100u);
  o = unreduced();
  o.max_memory_bytes = 100'000;  // below the initial tables
  r = Checker(c.procedure, c.topology, o).run();
  EXPECT_EQ(r.verdict, Verdict::Incomplete);
  EXPECT_EQ(r.incomplete_reason, "memory limit of 0.1 MiB reached");
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ChainScenario, ShippedFilesAreTheGeneratorsOutput) {
  const std::string dir = std::string(ACDSIM_SOURCE_DIR) + "/scenarios/bench/chain-8-8/";
  EXPECT_EQ(read(dir + "topology.json"), bench::chain_topology_json(8, 8));
  EXPECT_EQ(read(dir + "startup.json"), bench::chain_procedure_json(8, 8, "topology.json"));
}

}  // namespace
}  // namespace acdsim::checker
