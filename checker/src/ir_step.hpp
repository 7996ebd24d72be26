// One step of a procedure as the checker runs it (shared by the engine and
// the stubborn-set computation).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "acdsim/checker/compiled.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/system.hpp"

namespace acdsim::checker {

constexpr std::uint32_t kNoMove = 0xFFFFFFFFu;
constexpr std::uint32_t kViaMove = 0x80000000u;  // via = move index | kViaMove, else a step index

// One step of the procedure as the checker runs it: role targets expanded
// into one step per host (plus a joining check step when the step waits).
struct IrStep {
  std::string id, label;
  std::uint32_t move = kNoMove;  // compiled command move; kNoMove for a check
  const model::Move* command = nullptr;
  std::vector<std::uint32_t> deps;
  model::Condition::Mode mode = model::Condition::Mode::All;
  std::vector<CompiledTerm> wait;
  std::vector<std::pair<std::uint32_t, Word>> wait_reads;  // (word, bits) the wait's terms read
  std::string wait_text;
  bool has_wait = false;
  Field status;    // 0 pending; with a wait: 1 issued, 2 complete; without: 1 complete
  Word done = 1;
};

}  // namespace acdsim::checker
