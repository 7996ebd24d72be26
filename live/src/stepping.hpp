// What the executor reasons about a step, shared by the run and the dry run's
// plan review: which hosts a step probes, what a command is on which host,
// which states the environment can reach after a step, and when the probes
// prove a wait (the whole picture: the wait holds in every reachable state
// that all probes allow).
#pragma once
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "acdsim/live/inventory.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/system.hpp"

namespace acdsim::live {

// One command of a step: which component, where it runs, what it runs.
struct PlannedCommand {
  std::string target;  // as expanded ("acd-dbm", "acd-dbs/replication:acd-dbm", "cluster:storage")
  std::string host;    // where the component is
  const Endpoint* endpoint = nullptr;
  Argv argv;
  std::string shown;  // argv for output and journal: secrets masked
  std::string error;  // not mapped / value refused
};
PlannedCommand plan_command(const model::System& system, const Inventory& inventory, const model::Step& step,
                            const std::string& target, const model::Snapshot& belief);

// The targets of a step's commands ("check" steps have none).
std::vector<std::string> command_targets(const model::Topology& topology, const model::Step& step);
// The hosts probed around a step: its targets, its wait's components, the replicas of a master it touches.
std::vector<std::string> hosts_to_probe(const model::Topology& topology, const model::Step& step);
bool condition_holds(const model::System& system, const model::Condition& condition, const model::Snapshot& state);
bool atom_holds(const model::System& system, const model::ConditionAtom& atom, const model::Snapshot& state);
// "acd-lb/samba running and acd-dbm/mysql running"
std::string condition_text(const model::Condition& condition);

// The states the environment can reach from a state (no faults), breadth-first:
// fewest environment moves first. Past the limit, incomplete.
struct Reachable {
  std::vector<model::Snapshot> states;
  bool complete = true;
};
inline constexpr std::size_t kReachableLimit = 200000;
Reachable reachable_states(const model::System& system, const model::Snapshot& from,
                           std::size_t limit = kReachableLimit);

// Per probed component, the states its probe allows.
using Allowed = std::vector<std::pair<model::ComponentIndex, std::vector<model::LocalCode>>>;
// The reachable states that every probe allows, in breadth-first order.
std::vector<const model::Snapshot*> consistent_states(const Reachable& reach, const Allowed& allowed);
// A wait is proven when it holds in every consistent state (and there is one).
bool wait_proven(const model::System& system, const model::Condition& wait,
                 const std::vector<const model::Snapshot*>& consistent);

}  // namespace acdsim::live
