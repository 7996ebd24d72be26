// Checker speed and memory on the chain scenario (bench/chain_scenario.hpp)
// and on the shipped jtel procedures. Counters: states, states per second,
// bytes per stored state (hash table, interned procedure parts and the
// breadth-first frontier included).
//   build/bench/checker_benchmark --benchmark_filter=Chain
#include <benchmark/benchmark.h>

#include "acdsim/checker/checker.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "chain_scenario.hpp"

namespace {

using namespace acdsim;

void report(benchmark::State& state, const checker::Result& r) {
  state.counters["states"] = static_cast<double>(r.states);
  state.counters["transitions"] = static_cast<double>(r.transitions);
  state.counters["states_per_s"] = static_cast<double>(r.states) / r.seconds;
  state.counters["bytes_per_state"] = static_cast<double>(r.bytes) / static_cast<double>(r.states);
  state.counters["safe"] = r.verdict == checker::Verdict::Safe;
}

// Args: W (= T), symmetry, partial-order reduction.
void Chain(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const model::Topology topology = model::parse_topology(bench::chain_topology_json(n, n), "chain.json");
  const model::Procedure procedure =
      model::parse_procedure(bench::chain_procedure_json(n, n, "chain.json"), "chain-startup.json", topology);
  checker::Options options;
  options.symmetry = state.range(1) != 0;
  options.partial_order = state.range(2) != 0;
  checker::Result r;
  for (auto _ : state) r = checker::Checker(procedure, topology, options).run();
  report(state, r);
}
BENCHMARK(Chain)
    ->ArgNames({"W=T", "sym", "por"})
    ->Args({6, 0, 0})
    ->Args({8, 0, 0})
    ->Args({6, 0, 1})
    ->Args({8, 0, 1})
    ->Args({6, 1, 0})
    ->Args({8, 1, 0})
    ->Args({10, 1, 0})
    ->Args({10, 1, 1})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// A shipped procedure, every reduction on.
void Shipped(benchmark::State& state, const char* file) {
  model::Topology topology;
  const model::Procedure procedure = model::load_procedure(std::string(ACDSIM_SOURCE_DIR) + "/" + file, &topology);
  checker::Result r;
  for (auto _ : state) r = checker::Checker(procedure, topology).run();
  report(state, r);
}
BENCHMARK_CAPTURE(Shipped, large_startup, "scenarios/procedures/jtel-large/startup.json")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Shipped, large_shutdown, "scenarios/procedures/jtel-large/shutdown.json")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Shipped, redundant_startup, "scenarios/procedures/jtel-large-redundant/startup.json")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Shipped, redundant_shutdown, "scenarios/procedures/jtel-large-redundant/shutdown.json")
    ->Unit(benchmark::kMillisecond);

}  // namespace
