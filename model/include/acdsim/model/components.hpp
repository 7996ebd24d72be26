// Which component instances a topology has: derived from roles and links.
#pragma once
#include <string>
#include <vector>

#include "acdsim/model/kinds.hpp"
#include "acdsim/model/topology.hpp"

namespace acdsim::model {

// One component instance. Its path "<alias>/<name>" is how procedures,
// snapshots and messages name it.
struct ComponentRef {
  std::string host;  // "acd-dbs1"
  std::string name;  // "vm", "mysql", "samba", "drbd", "pacemaker", "router", "jboss",
                     // "telephony", "share", "hazelcast", "replication:<master alias>"
  KindId kind;
  std::string path() const { return host + "/" + name; }
};

// In a stable order: hosts in file order; per host vm first, then by role.
// Throws InputError (file = topology.source_file) when a host cannot carry its
// roles (two roles needing the same component, e.g. dbm and dbs on one host).
std::vector<ComponentRef> components_of(const Topology& topology);

}  // namespace acdsim::model
