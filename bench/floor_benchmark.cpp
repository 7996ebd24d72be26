// The checker against its floor (issue 16): a breadth-first search written by
// hand for the chain scenario alone (bench/chain_scenario.hpp), and acdsim's
// search of the same scenario, every reduction off, on 1 and 2 threads. After
// the runs it prints the two ratios the issue sets targets for:
//   speed-up  = acdsim 1 thread / acdsim 2 threads   (target >= 1.8 on 2 cores)
//   to floor  = acdsim 1 thread / hand-written BFS   (target <= 1.5)
//   build/bench/floor_benchmark            # W = T = 8: 43,046,727 states, ~1.5 min
//   build/bench/floor_benchmark --size=6   # W = T = 6: 531,447 states, a second
//
// The hand-written search knows the model: 2 bits per VM (Off, Booting, Up), the
// procedure's order hard-coded (storage, then the DB master, then the slave,
// then every server), step statuses implied by the VMs (waits complete at once,
// as in acdsim), the invariant (a server up needs storage and master up)
// checked on every new state, and an open-addressing table of 64-bit states
// with the same prefetching as acdsim's visited set.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "acdsim/checker/checker.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "chain_scenario.hpp"

namespace {

using namespace acdsim;

int g_size = 8;  // W = T

// VM i's 2-bit code in the state: 0 Off, 1 Booting, 2 Up. VM 0 storage, 1 DB
// master, 2 DB slave, 3.. the servers.
struct FloorResult {
  std::uint64_t states = 0, transitions = 0;
  bool safe = true;
};

class FloorTable {  // states + 1 (0: empty), linear probing, at most 3/4 full
 public:
  FloorTable() : slots_(std::size_t{1} << 16), mask_((std::size_t{1} << 16) - 1) {}
  static std::uint64_t hash(std::uint64_t x) {
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
  }
  void prefetch(std::uint64_t h) const { __builtin_prefetch(&slots_[h & mask_]); }
  bool insert(std::uint64_t state, std::uint64_t h) {
    if ((count_ + 1) * 4 > slots_.size() * 3) grow();
    const std::uint64_t key = state + 1;
    for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
      if (slots_[s] == 0) {
        slots_[s] = key;
        ++count_;
        return true;
      }
      if (slots_[s] == key) return false;
    }
  }
  std::size_t size() const { return count_; }

 private:
  void grow() {
    std::vector<std::uint64_t> old(slots_.size() * 2);
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    for (std::uint64_t key : old) {
      if (key == 0) continue;
      std::size_t s = hash(key - 1) & mask_;
      while (slots_[s] != 0) s = (s + 1) & mask_;
      slots_[s] = key;
    }
  }
  std::vector<std::uint64_t> slots_;
  std::size_t mask_;
  std::size_t count_ = 0;
};

FloorResult floor_bfs(int servers) {
  const int vms = 3 + servers;
  auto code = [](std::uint64_t s, int vm) { return (s >> (2 * vm)) & 3; };
  FloorTable visited;
  std::vector<std::uint64_t> level, next{0};
  visited.insert(0, FloorTable::hash(0));
  FloorResult r;
  std::uint64_t batch[64], hashes[64];
  while (!next.empty()) {
    level.swap(next);
    next.clear();
    for (const std::uint64_t s : level) {
      int n = 0;
      // The procedure: a VM's power_on once the step before has completed.
      const bool ready[3] = {true, code(s, 0) == 2, code(s, 1) == 2};
      const bool servers_ready = code(s, 2) == 2;
      for (int vm = 0; vm < vms; ++vm) {
        const std::uint64_t c = code(s, vm);
        if (c == 2 || (c == 0 && !(vm < 3 ? ready[vm] : servers_ready))) continue;
        const std::uint64_t t = s + (std::uint64_t{1} << (2 * vm));  // Off -> Booting (step), Booting -> Up (boots)
        batch[n] = t;
        hashes[n] = FloorTable::hash(t);
        visited.prefetch(hashes[n]);
        ++n;
      }
      r.transitions += n;
      for (int b = 0; b < n; ++b) {
        if (!visited.insert(batch[b], hashes[b])) continue;
        const std::uint64_t t = batch[b];
        const bool base_up = code(t, 0) == 2 && code(t, 1) == 2;
        for (int vm = 3; vm < vms && !base_up; ++vm)
          if (code(t, vm) == 2) r.safe = false;
        next.push_back(t);
      }
    }
  }
  r.states = visited.size();
  return r;
}

std::map<std::string, double> g_seconds;  // by benchmark family

// CPU seconds of the whole process (every thread).
double process_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void Floor(benchmark::State& state) {
  FloorResult r;
  const auto t0 = std::chrono::steady_clock::now();
  for (auto _ : state) r = floor_bfs(2 * g_size);
  g_seconds["floor"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  state.counters["states"] = static_cast<double>(r.states);
  state.counters["transitions"] = static_cast<double>(r.transitions);
  state.counters["safe"] = r.safe;
}

void Acdsim(benchmark::State& state) {
  const int n = g_size;
  const model::Topology topology = model::parse_topology(bench::chain_topology_json(n, n), "chain.json");
  const model::Procedure procedure =
      model::parse_procedure(bench::chain_procedure_json(n, n, "chain.json"), "chain-startup.json", topology);
  checker::Options options;
  options.symmetry = false;
  options.partial_order = false;
  options.threads = static_cast<unsigned>(state.range(0));
  checker::Result r;
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = process_cpu_seconds();
  for (auto _ : state) r = checker::Checker(procedure, topology, options).run();
  state.counters["cpu_s_all_threads"] = process_cpu_seconds() - cpu0;
  g_seconds["threads" + std::to_string(state.range(0))] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  state.counters["states"] = static_cast<double>(r.states);
  state.counters["transitions"] = static_cast<double>(r.transitions);
  state.counters["bytes_per_state"] = static_cast<double>(r.bytes) / static_cast<double>(r.states);
  state.counters["safe"] = r.verdict == checker::Verdict::Safe;
}

BENCHMARK(Floor)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(Acdsim)->ArgName("threads")->Arg(1)->Arg(2)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], "--size=", 7) == 0) {
      g_size = std::atoi(argv[i] + 7);
      if (g_size < 1 || g_size > 14) {
        std::fprintf(stderr, "--size: W = T from 1 to 14 (2 bits per VM in 64)\n");
        return 2;
      }
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc, --i;
    }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  const auto has = [](const char* name) { return g_seconds.count(name) > 0; };
  std::printf("chain W = T = %d, every reduction off\n", g_size);
  if (has("threads1") && has("threads2"))
    std::printf("speed-up, 2 threads over 1: %.2fx (%.2f s / %.2f s; target >= 1.8)\n",
                g_seconds["threads1"] / g_seconds["threads2"], g_seconds["threads1"], g_seconds["threads2"]);
  if (has("threads1") && has("floor"))
    std::printf("1 thread to the hand-written floor: %.2fx (%.2f s / %.2f s; target <= 1.5)\n",
                g_seconds["threads1"] / g_seconds["floor"], g_seconds["threads1"], g_seconds["floor"]);
  return 0;
}
