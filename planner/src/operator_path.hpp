// Operator commands a startup needs where booting is not enough (DRBD brought
// up by hand, the pacemaker stack not enabled at boot): from the state a
// planned procedure got stuck in, the fewest catalogue commands on the stuck
// wait's hosts that reach the wait and the hosts' health, each issued once
// the system has settled, none passing through a violated invariant.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "acdsim/checker/checker.hpp"
#include "acdsim/model/system.hpp"

namespace acdsim::planner {

struct OperatorCommand {
  std::string action, target;
  std::vector<std::string> wait;  // the settled state it was issued in, as wait atoms (target, what it reads)
};

using StatePredicate = std::function<bool(const model::Snapshot&)>;

// Some invariant checked in every state (the checker's "always" clauses) is violated.
StatePredicate violates_an_invariant(const model::System& sys);

// Every goal.healthy term of the components on `hosts` holds, except those
// the operator alone changes and those of components that read hosts outside
// `hosts` (a router waiting for its backends).
StatePredicate healthy_on(const model::System& sys, const std::vector<std::string>& hosts);

// The state a counterexample's trace ends in (its changes replayed on `from`).
model::Snapshot state_after(const model::System& sys, model::Snapshot from, const std::vector<checker::TraceLine>& trace);

// Breadth-first over settled states (every environment interleaving after a
// command explored, a command dropped if any of them violates `bad`), at most
// `max_commands` commands on components of `hosts` (and the storage cluster if
// its nodes are among them). Empty when no sequence reaches `goal`.
std::optional<std::vector<OperatorCommand>> operator_path(const model::System& sys, const model::Snapshot& from,
                                                          const std::vector<std::string>& hosts,
                                                          const StatePredicate& goal, const StatePredicate& bad,
                                                          std::size_t max_commands = 6);

}  // namespace acdsim::planner
