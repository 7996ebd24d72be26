// In-service capacity against the offered load of each workload class over a
// run: the time below capacity, each interval below it (an outage in the
// JSON), and the capacity outage (docs/simulator.md "Capacity outages"): an
// interval that lasts longer than the class's patience (its median), when the
// router's queue no longer only delays callers but loses them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "acdsim/sim/engine.hpp"
#include "acdsim/sim/simulator.hpp"
#include "acdsim/sim/station.hpp"

namespace acdsim::sim {

class CapacityWatch {
 public:
  struct Interval {
    std::uint32_t cls;
    SimTime start, end;
  };
  // patience: per class, how long below capacity is an outage
  explicit CapacityWatch(std::vector<SimTime> patience);

  // The class's in-service capacity and offered load (Erlangs) from `now` on.
  // Returns when the class would become a capacity outage if it stays below
  // (a new interval began); the caller checks back then with outage_due().
  std::optional<SimTime> update(std::uint32_t cls, SimTime now, double capacity, double load);
  // Below capacity continuously since before `now - patience`, and not yet reported: report it now.
  bool outage_due(std::uint32_t cls, SimTime now);
  // Closes open intervals at the end of the run.
  void finish(SimTime end);

  double capacity(std::uint32_t cls) const { return cap_[cls]; }
  double load(std::uint32_t cls) const { return load_[cls]; }
  std::optional<SimTime> below_since(std::uint32_t cls) const;
  SimTime patience(std::uint32_t cls) const { return patience_[cls]; }
  double below_seconds(std::uint32_t cls) const { return below_s_[cls]; }
  const std::vector<Interval>& intervals() const { return intervals_; }  // zero-length ones left out

 private:
  std::vector<SimTime> patience_, since_, last_t_;  // since_: -1 when not below
  std::vector<double> cap_, load_, below_s_;
  std::vector<bool> reported_;
  std::vector<Interval> intervals_;
};

// A class's queueing metrics at the end of a run (waits are reordered for the percentiles).
void fill_metrics(ClassMetrics& m, StationStats& st);

}  // namespace acdsim::sim
