// The plan review (checker verdict on the whole procedure, unprovable waits)
// and the dry run that prints it with the plan and a summary.
#pragma once
#include <iosfwd>

#include "acdsim/checker/report.hpp"
#include "acdsim/live/executor.hpp"
#include "acdsim/live/review.hpp"

namespace acdsim::live {

struct PlanReview {
  checker::Checked checked;  // the verdict from the initial (or observed) state, with its trace
  WaitReview waits;
  std::string from;          // "the procedure's initial state (all_off)" / "the observed snapshot FILE"
};
PlanReview review_plan(const model::Procedure& procedure, const model::Topology& topology, const model::System& system,
                       const Inventory& inventory, const RunOptions& options);
// Verdict and unprovable waits, for people.
void print_review(const PlanReview& review, std::ostream& out);
// Safe -> Done, Violated -> Unsafe, Incomplete -> Incomplete.
RunOutcome verdict_outcome(const PlanReview& review);

RunOutcome dry_run(const model::Procedure& procedure, const model::Topology& topology, const model::System& system,
                   const Inventory& inventory, const RunOptions& options, std::ostream& out);

}  // namespace acdsim::live
