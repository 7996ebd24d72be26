// Running a procedure on real hosts, step by step, checked against the model.
//
// Before each step: probe the hosts involved, map the output onto the belief
// (model snapshot; unprobed components keep the model's prediction) and ask
// the checker whether the rest of the procedure is safe from there; refuse
// with the counterexample if not. Then run the step's commands and wait (the
// step's timeout) until the probes show what the model predicts; stop on a
// deviation or a timeout. Every record goes to the journal first.
//
// First of all (dry run and --execute alike) the plan review: the checker on
// the whole procedure from its initial state (or the observed snapshot), and
// every wait the configured probes can never prove. --execute refuses an
// unsafe plan unless forced and unprovable waits unless accepted.
#pragma once
#include <iosfwd>
#include <optional>
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
  checker::Options check;       // limits of the checks; accepted severities (initial_state is set by the executor)
  std::optional<model::Snapshot> observed;  // --observed: start from this state instead of the procedure's initial
  std::string observed_file;                // where it came from (for messages and the journal)
  bool force_unsafe = false;                // --force-unsafe: execute a plan the checker does not call safe
  bool accept_unprovable_waits = false;     // execute although some waits can never be proven
  bool live_status = false;                 // a terminal: the waiting line is updated in place
  // --resume: a command that began and has no result is run again only when the
  // probes show it had no effect; these override that judgement (either, not both).
  bool rerun_unfinished = false;   // run it again whatever the probes show
  bool accept_unfinished = false;  // it took effect (checked by hand): only await it
};

enum class RunOutcome : std::uint8_t {
  Done,        // every step completed (or dry run of a safe plan printed)
  Unsafe,      // plan review: the checker finds the procedure violated (dry run; --execute without --force-unsafe)
  Incomplete,  // plan review: a limit stopped the checker before a verdict
  Unprovable,  // --execute: some waits can never be proven by the probes (not accepted)
  Refused,     // the checker found the rest unsafe from the observed state, or the state is unknown
  Deviation,   // probes disagree with the model, a command failed, or a wait timed out
  NotMapped,   // an action has no command in the inventory, or a value was refused
  Declined,    // --step: the operator said no
};
// As `acdsim check`: 0 Done, 1 Unsafe/Unprovable/Refused/Deviation/Declined, 2 NotMapped, 3 Incomplete.
int exit_code(RunOutcome outcome);

RunOutcome run_procedure(const model::Procedure& procedure, const model::Topology& topology,
                         const Inventory& inventory, const Runner& runner, const RunOptions& options,
                         std::ostream& out, std::istream& in);

}  // namespace acdsim::live
