// Reductions give the verdicts of the unreduced search: same verdict, same
// severity, a trace that replays, on the chain scenario's variants and on the
// shipped procedures small enough to search unreduced in a test.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "acdsim/checker/checker.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"
#include "chain_scenario.hpp"
#include "reduction_agreement.hpp"

namespace acdsim::checker {
namespace {

using search_test::reductions;

constexpr std::uint64_t kMaxStates = 3'000'000;

void expect_same_verdict(const model::Procedure& p, const model::Topology& t, const std::string& name) {
  search_test::expect_reductions_agree(p, t, name, kMaxStates);
}

TEST(Reductions, ChainVariantsAgree) {
  for (auto [w, t] : {std::pair{2, 2}, {3, 2}, {3, 0}}) {
    const model::Topology topology = model::parse_topology(bench::chain_topology_json(w, t), "chain.json");
    std::vector<std::string> variants = {bench::chain_procedure_json(w, t, "chain.json")};
    std::string early = variants[0];  // web1 right after the storage
    const std::string from = R"("target": "web1", "after": ["dbs"])";
    early.replace(early.find(from), from.size(), R"("target": "web1", "after": ["storage"])");
    variants.push_back(early);
    std::string no_wait = variants[0];  // the master's wait removed
    const std::string wait = R"(, "wait": "dbm up")";
    no_wait.erase(no_wait.find(wait), wait.size());
    variants.push_back(no_wait);
    for (std::size_t v = 0; v < variants.size(); ++v)
      expect_same_verdict(model::parse_procedure(variants[v], "p.json", topology), topology,
                          "chain " + std::to_string(w) + "," + std::to_string(t) + " variant " + std::to_string(v));
  }
}

TEST(Reductions, SymmetryFindsTheInterchangeableHosts) {
  const model::Topology topology = model::parse_topology(bench::chain_topology_json(3, 2), "chain.json");
  const model::Procedure p = model::parse_procedure(bench::chain_procedure_json(3, 2, "chain.json"), "p.json", topology);
  const Result r = Checker(p, topology, reductions(true, false, kMaxStates)).run();
  EXPECT_EQ(r.symmetry, "web1 web2 web3 tel1 tel2");
  EXPECT_EQ(r.states, 21u + 6u) << "multisets of 5 hosts over Off/Booting/Up";
  // web1 started earlier than the others: it is no longer interchangeable.
  std::string text = bench::chain_procedure_json(3, 2, "chain.json");
  const std::string from = R"("target": "web1", "after": ["dbs"])";
  text.replace(text.find(from), from.size(), R"("target": "web1", "after": ["dbm"])");
  const Result r2 = Checker(model::parse_procedure(text, "p.json", topology), topology, reductions(true, false, kMaxStates)).run();
  EXPECT_EQ(r2.symmetry, "web2 web3 tel1 tel2");
}

TEST(Reductions, ShippedProceduresAgree) {
  const std::filesystem::path root = std::filesystem::path(ACDSIM_SOURCE_DIR) / "scenarios/procedures";
  int checked = 0;
  // jtel-large/startup is safe since issue 12 (no Hazelcast split), and its unreduced space is
  // beyond this test's 3 M states: a small known-bad startup stands in for a violated one.
  for (const char* name : {"jtel-small/startup.json", "jtel-small/shutdown.json", "jtel-medium/startup.json",
                           "jtel-medium/shutdown.json", "jtel-medium/known-bad/slave-before-master.json", "jtel-large/shutdown.json",
                           "jtel-large-redundant/storage-start-one.json", "jtel-large-redundant/failover.json",
                           "jtel-large-redundant-pp/storage-start-both.json"}) {
    model::Topology t;
    const model::Procedure p = model::load_procedure((root / name).string(), &t);
    expect_same_verdict(p, t, name);
    ++checked;
  }
  EXPECT_EQ(checked, 9);
}

// Issue 16 part 3: every shipped procedure whose unreduced search finishes
// within 300,000 states gives the same verdict and the same violated
// invariant ids with the stubborn sets, with and without symmetry.
TEST(Reductions, EveryShippedProcedureAgreesOnItsViolations) {
  const std::filesystem::path root = std::filesystem::path(ACDSIM_SOURCE_DIR) / "scenarios/procedures";
  int compared = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".json") continue;
    model::Topology t;
    model::Procedure p;
    try {
      p = model::load_procedure(entry.path().string(), &t);
    } catch (const std::exception&) {
      continue;  // not a procedure (an initial snapshot)
    }
    Options o = reductions(false, false, 3'000'000);
    o.max_states = 300'000;
    o.all_violations = true;
    const Result full = Checker(p, t, o).run();
    if (full.verdict == Verdict::Incomplete) continue;
    auto ids = [](const Result& r) {
      std::set<std::string> out;
      for (const Violation& v : r.violations) out.insert(std::string(v.spec->id));
      return out;
    };
    for (bool sym : {false, true}) {
      Options ro = reductions(sym, true, 300'000);
      ro.max_states = 300'000;
      ro.all_violations = true;
      const Result r = Checker(p, t, ro).run();
      const std::string name = entry.path().lexically_relative(root).string() + (sym ? " (symmetry)" : "");
      EXPECT_EQ(r.verdict, full.verdict) << name;
      EXPECT_EQ(ids(r), ids(full)) << name;
      if (full.verdict == Verdict::Safe) {
        EXPECT_LE(r.states, full.states) << name;
      }
    }
    ++compared;
  }
  EXPECT_GE(compared, 30);
}

// The stubborn sets reduce a jtel model whose components read other hosts'
// facts (with symmetry; the host-local ample sets before them left 559,622 of 559,632 states).
// The redundant topology's fully parallel shutdown: 15,347,088 states
// unreduced (over a minute, too long for a test); the stubborn sets prove it
// in about 125,000 (docs/checker.md). Its verdict is cross-checked unreduced
// in docs/planner.md's measurements, not here.
TEST(Reductions, StubbornSetsProveTheRedundantParallelShutdown) {
  const std::filesystem::path root = std::filesystem::path(ACDSIM_SOURCE_DIR) / "scenarios/procedures";
  model::Topology t;
  const model::Procedure p = model::load_procedure((root / "jtel-large-redundant/planned-shutdown.json").string(), &t);
  const Result reduced = Checker(p, t, reductions(true, true, 400'000)).run();
  EXPECT_EQ(reduced.verdict, Verdict::Safe) << reduced.states;
  EXPECT_LT(reduced.states, 200'000u);
}

TEST(Reductions, StubbornSetsShrinkTheLargeStartup) {
  const std::filesystem::path root = std::filesystem::path(ACDSIM_SOURCE_DIR) / "scenarios/procedures";
  model::Topology t;
  const model::Procedure p = model::load_procedure((root / "jtel-large/startup.json").string(), &t);
  const Result full = Checker(p, t, reductions(true, false, 3'000'000)).run();
  const Result reduced = Checker(p, t, reductions(true, true, 3'000'000)).run();
  ASSERT_EQ(full.verdict, Verdict::Safe);
  EXPECT_EQ(reduced.verdict, Verdict::Safe);
  // 559,632 -> 49,341 (53,760 before a refused step's necessary set left out the disabled
  // moves that need the step itself to fire first, docs/checker.md).
  EXPECT_LT(reduced.states * 11, full.states) << reduced.states << " of " << full.states;
}

}  // namespace
}  // namespace acdsim::checker
