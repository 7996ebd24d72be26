// The what-if plot: abandoned share of web sessions and max router queue
// against load, one line per strategy / group size (points averaged over the
// other swept axes), the abandonment limit as a line, a legend, units.
// See docs/simulator.md.
#pragma once
#include <string>
#include <vector>

#include "acdsim/sim/whatif.hpp"

namespace acdsim::sim {

struct WhatIfPlotOptions {
  std::string scenario;           // the scenario file, shown in the subtitle
  double abandon_limit_pct = 1;   // drawn across the abandoned panel (the abandoned-calls target)
};

std::string whatif_svg(const std::vector<PointResult>& points, const WhatIfPlotOptions& options);
inline std::string whatif_svg(const std::vector<PointResult>& points, const std::string& scenario, double abandon_limit_pct = 1) {
  return whatif_svg(points, WhatIfPlotOptions{scenario, abandon_limit_pct});
}

}  // namespace acdsim::sim
