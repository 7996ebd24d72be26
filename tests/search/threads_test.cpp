// The parallel search gives the one-thread result whatever the number of
// threads: same states, transitions, depth and bytes, same verdict, the same
// violations with the same traces, the same report (docs/checker.md, "Threads").
// Small waves (Options::wave_parents) make several waves per level and
// several chunks per wave even on small models; 3 and 4 threads make as many
// partitions of the visited set.
#include <gtest/gtest.h>

#include <filesystem>

#include "acdsim/checker/checker.hpp"
#include "acdsim/checker/report.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "chain_scenario.hpp"

namespace acdsim::checker {
namespace {

// The report as JSON without its time.
nlohmann::json report_of(const model::Procedure& p, Result r) {
  r.seconds = 0;
  return report_json(Checked{"p.json", p, std::move(r), nlohmann::json()});
}

void expect_same_for_threads(const model::Procedure& p, const model::Topology& t, Options o, const std::string& name) {
  o.threads = 1;
  const Result one = Checker(p, t, o).run();
  const nlohmann::json expected = report_of(p, one);
  for (unsigned threads : {2u, 3u, 4u})
    for (std::uint32_t wave : {0u, 7u}) {
      o.threads = threads;
      o.wave_parents = wave;
      const Result r = Checker(p, t, o).run();
      const std::string what = name + " threads=" + std::to_string(threads) + " wave=" + std::to_string(wave) +
                               " sym=" + std::to_string(o.symmetry) + " por=" + std::to_string(o.partial_order);
      EXPECT_EQ(r.verdict, one.verdict) << what;
      EXPECT_EQ(r.states, one.states) << what;
      EXPECT_EQ(r.transitions, one.transitions) << what;
      EXPECT_EQ(r.depth, one.depth) << what;
      EXPECT_EQ(r.bytes, one.bytes) << what;
      EXPECT_EQ(r.violations.size(), one.violations.size()) << what;
      if (r.violation && one.violation) {
        EXPECT_EQ(r.violation->trace.size(), one.violation->trace.size()) << what;
      }
      EXPECT_EQ(report_of(p, r), expected) << what;
    }
}

// With and without each reduction.
void expect_same_for_threads_reduced_or_not(const model::Procedure& p, const model::Topology& t, const Options& base,
                                            const std::string& name) {
  for (auto [sym, por] : {std::pair{false, false}, {true, false}, {false, true}, {true, true}}) {
    Options o = base;
    o.symmetry = sym;
    o.partial_order = por;
    expect_same_for_threads(p, t, o, name);
  }
}

struct Chain {
  model::Topology topology;
  model::Procedure procedure;
};
Chain chain(int n) {
  Chain c;
  c.topology = model::parse_topology(bench::chain_topology_json(n, n), "chain.json");
  c.procedure = model::parse_procedure(bench::chain_procedure_json(n, n, "chain.json"), "chain-startup.json", c.topology);
  return c;
}

TEST(Threads, ChainGivesTheSameSearchOnAnyNumberOfThreads) {
  const Chain c = chain(4);
  expect_same_for_threads_reduced_or_not(c.procedure, c.topology, Options{}, "chain-4-4");
  Options o;
  o.symmetry = o.partial_order = false;
  o.threads = 3;
  const Result r = Checker(c.procedure, c.topology, o).run();
  EXPECT_EQ(r.states, 6561u + 6u);  // 3^(W+T) + 6
  EXPECT_EQ(r.verdict, Verdict::Safe);
}

// A state limit stops after the same state, a memory limit at the same point.
TEST(Threads, LimitsStopAtTheSameState) {
  const Chain c = chain(4);
  Options o;
  o.symmetry = o.partial_order = false;
  o.max_states = 1000;
  expect_same_for_threads(c.procedure, c.topology, o, "chain-4-4 max 1000");
  o.max_states = 200'000'000;
  o.max_memory_bytes = 1u << 20;
  const Chain big = chain(5);
  expect_same_for_threads(big.procedure, big.topology, o, "chain-5-5 1 MiB");
  o.threads = 2;
  EXPECT_EQ(Checker(big.procedure, big.topology, o).run().verdict, Verdict::Incomplete);
}

// Shipped procedures, safe and known-bad, with and without each reduction:
// the whole report (every violation, its trace, accepted findings) is the same.
TEST(Threads, ShippedProceduresGiveTheSameReport) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(ACDSIM_SOURCE_DIR) / "scenarios/procedures";
  std::vector<fs::path> files = {root / "jtel-small/startup.json", root / "jtel-small/shutdown.json",
                                 root / "jtel-medium/startup.json", root / "jtel-medium/shutdown.json",
                                 root / "jtel-large-redundant/storage-start-one.json"};
  for (const fs::path& dir : {root / "jtel-medium/known-bad", root / "jtel-large-redundant-pp/known-bad"})
    for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    model::Topology t;
    const model::Procedure p = model::load_procedure(f.string(), &t);
    Options o;
    o.max_states = 300'000;
    o.states_after_violation = 50'000;
    for (const std::string& s : t.accepts) o.accepted.push_back(*severity_by_name(s));
    if (f.string().find("jtel-large") == std::string::npos)
      expect_same_for_threads_reduced_or_not(p, t, o, fs::relative(f, root).string());
    else  // too large unreduced for a test: every reduction on (the default)
      expect_same_for_threads(p, t, o, fs::relative(f, root).string());
  }
}

// The first violation only (--first): the same one, with a trace of the same length.
TEST(Threads, FirstViolationIsTheSame) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(ACDSIM_SOURCE_DIR) / "scenarios/procedures/jtel-medium/known-bad";
  for (const auto& e : fs::directory_iterator(dir)) {
    model::Topology t;
    const model::Procedure p = model::load_procedure(e.path().string(), &t);
    Options o;
    o.all_violations = false;
    o.max_states = 300'000;
    for (auto [sym, por] : {std::pair{false, false}, {true, true}}) {
      o.symmetry = sym;
      o.partial_order = por;
      expect_same_for_threads(p, t, o, e.path().filename().string() + " --first");
    }
  }
}

}  // namespace
}  // namespace acdsim::checker
