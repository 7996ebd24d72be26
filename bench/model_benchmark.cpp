// Costs of the model layer: compiling a kind's table from its MSM machine,
// stepping the System (what every driver's inner loop does), packing snapshots.
#include <benchmark/benchmark.h>

#include <random>

#include "acdsim/model/kind_table.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"

namespace {
using namespace acdsim::model;

const System& large_redundant() {
  static const System s(load_topology(ACDSIM_SOURCE_DIR "/scenarios/topologies/jtel-large-redundant.json"));
  return s;
}

void BM_CompileKindTable(benchmark::State& state) {
  const KindId kind = all_kinds()[static_cast<std::size_t>(state.range(0))];
  std::size_t states = 0;
  for (auto _ : state) {
    KindTable t(kind_spec(kind));
    states = t.size();
    benchmark::DoNotOptimize(states);
  }
  state.SetLabel(std::string(kind_spec(kind).name) + ", " + std::to_string(states) + " states");
}
BENCHMARK(BM_CompileKindTable)->DenseRange(0, static_cast<int>(KindId::Count) - 1)->Unit(benchmark::kMicrosecond);

// A random walk over environment moves and faults from all-up: moves applied per second.
void BM_SystemRandomWalk(benchmark::State& state) {
  const System& s = large_redundant();
  std::vector<const Move*> moves;
  for (const Move& m : s.environment_moves()) moves.push_back(&m);
  for (const Move& m : s.fault_moves()) moves.push_back(&m);
  std::mt19937_64 rng(42);
  Snapshot st = s.all_up();
  std::int64_t tried = 0;
  for (auto _ : state) {
    const Move& m = *moves[rng() % moves.size()];
    if (auto next = s.apply(st, m)) st = std::move(*next);
    ++tried;
    if (tried % 4096 == 0) st = s.all_up();
  }
  state.SetItemsProcessed(tried);
  state.SetLabel(std::to_string(s.size()) + " components, " + std::to_string(moves.size()) + " moves");
}
BENCHMARK(BM_SystemRandomWalk);

void BM_SnapshotPackUnpack(benchmark::State& state) {
  const System& s = large_redundant();
  const Snapshot up = s.all_up();
  PackedSnapshot p;
  p.words.resize(s.layout().words());
  for (auto _ : state) {
    s.layout().pack_into(up, p.words);
    benchmark::DoNotOptimize(p.words.data());
    Snapshot back = s.layout().unpack(p);
    benchmark::DoNotOptimize(back.data());
  }
  state.SetLabel(std::to_string(s.layout().bits()) + " bits, " + std::to_string(s.layout().words() * 8) + " bytes packed");
}
BENCHMARK(BM_SnapshotPackUnpack);

}  // namespace

BENCHMARK_MAIN();
