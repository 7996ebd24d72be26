// Axis helpers for the SVG plots: round tick values and labels that show
// exactly as many decimals as the ticks need.
#pragma once
#include <string>
#include <vector>

namespace acdsim::sim::plot {

// Ticks at multiples of a round step (1, 2 or 5 x 10^k) covering [lo, hi]:
// the first <= lo, the last >= hi, about `target` intervals.
// nice_ticks(0, 0.0123) = 0, 0.002, ..., 0.014. An empty range is widened.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

// The step of ticks from nice_ticks (0 for fewer than two ticks).
double tick_step(const std::vector<double>& ticks);

// value with the decimals the step needs (step 0.002 -> "0.004", step 0.5 -> "1.5",
// step 20 -> "40"); never "-0".
std::string tick_label(double value, double step);

// The shortest decimal form of value with at most 3 decimals: 0.3 -> "0.3", 2 -> "2".
std::string short_number(double value);

}  // namespace acdsim::sim::plot
