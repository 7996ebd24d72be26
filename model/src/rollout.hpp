// A procedure's "rollout" block (docs/formats.md "Rollouts"): read against the
// topology's router pools and expanded to the ordinary steps that the checker,
// the simulator and the live executor run.
#pragma once
#include <string>
#include <vector>

#include "acdsim/model/procedure.hpp"
#include "json_source.hpp"

namespace acdsim::model {

// Reads the block at v; a located InputError on any problem.
Rollout read_rollout(const json_input::Value& v, const Topology& topology);

// The generated steps, in dependency order, each with json_path as where it was written.
std::vector<Step> rollout_steps(const Rollout& r, const std::string& json_path);

}  // namespace acdsim::model
