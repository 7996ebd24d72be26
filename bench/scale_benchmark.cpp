// How set-up grows with size (issue 15, "Scale"). After the runs, the growth
// exponent k of time ~ size^k is fitted per operation (least squares on
// log-log) and printed; 1 is linear.
//   validate, graph: a generated topology (storage+LB, DB master and slave, then
//     web and telephony servers in pools and Hazelcast groups of 20), 250 .. 4,000
//     hosts. Targets: 1,000 hosts validate in < 1 s, 5,000 in < 5 s.
//   web-check: `acdsim check` of a startup (storage, DB master, slave, then every
//     web and telephony server, then checks) on N web servers in one Hazelcast
//     group and one pool: set-up (symmetry detection above all) plus a search
//     stopped at 1,000 states; was 81 s of set-up at 500 servers. From 100 up:
//     groups of more than 64 hosts are not reduced, so every size searches
//     alike. The model itself grows with N^2 here (each member's Hazelcast
//     facts name every other member), and so does this set-up.
//   proc-deps: validating a procedure of N steps, each after the 100 before it.
//   chain-check: checking (trivially: the checks all hold at once) a chain of N
//     steps, each after the one before. Target: 10,000 steps in < 2 s.
// Run: build/bench/scale_benchmark (ACDSIM_BUILD_BENCH=ON).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "acdsim/checker/checker.hpp"
#include "acdsim/model/dot.hpp"
#include "acdsim/model/procedure.hpp"
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

// N web servers (and two telephony servers) in one Hazelcast group and one pool.
std::string web_topology(int web) {
  std::string hosts = R"({"alias": "lb", "roles": ["store", "lb"]}, {"alias": "dbm", "roles": ["dbm"]},
    {"alias": "dbs", "roles": ["dbs"]}, {"alias": "tel1", "roles": ["tel"]}, {"alias": "tel2", "roles": ["tel"]})";
  std::string jbs;
  for (int i = 1; i <= web; ++i) {
    hosts += ",\n    {\"alias\": \"jb" + std::to_string(i) + "\", \"roles\": [\"jb\"]}";
    jbs += (i > 1 ? ", \"jb" : "\"jb") + std::to_string(i) + "\"";
  }
  return R"({"format": "acdsim-topology/1", "name": "web", "hosts": [)" + hosts +
         R"(], "share_server": "lb", "replication": [{"master": "dbm", "replica": "dbs"}],
    "hazelcast": [{"name": "platform", "members": ["tel1", "tel2", )" + jbs +
         R"(]}], "pools": [{"name": "web", "router": "lb", "backends": [)" + jbs + "]}]}";
}

// The shipped Medium startup's order (scenarios/procedures/jtel-medium/startup.json).
constexpr const char* kWebStartup = R"({"format": "acdsim-procedure/1", "name": "web startup", "kind": "startup",
  "topology": "web.json", "phases": [
    {"id": "p1", "steps": [{"id": "boot-lb", "action": "power_on", "target": "lb"}], "wait": "lb/samba running"},
    {"id": "p3", "steps": [{"id": "boot-dbm", "action": "power_on", "target": "dbm"}], "wait": "dbm/mysql running"},
    {"id": "p4", "steps": [{"id": "boot-dbs", "action": "power_on", "target": "dbs"}], "wait": "dbs/mysql running"},
    {"id": "p5", "steps": [{"id": "boot-jb", "action": "power_on", "target": "role:jb"},
                           {"id": "boot-tel", "action": "power_on", "target": "role:tel"}]},
    {"id": "checks", "steps": [
      {"id": "check-login", "action": "check", "wait": ["lb/router routing", "role:jb/jboss in_service"]},
      {"id": "check-calls", "action": "check", "wait": "role:tel/telephony in_service"},
      {"id": "check-signalling", "action": "check", "wait": ["role:jb/hazelcast in_cluster", "role:tel/hazelcast in_cluster"]}
    ]}]})";

// What `acdsim check --max-states 1000` does with it: parse both, set up, search.
void BM_WebCheck(benchmark::State& state) {
  const std::string topology_text = web_topology(static_cast<int>(state.range(0)));
  acdsim::checker::Options options;
  options.max_states = 1000;  // every violation looked for: each size searches exactly 1,000 states
  options.all_violations = true;
  double total = 0;
  for (auto _ : state) {
    const double start = cpu_seconds();
    const Topology topology = parse_topology(topology_text, "web.json");
    const Procedure procedure = parse_procedure(kWebStartup, "startup.json", topology);
    benchmark::DoNotOptimize(acdsim::checker::Checker(procedure, topology, options).run().states);
    total += cpu_seconds() - start;
  }
  record(state, "web-check", total);
}
BENCHMARK(BM_WebCheck)->Arg(100)->Arg(200)->Arg(400)->Arg(800)->Unit(benchmark::kMillisecond);

// A maintenance procedure on a small topology: boot "lb", then steps-1 checks
// that "lb" is up, step i after the `after` steps before it.
std::string step_chain(int steps, int after) {
  std::string out = R"({"format": "acdsim-procedure/1", "name": "chain", "kind": "maintenance", "initial": "all_off",
    "topology": "generated.json", "steps": [{"id": "s0", "action": "power_on", "target": "lb"})";
  for (int i = 1; i < steps; ++i) {
    out += ",\n    {\"id\": \"s" + std::to_string(i) + "\", \"action\": \"check\", \"wait\": \"lb up\", \"after\": [";
    for (int j = std::max(0, i - after); j < i; ++j) out += (j > std::max(0, i - after) ? ", \"s" : "\"s") + std::to_string(j) + "\"";
    out += "]}";
  }
  return out + "]}";
}

void BM_ProcedureDeps(benchmark::State& state) {
  const Topology topology = parse_topology(generated_topology(20), "generated.json");
  const std::string text = step_chain(static_cast<int>(state.range(0)), 100);
  double total = 0;
  for (auto _ : state) {
    const double start = cpu_seconds();
    benchmark::DoNotOptimize(parse_procedure(text, "deps.json", topology).steps.size());
    total += cpu_seconds() - start;
  }
  record(state, "proc-deps", total);
}
BENCHMARK(BM_ProcedureDeps)->Arg(500)->Arg(1000)->Arg(2000)->Arg(4000)->Unit(benchmark::kMillisecond);

void BM_ChainCheck(benchmark::State& state) {
  const Topology topology = parse_topology(generated_topology(20), "generated.json");
  const std::string text = step_chain(static_cast<int>(state.range(0)), 1);
  double total = 0;
  for (auto _ : state) {
    const double start = cpu_seconds();
    const Procedure procedure = parse_procedure(text, "chain.json", topology);
    benchmark::DoNotOptimize(acdsim::checker::Checker(procedure, topology).run().states);
    total += cpu_seconds() - start;
  }
  record(state, "chain-check", total);
}
BENCHMARK(BM_ChainCheck)->Arg(1000)->Arg(2000)->Arg(5000)->Arg(10000)->Arg(20000)->Unit(benchmark::kMillisecond);

// Least-squares slope of log(seconds) over log(size).
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
      std::printf("%-11s growth exponent %.2f (CPU time) over sizes %d..%d (time ~ size^k; 1 is linear)\n", what.c_str(),
                  growth_exponent(points), points.begin()->first, points.rbegin()->first);
  return 0;
}
