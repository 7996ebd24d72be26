// A command that began before the run was interrupted and has no result in the
// journal (command_begin without command). On resume it is run again only when
// the probes show it had no effect: the observed state is one the environment
// can reach without the command and none it can reach only with it. Otherwise
// the resume stops and says what to check (or the operator decides:
// --rerun-unfinished, --accept-unfinished).
#pragma once
#include <string>
#include <vector>

#include "acdsim/live/observe.hpp"
#include "acdsim/model/system.hpp"

namespace acdsim::live {

struct UnfinishedJudgement {
  bool no_effect = false;          // safe to run again
  std::vector<std::string> lines;  // why: what the probes show, component by component
};

// before: the state before the command (the last completed step's, plus this
// step's finished commands); move: the command's model move; seen: the probes now.
UnfinishedJudgement judge_unfinished(const model::System& system, const model::Snapshot& before, const model::Move& move,
                                     const Observed& seen);

}  // namespace acdsim::live
