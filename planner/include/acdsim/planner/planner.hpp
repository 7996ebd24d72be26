// The planner: a startup or shutdown procedure derived from the model's own
// dependencies (which component's facts read which other host), refined by
// the checker's counterexamples until the checker proves it safe.
// See docs/planner.md.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "acdsim/checker/checker.hpp"
#include "acdsim/model/topology.hpp"

namespace acdsim::planner {

enum class Kind : std::uint8_t { Startup, Shutdown };
std::optional<Kind> kind_by_name(std::string_view name);
std::string_view to_string(Kind kind);

struct Options {
  unsigned max_rounds = 24;          // check-and-refine rounds before giving up
  checker::Options check;            // for every check (symmetry, POR, state limit)
  std::string topology_reference;    // the procedure's "topology" value (relative to where it is written)
  // Called with each round's line (Plan::rounds) as it happens: a plan of a
  // large topology takes minutes, and silence looks like a hang.
  std::function<void(const std::string&)> on_round;
};

// Why a wait or an ordering is in the plan.
struct Reason {
  std::string step;       // the step carrying the wait, or the step ordered later
  std::string what;       // "acd-jb1 waits for: acd-store/samba running"
  std::string invariant;  // the invariant whose counterexample asked for it
  std::string because;    // which fact of which component reads what
};

struct Plan {
  bool safe = false;
  std::string failure;                            // why no safe plan was found (when !safe)
  nlohmann::ordered_json procedure;               // acdsim-procedure/1
  std::vector<std::vector<std::string>> layers;   // host aliases, in the order the layers run
  std::vector<Reason> reasons;                    // one per wait / ordering / extra step
  std::vector<std::string> rounds;                // what each check-and-refine round found and did
  checker::Result last;                           // the final check
};

// Plans `kind` for the topology. Never throws for a plan it cannot make:
// Plan::safe is false and Plan::failure says why.
Plan plan(const model::Topology& topology, Kind kind, const Options& options = {});

// The plan's layers and reasons as text (acdsim plan --explain).
std::string explain(const Plan& plan);

}  // namespace acdsim::planner
