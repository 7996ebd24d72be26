#include "acdsim/model/topology.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <fstream>

#include "acdsim/model/components.hpp"
#include "input_test_data.hpp"

namespace acdsim::model {
namespace {

using test::edit;
using test::error_of;
using test::expect_error;
using test::kTopology;
using test::mutate;

InputError topology_error(const std::string& text) {
  return error_of([&] { parse_topology(text, "t.json"); });
}

// Expects parsing text to fail at pointer/line with a message containing fragment.
void expect_bad(const std::string& text, std::string_view pointer, int line, std::string_view fragment) {
  expect_error(topology_error(text), "t.json", pointer, line, fragment);
}

TEST(Topology, ParsesAValidFile) {
  const Topology t = parse_topology(std::string(kTopology), "t.json");
  EXPECT_EQ(t.name, "test");
  EXPECT_EQ(t.source_file, "t.json");
  ASSERT_EQ(t.hosts.size(), 8u);
  EXPECT_EQ(t.hosts[0].alias, "acd-lb1");
  EXPECT_EQ(t.hosts[0].roles, (std::vector<Role>{Role::Store, Role::Lb}));
  EXPECT_EQ(t.hosts[0].vm_name, "acd-lb1");  // default: the alias
  EXPECT_EQ(t.hosts[6].vm_name, "tel-vm-1");
  EXPECT_EQ(t.share_server, "storage");
  ASSERT_TRUE(t.storage_cluster);
  EXPECT_EQ(t.storage_cluster->nodes, (std::vector<std::string>{"acd-lb1", "acd-lb2"}));
  EXPECT_EQ(t.storage_cluster->resource, "jtelshared");
  EXPECT_EQ(t.storage_cluster->construction, DrbdConstruction::PrimarySecondary);
  ASSERT_EQ(t.replication.size(), 1u);
  EXPECT_EQ(t.replication[0].master, "acd-dbm");
  EXPECT_EQ(t.replication[0].replica, "acd-dbs");
  EXPECT_FALSE(t.replication[0].skip_slave_start);
  ASSERT_EQ(t.hazelcast.size(), 1u);
  EXPECT_EQ(t.hazelcast[0].members.size(), 3u);
  ASSERT_EQ(t.pools.size(), 1u);
  EXPECT_EQ(t.pools[0].router, "acd-lb1");
  EXPECT_EQ(t.pools[0].backends, (std::vector<std::string>{"acd-jb1", "acd-jb2"}));
  EXPECT_FALSE(t.params.app_heals_after_share);
  EXPECT_TRUE(t.params.app_heals_after_db);  // default
  EXPECT_TRUE(t.params.services_autostart);  // default
  ASSERT_EQ(t.params.durations.size(), 3u);
  const Duration& boot = t.params.durations.at("vm.boot_complete");
  EXPECT_EQ(boot.shape, Duration::Shape::Fixed);
  EXPECT_DOUBLE_EQ(boot.a, 70);
  const Duration& mysql = t.params.durations.at("acd-dbm/mysql.start_complete");
  EXPECT_EQ(mysql.shape, Duration::Shape::Lognormal);
  EXPECT_DOUBLE_EQ(mysql.a, 20);
  EXPECT_DOUBLE_EQ(mysql.b, 0.5);
  const Duration& stop = t.params.durations.at("service.stop_complete");
  EXPECT_EQ(stop.shape, Duration::Shape::Uniform);
  EXPECT_DOUBLE_EQ(stop.a, 2);
  EXPECT_DOUBLE_EQ(stop.b, 30);
  EXPECT_EQ(t.params.capacities, (std::map<std::string, double>{{"jb", 200}, {"acd-jb1", 150}}));
}

TEST(Topology, FindsHostsAndRoles) {
  const Topology t = parse_topology(std::string(kTopology), "t.json");
  ASSERT_NE(t.find_host("acd-dbs"), nullptr);
  EXPECT_EQ(t.find_host("acd-dbs")->alias, "acd-dbs");
  EXPECT_EQ(t.find_host("acd-dbx"), nullptr);
  EXPECT_TRUE(t.has_role("acd-lb2", Role::Lb));
  EXPECT_FALSE(t.has_role("acd-lb2", Role::Jb));
  EXPECT_FALSE(t.has_role("acd-dbx", Role::Jb));
}

// find_host goes through the parser's alias index; a topology changed (or
// built) by hand afterwards must still be answered right, never from a stale index.
TEST(Topology, FindsHostsAfterTheHostListChanges) {
  Topology t = parse_topology(std::string(kTopology), "t.json");
  ASSERT_EQ(t.host_index.size(), t.hosts.size());
  t.hosts.erase(t.hosts.begin());  // every index past the first is now off by one
  t.hosts.back().alias = "acd-new";
  ASSERT_NE(t.find_host("acd-dbs"), nullptr);
  EXPECT_EQ(t.find_host("acd-dbs")->alias, "acd-dbs");
  EXPECT_EQ(t.find_host("acd-lb1"), nullptr);
  ASSERT_NE(t.find_host("acd-new"), nullptr);
  EXPECT_EQ(t.find_host("acd-new"), &t.hosts.back());
  t.index_hosts();
  EXPECT_EQ(t.find_host("acd-new"), &t.hosts.back());
  Topology by_hand;
  by_hand.hosts.push_back(Host{"x1", {Role::Jb}, "x1"});
  ASSERT_NE(by_hand.find_host("x1"), nullptr);
  EXPECT_TRUE(by_hand.host_index.empty());
}

TEST(Topology, RoleNamesRoundTrip) {
  for (std::size_t i = 0; i < static_cast<std::size_t>(Role::Count); ++i) {
    const Role r = static_cast<Role>(i);
    EXPECT_EQ(role_by_name(to_string(r)), r);
  }
  EXPECT_EQ(to_string(Role::Chatbot), "chatbot");
  EXPECT_EQ(role_by_name("dbm"), Role::Dbm);
  EXPECT_FALSE(role_by_name("DBM"));
  EXPECT_FALSE(role_by_name(""));
}

TEST(Topology, DistributionShapes) {
  const std::string text = edit(kTopology, R"("vm.boot_complete": "70s",)",
                                R"("vm.boot_complete": 70, "vm.crash": {"fixed": "1h30m"}, "vm.power_on": {"empirical": [1, "2s", "250ms"]},)");
  const Topology t = parse_topology(text, "t.json");
  EXPECT_DOUBLE_EQ(t.params.durations.at("vm.boot_complete").a, 70);
  EXPECT_EQ(t.params.durations.at("vm.crash").shape, Duration::Shape::Fixed);
  EXPECT_DOUBLE_EQ(t.params.durations.at("vm.crash").a, 5400);
  EXPECT_EQ(t.params.durations.at("vm.power_on").shape, Duration::Shape::Empirical);
  EXPECT_EQ(t.params.durations.at("vm.power_on").samples, (std::vector<double>{1, 2, 0.25}));
}

TEST(Topology, OptionalPartsMayBeLeftOut) {
  const Topology t = parse_topology(R"({"format": "acdsim-topology/1", "name": "one",
    "hosts": [{"alias": "db", "roles": ["dbm"]}], "_comment": "no share_server: nobody mounts"})",
                                    "one.json");
  EXPECT_EQ(t.hosts.size(), 1u);
  EXPECT_FALSE(t.storage_cluster);
  EXPECT_TRUE(t.share_server.empty());
}

TEST(Topology, PrimaryPrimaryWithTwoPrimariesAllowed) {
  std::string text = edit(kTopology, R"("construction": "primary_secondary")", R"("construction": "primary_primary")");
  text = edit(text, R"("allow_two_primaries": false)", R"("allow_two_primaries": true)");
  const Topology t = parse_topology(text, "t.json");
  EXPECT_EQ(t.storage_cluster->construction, DrbdConstruction::PrimaryPrimary);
  EXPECT_TRUE(t.storage_cluster->allow_two_primaries);
}

TEST(Topology, ShareServerMayBeAStandaloneStoreHost) {
  const Topology t = parse_topology(edit(kTopology, R"("share_server": "storage")", R"("share_server": "acd-nas")"), "t.json");
  EXPECT_EQ(t.share_server, "acd-nas");
}

// ---- bad input ----------------------------------------------------------------

TEST(TopologyErrors, MalformedJson) {
  // A missing comma at the end of line 7: the parser stops at the "{" on line 8.
  const InputError e = topology_error(edit(kTopology, R"(["dbm"]},)", R"(["dbm"]})"));
  expect_error(e, "t.json", "", 8, "malformed JSON at line 8, column 5");
}

TEST(TopologyErrors, EmptyText) { expect_bad("", "", 1, "malformed JSON at line 1"); }

TEST(TopologyErrors, NotAnObject) { expect_bad("[1, 2]", "", 1, "expected an object, got array"); }

TEST(TopologyErrors, WrongFormat) {
  expect_bad(edit(kTopology, "acdsim-topology/1", "acdsim-topology/2"), "/format", 2,
             R"(expected "acdsim-topology/1", got "acdsim-topology/2")");
}

TEST(TopologyErrors, WrongType) {
  expect_bad(edit(kTopology, R"("name": "test")", R"("name": 5)"), "/name", 3, "expected a string, got number");
  expect_bad(edit(kTopology, R"("roles": ["dbs"])", R"("roles": "dbs")"), "/hosts/3/roles", 8,
             "expected an array, got string");
  expect_bad(edit(kTopology, R"("app_heals_after_share": false)", R"("app_heals_after_share": "no")"),
             "/parameters/app_heals_after_share", 31, "expected a boolean (true or false), got string");
}

TEST(TopologyErrors, MissingKey) {
  expect_bad(edit(kTopology, R"("name": "test",)", ""), "", 1, R"(missing key "name")");
  expect_bad(edit(kTopology, R"({"alias": "acd-nas", "roles": ["store"]})", R"({"alias": "acd-nas"})"), "/hosts/7",
             12, R"(missing key "roles")");
}

TEST(TopologyErrors, UnknownKey) {
  expect_bad(edit(kTopology, R"("name": "test",)", R"("name": "test", "nmae": "x",)"), "/nmae", 3,
             R"(unknown key "nmae" (expected one of: format, name,)");
  expect_bad(edit(kTopology, R"("vm": "tel-vm-1")", R"("vmm": "tel-vm-1")"), "/hosts/6/vmm", 11,
             R"(unknown key "vmm")");
}

TEST(TopologyErrors, CommentKeysAreNotUnknown) {
  EXPECT_NO_THROW(parse_topology(edit(kTopology, R"("name": "test",)", R"("name": "test", "_why": 1, "_note": [],)"),
                                 "t.json"));
}

TEST(Topology, AcceptsSeverities) {
  EXPECT_TRUE(parse_topology(std::string(kTopology), "t.json").accepts.empty());
  const Topology t = parse_topology(
      edit(kTopology, R"("name": "test",)", R"("name": "test", "accepts": ["warning", "manual-fix", "warning"],)"),
      "t.json");
  EXPECT_EQ(t.accepts, (std::vector<std::string>{"warning", "manual-fix"}));  // duplicates dropped
}

TEST(TopologyErrors, AcceptsUnknownSeverity) {
  expect_bad(edit(kTopology, R"("name": "test",)", R"("name": "test", "accepts": ["warning", "cosmetic"],)"),
             "/accepts/1", 3, R"(unknown severity "cosmetic" (known: data-loss, outage, manual-fix, warning))");
  expect_bad(edit(kTopology, R"("name": "test",)", R"("name": "test", "accepts": "warning",)"), "/accepts", 3,
             "expected an array, got string");
}

TEST(TopologyErrors, DuplicateKey) {
  expect_bad(edit(kTopology, R"("name": "test",)", R"("name": "test", "name": "again",)"), "/name", 3,
             R"(duplicate key "name")");
}

TEST(TopologyErrors, NoHosts) {
  expect_bad(R"({"format": "acdsim-topology/1", "name": "x",
  "hosts": []})",
             "/hosts", 2, "expected a non-empty array, got []");
}

TEST(TopologyErrors, UnknownRole) {
  expect_bad(edit(kTopology, R"(["dbs"])", R"(["dbx"])"), "/hosts/3/roles/0", 8,
             R"(unknown role "dbx" (known: store, lb, dbm, dbs, dbr, jb, tel, api, chat, chatbot))");
}

TEST(TopologyErrors, RoleListedTwice) {
  expect_bad(edit(kTopology, R"(["dbs"])", R"(["dbs", "dbs"])"), "/hosts/3/roles/1", 8, R"(role "dbs" listed twice)");
}

TEST(TopologyErrors, DuplicateAlias) {
  expect_bad(edit(kTopology, R"("alias": "acd-jb2")", R"("alias": "acd-jb1")"), "/hosts/5/alias", 10,
             R"(duplicate host alias "acd-jb1" (first at /hosts/4))");
}

TEST(TopologyErrors, BadAlias) {
  expect_bad(edit(kTopology, R"("alias": "acd-nas")", R"("alias": "Acd_nas")"), "/hosts/7/alias", 12,
             R"(expected a host alias of lower-case letters, digits and '-')");
  expect_bad(edit(kTopology, R"("alias": "acd-nas")", R"("alias": "-nas")"), "/hosts/7/alias", 12, R"(got "-nas")");
}

TEST(TopologyErrors, HostCannotCarryItsRoles) {
  // dbm and dbs both need the host's one MySQL server (components_of's error, located).
  expect_bad(edit(kTopology, R"(["dbs"])", R"(["dbs", "dbm"])"), "/hosts/3/roles", 8,
             "host acd-dbs cannot carry role dbm: its mysql already serves role dbs");
}

TEST(TopologyErrors, LinkToUnknownHost) {
  expect_bad(edit(kTopology, R"("master": "acd-dbm")", R"("master": "acd-dbx")"), "/replication/0/master", 22,
             R"(unknown host "acd-dbx" (known: acd-lb1, acd-lb2, acd-dbm, acd-dbs, acd-jb1, acd-jb2, acd-tel1, acd-nas))");
  expect_bad(edit(kTopology, R"("router": "acd-lb1")", R"("router": "lb9")"), "/pools/0/router", 28,
             R"(unknown host "lb9")");
}

TEST(TopologyErrors, LinkWithTheWrongRole) {
  expect_bad(edit(kTopology, R"("master": "acd-dbm")", R"("master": "acd-jb1")"), "/replication/0/master", 22,
             R"(host "acd-jb1" cannot be a replication master: it has no role dbm)");
  expect_bad(edit(kTopology, R"("replica": "acd-dbs")", R"("replica": "acd-jb1")"), "/replication/0/replica", 22,
             "cannot be a replica: it has no one of the roles dbm, dbs, dbr");
  expect_bad(edit(kTopology, R"("acd-jb2", "acd-tel1"])", R"("acd-jb2", "acd-dbm"])"), "/hazelcast/0/members/2", 25,
             R"(host "acd-dbm" cannot be a hazelcast member)");
  expect_bad(edit(kTopology, R"("router": "acd-lb1")", R"("router": "acd-dbm")"), "/pools/0/router", 28,
             "cannot be a router: it has no role lb");
  expect_bad(edit(kTopology, R"("backends": ["acd-jb1", "acd-jb2"])", R"("backends": ["acd-jb1", "acd-tel1"])"),
             "/pools/0/backends/1", 28, R"(host "acd-tel1" cannot be a pool backend: it has no role jb)");
}

TEST(TopologyErrors, ReplicationLinks) {
  expect_bad(edit(kTopology, R"("replica": "acd-dbs")", R"("replica": "acd-dbm")"), "/replication/0/replica", 22,
             R"(host "acd-dbm" cannot replicate from itself)");
  expect_bad(edit(kTopology, R"({"master": "acd-dbm", "replica": "acd-dbs"})",
                  R"({"master": "acd-dbm", "replica": "acd-dbs"}, {"master": "acd-dbm", "replica": "acd-dbs"})"),
             "/replication/1", 22, "duplicate replication link acd-dbm -> acd-dbs (first at /replication/0)");
}

TEST(Topology, ReplicationTimingParameters) {
  const Topology d = parse_topology(std::string(kTopology), "t.json");
  EXPECT_DOUBLE_EQ(d.replication[0].connect_retry_s, 60);  // MASTER_CONNECT_RETRY's default
  EXPECT_DOUBLE_EQ(d.replication[0].catch_up_ratio, 0.1);
  const Topology t = parse_topology(edit(kTopology, R"({"master": "acd-dbm", "replica": "acd-dbs"})",
                                         R"({"master": "acd-dbm", "replica": "acd-dbs", "connect_retry": "3s", "catch_up_ratio": 0.5})"),
                                    "t.json");
  EXPECT_DOUBLE_EQ(t.replication[0].connect_retry_s, 3);
  EXPECT_DOUBLE_EQ(t.replication[0].catch_up_ratio, 0.5);
}

TEST(TopologyErrors, ReplicationTimingParameters) {
  const std::string link = R"({"master": "acd-dbm", "replica": "acd-dbs"})";
  expect_bad(edit(kTopology, link, R"({"master": "acd-dbm", "replica": "acd-dbs", "connect_retry": "0s"})"),
             "/replication/0/connect_retry", 22, "0 s");
  expect_bad(edit(kTopology, link, R"({"master": "acd-dbm", "replica": "acd-dbs", "catch_up_ratio": -1})"),
             "/replication/0/catch_up_ratio", 22, "seconds of catch-up per second behind");
}

TEST(TopologyErrors, HazelcastMemberInTwoGroups) {
  expect_bad(edit(kTopology, R"({"name": "platform", "members": ["acd-jb1", "acd-jb2", "acd-tel1"]})",
                  R"({"name": "a", "members": ["acd-jb1"]}, {"name": "b", "members": ["acd-jb2", "acd-jb1"]})"),
             "/hazelcast/1/members/1", 25, R"(host "acd-jb1" is already a member of hazelcast group "a")");
}

TEST(TopologyErrors, StorageClusterWithOneNode) {
  expect_bad(edit(kTopology, R"(["acd-lb1", "acd-lb2"])", R"(["acd-lb1"])"), "/storage_cluster/nodes", 17,
             "expected exactly 2 nodes (a DRBD pair), got 1");
}

TEST(TopologyErrors, StorageClusterNodes) {
  expect_bad(edit(kTopology, R"(["acd-lb1", "acd-lb2"])", R"(["acd-lb1", "acd-lb1"])"), "/storage_cluster/nodes/1",
             17, R"(host "acd-lb1" listed twice)");
  expect_bad(edit(kTopology, R"(["acd-lb1", "acd-lb2"])", R"(["acd-lb1", "acd-dbm"])"), "/storage_cluster/nodes/1",
             17, R"(host "acd-dbm" cannot be a storage cluster node: it has no role store)");
  expect_bad(edit(kTopology, R"(["acd-lb1", "acd-lb2"])", R"(["acd-lb1", "acd-lb2", "acd-nas"])"),
             "/storage_cluster/nodes", 17, "expected exactly 2 nodes (a DRBD pair), got 3");
}

TEST(TopologyErrors, PrimaryPrimaryWithoutAllowTwoPrimaries) {
  const std::string pp = edit(kTopology, R"("construction": "primary_secondary")", R"("construction": "primary_primary")");
  expect_bad(pp, "/storage_cluster/allow_two_primaries", 19,
             R"(construction primary_primary needs "allow_two_primaries": true)");
  // Without the key, the construction is blamed.
  expect_bad(edit(pp, ",\n    \"allow_two_primaries\": false", ""), "/storage_cluster/construction", 18,
             R"(construction primary_primary needs "allow_two_primaries": true)");
}

TEST(TopologyErrors, UnknownConstruction) {
  expect_bad(edit(kTopology, R"("primary_secondary")", R"("active_passive")"), "/storage_cluster/construction", 18,
             R"(expected "primary_secondary" or "primary_primary", got "active_passive")");
}

TEST(Topology, StorageClusterPacemakerParameters) {
  const Topology defaults = parse_topology(std::string(kTopology), "t.json");
  EXPECT_EQ(defaults.storage_cluster->no_quorum_policy, NoQuorumPolicy::Stop);
  EXPECT_FALSE(defaults.storage_cluster->stonith);
  EXPECT_EQ(defaults.storage_cluster->resource_stickiness, 100);
  const Topology t = parse_topology(
      edit(kTopology, R"("allow_two_primaries": false)",
           R"("allow_two_primaries": false, "no_quorum_policy": "freeze", "stonith": true, "resource_stickiness": -5)"),
      "t.json");
  EXPECT_EQ(t.storage_cluster->no_quorum_policy, NoQuorumPolicy::Freeze);
  EXPECT_TRUE(t.storage_cluster->stonith);
  EXPECT_EQ(t.storage_cluster->resource_stickiness, -5);
  for (NoQuorumPolicy p : {NoQuorumPolicy::Stop, NoQuorumPolicy::Ignore, NoQuorumPolicy::Demote, NoQuorumPolicy::Freeze}) {
    const std::string text = edit(kTopology, R"("allow_two_primaries": false)",
                                  R"("allow_two_primaries": false, "no_quorum_policy": ")" + std::string(to_string(p)) + "\"");
    EXPECT_EQ(parse_topology(text, "t.json").storage_cluster->no_quorum_policy, p);
  }
}

TEST(TopologyErrors, StorageClusterPacemakerParameters) {
  auto with = [](const std::string& more) {
    return edit(kTopology, R"("allow_two_primaries": false)", R"("allow_two_primaries": false, )" + more);
  };
  expect_bad(with(R"("no_quorum_policy": "suicide")"), "/storage_cluster/no_quorum_policy", 19,
             R"(expected "stop", "ignore", "demote" or "freeze", got "suicide")");
  expect_bad(with(R"("no_quorum_policy": 1)"), "/storage_cluster/no_quorum_policy", 19, "expected a string, got number");
  expect_bad(with(R"("stonith": "yes")"), "/storage_cluster/stonith", 19, "expected a boolean (true or false), got string");
  expect_bad(with(R"("resource_stickiness": 1.5)"), "/storage_cluster/resource_stickiness", 19, "1.5");
  expect_bad(with(R"("resource_stickiness": 2000000)"), "/storage_cluster/resource_stickiness", 19, "1000000");
  expect_bad(with(R"("stickiness": 0)"), "/storage_cluster/stickiness", 19, R"(unknown key "stickiness")");
}

TEST(TopologyErrors, ClusterNameIsAHostAlias) {
  expect_bad(edit(kTopology, R"("name": "storage")", R"("name": "acd-nas")"), "/storage_cluster/name", 16,
             R"(cluster name "acd-nas" is also a host alias)");
}

TEST(TopologyErrors, ShareServer) {
  expect_bad(edit(kTopology, "\"share_server\": \"storage\",\n", ""), "", 1, R"(missing key "share_server")");
  expect_bad(edit(kTopology, R"("share_server": "storage")", R"("share_server": "acd-lb1")"), "/share_server", 14,
             R"(host "acd-lb1" is a node of storage cluster "storage": name the cluster instead)");
  expect_bad(edit(kTopology, R"("share_server": "storage")", R"("share_server": "acd-dbm")"), "/share_server", 14,
             R"(host "acd-dbm" has no role store: expected a host with role store that is not a storage cluster node, or the storage cluster's name (candidates: acd-nas, storage))");
  expect_bad(edit(kTopology, R"("share_server": "storage")", R"("share_server": "nas")"), "/share_server", 14,
             R"(unknown share server "nas")");
}

TEST(TopologyErrors, BadDuration) {
  expect_bad(edit(kTopology, R"("vm.boot_complete": "70s")", R"("vm.boot_complete": "70 s")"),
             "/parameters/durations/vm.boot_complete", 33, R"(expected a duration: a number of seconds or a string such as "250ms", "30s", "5m", "1h", "1h30m", got "70 s")");
  expect_bad(edit(kTopology, R"("vm.boot_complete": "70s")", R"("vm.boot_complete": "-70s")"),
             "/parameters/durations/vm.boot_complete", 33, R"("vm.boot_complete": expected a duration from 0 s to 1 year (31536000 s), got "-70s")");
  expect_bad(edit(kTopology, R"("vm.boot_complete": "70s")", R"("vm.boot_complete": -3)"),
             "/parameters/durations/vm.boot_complete", 33, "expected a duration from 0 s to 1 year (31536000 s), got -3");
  expect_bad(edit(kTopology, R"("vm.boot_complete": "70s")", R"("vm.boot_complete": true)"),
             "/parameters/durations/vm.boot_complete", 33, "or a distribution");
  expect_bad(edit(kTopology, R"("median": "20s")", R"("median": "20")"),
             "/parameters/durations/acd-dbm~1mysql.start_complete/lognormal/median", 34, R"(got "20")");
  expect_bad(edit(kTopology, R"(["2s", "30s"])", R"(["30s", "2s"])"),
             "/parameters/durations/service.stop_complete/uniform/1", 35, "expected high >= low");
  expect_bad(edit(kTopology, R"(["2s", "30s"])", R"(["2s"])"), "/parameters/durations/service.stop_complete/uniform",
             35, "expected [low, high], got 1 values");
  expect_bad(edit(kTopology, R"({"uniform": ["2s", "30s"]})", R"({"normal": ["2s", "30s"]})"),
             "/parameters/durations/service.stop_complete/normal", 35, R"(unknown key "normal")");
}

TEST(TopologyErrors, DurationKeys) {
  expect_bad(edit(kTopology, R"("vm.boot_complete")", R"("vmx.boot_complete")"),
             "/parameters/durations/vmx.boot_complete", 33, R"(unknown kind "vmx" in "vmx.boot_complete" (known: vm, service,)");
  expect_bad(edit(kTopology, R"("vm.boot_complete")", R"("vm.booted")"), "/parameters/durations/vm.booted", 33,
             R"(unknown event "booted" of kind vm (known: power_on, boot_complete,)");
  expect_bad(edit(kTopology, R"("vm.boot_complete")", R"("boot_complete")"), "/parameters/durations/boot_complete",
             33, R"(expected a key "<kind>.<event>" or "<alias>/<component>.<event>")");
  expect_bad(edit(kTopology, R"("acd-dbm/mysql.start_complete")", R"("acd-dbm/samba.start_complete")"),
             "/parameters/durations/acd-dbm~1samba.start_complete", 34,
             R"(host "acd-dbm" has no component "samba" (it has: vm, mysql))");
  expect_bad(edit(kTopology, R"("acd-dbm/mysql.start_complete")", R"("acd-dbx/mysql.start_complete")"),
             "/parameters/durations/acd-dbx~1mysql.start_complete", 34, R"(unknown host "acd-dbx")");
  expect_bad(edit(kTopology, R"("acd-dbm/mysql.start_complete")", R"("acd-dbm/mysql.boot_complete")"),
             "/parameters/durations/acd-dbm~1mysql.boot_complete", 34,
             R"(unknown event "boot_complete" of acd-dbm/mysql (a service))");
}

TEST(TopologyErrors, Capacities) {
  expect_bad(edit(kTopology, R"("jb": 200)", R"("jbx": 200)"), "/parameters/capacities/jbx", 37,
             R"(unknown role or host "jbx")");
  expect_bad(edit(kTopology, R"("jb": 200)", R"("jb": 0)"), "/parameters/capacities/jb", 37,
             R"("jb": expected a capacity greater than 0 and at most 1000000, got 0)");
  expect_bad(edit(kTopology, R"("jb": 200)", R"("jb": "200")"), "/parameters/capacities/jb", 37,
             "expected a number, got string");
}

// ---- files -------------------------------------------------------------------

std::filesystem::path temp_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / ("acdsim_topology_test_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(TopologyFiles, LoadsAFile) {
  const std::filesystem::path file = temp_dir("load") / "t.json";
  std::ofstream(file) << kTopology;
  const Topology t = load_topology(file.string());
  EXPECT_EQ(t.source_file, file.string());
  EXPECT_EQ(t.hosts.size(), 8u);
}

TEST(TopologyFiles, ErrorsNameTheFile) {
  const std::filesystem::path file = temp_dir("bad") / "bad.json";
  std::ofstream(file) << edit(kTopology, R"(["dbs"])", R"(["dbx"])");
  expect_error(error_of([&] { load_topology(file.string()); }), file.string(), "/hosts/3/roles/0", 8,
               R"(unknown role "dbx")");
}

TEST(TopologyFiles, MissingFile) {
  const std::string file = (temp_dir("missing") / "nope.json").string();
  expect_error(error_of([&] { load_topology(file); }), file, "", 0, "cannot read the file: No such file or directory");
}

#ifdef ACDSIM_SOURCE_DIR
TEST(TopologyFiles, ShippedTopologiesLoad) {
  const std::filesystem::path dir = std::filesystem::path(ACDSIM_SOURCE_DIR) / "scenarios" / "topologies";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no " << dir;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    EXPECT_NO_THROW(load_topology(entry.path().string())) << entry.path();
  }
}
#endif

// ---- robustness ----------------------------------------------------------------

RC_GTEST_PROP(TopologyProperty, MutatedTextParsesOrThrowsInputError,
              (const std::vector<std::tuple<int, std::size_t, char>>& edits)) {
  const std::string text = mutate(std::string(kTopology), edits);
  try {
    parse_topology(text, "t.json");
  } catch (const InputError& e) {
    RC_ASSERT(e.file() == "t.json");
    RC_ASSERT(e.json_path().empty() || e.json_path()[0] == '/');
    RC_ASSERT(e.line() >= 0);
  }
}

}  // namespace
}  // namespace acdsim::model
