// Simulation results as text, JSON, and Chrome trace JSON (Perfetto).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "acdsim/sim/simulator.hpp"

namespace acdsim::sim {

nlohmann::json run_json(const RunResult& run);
// Several runs of one scenario: per-run rows plus mean/min/max of the headline metrics.
nlohmann::json summary_json(const std::vector<RunResult>& runs);
std::string summary_text(const std::string& name, const std::vector<RunResult>& runs);
// A run's critical chain, one link a line ("" without one).
std::string chain_text(const RunResult& run);
// One track per host (slices never overlap), counters for queue depth and
// capacity vs load per workload class, instant events for faults and findings.
nlohmann::json chrome_trace(const RunResult& run);

}  // namespace acdsim::sim
