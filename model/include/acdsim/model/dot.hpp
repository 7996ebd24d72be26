// Graphviz DOT renderings: a topology's dependency graph and a procedure's
// step order.
#pragma once
#include <string>

#include "acdsim/model/kind_table.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"

namespace acdsim::model {

// Hosts as nodes (grouped into the storage cluster), edges from a consumer to
// what it needs: share client -> share server, replica -> master, application
// -> DB master, router -> backends; DRBD and Hazelcast links undirected.
std::string topology_dot(const Topology& topology);

// Steps as nodes (action, target, wait), phases as clusters named by their
// names, edges from a step to the steps that wait for it; edges implied by
// others are left out (transitive reduction), so phases do not clutter.
std::string procedure_dot(const Procedure& procedure);

// A component kind's compiled state graph: one node per reachable local
// state, one edge per (state, event, target) with the fact combinations
// under which it fires summarised ("always" or the guard's facts).
std::string kind_dot(const KindTable& table);

}  // namespace acdsim::model
