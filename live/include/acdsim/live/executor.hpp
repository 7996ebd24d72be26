// Running a procedure on real hosts, step by step, checked against the model.
//
// Before each step: probe the hosts involved, map the output onto the belief
// (model snapshot; unprobed components keep the model's prediction) and ask
// the checker whether the rest of the procedure is safe from there; refuse
// with the counterexample if not. Then run the step's commands and wait (the
// step's timeout) until the probes show what the model predicts; stop on a
// deviation or a timeout. Every record goes to the journal first.
#pragma once
#include <iosfwd>
#include <string>

#include "acdsim/checker/checker.hpp"
#include "acdsim/live/inventory.hpp"
#include "acdsim/live/transport.hpp"
#include "acdsim/model/procedure.hpp"

namespace acdsim::live {

struct RunOptions {
  bool execute = false;      // false: dry run (print commands, targets and checks; touch nothing)
  bool confirm_each = false; // --step: ask before each step
  std::string journal;       // required with execute
  bool resume = false;       // continue the run recorded in journal
  std::string inventory_file, procedure_file;  // for the journal's start record
  double default_wait_s = 600;  // how long to wait for a step without its own timeout
  checker::Options check;       // limits of the re-checks (initial_state is set by the executor)
};

enum class RunOutcome : std::uint8_t {
  Done,        // every step completed (or dry run printed)
  Refused,     // the checker found the rest unsafe from the observed state, or the state is unknown
  Deviation,   // probes disagree with the model, a command failed, or a wait timed out
  NotMapped,   // an action has no command in the inventory, or a value was refused
  Declined,    // --step: the operator said no
};
int exit_code(RunOutcome outcome);  // 0 Done, 1 Refused/Deviation/Declined, 2 NotMapped

RunOutcome run_procedure(const model::Procedure& procedure, const model::Topology& topology,
                         const Inventory& inventory, const Runner& runner, const RunOptions& options,
                         std::ostream& out, std::istream& in);

}  // namespace acdsim::live
