// acdsim whatif --format html: which grid points stay within the abandonment
// limit, the direct answers, the plot and the table of every point.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "acdsim/sim/whatif.hpp"

namespace acdsim::report {

struct WhatIfRun {
  std::string scenario;               // the scenario file
  std::vector<sim::SweepAxis> axes;
  unsigned seeds = 0;                 // runs per point
  std::uint64_t first_seed = 1;
};

std::string whatif_html(const WhatIfRun& run, const std::vector<sim::PointResult>& points, const sim::WhatIfAnswers& answers);

}  // namespace acdsim::report
