// A Gantt-style SVG of one simulated run: one row per host, a bar per state
// the host was in (offline, booting, serving, ...), time from the start of the
// procedure. Used by `acdsim plan --svg` for the planned timeline.
#pragma once
#include <string>

#include "acdsim/sim/simulator.hpp"

namespace acdsim::planner {

std::string gantt_svg(const sim::RunResult& run, const std::string& title);

}  // namespace acdsim::planner
