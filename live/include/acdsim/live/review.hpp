// The plan review before a run touches anything: which waits of the
// procedure the configured probes can never prove. The reasoning is the
// executor's (a wait holds when it holds in every reachable state the probes
// allow), asked of every answer the probes could give instead of the one they
// gave.
#pragma once
#include <string>
#include <vector>

#include "acdsim/live/inventory.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/system.hpp"

namespace acdsim::live {

struct UnprovableWait {
  std::string step;              // step id
  std::string wait;              // the condition ("role:jb/jboss in_service" expanded)
  std::vector<std::string> why;        // per atom: what its probe cannot tell apart
  std::vector<std::string> configure;  // the probes to configure (one line per kind)
};

struct WaitReview {
  std::size_t waits = 0;                  // steps with a wait
  std::vector<UnprovableWait> unprovable;
  std::vector<std::string> notes;         // waits decided per component (too many states), or that never hold in the model
};

// Follows the procedure in file order from `initial` (each step's commands,
// then the least advanced state where its wait holds) and asks, for each
// wait, whether any answer of the probes proves it.
WaitReview review_waits(const model::Procedure& procedure, const model::System& system, const Inventory& inventory,
                        const model::Snapshot& initial);

// The probe (and an example command) that can tell a kind's states apart.
std::string probe_advice(model::KindId kind);

}  // namespace acdsim::live
