// A procedure as a Promela model for SPIN (issue 16), generated from the very
// tables the checker searches (compiled moves, steps, clauses), so SPIN can
// re-verify a verdict independently: one atomic Promela transition per
// acdsim move (waits closed inside it), invariants as assertions, stuck and
// missed goals as assertions where nothing can move. Format: docs/formats.md
// "acdsim-promela/1"; how to run SPIN: docs/checker.md.
#pragma once
#include <string>

#include "acdsim/checker/checker.hpp"

namespace acdsim::checker {

// The model text. procedure_file is written into its header (for the trail
// import). Symmetry and partial-order reduction are not used (SPIN's states are
// acdsim's unreduced ones); faults, accepted severities and the initial state are.
std::string promela_model(const model::Procedure& procedure, const model::Topology& topology, Options options,
                          const std::string& procedure_file);

// The violation a SPIN trail shows, read from `spin -t MODEL.pml`'s output
// (the model's "@acdsim" markers), replayed on the checker: the result has
// verdict Violated and that one violation with its trace (as check finds it).
// Throws model::InputError (located in replay_path) when the markers do not
// replay or name no violation.
Result result_from_spin_replay(const model::Procedure& procedure, const model::Topology& topology, Options options,
                               const std::string& replay_text, const std::string& replay_path);

}  // namespace acdsim::checker
