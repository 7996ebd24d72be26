// Symmetry reduction: hosts that are interchangeable (swapping them maps the
// whole compiled problem onto itself: components, fact rules, environment and
// fault moves, procedure steps, properties, initial state) form a group, and
// states that differ only by a permutation within a group are one state. The
// representative sorts the hosts' blocks (their component fields and the
// status fields of their own steps).
//
// Nothing is assumed from the topology: every swap is verified on the compiled
// model, so a host that differs in any way (a role, a pool, a replication
// channel, a step of its own) simply is not grouped.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "acdsim/checker/compiled.hpp"
#include "acdsim/checker/invariants.hpp"

namespace acdsim::checker {

// What the symmetry check needs to know of one procedure step.
struct StepShape {
  std::uint32_t move;  // compiled move, or 0xFFFFFFFF for a check
  std::vector<std::uint32_t> deps;
  std::vector<CompiledTerm> wait;
  bool any = false;  // wait mode
  bool has_wait = false;
  Field status;
};

class Symmetry {
 public:
  Symmetry(const CompiledModel& model, const std::vector<StepShape>& steps, const Properties& properties,
           const Word* initial);

  bool active() const { return !groups_.empty(); }
  // Replaces state by its group representative. With parent (a representative
  // that state was derived from), groups whose fields did not change are skipped.
  void canonicalize(Word* state, const Word* parent = nullptr) const;
  // "web1 web2 web3; tel1 tel2" (the groups found).
  std::string describe() const;
  // The hosts of host's group (host itself included); empty if it has none.
  std::vector<std::string> group_of(const std::string& host) const;

 private:
  struct Group {
    std::vector<std::string> hosts;
    std::vector<std::vector<Field>> blocks;  // per host, fields in a corresponding order
    std::vector<std::pair<std::uint32_t, Word>> masks;  // (word, bits of the group's fields there)
  };
  std::vector<Group> groups_;
};

}  // namespace acdsim::checker
