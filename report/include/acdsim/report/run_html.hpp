// acdsim simulate --format html and acdsim plan --format html: the verdict,
// the simulated timeline (Gantt: hosts, steps, service back, critical
// chain), findings, workload and, for plans, the planned steps, why each
// wait is there and the procedure itself.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "acdsim/planner/failover_plan.hpp"
#include "acdsim/planner/planner.hpp"
#include "acdsim/planner/rollout_plan.hpp"
#include "acdsim/sim/simulator.hpp"

namespace acdsim::report {

// runs[0] carries the timeline. replay_of: the counterexample file of a
// replay ("" otherwise).
std::string simulate_html(const model::Procedure& procedure, const model::Topology& topology, const std::string& file,
                          const std::vector<sim::RunResult>& runs, const std::string& replay_of = "");

// A plan and one simulated run of it (seed) with the topology's durations.
std::string plan_html(const planner::Plan& plan, const model::Topology& topology, std::uint64_t seed);
std::string plan_html(const planner::RolloutPlan& plan, const model::Topology& topology, std::uint64_t seed);
std::string plan_html(const planner::FailoverPlan& plan, const model::Topology& topology, std::uint64_t seed, bool failback);

}  // namespace acdsim::report
