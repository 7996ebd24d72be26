// Symmetry reduction with steps that belong to no host: a check without a
// wait (a rollout's pause), a check waiting on the storage cluster, a command
// on cluster:storage, placed between interchangeable hosts' own steps. Such a
// step is moved by a swap of its hosts (through its dependencies) although it
// mentions none of their components; it was once left out of every host's
// block, so sorting the blocks made states that no run reaches and the
// counterexample could not be replayed ("internal error").
#include <gtest/gtest.h>

#include <exception>
#include <string>
#include <vector>

#include "acdsim/checker/checker.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "chain_scenario.hpp"
#include "reduction_agreement.hpp"

namespace acdsim::checker {
namespace {

using search_test::reductions;

constexpr std::uint64_t kMaxStates = 1'000'000;

// web1..webN start after the DB slave, each followed by a per-host step of the
// given shape (`pause`, JSON members after "id"), then a per-host check that
// the web server is up. `tail` is appended to the steps (a global step or none).
std::string procedure(int web, const std::string& pause, const std::string& tail) {
  std::string out = R"({"format": "acdsim-procedure/1", "name": "hostless", "kind": "startup", "topology": "chain.json",
  "invariants": [{"id": "web-needs-master", "severity": "outage", "reason": "a web server is up without the DB master",
                  "when": "web1 up", "then": ["dbm up"]})";
  for (int i = 2; i <= web; ++i)
    out += R"(, {"id": "web)" + std::to_string(i) + R"(-needs-master", "severity": "outage", "reason": "same", "when": "web)" +
           std::to_string(i) + R"( up", "then": ["dbm up"]})";
  out += R"(],
  "steps": [
    {"id": "storage", "action": "power_on", "target": "storage", "wait": "storage up"},
    {"id": "dbm", "action": "power_on", "target": "dbm", "after": ["storage"], "wait": "dbm up"},
    {"id": "dbs", "action": "power_on", "target": "dbs", "after": ["dbm"], "wait": "dbs up"})";
  std::vector<std::string> ups;
  for (int i = 1; i <= web; ++i) {
    const std::string w = "web" + std::to_string(i);
    out += R"(,
    {"id": "on-)" + w + R"(", "action": "power_on", "target": ")" + w + R"(", "after": ["dbs"]},
    {"id": "pause-)" + w + R"(", )" + pause + R"(, "after": ["on-)" + w + R"("]},
    {"id": "up-)" + w + R"(", "action": "check", "wait": ")" + w + R"( up", "after": ["pause-)" + w + R"("]})";
    ups.push_back("\"up-" + w + "\"");
  }
  std::string after;
  for (const std::string& u : ups) after += (after.empty() ? "" : ", ") + u;
  if (!tail.empty()) out += ",\n    " + tail.substr(0, tail.size() - 1) + R"(, "after": [)" + after + "]}";
  return out + "\n  ]\n}\n";
}

struct Shape {
  const char* name;
  std::string pause;
  bool drop_wait = false;  // the file format wants a wait on a check; generated steps (rollouts) may have none
};

const std::vector<Shape>& shapes() {
  static const std::vector<Shape> all = {
      {"check without a wait", R"("action": "check", "wait": "storage up")", true},
      {"check waiting on a host outside the group", R"("action": "check", "wait": "storage up")"},
      {"check waiting with any", R"("action": "check", "wait": {"any": ["storage up", "dbm up"]})"},
  };
  return all;
}

void expect_agree(const std::string& text, int web, const std::string& name, bool expect_grouped, bool drop_wait = false) {
  const model::Topology topology = model::parse_topology(bench::chain_topology_json(web, 0), "chain.json");
  model::Procedure p = model::parse_procedure(text, "p.json", topology);
  if (drop_wait)
    for (model::Step& s : p.steps)
      if (s.id.starts_with("pause")) s.wait.reset();
  search_test::expect_reductions_agree(
      p, topology, name, kMaxStates, [&](const Result& reduced, const Result& full, const std::string& run, bool sym, bool) {
        if (!sym || !expect_grouped) return;
        std::string group;
        for (int i = 1; i <= web; ++i) group += (i > 1 ? " " : "") + ("web" + std::to_string(i));
        EXPECT_NE((" " + reduced.symmetry + ";").find(" " + group + ";"), std::string::npos)
            << run << ": the web servers stay interchangeable, got " << reduced.symmetry;
        EXPECT_LT(reduced.states, full.states) << run;
      });
}

// Safe: every run ends with all web servers up.
TEST(HostlessSteps, SafeProceduresAgreeAndStayGrouped) {
  for (int web : {2, 3})
    for (const Shape& s : shapes())
      expect_agree(procedure(web, s.pause, ""), web, std::string(s.name) + ", " + std::to_string(web) + " web", true,
                   s.drop_wait);
}

// Violated: a global step powers the DB master off after every web server is up;
// the counterexample passes through states where the blocks were sorted.
TEST(HostlessSteps, ViolationsReplayWithSymmetry) {
  const std::string off = R"({"id": "off-dbm", "action": "power_off", "target": "dbm"})";
  for (int web : {2, 3})
    for (const Shape& s : shapes())
      expect_agree(procedure(web, s.pause, off), web, std::string(s.name) + ", violated, " + std::to_string(web) + " web",
                   true, s.drop_wait);
}

// A global check without a wait after every host's steps, and per-host steps
// after it: the check is its own image under every swap.
TEST(HostlessSteps, GlobalCheckWithoutWaitBetweenHostSteps) {
  const std::string text = R"({"format": "acdsim-procedure/1", "name": "g", "kind": "startup", "topology": "chain.json",
  "steps": [
    {"id": "storage", "action": "power_on", "target": "storage", "wait": "storage up"},
    {"id": "on-web1", "action": "power_on", "target": "web1", "after": ["storage"]},
    {"id": "on-web2", "action": "power_on", "target": "web2", "after": ["storage"]},
    {"id": "pause", "action": "check", "wait": "storage up", "after": ["on-web1", "on-web2"]},
    {"id": "off-web1", "action": "power_off", "target": "web1", "after": ["pause"]},
    {"id": "off-web2", "action": "power_off", "target": "web2", "after": ["pause"]},
    {"id": "off-storage", "action": "power_off", "target": "storage", "after": ["pause"]}
  ]})";
  expect_agree(text, 2, "global pause", true, true);
}

// A DRBD pair under pacemaker and two web servers: a cluster command
// (cluster:storage, on both storage nodes) or a check on a storage node, per
// web server between its own steps. The storage nodes are interchangeable too:
// a cluster:storage step is its own image under their swap (global).
TEST(HostlessSteps, ClusterStepsBetweenWebServerSteps) {
  const std::string topology_text = R"({"format": "acdsim-topology/1", "name": "pair",
  "hosts": [{"alias": "acd-st1", "roles": ["store"]}, {"alias": "acd-st2", "roles": ["store"]},
            {"alias": "acd-dbm1", "roles": ["dbm"]}, {"alias": "acd-jb1", "roles": ["jb"]}, {"alias": "acd-jb2", "roles": ["jb"]}],
  "storage_cluster": {"name": "storage", "nodes": ["acd-st1", "acd-st2"], "construction": "primary_secondary",
                      "allow_two_primaries": false, "drbd_managed_by_pacemaker": true, "pacemaker_autostart": true},
  "share_server": "storage",
  "hazelcast": [{"name": "platform", "members": ["acd-jb1", "acd-jb2"]}]})";
  const model::Topology topology = model::parse_topology(topology_text, "pair.json");
  for (const std::string middle : {R"("action": "pcs_resource_cleanup", "target": "cluster:storage")",
                                   R"("action": "check", "wait": "acd-st1 up")"}) {
    std::string text = R"({"format": "acdsim-procedure/1", "name": "c", "kind": "startup", "topology": "pair.json",
    "steps": [
      {"id": "on-st1", "action": "power_on", "target": "acd-st1", "wait": "acd-st1 up"},
      {"id": "on-st2", "action": "power_on", "target": "acd-st2", "wait": "acd-st2 up"},
      {"id": "cleanup", "action": "pcs_resource_cleanup", "target": "cluster:storage", "after": ["on-st1", "on-st2"],
       "wait": {"any": ["acd-st1/pacemaker active", "acd-st2/pacemaker active"]}},
      {"id": "on-dbm", "action": "power_on", "target": "acd-dbm1", "after": ["cleanup"], "wait": "acd-dbm1/mysql running"})";
    for (const std::string w : {"acd-jb1", "acd-jb2"})
      text += R"(,
      {"id": "on-)" + w + R"(", "action": "power_on", "target": ")" + w + R"(", "after": ["on-dbm"]},
      {"id": "mid-)" + w + R"(", )" + middle + R"(, "after": ["on-)" + w + R"("]},
      {"id": "up-)" + w + R"(", "action": "check", "wait": ")" + w + R"( up", "after": ["mid-)" + w + R"("]})";
    text += "]}";
    const model::Procedure p = model::parse_procedure(text, "p.json", topology);
    const Result full = Checker(p, topology, reductions(false, false, kMaxStates)).run();
    ASSERT_EQ(full.verdict, Verdict::Safe) << middle;
    Result reduced;
    try {
      reduced = Checker(p, topology, reductions(true, false, kMaxStates)).run();
    } catch (const std::exception& e) {
      FAIL() << middle << ": " << e.what();
    }
    EXPECT_EQ(reduced.verdict, full.verdict) << middle;
    EXPECT_LT(reduced.states, full.states) << middle;
    EXPECT_NE(reduced.symmetry.find("acd-jb1 acd-jb2"), std::string::npos) << middle << ": " << reduced.symmetry;
  }
}

}  // namespace
}  // namespace acdsim::checker
