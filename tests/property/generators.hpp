// RapidCheck generators shared by the property tests: topologies (sizes per
// role, optional roles, redundant storage in both DRBD constructions,
// durations), planned procedures and their mutations, fault schedules.
#pragma once
#include <rapidcheck.h>

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "acdsim/planner/planner.hpp"
#include "acdsim/sim/simulator.hpp"

namespace acdsim::property {

// What a generated topology has; small, so that every property stays fast.
struct Shape {
  bool redundant = false;      // DRBD pair under pacemaker instead of one Samba store
  bool primary_primary = false;
  bool lb = false;
  bool master_master = false;  // a second master, replicating both ways
  int dbs = 0;                 // slaves of the first master
  bool dbr = false;
  int jb = 1, tel = 0;
  bool api = false;
  int boot_low_s = 30, boot_high_s = 90;  // vm.boot_complete range
};

inline std::ostream& operator<<(std::ostream& os, const Shape& s) {
  return os << "{redundant " << s.redundant << (s.primary_primary ? " pp" : "") << ", lb " << s.lb << ", mm "
            << s.master_master << ", dbs " << s.dbs << ", dbr " << s.dbr << ", jb " << s.jb << ", tel " << s.tel
            << ", api " << s.api << ", boot " << s.boot_low_s << ".." << s.boot_high_s << "}";
}

inline rc::Gen<Shape> shapes(int max_servers = 2) {
  return rc::gen::exec([max_servers] {
    Shape s;
    s.redundant = *rc::gen::weightedElement<bool>({{4, false}, {1, true}});
    s.primary_primary = s.redundant && *rc::gen::arbitrary<bool>();
    s.lb = *rc::gen::arbitrary<bool>();
    s.master_master = *rc::gen::weightedElement<bool>({{3, false}, {1, true}});
    s.dbs = *rc::gen::inRange(0, 2);
    s.dbr = *rc::gen::weightedElement<bool>({{3, false}, {1, true}});
    s.jb = *rc::gen::inRange(1, max_servers + 1);
    s.tel = *rc::gen::inRange(0, max_servers + 1);
    s.api = *rc::gen::weightedElement<bool>({{3, false}, {1, true}});
    s.boot_low_s = *rc::gen::inRange(5, 120);
    s.boot_high_s = s.boot_low_s + *rc::gen::inRange(0, 120);
    return s;
  });
}

inline std::string topology_json(const Shape& s) {
  using nlohmann::json;
  json hosts = json::array(), members = json::array(), backends = json::array(), replication = json::array();
  auto host = [&](const std::string& alias, std::vector<std::string> roles) { hosts.push_back({{"alias", alias}, {"roles", roles}}); };
  json j = {{"format", "acdsim-topology/1"}, {"name", "generated"}};
  if (s.redundant) {
    host("acd-st1", {"store"});
    host("acd-st2", {"store"});
    j["storage_cluster"] = {{"name", "storage"}, {"nodes", {"acd-st1", "acd-st2"}},
                            {"construction", s.primary_primary ? "primary_primary" : "primary_secondary"},
                            {"allow_two_primaries", s.primary_primary}, {"drbd_managed_by_pacemaker", true},
                            {"pacemaker_autostart", true}};
    j["share_server"] = "storage";
  } else {
    host("acd-store", {"store"});
    j["share_server"] = "acd-store";
  }
  if (s.lb) host("acd-lb", {"lb"});
  host("acd-dbm1", {"dbm"});
  if (s.master_master) {
    host("acd-dbm2", {"dbm"});
    replication.push_back({{"master", "acd-dbm1"}, {"replica", "acd-dbm2"}});
    replication.push_back({{"master", "acd-dbm2"}, {"replica", "acd-dbm1"}});
  }
  for (int i = 1; i <= s.dbs; ++i) {
    host("acd-dbs" + std::to_string(i), {"dbs"});
    replication.push_back({{"master", "acd-dbm1"}, {"replica", "acd-dbs" + std::to_string(i)}});
  }
  if (s.dbr) {
    host("acd-dbr", {"dbr"});
    replication.push_back({{"master", "acd-dbm1"}, {"replica", "acd-dbr"}});
  }
  for (int i = 1; i <= s.jb; ++i) {
    host("acd-jb" + std::to_string(i), {"jb"});
    members.push_back("acd-jb" + std::to_string(i));
    backends.push_back("acd-jb" + std::to_string(i));
  }
  for (int i = 1; i <= s.tel; ++i) {
    host("acd-tel" + std::to_string(i), {"tel"});
    members.push_back("acd-tel" + std::to_string(i));
  }
  if (s.api) host("acd-api", {"api"});
  j["hosts"] = hosts;
  if (!replication.empty()) j["replication"] = replication;
  j["hazelcast"] = json::array({{{"name", "platform"}, {"members", members}}});
  if (s.lb) j["pools"] = json::array({{{"name", "web"}, {"router", "acd-lb"}, {"backends", backends}}});
  j["parameters"] = {{"durations",
                      {{"vm.boot_complete", {{"uniform", {std::to_string(s.boot_low_s) + "s", std::to_string(s.boot_high_s) + "s"}}}},
                       {"service.start_complete", {{"uniform", {"5s", "60s"}}}},
                       {"jboss.deploy_complete", {{"lognormal", {{"median", "3m"}, {"sigma", 0.4}}}}}}}};
  return j.dump(2);
}

inline model::Topology topology_of(const Shape& s) { return model::parse_topology(topology_json(s), "generated.json"); }

inline checker::Options quick_check() {
  checker::Options o;
  o.max_states = 2'000'000;
  return o;
}

inline planner::Plan plan_of(const model::Topology& t, planner::Kind kind) {
  planner::Options o;
  o.check = quick_check();
  o.topology_reference = "generated.json";
  return planner::plan(t, kind, o);
}

inline model::Procedure procedure_of(const nlohmann::ordered_json& j, const model::Topology& t) {
  return model::parse_procedure(j.dump(), "planned.json", t);
}

// Host steps (power_on / shutdown) that wait for something.
inline std::vector<std::size_t> dependent_host_steps(const nlohmann::ordered_json& procedure) {
  std::vector<std::size_t> out;
  const auto& steps = procedure["steps"];
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].contains("after") && (steps[i]["action"] == "power_on" || steps[i]["action"] == "shutdown")) out.push_back(i);
  return out;
}

// Mutation: the step no longer waits for its dependencies (runs at once).
inline nlohmann::ordered_json without_dependencies(nlohmann::ordered_json procedure, std::size_t step) {
  procedure["steps"][step].erase("after");
  return procedure;
}

// A safe startup or shutdown plan of t, the kind drawn (the case is discarded when there is none).
inline planner::Plan safe_plan(const model::Topology& t) {
  const planner::Kind kind = *rc::gen::element(planner::Kind::Startup, planner::Kind::Shutdown);
  planner::Plan plan = plan_of(t, kind);
  RC_PRE(plan.safe);
  return plan;
}

// safe_plan's procedure, at random with one host step's dependencies dropped.
inline nlohmann::ordered_json safe_plan_perhaps_weakened(const model::Topology& t) {
  auto procedure = safe_plan(t).procedure;
  const auto dependent = dependent_host_steps(procedure);
  if (!dependent.empty() && *rc::gen::arbitrary<bool>()) procedure = without_dependencies(procedure, *rc::gen::elementOf(dependent));
  return procedure;
}

// Mutation: a pause after each host step (power_on / shutdown), a check as
// rollouts generate them: the steps that waited for the host step wait for the
// pause instead. Its wait (the step's own host up, as the file format wants a
// wait on a check) is for without_pause_waits to drop.
inline nlohmann::ordered_json with_pauses(nlohmann::ordered_json procedure) {
  auto& steps = procedure["steps"];
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  std::map<std::string, std::string> pause_of;
  for (const auto& step : steps) {
    out.push_back(step);
    if (step["action"] != "power_on" && step["action"] != "shutdown") continue;
    const std::string id = step["id"], pause = "pause-" + id;
    out.push_back({{"id", pause}, {"action", "check"}, {"wait", step["target"].get<std::string>() + " up"}, {"after", {id}}});
    pause_of[id] = pause;
  }
  for (auto& step : out) {
    if (!step.contains("after") || step["id"].get<std::string>().starts_with("pause-")) continue;
    for (auto& dep : step["after"])
      if (const auto found = pause_of.find(dep.get<std::string>()); found != pause_of.end()) dep = found->second;
  }
  procedure["steps"] = out;
  return procedure;
}

// The pauses of with_pauses wait for nothing: done once their dependencies are.
inline void without_pause_waits(model::Procedure& p) {
  for (model::Step& s : p.steps)
    if (s.id.starts_with("pause-")) s.wait.reset();
}

inline sim::Options quick_run() {
  sim::Options o;
  o.warmup_s = 0;
  o.horizon_s = 0;
  o.timeline = false;
  return o;
}

}  // namespace acdsim::property
