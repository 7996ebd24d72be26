// Randomized timed runs of a procedure (acdsim fuzz): durations drawn from
// the topology's ranges, faults drawn per kind at given rates, the checker's
// invariants and the goal monitored by the simulator. A failing run is shrunk
// (drop faults, move them earlier, round their times) to a smallest schedule
// that still breaks the same invariant, and can be saved as a replayable case.
// See docs/fuzz.md.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acdsim/model/procedure.hpp"
#include "acdsim/sim/simulator.hpp"

namespace acdsim::planner {

// Faults whose label contains `kind` ("crashes", "start fails", "link lost";
// "any" for every fault move) at `per_hour` on average.
struct FaultRate {
  std::string kind;
  double per_hour = 0;
};
// "crashes:0.5,start fails:1" -> rates; throws std::invalid_argument on a malformed list.
std::vector<FaultRate> parse_fault_rates(const std::string& text);

struct FuzzOptions {
  unsigned runs = 100;
  std::uint64_t seed = 1;
  std::vector<FaultRate> faults;
  std::vector<std::string> accepted;  // severities that do not fail a run (besides the procedure's own)
  double window_s = 3600;             // faults are drawn within this long after the start
  unsigned max_shrink_runs = 400;     // simulator runs the shrinker may spend
};

// One run, replayable with `acdsim simulate PROCEDURE --seed S --fault T:WHAT ...`.
struct FuzzCase {
  std::uint64_t seed = 0;
  std::vector<sim::ScheduledFault> faults;
  std::string failure;  // invariant id (or procedure.*) that broke; empty: passed
  std::string detail;   // subject and detail of the first unaccepted finding
  double time_s = 0;    // when, from the procedure's start
  // Shrunk timing: these environment moves (all: every one) take their median
  // duration instead of their draw (sim::Options::typical).
  bool typical_all = false;
  std::vector<std::string> typical;
};

struct FuzzResult {
  unsigned runs = 0, failed = 0;
  std::optional<FuzzCase> first_failure;  // as found
  std::optional<FuzzCase> shrunk;         // smallest found
  unsigned shrink_runs = 0;
  std::size_t environment_moves = 0;  // of the procedure's system (for "k of n at their median")
};

// The topology's fault moves, by label ("acd-jb1: VM crashes").
std::vector<std::string> fault_labels(const model::Topology& topology);
// Draws the fault schedule of run `seed` from those labels (exposed for tests).
std::vector<sim::ScheduledFault> draw_faults(const std::vector<std::string>& labels, std::uint64_t seed,
                                             const FuzzOptions& options);
// Runs one case; fills failure/detail/time.
FuzzCase run_case(const sim::Simulator& simulator, std::uint64_t seed, std::vector<sim::ScheduledFault> faults,
                  const FuzzOptions& options, bool typical_all = false, std::vector<std::string> typical = {});
FuzzResult fuzz(const model::Procedure& procedure, const model::Topology& topology, const FuzzOptions& options);

// The replayable case file (format acdsim-fuzz-case/1) and its command line.
nlohmann::ordered_json case_json(const FuzzCase& c, const std::string& procedure_path);
std::string replay_command(const FuzzCase& c, const std::string& procedure_path);

}  // namespace acdsim::planner
