// Small topologies built in code, so System tests do not depend on the parser.
#pragma once
#include "acdsim/model/topology.hpp"

namespace acdsim::model::testing {

inline Host host(std::string alias, std::vector<Role> roles) { return Host{alias, std::move(roles), alias}; }

// store, lb, dbm -> dbs, one web and one telephony server.
inline Topology plain_topology() {
  Topology t;
  t.name = "plain";
  t.source_file = "plain.json";
  t.hosts = {host("acd-store", {Role::Store}), host("acd-lb", {Role::Lb}),   host("acd-dbm", {Role::Dbm}),
             host("acd-dbs", {Role::Dbs}),     host("acd-jb1", {Role::Jb}),  host("acd-tel1", {Role::Tel})};
  t.share_server = "acd-store";
  t.replication = {ReplicationLink{"acd-dbm", "acd-dbs", false}};
  t.hazelcast = {HazelcastGroup{"platform", {"acd-jb1", "acd-tel1"}}};
  t.pools = {RouterPool{"web", "acd-lb", {"acd-jb1"}}};
  return t;
}

// DRBD pair acd-lb1/acd-lb2 under pacemaker serving the share; one DB, one web server.
inline Topology redundant_topology(DrbdConstruction construction = DrbdConstruction::PrimarySecondary,
                                   bool managed = false) {
  Topology t;
  t.name = "redundant";
  t.source_file = "redundant.json";
  t.hosts = {host("acd-lb1", {Role::Store, Role::Lb}), host("acd-lb2", {Role::Store, Role::Lb}),
             host("acd-dbm", {Role::Dbm}), host("acd-jb1", {Role::Jb})};
  StorageCluster c;
  c.nodes = {"acd-lb1", "acd-lb2"};
  c.construction = construction;
  c.allow_two_primaries = construction == DrbdConstruction::PrimaryPrimary;
  c.drbd_managed_by_pacemaker = managed;
  t.storage_cluster = c;
  t.share_server = "storage";
  t.pools = {RouterPool{"web", "acd-lb1", {"acd-jb1"}}};
  return t;
}

}  // namespace acdsim::model::testing
