// Simulator benchmarks: the event kernel on M/M/8 (arrival 7.2, service 1,
// 1,000,000 customers, fixed seed) against a minimal hand-written
// priority-queue loop in the same binary, and 1,000 rollouts of jtel-large
// over a peak hour on 2 threads.
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <deque>
#include <queue>
#include <thread>

#include "acdsim/model/procedure.hpp"
#include "acdsim/sim/simulator.hpp"
#include "acdsim/sim/station.hpp"

using namespace acdsim::sim;

namespace {

constexpr std::uint64_t kCustomers = 1'000'000;

struct KernelResult {
  std::uint64_t events;
  double mean_wait;
};

// Our kernel: EventQueue + named streams + Station (the simulator's own parts).
KernelResult kernel_mm8() {
  EventQueue q;
  Rng arrivals = stream(1, "arrivals"), handle = stream(1, "handle"), patience = stream(1, "patience");
  const acdsim::model::Duration service{acdsim::model::Duration::Shape::Exponential, 1.0, 0, {}};
  Station st(0, {8}, service, std::nullopt, 1, false);
  q.push(0, 0);
  std::uint64_t arrived = 0, events = 0;
  while (!q.empty()) {
    const Event e = q.pop();
    ++events;
    if (e.type == 0) {
      st.arrive(e.time, q, handle, patience);
      if (++arrived < kCustomers) q.push(e.time + from_seconds(arrivals.exponential(1 / 7.2)), 0);
    } else {
      st.depart(e.time, e.b, q, handle);
    }
  }
  return {events, st.stats().wait_sum / static_cast<double>(st.stats().served)};
}

// The floor: a minimal hand-written M/M/8 loop over std::priority_queue.
KernelResult hand_mm8() {
  struct Ev {
    double t;
    bool arrival;
    bool operator>(const Ev& o) const { return t > o.t; }
  };
  std::priority_queue<Ev, std::vector<Ev>, std::greater<Ev>> q;
  Rng a(1), s(2);
  std::deque<double> waiting;
  int busy = 0;
  std::uint64_t arrived = 0, events = 0;
  double wait_sum = 0;
  q.push({0, true});
  while (!q.empty()) {
    const Ev e = q.top();
    q.pop();
    ++events;
    if (e.arrival) {
      if (busy < 8) ++busy, q.push({e.t + s.exponential(1), false});
      else waiting.push_back(e.t);
      if (++arrived < kCustomers) q.push({e.t + a.exponential(1 / 7.2), true});
    } else if (!waiting.empty()) {
      wait_sum += e.t - waiting.front();
      waiting.pop_front();
      q.push({e.t + s.exponential(1), false});
    } else {
      --busy;
    }
  }
  return {events, wait_sum / static_cast<double>(kCustomers)};
}

void BM_KernelMM8(benchmark::State& state) {
  KernelResult r{};
  for (auto _ : state) benchmark::DoNotOptimize(r = kernel_mm8());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * r.events));
  state.counters["mean_wait"] = r.mean_wait;
  state.counters["erlang_c"] = erlang_c_mean_wait(8, 7.2, 1.0);
  state.counters["rel_error"] = std::abs(r.mean_wait / erlang_c_mean_wait(8, 7.2, 1.0) - 1);
}
BENCHMARK(BM_KernelMM8)->Unit(benchmark::kMillisecond);

void BM_HandLoopMM8(benchmark::State& state) {
  KernelResult r{};
  for (auto _ : state) benchmark::DoNotOptimize(r = hand_mm8());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * r.events));
  state.counters["mean_wait"] = r.mean_wait;
}
BENCHMARK(BM_HandLoopMM8)->Unit(benchmark::kMillisecond);

// Both in one run: our events/s over the hand loop's (target >= 0.5).
void BM_KernelToHandRatio(benchmark::State& state) {
  double ours = 0, hand = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    const KernelResult k = kernel_mm8();
    auto t1 = std::chrono::steady_clock::now();
    const KernelResult h = hand_mm8();
    auto t2 = std::chrono::steady_clock::now();
    ours = static_cast<double>(k.events) / std::chrono::duration<double>(t1 - t0).count();
    hand = static_cast<double>(h.events) / std::chrono::duration<double>(t2 - t1).count();
  }
  state.counters["kernel_Mev_per_s"] = ours / 1e6;
  state.counters["hand_Mev_per_s"] = hand / 1e6;
  state.counters["ratio"] = ours / hand;
}
BENCHMARK(BM_KernelToHandRatio)->Unit(benchmark::kMillisecond)->Iterations(3);

// 1,000 simulated group rollouts of jtel-large over a peak hour, 2 threads.
void BM_ThousandRolloutsJtelLarge(benchmark::State& state) {
  acdsim::model::Topology topology;
  const auto procedure =
      acdsim::model::load_procedure(std::string(ACDSIM_SOURCE_DIR) + "/scenarios/rollouts/jtel-large/group-peak.json", &topology);
  const Simulator sim(procedure, topology);
  Options o;
  o.timeline = false;
  o.warmup_s = 600;
  o.horizon_s = 3600;
  std::uint64_t events = 0;
  for (auto _ : state) {
    std::atomic<std::uint64_t> total{0};
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < 2; ++t)
      threads.emplace_back([&, t] {
        for (std::uint64_t seed = t; seed < 1000; seed += 2) total += sim.run(seed, o).events;
      });
    for (auto& th : threads) th.join();
    events = total;
  }
  state.counters["events_per_run"] = static_cast<double>(events) / 1000;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events));
}
BENCHMARK(BM_ThousandRolloutsJtelLarge)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
