// CompiledModel::candidates finds the moves that may apply through their gate
// components' codes instead of trying every move: on random walks over the
// shipped topologies' states (every component at a random code, faults
// included) it must give exactly the moves may_apply admits, in ascending
// order, for both ends the search asks for.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "acdsim/checker/compiled.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"

namespace acdsim::checker {
namespace {

std::vector<std::uint32_t> by_trying_every_move(const CompiledModel& model, const Word* s, std::uint32_t end) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t m = 0; m < end; ++m)
    if (model.may_apply(m, s)) out.push_back(m);
  return out;
}

TEST(GateIndex, CandidatesAreTheMovesMayApplyAdmits) {
  for (const char* name : {"jtel-small", "jtel-medium", "jtel-large-redundant", "jtel-large-redundant-pp"}) {
    const model::System system(
        model::load_topology(std::string(ACDSIM_SOURCE_DIR) + "/scenarios/topologies/" + name + ".json"));
    Layout layout;
    const CompiledModel model(system, layout);
    ASSERT_GT(model.faults_end(), model.environment_end()) << name;
    std::size_t admitted = 0;
    std::mt19937_64 random(42);
    std::vector<Word> state(layout.words());
    std::vector<std::uint32_t> candidates;
    for (int round = 0; round < 2000; ++round) {  // every component at a random code of its kind
      model::Snapshot snapshot(system.size());
      for (model::ComponentIndex c = 0; c < system.size(); ++c)
        snapshot[c] = static_cast<model::LocalCode>(random() % system.table(c).size());
      std::fill(state.begin(), state.end(), 0);
      model.pack(snapshot, state.data());
      for (std::uint32_t end : {model.environment_end(), model.faults_end()}) {
        model.candidates(state.data(), end, candidates);
        ASSERT_EQ(candidates, by_trying_every_move(model, state.data(), end)) << name << " round " << round;
        admitted += candidates.size();
      }
    }
    EXPECT_GT(admitted, 2000u) << name;  // not only empty lists compared
  }
}

}  // namespace
}  // namespace acdsim::checker
