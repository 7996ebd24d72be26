// How validation and graph drawing grow with the number of hosts. A generated
// topology (storage+LB, DB master and slave, then web and telephony servers in
// pools and Hazelcast groups of 20) at 250 .. 4,000 hosts; after the runs, the
// growth exponent k of time ~ hosts^k is fitted per operation (least squares on
// log-log) and printed. Targets: 1,000 hosts validate in < 1 s, 5,000 in < 5 s.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "acdsim/model/dot.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"

namespace {
using namespace acdsim::model;

std::string generated_topology(int hosts) {
  std::string jbs, all_apps, text = R"({"format": "acdsim-topology/1", "name": "scale", "hosts": [
    {"alias": "lb", "roles": ["store", "lb"]}, {"alias": "dbm", "roles": ["dbm"]}, {"alias": "dbs", "roles": ["dbs"]})";
  std::vector<std::string> apps;
  for (int i = 0; i < hosts - 3; ++i) {
    const bool web = i % 2 == 0;
    const std::string alias = (web ? "jb" : "tel") + std::to_string(i);
    text += ",\n    {\"alias\": \"" + alias + "\", \"roles\": [\"" + (web ? "jb" : "tel") + "\"]}";
    if (web) jbs += (jbs.empty() ? "\"" : ", \"") + alias + "\"";
    apps.push_back(alias);
  }
  text += R"(], "share_server": "lb", "replication": [{"master": "dbm", "replica": "dbs"}], "hazelcast": [)";
  for (std::size_t g = 0; g * 20 < apps.size(); ++g) {
    text += (g ? ", " : "") + std::string("{\"name\": \"hz") + std::to_string(g) + "\", \"members\": [";
    for (std::size_t i = g * 20; i < std::min(apps.size(), g * 20 + 20); ++i)
      text += (i > g * 20 ? ", \"" : "\"") + apps[i] + "\"";
    text += "]}";
  }
  text += R"(], "pools": [{"name": "web", "router": "lb", "backends": [)" + jbs + "]}]}";
  return text;
}

// CPU time of this process: the runs are single-threaded, and wall time on a
// shared 2-core machine mostly measures the neighbours.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

std::map<std::string, std::map<int, double>>& seconds_per_size() {
  static std::map<std::string, std::map<int, double>> m;
  return m;
}

void record(benchmark::State& state, const char* what, double seconds) {
  seconds_per_size()[what][static_cast<int>(state.range(0))] = seconds / static_cast<double>(state.iterations());
}

// What `acdsim validate` does with a topology: parse, build the System, map it fully running.
void BM_Validate(benchmark::State& state) {
  const std::string text = generated_topology(static_cast<int>(state.range(0)));
  double total = 0;
  for (auto _ : state) {
    const double start = cpu_seconds();
    System system(parse_topology(text, "generated.json"));
    benchmark::DoNotOptimize(system.all_up());
    total += cpu_seconds() - start;
  }
  record(state, "validate", total);
}
BENCHMARK(BM_Validate)->Arg(250)->Arg(500)->Arg(1000)->Arg(2000)->Arg(4000)->Unit(benchmark::kMillisecond);

// What `acdsim graph` does: parse and write the DOT text.
void BM_Graph(benchmark::State& state) {
  const std::string text = generated_topology(static_cast<int>(state.range(0)));
  double total = 0;
  for (auto _ : state) {
    const double start = cpu_seconds();
    benchmark::DoNotOptimize(topology_dot(parse_topology(text, "generated.json")));
    total += cpu_seconds() - start;
  }
  record(state, "graph", total);
}
BENCHMARK(BM_Graph)->Arg(250)->Arg(500)->Arg(1000)->Arg(2000)->Arg(4000)->Unit(benchmark::kMillisecond);

// Least-squares slope of log(seconds) over log(hosts).
double growth_exponent(const std::map<int, double>& points) {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& [hosts, seconds] : points) {
    const double x = std::log(hosts), y = std::log(seconds);
    n += 1, sx += x, sy += y, sxx += x * x, sxy += x * y;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  for (const auto& [what, points] : seconds_per_size())
    if (points.size() >= 2)
      std::printf("%-9s growth exponent %.2f (CPU time) over %d..%d hosts (time ~ hosts^k; 1 is linear)\n", what.c_str(),
                  growth_exponent(points), points.begin()->first, points.rbegin()->first);
  return 0;
}
