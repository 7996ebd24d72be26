#include "acdsim/model/procedure.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <fstream>

#include "input_test_data.hpp"

namespace acdsim::model {
namespace {

using test::edit;
using test::error_of;
using test::expect_error;
using test::kProcedure;
using test::kTopology;
using test::mutate;

const Topology& topology() {
  static const Topology t = parse_topology(std::string(kTopology), "t.json");
  return t;
}

Procedure parse(const std::string& text, const Topology& t = topology()) { return parse_procedure(text, "p.json", t); }

void expect_bad(const std::string& text, std::string_view pointer, int line, std::string_view fragment,
                const Topology& t = topology()) {
  expect_error(error_of([&] { parse(text, t); }), "p.json", pointer, line, fragment);
}

const Step& step(const Procedure& p, std::string_view id) {
  for (const Step& s : p.steps)
    if (s.id == id) return s;
  throw std::out_of_range("no step " + std::string(id));
}

using Ids = std::vector<std::string>;

// ---- valid input ----------------------------------------------------------------

TEST(Procedure, ParsesAValidFile) {
  const Procedure p = parse(std::string(kProcedure));
  EXPECT_EQ(p.name, "test startup");
  EXPECT_EQ(p.source_file, "p.json");
  EXPECT_EQ(p.kind, "startup");
  EXPECT_EQ(p.topology_file, "t.json");
  EXPECT_TRUE(p.accepts.empty());
  ASSERT_EQ(p.steps.size(), 11u);
  const Step& pcs = p.steps[2];
  EXPECT_EQ(pcs.id, "pcs");
  EXPECT_EQ(pcs.action, "pcs_cluster_start");
  EXPECT_EQ(pcs.target, "cluster:storage");
  EXPECT_EQ(pcs.after, (Ids{"on-lb1", "on-lb2"}));
  EXPECT_FALSE(pcs.wait);
  EXPECT_EQ(pcs.timeout_s, 0);
  EXPECT_EQ(pcs.json_path, "/steps/2");
  EXPECT_TRUE(pcs.phase.empty());
  const Step& primary = step(p, "primary");
  ASSERT_TRUE(primary.wait);
  ASSERT_EQ(primary.wait->atoms.size(), 1u);
  EXPECT_EQ(primary.wait->atoms[0].component, "acd-lb1/drbd");
  EXPECT_EQ(primary.wait->atoms[0].predicate, "primary");
  EXPECT_FALSE(primary.wait->atoms[0].negated);
  EXPECT_DOUBLE_EQ(primary.timeout_s, 300);
}

TEST(Procedure, DefaultInitialDependsOnTheKind) {
  EXPECT_EQ(parse(std::string(kProcedure)).initial, "all_off");
  for (const char* kind : {"shutdown", "failover", "failback", "maintenance", "rollout"})
    EXPECT_EQ(parse(edit(kProcedure, R"("kind": "startup")", std::string(R"("kind": ")") + kind + "\"")).initial,
              "all_up")
        << kind;
}

TEST(Procedure, ExplicitInitialAcceptsAndReadings) {
  const Procedure p = parse(edit(kProcedure, R"("kind": "startup",)",
                                 R"("kind": "startup", "initial": "../snapshots/half.json", "accepts": ["warning", "outage"], "readings": ["r1", "r2"],)"));
  EXPECT_EQ(p.initial, "../snapshots/half.json");
  EXPECT_EQ(p.accepts, (Ids{"warning", "outage"}));
  EXPECT_EQ(p.readings, (Ids{"r1", "r2"}));
  EXPECT_EQ(parse(edit(kProcedure, R"("kind": "startup",)", R"("kind": "startup", "initial": "all_up",)")).initial,
            "all_up");
}

TEST(Procedure, RoleTargetsAreKeptAsWritten) {
  const Procedure p = parse(std::string(kProcedure));
  const Step& s = step(p, "on-jb");
  EXPECT_EQ(s.target, "role:jb");
  EXPECT_EQ(s.after, (Ids{"primary", "on-dbm"}));
  // A component action on a role: every host with the role has the component.
  EXPECT_EQ(step(parse(edit(kProcedure, R"("target": "acd-jb1/jboss")", R"("target": "role:jb")")), "app").target,
            "role:jb");
}

TEST(Procedure, ComponentAndHostTargets) {
  const Procedure p = parse(std::string(kProcedure));
  EXPECT_EQ(step(p, "app").target, "acd-jb1/jboss");
  EXPECT_EQ(step(p, "tel").target, "acd-tel1");  // the host's one telephony component
  EXPECT_EQ(step(p, "repl").target, "acd-dbs");  // the host's one replication channel
  // A cluster action also takes one node of the cluster (pcs without --all).
  EXPECT_EQ(step(parse(edit(kProcedure, R"("target": "cluster:storage")", R"("target": "acd-lb2")")), "pcs").target,
            "acd-lb2");
}

TEST(Procedure, WaitConditions) {
  const Procedure p = parse(std::string(kProcedure));
  const Step& ready = step(p, "ready");
  EXPECT_EQ(ready.action, "check");
  EXPECT_TRUE(ready.target.empty());
  EXPECT_EQ(ready.note, "all up");
  EXPECT_DOUBLE_EQ(ready.timeout_s, 600);
  ASSERT_TRUE(ready.wait);
  EXPECT_EQ(ready.wait->mode, Condition::Mode::All);
  ASSERT_EQ(ready.wait->atoms.size(), 4u);  // the role atom stands for both jb hosts
  EXPECT_EQ(ready.wait->atoms[0].component, "acd-jb1/jboss");
  EXPECT_EQ(ready.wait->atoms[1].component, "acd-jb2/jboss");
  EXPECT_EQ(ready.wait->atoms[0].text, "role:jb/jboss running");
  EXPECT_EQ(ready.wait->atoms[2].component, "acd-tel1/telephony");
  EXPECT_EQ(ready.wait->atoms[2].predicate, "failed");
  EXPECT_TRUE(ready.wait->atoms[2].negated);
  EXPECT_EQ(ready.wait->atoms[3].component, "acd-dbs/replication:acd-dbm");
  EXPECT_EQ(ready.wait->atoms[3].predicate, "healthy");
}

TEST(Procedure, ConditionForms) {
  auto wait_of = [](const std::string& condition) {
    return *step(parse(edit(kProcedure, R"("wait": "acd-dbm/mysql running")", R"("wait": )" + condition)), "on-dbm").wait;
  };
  const Condition bare = wait_of(R"("acd-dbm   up")");  // a bare host means its vm
  ASSERT_EQ(bare.atoms.size(), 1u);
  EXPECT_EQ(bare.atoms[0].component, "acd-dbm/vm");
  EXPECT_EQ(bare.atoms[0].predicate, "up");
  EXPECT_EQ(bare.atoms[0].text, "acd-dbm up");
  const Condition list = wait_of(R"(["acd-dbm up", "acd-dbm/mysql not failed"])");
  EXPECT_EQ(list.mode, Condition::Mode::All);
  EXPECT_EQ(list.atoms.size(), 2u);
  const Condition any = wait_of(R"({"any": ["acd-dbm/mysql running", "acd-dbm/mysql failed"]})");
  EXPECT_EQ(any.mode, Condition::Mode::Any);
  EXPECT_EQ(any.atoms.size(), 2u);
  const Condition role_vm = wait_of(R"("role:jb up")");
  ASSERT_EQ(role_vm.atoms.size(), 2u);
  EXPECT_EQ(role_vm.atoms[1].component, "acd-jb2/vm");
}

// Line numbers of kPhases are asserted below.
constexpr std::string_view kPhases = R"({
  "format": "acdsim-procedure/1",
  "name": "phased",
  "kind": "startup",
  "topology": "t.json",
  "phases": [
    {"id": "p1", "name": "1. Storage", "steps": [
      {"id": "on-lb1", "action": "power_on", "target": "acd-lb1"},
      {"id": "on-lb2", "action": "power_on", "target": "acd-lb2"}
    ], "wait": ["acd-lb1 up", "acd-lb2 up"], "timeout": "10m"},
    {"id": "p2", "name": "2. Databases", "steps": [
      {"id": "on-dbm", "action": "power_on", "target": "acd-dbm"},
      {"id": "on-dbs", "action": "power_on", "target": "acd-dbs", "after": ["on-dbm"]}
    ]},
    {"id": "p3", "steps": [
      {"id": "on-jb", "action": "power_on", "target": "role:jb"}
    ], "wait": "role:jb/jboss running"}
  ]
})";

TEST(Procedure, PhasesFlattenWithDoneChecks) {
  const Procedure p = parse(std::string(kPhases));
  Ids ids;
  for (const Step& s : p.steps) ids.push_back(s.id);
  EXPECT_EQ(ids, (Ids{"on-lb1", "on-lb2", "p1.done", "on-dbm", "on-dbs", "on-jb", "p3.done"}));

  EXPECT_TRUE(p.steps[0].after.empty());
  EXPECT_EQ(p.steps[0].phase, "p1");
  EXPECT_EQ(p.steps[0].json_path, "/phases/0/steps/0");

  const Step& done1 = p.steps[2];
  EXPECT_EQ(done1.action, "check");
  EXPECT_TRUE(done1.target.empty());
  EXPECT_EQ(done1.after, (Ids{"on-lb1", "on-lb2"}));
  ASSERT_TRUE(done1.wait);
  EXPECT_EQ(done1.wait->atoms.size(), 2u);
  EXPECT_DOUBLE_EQ(done1.timeout_s, 600);
  EXPECT_EQ(done1.phase, "p1");
  EXPECT_EQ(done1.json_path, "/phases/0/wait");

  // Phase 2 waits for all of phase 1 and its check.
  EXPECT_EQ(p.steps[3].after, (Ids{"on-lb1", "on-lb2", "p1.done"}));
  EXPECT_EQ(p.steps[3].phase, "p2");
  EXPECT_EQ(p.steps[4].after, (Ids{"on-dbm", "on-lb1", "on-lb2", "p1.done"}));  // written first, then the phase's
  // Phase 2 has no wait: phase 3 waits for its steps only.
  EXPECT_EQ(p.steps[5].after, (Ids{"on-dbm", "on-dbs"}));
  EXPECT_EQ(p.steps[6].after, (Ids{"on-jb"}));
  EXPECT_EQ(p.steps[6].phase, "p3");
  EXPECT_EQ(p.steps[6].timeout_s, 0);
}

// Dependencies written twice, or both written and implied by the phase, are
// listed once, in the order first written (kept when the scan became a set).
TEST(Procedure, RepeatedDependenciesAreListedOnceInFirstOrder) {
  const Procedure p = parse(edit(std::string(kProcedure), R"("after": ["on-lb1", "on-lb2"]})",
                                 R"("after": ["on-lb2", "on-lb1", "on-lb2", "on-lb1", "on-lb2"]})"));
  EXPECT_EQ(step(p, "pcs").after, (Ids{"on-lb2", "on-lb1"}));
  const Procedure phased = parse(edit(std::string(kPhases), R"("target": "acd-dbm"})",
                                      R"("target": "acd-dbm", "after": ["p1.done", "on-lb2", "p1.done"]})"));
  EXPECT_EQ(step(phased, "on-dbm").after, (Ids{"p1.done", "on-lb2", "on-lb1"}));
}

TEST(Procedure, PhaseWithOnlyAWait) {
  const Procedure p = parse(edit(kPhases, R"({"id": "p2", "name": "2. Databases", "steps": [
      {"id": "on-dbm", "action": "power_on", "target": "acd-dbm"},
      {"id": "on-dbs", "action": "power_on", "target": "acd-dbs", "after": ["on-dbm"]}
    ]},)",
                                 R"({"id": "p2", "wait": "acd-lb1/drbd connected"},)"));
  EXPECT_EQ(step(p, "p2.done").after, (Ids{"on-lb1", "on-lb2", "p1.done"}));
  EXPECT_EQ(step(p, "on-jb").after, (Ids{"p2.done"}));
}

// ---- bad input ----------------------------------------------------------------

TEST(Procedure, UserInvariants) {
  const Procedure p = parse(edit(kProcedure, R"("kind": "startup",)", R"("kind": "startup", "invariants": [
      {"id": "jb-needs-db", "severity": "outage", "reason": "no logins", "fix": "start acd-dbm",
       "when": "acd-jb1 up", "then": {"any": ["acd-dbm up", "acd-dbs up"]}}],)"));
  ASSERT_EQ(p.invariants.size(), 1u);
  const UserInvariant& u = p.invariants[0];
  EXPECT_EQ(u.id, "jb-needs-db");
  EXPECT_EQ(u.severity, "outage");
  EXPECT_EQ(u.reason, "no logins");
  EXPECT_EQ(u.fix, "start acd-dbm");
  EXPECT_EQ(u.when.mode, Condition::Mode::All);
  ASSERT_EQ(u.when.atoms.size(), 1u);
  EXPECT_EQ(u.when.atoms[0].component, "acd-jb1/vm");
  EXPECT_EQ(u.then.mode, Condition::Mode::Any);
  EXPECT_EQ(u.then.atoms.size(), 2u);
  EXPECT_EQ(u.json_path, "/invariants/0");
}

TEST(ProcedureErrors, UserInvariants) {
  const std::string ok = R"({"id": "a", "severity": "outage", "reason": "r", "when": "acd-jb1 up", "then": "acd-dbm up"})";
  auto with = [&](const std::string& list) {
    return edit(kProcedure, R"("kind": "startup",)", R"("kind": "startup", "invariants": )" + list + ",");
  };
  expect_bad(with("[" + edit(ok, R"("severity": "outage")", R"("severity": "bad")") + "]"), "/invariants/0/severity", 4,
             R"(unknown severity "bad")");
  expect_bad(with("[" + ok + ", " + ok + "]"), "/invariants/1/id", 4, R"(duplicate invariant id "a" (first at /invariants/0))");
  expect_bad(with("[" + edit(ok, R"("then": "acd-dbm up")", R"("then": "acd-dbm upp")") + "]"), "/invariants/0/then", 4,
             R"(unknown predicate "upp")");
  expect_bad(with("[" + edit(ok, R"("reason": "r", )", "") + "]"), "/invariants/0", 4, R"(missing key "reason")");
}

TEST(ProcedureErrors, MalformedJson) {
  expect_bad(edit(kProcedure, R"("target": "acd-lb2"},)", R"("target": "acd-lb2"})"), "", 9,
             "malformed JSON at line 9, column 5: syntax error while parsing array");
}

TEST(ProcedureErrors, WrongFormat) {
  expect_bad(edit(kProcedure, "acdsim-procedure/1", "acdsim-topology/1"), "/format", 2,
             R"(expected "acdsim-procedure/1", got "acdsim-topology/1")");
}

TEST(ProcedureErrors, WrongType) {
  expect_bad(edit(kProcedure, R"("name": "test startup")", R"("name": 5)"), "/name", 3, "expected a string, got number");
  expect_bad(edit(kProcedure, R"("after": ["on-dbm"])", R"("after": "on-dbm")"), "/steps/5/after", 12,
             "expected an array, got string");
  expect_bad(edit(kProcedure, R"("after": ["on-dbm"])", R"("after": [1])"), "/steps/5/after/0", 12,
             "expected a string, got number");
  expect_bad(edit(kProcedure, R"("note": "all up")", R"("note": null)"), "/steps/10/note", 17,
             "expected a string, got null");
}

TEST(ProcedureErrors, UnknownKey) {
  expect_bad(edit(kProcedure, R"({"id": "on-lb1", "action": "power_on", "target": "acd-lb1"})",
                  R"({"id": "on-lb1", "action": "power_on", "targte": "acd-lb1"})"),
             "/steps/0/targte", 7, R"(unknown key "targte" (expected one of: id, action, target, after, wait, timeout, note)");
  expect_bad(edit(kProcedure, R"("kind": "startup",)", R"("kind": "startup", "topolgy": "x",)"), "/topolgy", 4,
             R"(unknown key "topolgy")");
}

TEST(ProcedureErrors, MissingKeys) {
  expect_bad(edit(kProcedure, R"("action": "power_on", "target": "acd-lb2")", R"("action": "power_on")"), "/steps/1",
             8, R"(missing key "target" (action power_on targets a host))");
  expect_bad(edit(kProcedure, R"({"id": "on-lb2", )", "{"), "/steps/1", 8, R"(missing key "id")");
  expect_bad(edit(kProcedure, R"("kind": "startup",)", ""), "", 1, R"(missing key "kind")");
}

TEST(ProcedureErrors, HeaderValues) {
  expect_bad(edit(kProcedure, R"("kind": "startup")", R"("kind": "boot")"), "/kind", 4,
             R"(unknown procedure kind "boot" (known: startup, shutdown, failover, failback, maintenance, rollout))");
  expect_bad(edit(kProcedure, R"("kind": "startup",)", R"("kind": "startup", "initial": "half_up",)"), "/initial", 4,
             R"(expected "all_off", "all_up" or the path of a snapshot file (*.json), got "half_up")");
  expect_bad(edit(kProcedure, R"("kind": "startup",)", R"("kind": "startup", "accepts": ["warning", "loss"],)"),
             "/accepts/1", 4, R"(unknown severity "loss" (known: data-loss, outage, manual-fix, warning))");
  expect_bad(edit(kProcedure, R"("kind": "startup",)", R"("kind": "startup", "readings": [true],)"), "/readings/0", 4,
             "expected a string, got boolean");
}

TEST(ProcedureErrors, UnknownHost) {
  expect_bad(edit(kProcedure, R"("target": "acd-lb1"})", R"("target": "acd-dbx"})"), "/steps/0/target", 7,
             R"(unknown host "acd-dbx" (known: acd-lb1, acd-lb2, acd-dbm, acd-dbs, acd-jb1, acd-jb2, acd-tel1, acd-nas))");
  expect_bad(edit(kProcedure, R"("target": "acd-jb1/jboss")", R"("target": "acd-jbx/jboss")"), "/steps/8/target", 15,
             R"(unknown host "acd-jbx")");
}

TEST(ProcedureErrors, UnknownRole) {
  expect_bad(edit(kProcedure, R"("target": "role:jb")", R"("target": "role:jbx")"), "/steps/7/target", 14,
             R"(unknown role "jbx" (known: store, lb, dbm, dbs, dbr, jb, tel, api, chat, chatbot))");
  expect_bad(edit(kProcedure, R"("target": "role:jb")", R"("target": "role:api")"), "/steps/7/target", 14,
             R"(no host of topology "test" has role api)");
}

TEST(ProcedureErrors, UnknownAction) {
  expect_bad(edit(kProcedure, R"("id": "on-lb1", "action": "power_on")", R"("id": "on-lb1", "action": "boot")"),
             "/steps/0/action", 7, R"(unknown action "boot" (known: power_on, shutdown, power_off, systemctl_start,)");
}

TEST(ProcedureErrors, WrongTargetKind) {
  const std::string app = R"("action": "app_start", "target": "acd-jb1/jboss")";
  expect_bad(edit(kProcedure, app, R"("action": "app_start", "target": "acd-dbm/mysql")"), "/steps/8/target", 15,
             R"(action app_start needs a jboss component, got "acd-dbm/mysql", a service)");
  expect_bad(edit(kProcedure, app, R"("action": "app_start", "target": "acd-dbm")"), "/steps/8/target", 15,
             R"(host "acd-dbm" has no jboss component for action app_start (it has: vm, mysql))");
  expect_bad(edit(kProcedure, app, R"("action": "app_start", "target": "acd-jb1/mysql")"), "/steps/8/target", 15,
             R"(host "acd-jb1" has no component "mysql" (it has: vm, jboss, share, hazelcast))");
  expect_bad(edit(kProcedure, app, R"("action": "app_start", "target": "role:tel")"), "/steps/8/target", 15,
             R"(host "acd-tel1" (role tel) has no jboss component for action app_start)");
  expect_bad(edit(kProcedure, app, R"("action": "app_start", "target": "cluster:storage")"), "/steps/8/target", 15,
             R"(action app_start needs a jboss component, got a cluster)");
  expect_bad(edit(kProcedure, app, R"("action": "power_on", "target": "acd-jb1/jboss")"), "/steps/8/target", 15,
             R"(action power_on targets a host, got the component "acd-jb1/jboss": write "acd-jb1")");
}

TEST(ProcedureErrors, ClusterTargets) {
  const std::string pcs = R"("target": "cluster:storage")";
  expect_bad(edit(kProcedure, pcs, R"("target": "cluster:nas")"), "/steps/2/target", 9,
             R"(unknown cluster "nas" (known: storage))");
  expect_bad(edit(kProcedure, pcs, R"("target": "acd-nas")"), "/steps/2/target", 9,
             R"(host "acd-nas" is not a node of storage cluster "storage" (nodes: acd-lb1, acd-lb2))");
  expect_bad(edit(kProcedure, pcs, R"("target": "acd-lb1/pacemaker")"), "/steps/2/target", 9,
             R"(action pcs_cluster_start targets the storage cluster ("cluster:<name>") or one of its nodes, got the component "acd-lb1/pacemaker": write "acd-lb1")");
}

TEST(ProcedureErrors, SeveralComponentsOfTheKind) {
  // acd-dbs replicates from two masters: "acd-dbs" does not say which channel.
  std::string text = edit(kTopology, R"({"alias": "acd-nas", "roles": ["store"]})",
                          R"({"alias": "acd-nas", "roles": ["store"]}, {"alias": "acd-dbm2", "roles": ["dbm"]})");
  text = edit(text, R"({"master": "acd-dbm", "replica": "acd-dbs"})",
              R"({"master": "acd-dbm", "replica": "acd-dbs"}, {"master": "acd-dbm2", "replica": "acd-dbs"})");
  const Topology two = parse_topology(text, "t2.json");
  expect_bad(std::string(kProcedure), "/steps/6/target", 13,
             "host \"acd-dbs\" has several replication components; name one: acd-dbs/replication:acd-dbm, "
             "acd-dbs/replication:acd-dbm2",
             two);
  EXPECT_NO_THROW(parse(edit(kProcedure, R"("target": "acd-dbs", "after": ["on-dbs"])",
                             R"("target": "acd-dbs/replication:acd-dbm2", "after": ["on-dbs"])"),
                        two));
}

TEST(ProcedureErrors, DependsOnAMissingStep) {
  expect_bad(edit(kProcedure, R"("after": ["on-dbm"])", R"("after": ["on-dbx"])"), "/steps/5/after/0", 12,
             R"(step "on-dbs" depends on "on-dbx", but no step has that id)");
}

TEST(ProcedureErrors, DependsOnALaterStep) {
  expect_bad(edit(kProcedure, R"("after": ["on-dbm"])", R"("after": ["on-jb"])"), "/steps/5/after/0", 12,
             R"(step "on-dbs" depends on "on-jb", which comes later in the file; list steps in dependency order)");
}

TEST(ProcedureErrors, DependencyCycle) {
  expect_bad(edit(kProcedure, R"("after": ["on-dbm"])", R"("after": ["repl"])"), "/steps", 6,
             "dependency cycle: on-dbs -> repl -> on-dbs");
  // A longer one, listed from the first step of the file that is on it.
  expect_bad(edit(kProcedure, R"({"id": "on-lb1", "action": "power_on", "target": "acd-lb1"})",
                  R"({"id": "on-lb1", "action": "power_on", "target": "acd-lb1", "after": ["app"]})"),
             "/steps", 6, "dependency cycle: on-lb1 -> app -> on-jb -> primary -> pcs -> on-lb1");
}

TEST(ProcedureErrors, SelfDependency) {
  expect_bad(edit(kProcedure, R"("after": ["on-dbm"])", R"("after": ["on-dbs"])"), "/steps/5/after/0", 12,
             R"(step "on-dbs" depends on itself)");
}

TEST(ProcedureErrors, DuplicateIds) {
  expect_bad(edit(kProcedure, R"("id": "on-lb2")", R"("id": "on-lb1")"), "/steps/1/id", 8,
             R"(duplicate step id "on-lb1" (first at /steps/0))");
}

TEST(ProcedureErrors, BadStepId) {
  expect_bad(edit(kProcedure, R"("id": "on-lb2")", R"("id": "-lb2")"), "/steps/1/id", 8,
             R"(expected a step id of letters, digits and _ . : - (starting with a letter or digit), got "-lb2")");
  expect_bad(edit(kProcedure, R"("id": "on-lb2")", R"("id": "on lb2")"), "/steps/1/id", 8, R"(got "on lb2")");
}

TEST(ProcedureErrors, BadDuration) {
  expect_bad(edit(kProcedure, R"("timeout": "5m")", R"("timeout": "5 min")"), "/steps/3/timeout", 10,
             R"(expected a duration: a number of seconds or a string such as "250ms", "30s", "5m", "1h", "1h30m", got "5 min")");
  expect_bad(edit(kProcedure, R"("timeout": "5m")", R"("timeout": "-5m")"), "/steps/3/timeout", 10,
             R"("timeout": expected a duration greater than 0 s and at most 1 year (31536000 s), got "-5m")");
  expect_bad(edit(kProcedure, R"("timeout": "5m")", R"("timeout": 0)"), "/steps/3/timeout", 10,
             R"("timeout": expected a duration greater than 0 s and at most 1 year (31536000 s), got 0)");
}

TEST(ProcedureErrors, BadConditionAtom) {
  const std::string wait = R"("wait": "acd-dbm/mysql running")";
  expect_bad(edit(kProcedure, wait, R"("wait": "acd-dbm/mysqld running")"), "/steps/4/wait", 11,
             R"(host "acd-dbm" has no component "mysqld" (it has: vm, mysql))");
  expect_bad(edit(kProcedure, wait, R"("wait": "acd-dbx/mysql running")"), "/steps/4/wait", 11,
             R"(unknown host "acd-dbx")");
  expect_bad(edit(kProcedure, wait, R"("wait": "acd-dbm/mysql runing")"), "/steps/4/wait", 11,
             R"(unknown predicate "runing" of acd-dbm/mysql, a service (known: stopped, starting, running, stopping, failed))");
  expect_bad(edit(kProcedure, wait, R"("wait": "acd-dbm running")"), "/steps/4/wait", 11,
             R"(unknown predicate "running" of acd-dbm/vm, a vm (known: off, booting, up, shutting_down))");
  expect_bad(edit(kProcedure, wait, R"("wait": "acd-dbm/mysql is running")"), "/steps/4/wait", 11,
             R"(expected "<component> [not] <predicate>")");
  expect_bad(edit(kProcedure, wait, R"("wait": ["acd-dbm up", "role:tel/jboss running"])"), "/steps/4/wait/1", 11,
             R"(host "acd-tel1" (role tel) has no component "jboss")");
  expect_bad(edit(kProcedure, "\"acd-tel1/telephony not failed\"", "\"acd-tel1/telephony not broken\""),
             "/steps/10/wait/all/1", 17, R"(unknown predicate "broken" of acd-tel1/telephony, a telephony)");
}

TEST(ProcedureErrors, BadConditionShape) {
  const std::string wait = R"("wait": "acd-dbm/mysql running")";
  expect_bad(edit(kProcedure, wait, R"("wait": 3)"), "/steps/4/wait", 11, "expected a condition:");
  expect_bad(edit(kProcedure, wait, R"("wait": [])"), "/steps/4/wait", 11, "expected a non-empty array, got []");
  expect_bad(edit(kProcedure, wait, R"("wait": {"all": ["acd-dbm up"], "any": ["acd-dbm up"]})"), "/steps/4/wait", 11,
             R"(expected exactly one of "all" or "any")");
  expect_bad(edit(kProcedure, wait, R"("wait": {"none": ["acd-dbm up"]})"), "/steps/4/wait/none", 11,
             R"(unknown key "none" (expected one of: all, any)");
  expect_bad(edit(kProcedure, wait, R"("wait": {"any": ["acd-dbm up", "role:jb/jboss running"]})"),
             "/steps/4/wait/any/1", 11, R"(a role atom means every host with the role, which "any" cannot express)");
}

TEST(ProcedureErrors, CheckWithoutWait) {
  expect_bad(edit(kProcedure,
                  R"("wait": {"all": ["role:jb/jboss running", "acd-tel1/telephony not failed", "acd-dbs/replication:acd-dbm healthy"]}, "timeout": 600, )",
                  ""),
             "/steps/10", 17, R"(a "check" step needs a "wait" condition)");
}

TEST(ProcedureErrors, CheckWithATarget) {
  expect_bad(edit(kProcedure, R"("id": "ready", "action": "check",)", R"("id": "ready", "action": "check", "target": "acd-dbm",)"),
             "/steps/10/target", 17, R"(action check takes no target)");
}

TEST(ProcedureErrors, TimeoutWithoutWait) {
  expect_bad(edit(kProcedure, R"("target": "acd-lb1"})", R"("target": "acd-lb1", "timeout": "5m"})"),
             "/steps/0/timeout", 7, R"("timeout" needs a "wait")");
}

TEST(ProcedureErrors, BothStepsAndPhases) {
  expect_bad(edit(kProcedure, R"("topology": "t.json",)", R"("topology": "t.json", "phases": [],)"), "/phases", 5,
             R"("steps" and "phases" exclude each other)");
}

TEST(ProcedureErrors, NeitherStepsNorPhases) {
  expect_bad(R"({"format": "acdsim-procedure/1", "name": "n", "kind": "startup", "topology": "t.json"})", "", 1,
             R"(missing key "steps" (or "phases"))");
  expect_bad(edit(kProcedure, R"("steps": [)", R"("steps": [], "_rest": [)"), "/steps", 6,
             "expected a non-empty array, got []");
}

TEST(ProcedureErrors, Phases) {
  expect_bad(edit(kPhases, R"({"id": "p2",)", R"({"id": "p1",)"), "/phases/1/id", 11,
             R"(duplicate phase id "p1" (first at /phases/0))");
  expect_bad(edit(kPhases, R"("target": "acd-lb1"})", R"("target": "acd-lb1", "after": ["on-lb2"]})"),
             "/phases/0/steps/0/after/0", 8, R"(step "on-lb1" depends on "on-lb2", which comes later in the file)");
  // Phase 2 waits for phase 1, so phase 1 waiting for phase 2 is a cycle.
  expect_bad(edit(kPhases, R"("target": "acd-lb2"})", R"("target": "acd-lb2", "after": ["p3.done"]})"), "/phases", 6,
             "dependency cycle: on-lb2 -> p3.done -> on-jb -> on-dbm -> on-lb2");
  expect_bad(edit(kPhases, R"({"id": "on-dbm",)", R"({"id": "p1.done",)"), "/phases/1/steps/0/id", 12,
             R"(duplicate step id "p1.done" (first at /phases/0/wait))");
  expect_bad(edit(kPhases, R"({"id": "on-lb1",)", R"({"id": "p1.done",)"), "/phases/0/wait", 10,
             R"(step id "p1.done", generated for the wait of phase "p1", is already used at /phases/0/steps/0)");
  expect_bad(edit(kPhases, R"("wait": "role:jb/jboss running")", R"("timeout": "1m")"), "/phases/2/timeout", 17,
             R"("timeout" needs a "wait")");
  expect_bad(edit(kPhases, R"("wait": "role:jb/jboss running")", R"("wait": "role:jb/jboss runs")"), "/phases/2/wait",
             17, R"(unknown predicate "runs")");
  expect_bad(edit(kPhases, R"({"id": "p3", "steps": [
      {"id": "on-jb", "action": "power_on", "target": "role:jb"}
    ], "wait": "role:jb/jboss running"})",
                  R"({"id": "p3"})"),
             "/phases/2", 15, R"(a phase needs "steps" or a "wait")");
  expect_bad(edit(kPhases, R"("name": "1. Storage")", R"("title": "1. Storage")"), "/phases/0/title", 7,
             R"(unknown key "title" (expected one of: id, name, steps, wait, timeout, note)");
}

// ---- files -------------------------------------------------------------------

std::filesystem::path temp_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / ("acdsim_procedure_test_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "topologies");
  std::filesystem::create_directories(dir / "procedures" / "t");
  return dir;
}

TEST(ProcedureFiles, TopologyIsRelativeToTheProcedureFile) {
  const std::filesystem::path dir = temp_dir("relative");
  std::ofstream(dir / "topologies" / "t.json") << kTopology;
  const std::filesystem::path file = dir / "procedures" / "t" / "p.json";
  std::ofstream(file) << edit(kProcedure, R"("topology": "t.json")", R"("topology": "../../topologies/t.json")");
  Topology t;
  const Procedure p = load_procedure(file.string(), &t);
  EXPECT_EQ(p.source_file, file.string());
  EXPECT_EQ(p.topology_file, "../../topologies/t.json");
  EXPECT_EQ(p.steps.size(), 11u);
  EXPECT_EQ(t.name, "test");
  EXPECT_EQ(t.source_file, (dir / "topologies" / "t.json").lexically_normal().string());
  EXPECT_NO_THROW(load_procedure(file.string()));
}

TEST(ProcedureFiles, MissingTopology) {
  const std::filesystem::path dir = temp_dir("missing");
  const std::filesystem::path file = dir / "procedures" / "t" / "p.json";
  std::ofstream(file) << kProcedure;
  expect_error(error_of([&] { load_procedure(file.string()); }), file.string(), "/topology", 5,
               "topology file \"" + (dir / "procedures" / "t" / "t.json").string() + "\" not found");
}

TEST(ProcedureFiles, TopologyErrorsNameTheTopologyFile) {
  const std::filesystem::path dir = temp_dir("badtopo");
  std::ofstream(dir / "procedures" / "t" / "t.json") << edit(kTopology, R"(["dbs"])", R"(["dbx"])");
  const std::filesystem::path file = dir / "procedures" / "t" / "p.json";
  std::ofstream(file) << kProcedure;
  expect_error(error_of([&] { load_procedure(file.string()); }), (dir / "procedures" / "t" / "t.json").string(),
               "/hosts/3/roles/0", 8, R"(unknown role "dbx")");
}

TEST(ProcedureFiles, MissingProcedure) {
  const std::string file = (temp_dir("none") / "nope.json").string();
  expect_error(error_of([&] { load_procedure(file); }), file, "", 0, "cannot read the file: No such file or directory");
}

#ifdef ACDSIM_SOURCE_DIR
TEST(ProcedureFiles, ShippedProceduresLoad) {
  const std::filesystem::path dir = std::filesystem::path(ACDSIM_SOURCE_DIR) / "scenarios" / "procedures";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no " << dir;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    EXPECT_NO_THROW(load_procedure(entry.path().string())) << entry.path();
  }
}
#endif

// ---- robustness ----------------------------------------------------------------

// Deleting, duplicating or replacing characters of a valid procedure: parse
// either succeeds or throws InputError (never another exception, never a crash).
RC_GTEST_PROP(ProcedureProperty, MutatedTextParsesOrThrowsInputError,
              (const std::vector<std::tuple<int, std::size_t, char>>& edits)) {
  const std::string text = mutate(std::string(kProcedure), edits);
  try {
    const Procedure p = parse(text);
    RC_ASSERT(!p.steps.empty());
  } catch (const InputError& e) {
    RC_ASSERT(e.file() == "p.json");
    RC_ASSERT(e.json_path().empty() || e.json_path()[0] == '/');
    RC_ASSERT(e.line() >= 0);
  }
}

RC_GTEST_PROP(ProcedureProperty, MutatedPhasesParseOrThrowInputError,
              (const std::vector<std::tuple<int, std::size_t, char>>& edits)) {
  const std::string text = mutate(std::string(kPhases), edits);
  try {
    parse(text);
  } catch (const InputError& e) {
    RC_ASSERT(e.file() == "p.json");
  }
}

// Single-character edits (so that most texts stay valid JSON and reach the
// validation layers): the same contract.
RC_GTEST_PROP(ProcedureProperty, SingleEditsParseOrThrowInputError, ()) {
  const std::string base(kProcedure);
  const auto at = *rc::gen::inRange<std::size_t>(0, base.size());
  const auto op = *rc::gen::inRange(0, 3);
  const char c = *rc::gen::elementOf(std::string("\"{}[],:-/ abcdefgijklmnoprstuvwxyz0123456789.\\"));
  const std::string text = mutate(base, {{op, at, c}});
  try {
    parse(text);
  } catch (const InputError& e) {
    RC_ASSERT(e.file() == "p.json");
    RC_ASSERT(e.line() >= 1);  // every error of a one-character edit has a line
  }
}

}  // namespace
}  // namespace acdsim::model
