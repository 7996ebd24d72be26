// The what-if plot: abandoned share and max router queue against load, one
// line per strategy / group size. See docs/simulator.md.
#pragma once
#include <string>
#include <vector>

#include "acdsim/sim/whatif.hpp"

namespace acdsim::sim {

std::string whatif_svg(const std::vector<PointResult>& points, const std::string& title);

}  // namespace acdsim::sim
