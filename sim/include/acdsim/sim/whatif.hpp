// What-if sweeps: a rollout scenario over a grid of parameters (strategy,
// group size, drain, restart, load, guard) x N seeds, on all cores, with the
// direct answers operators ask for. See docs/simulator.md.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acdsim/model/shard.hpp"
#include "acdsim/sim/simulator.hpp"

namespace acdsim::sim {

struct SweepAxis {
  std::string key;                  // strategy, group-size, drain, restart, load, guard
  std::vector<std::string> values;  // as written ("1..4" already expanded)
};

// "k=v1,v2" or "k=a..b" (whole numbers); throws std::invalid_argument with a message.
// Every value is range-checked: group-size a whole number from 1 to 1,000,000,
// drain a duration up to one year, load and guard thresholds 0 to 100.
SweepAxis parse_sweep(const std::string& text);

// The most a sweep may ask for: runs are kept in memory and a grid of
// millions would not finish (docs/formats.md, "Limits").
inline constexpr std::size_t kMaxGridPoints = 10'000;
inline constexpr std::size_t kMaxWhatIfRuns = 100'000;  // grid points x seeds
// Why axes x seeds is too large (a message naming the sizes), or "".
std::string grid_too_large(const std::vector<SweepAxis>& axes, unsigned seeds);

struct WhatIfOptions {
  unsigned seeds = 10;
  std::uint64_t first_seed = 1;
  unsigned threads = 0;   // 0: every core; fewer when the system cannot create them (said on stderr)
  Options base;           // guard off unless the sweep sets it (the point is to see the consequences)
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct PointResult {
  std::vector<std::pair<std::string, std::string>> params;  // one per axis, in axis order
  std::string strategy;
  unsigned group_size = 0;
  double load = 1, drain_s = 30;
  unsigned runs = 0, completed = 0, refused = 0;
  double window_mean_s = 0, window_max_s = 0;
  double commands_done_mean_s = 0;   // over completed runs
  double goal_mean_s = 0;            // over runs whose goal (service back) was reached
  unsigned goal_reached = 0;
  double abandoned_pct_mean = 0, abandoned_pct_max = 0;  // the rolled class (web)
  double max_queue_mean = 0, max_queue_max = 0;
  double wait_p95_mean_s = 0;
  double below_capacity_mean_s = 0, below_capacity_max_s = 0;
  unsigned unaccepted_findings = 0;  // runs with one
};

struct WhatIfAnswers {
  std::optional<double> highest_atomic_load;  // highest load with atomic abandonment under the limit (and all lower ones)
  double abandon_limit_pct = 1;
  // per load: the group size with the shortest window that never fell below required capacity
  std::vector<std::pair<double, std::optional<unsigned>>> fastest_safe_group;
};

// One run's numbers that its point's row is computed from, kept raw: shard files
// store them and a merge sums them in the same order as a single run.
struct RunSummary {
  bool completed = false, refused = false, unaccepted = false;  // unaccepted: some unaccepted finding
  double window_s = 0;
  std::optional<double> commands_done_s, goal_s;
  bool has_class = false;  // the rolled class (web, else the last class); false: the workload has none
  std::uint64_t offered = 0, abandoned = 0, max_queue = 0;
  double wait_p95_s = 0, below_capacity_s = 0;
};
RunSummary summarize(const RunResult& run);

// A sweep ready to run: its grid points (first axis slowest; params and what they
// resolved to, no runs yet), each with its simulator and options.
struct WhatIfGrid {
  std::vector<PointResult> points;
  std::vector<std::unique_ptr<Simulator>> simulators;
  std::vector<Options> options;
};
// Reads the scenario (path: a procedure with a "rollout" block) and builds the grid;
// std::invalid_argument or InputError on a bad sweep or file.
WhatIfGrid prepare_whatif(const std::string& scenario_path, const std::vector<SweepAxis>& axes, const WhatIfOptions& options);
// The runs of the jobs the shard owns (job j: point j / seeds, seed first_seed + j % seeds), in job order.
std::vector<RunSummary> run_whatif_jobs(const WhatIfGrid& grid, const WhatIfOptions& options, model::Shard shard);
// Every point's row from all its runs (runs: every job, in job order).
std::vector<PointResult> aggregate_whatif(std::vector<PointResult> points, unsigned seeds, const std::vector<RunSummary>& runs);
// prepare, run every job, aggregate: what `acdsim whatif` shows.
std::vector<PointResult> run_whatif(const std::string& scenario_path, const std::vector<SweepAxis>& axes,
                                    const WhatIfOptions& options);
WhatIfAnswers answer(const std::vector<PointResult>& points, double abandon_limit_pct);

std::string whatif_table(const std::vector<PointResult>& points);
std::string whatif_csv(const std::vector<PointResult>& points);
std::string whatif_json(const std::vector<PointResult>& points, const WhatIfAnswers& answers);
std::string answers_text(const WhatIfAnswers& answers);

}  // namespace acdsim::sim
