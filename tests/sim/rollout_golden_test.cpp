// Golden simulations of the shipped rollout scenarios (scenarios/rollouts/):
// each line of data/rollout-goldens.txt runs a scenario over seeds 1-20, guard
// as shipped or off, and must give the same verdict and key numbers of the
// web class (time below capacity, abandoned %). A change in the simulator's
// behaviour fails here; the failure prints the line the new behaviour gives
// (paste it after checking why, and explain it in scenarios/README.md).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "acdsim/model/procedure.hpp"
#include "acdsim/sim/simulator.hpp"

namespace acdsim::sim {
namespace {

const std::string kData = std::string(ACDSIM_SOURCE_DIR) + "/tests/sim/data/rollout-goldens.txt";

struct Golden {
  std::string scenario, guard;  // "on" (as shipped) or "off"
  std::string expected;         // the whole line
};

std::vector<Golden> goldens() {
  std::vector<Golden> out;
  std::ifstream in(kData);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    Golden g;
    words >> g.scenario >> g.guard;
    g.expected = line;
    out.push_back(g);
  }
  return out;
}

std::string fixed(double v, int digits) {
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

// "SCENARIO GUARD completed=C refused=R verdict=V below_capacity_s=MEAN/MAX abandoned_pct=MEAN/MAX findings=IDS"
std::string simulate_line(const Golden& g) {
  model::Topology topology;
  const model::Procedure p = model::load_procedure(std::string(ACDSIM_SOURCE_DIR) + "/scenarios/rollouts/" + g.scenario, &topology);
  const Simulator sim(p, topology);
  Options o;
  o.timeline = false;
  if (g.guard == "off") o.guard_threshold = 0;
  const unsigned runs = 20;
  unsigned completed = 0, refused = 0;
  double below_sum = 0, below_max = 0, ab_sum = 0, ab_max = 0;
  std::set<std::string> findings;
  for (unsigned seed = 1; seed <= runs; ++seed) {
    const RunResult r = sim.run(seed, o);
    completed += r.completed;
    refused += !r.refused.empty();
    for (const Finding& f : r.findings)
      if (!f.accepted) findings.insert(f.id);
    for (const ClassMetrics& m : r.classes) {
      if (m.name != "web") continue;
      const double ab = m.offered ? 100.0 * static_cast<double>(m.abandoned) / static_cast<double>(m.offered) : 0;
      below_sum += m.below_capacity_s, below_max = std::max(below_max, m.below_capacity_s);
      ab_sum += ab, ab_max = std::max(ab_max, ab);
    }
  }
  std::string ids;
  for (const std::string& f : findings) ids += (ids.empty() ? "" : ",") + f;
  return g.scenario + " " + g.guard + " completed=" + std::to_string(completed) + " refused=" + std::to_string(refused) +
         " verdict=" + (findings.empty() ? "ok" : "findings") + " below_capacity_s=" + fixed(below_sum / runs, 1) + "/" +
         fixed(below_max, 1) + " abandoned_pct=" + fixed(ab_sum / runs, 3) + "/" + fixed(ab_max, 3) +
         " findings=" + (ids.empty() ? "-" : ids);
}

class RolloutGolden : public testing::TestWithParam<Golden> {};

TEST_P(RolloutGolden, VerdictAndNumbersAreUnchanged) {
  const Golden& g = GetParam();
  EXPECT_EQ(simulate_line(g), g.expected) << "the line this behaviour gives is the first one above";
}

std::string name_of(const testing::TestParamInfo<Golden>& info) {
  std::string n = info.param.scenario + "_guard_" + info.param.guard;
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Shipped, RolloutGolden, testing::ValuesIn(goldens()), name_of);

TEST(RolloutGoldens, EveryShippedScenarioHasALineWithTheGuardOnAndOff) {
  std::set<std::string> listed;
  for (const Golden& g : goldens()) listed.insert(g.scenario + " " + g.guard);
  for (const char* topology : {"jtel-large", "jtel-large-redundant"})
    for (const char* strategy : {"group", "atomic"})
      for (const char* load : {"low", "peak", "over-peak"})
        for (const char* guard : {"on", "off"}) {
          const std::string key = std::string(topology) + "/" + strategy + "-" + load + ".json " + guard;
          EXPECT_TRUE(listed.count(key)) << key;
        }
}

}  // namespace
}  // namespace acdsim::sim
