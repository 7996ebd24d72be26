// Failover and failback planning (acdsim plan --kind failover|failback): the
// active side of a two-node storage cluster moves to the other node while the
// system keeps serving. Candidates are built from the action catalogue (every
// pacemaker or DRBD action on the active node that could move its resources
// away, and every action that could bring a node back) and the first one the
// checker proves safe, with the severities the operator accepts, is written.
// See docs/planner.md, "Failover and failback".
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acdsim/checker/checker.hpp"
#include "acdsim/model/topology.hpp"

namespace acdsim::planner {

struct FailoverOptions {
  bool failback = false;              // also bring the resources back to the first node
  std::string topology_reference;     // the procedure's "topology" value
  checker::Options check;             // accepted severities, limits
};

struct FailoverCandidate {
  std::string what;     // "pcs_node_standby acd-lb1" (failback: "... then pcs_node_unstandby")
  std::string verdict;  // "SAFE", "violated: <id> (<severity>)", "incomplete"
  std::string detail;   // the violation's subject or why the search stopped
};

struct FailoverPlan {
  bool safe = false;
  std::string failure;
  std::string from, to;                       // the active node and the node that takes over
  nlohmann::ordered_json procedure;           // acdsim-procedure/1
  std::vector<FailoverCandidate> candidates;  // in the order tried
  checker::Result last;                       // the chosen candidate's check
};

FailoverPlan plan_failover(const model::Topology& topology, const FailoverOptions& options);

std::string explain(const FailoverPlan& plan);

}  // namespace acdsim::planner
