// Timeouts for a planned procedure's waits, derived from the topology's
// durations by simulating it.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "acdsim/model/topology.hpp"

namespace acdsim::planner {

// Every step with a wait gets "timeout": 3x the longest the wait took in 20
// simulated runs (no load, topology durations), rounded up to a minute, at
// least 2 min. A crash then stops the procedure within minutes
// (procedure.timeout) instead of leaving it waiting for hours. The checker
// does not read timeouts, so a proof is unchanged. Returns how (for the rounds).
std::string timeouts_from_simulation(nlohmann::ordered_json& procedure, const model::Topology& topology);

}  // namespace acdsim::planner
