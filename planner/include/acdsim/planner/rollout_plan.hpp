// Rollout planning (acdsim plan --kind rollout): the fastest edition rollout
// of a router pool that the simulator shows keeps up with the offered load and
// the checker proves safe over every interleaving. Group sizes 1..N-1 and the
// atomic strategy are simulated over several seeds at the given load (a what-if
// sweep); candidates are taken fastest first until one passes both.
// See docs/planner.md, "Rollouts".
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acdsim/checker/checker.hpp"
#include "acdsim/sim/whatif.hpp"

namespace acdsim::planner {

struct RolloutOptions {
  std::string pool;                    // empty: the topology's only pool
  std::string load = "peak";           // low, peak, over-peak or a fraction of the peak
  std::string restart = "application"; // or server (JVM restart)
  std::string drain = "30s";
  std::string strategy = "any";        // group, atomic or any
  unsigned seeds = 10;                 // simulated runs per candidate
  std::uint64_t first_seed = 1;
  unsigned threads = 0;                // 0: every core
  double abandon_limit_pct = 1.0;      // atomic: most callers (%) that may give up in any run
  std::string topology_reference;      // the procedure's "topology" value
  checker::Options check;
};

struct RolloutCandidate {
  sim::PointResult simulated;
  std::string verdict;   // the checker's, when it was asked ("SAFE", "violated: <id>", "incomplete")
  std::string rejected;  // why it was not chosen; empty for the chosen one
};

struct RolloutPlan {
  bool safe = false;
  std::string failure;                       // why no rollout was planned (when !safe)
  nlohmann::ordered_json procedure;          // acdsim-procedure/1 with a rollout block
  std::vector<RolloutCandidate> candidates;  // fastest first
  std::optional<std::size_t> chosen;         // index into candidates
  double load = 1;                           // the offered load, as a fraction of the peak
  checker::Result last;                      // the chosen candidate's check
};

// Throws model::InputError for a bad topology, std::invalid_argument for bad options.
RolloutPlan plan_rollout(const std::string& topology_path, const RolloutOptions& options);

// Every candidate with its numbers and why it was or was not chosen.
std::string explain(const RolloutPlan& plan);

}  // namespace acdsim::planner
