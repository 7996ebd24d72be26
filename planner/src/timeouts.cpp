#include "timeouts.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "acdsim/model/procedure.hpp"
#include "acdsim/sim/simulator.hpp"

namespace acdsim::planner {

std::string timeouts_from_simulation(nlohmann::ordered_json& procedure, const model::Topology& topology) {
  constexpr unsigned kRuns = 20;
  constexpr double kFactor = 3;
  constexpr long kMinMinutes = 2;
  const model::Procedure p = model::parse_procedure(procedure.dump(), "<planned procedure>", topology);
  const sim::Simulator simulator(p, topology);
  sim::Options o;
  o.warmup_s = 0, o.horizon_s = 0, o.load = 0;  // timing only
  std::map<std::string, double> longest;        // step id -> seconds from issued to complete
  for (std::uint64_t seed = 1; seed <= kRuns; ++seed)
    for (const sim::Timeline::Slice& sl : simulator.run(seed, o).timeline.steps) {
      const std::string id = sl.name.substr(0, sl.name.find(": "));
      longest[id] = std::max(longest[id], sim::to_seconds(sl.end - sl.start));
    }
  for (auto& step : procedure["steps"]) {
    if (!step.contains("wait")) continue;
    const double need = kFactor * longest[step["id"].get<std::string>()];
    const long minutes = std::max(kMinMinutes, static_cast<long>(std::ceil(need / 60 - 1e-9)));
    nlohmann::ordered_json with;  // the timeout right after the wait it bounds
    for (auto& [k, v] : step.items()) {
      if (k == "timeout") continue;
      with[k] = v;
      if (k == "wait") with["timeout"] = std::to_string(minutes) + "m";
    }
    step = std::move(with);
  }
  return std::to_string(static_cast<int>(kFactor)) + "x its longest in " + std::to_string(kRuns) +
         " simulated runs, at least " + std::to_string(kMinMinutes) + " min";
}

}  // namespace acdsim::planner
