// A Gantt-style SVG of one simulated run: one row per host, a bar per state
// the host was in (offline, booting, serving, ...), time from the start of the
// procedure to the end of its window (service back / all off), markers for
// "commands done" and the goal, the critical chain highlighted and listed, a
// legend. Used by `acdsim plan --svg`, `acdsim simulate --svg` and the HTML report.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "acdsim/sim/simulator.hpp"

namespace acdsim::planner {

// A time axis with round ticks: step and end in seconds, labels in one unit
// ("30 s", "2 min", "1 h") chosen by the step.
struct Axis {
  double step_s = 1, end_s = 1;
  std::vector<std::pair<double, std::string>> ticks;  // (seconds, label)
};
Axis time_axis(double span_s);

// The whole SVG document as a string (no file written).
std::string gantt_svg(const sim::RunResult& run, const std::string& title);

}  // namespace acdsim::planner
