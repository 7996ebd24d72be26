// Partial-order reduction by stubborn sets computed per state from what each
// transition (an environment move, or a pending command step) reads and
// writes. docs/checker.md ("Partial-order reduction") gives the conditions
// and why they keep every violation, stuck state, refused step and goal.
#pragma once
#include <atomic>
#include <cstdint>
#include <vector>

#include "acdsim/checker/compiled.hpp"
#include "acdsim/checker/invariants.hpp"
#include "ir_step.hpp"

namespace acdsim::checker {

class StubbornSets {
 public:
  // Transitions are numbered: environment moves first (their move index),
  // then one per step (environment_end + step index; checks never fire).
  StubbornSets(const CompiledModel& model, const std::vector<IrStep>& steps, const Properties& properties,
               std::size_t words);

  // The enabled transitions of a stubborn set of cur smaller than all enabled
  // ones, as "via" codes (step index, or move | kViaMove), into chosen; false
  // when no such set was found (expand fully). Thread-safe (scratch is per thread).
  // When the levels searched so far held at least kTrial states and their sets
  // saved less than a tenth of the moves it gives up (returns false at once):
  // computing sets that save nothing only costs time (on the redundant
  // topologies, where nearly every move reaches the DRBD pair's or a
  // Hazelcast cluster's).
  bool choose(const Word* cur, std::vector<std::uint32_t>& chosen) const;
  // Called by the search between breadth-first levels, with no thread
  // expanding: the give-up decision is taken only there, from whole levels,
  // so it does not depend on which thread expanded which state first.
  void end_level() const {
    if (decided_ || tried_ < kTrial) return;
    decided_ = true;
    given_up_ = saved_ * 10 < enabled_;
  }

  std::size_t transitions() const { return reads_.size(); }
  bool gave_up() const { return given_up_; }
  static constexpr std::uint64_t kTrial = 4096;
  static constexpr std::size_t kSeeds = 5;
  static constexpr std::size_t kDisabledWeight = 1;  // a disabled transition's cost in a necessary set  // enabled transitions tried as a set's seed per state

 private:
  struct Observer {
    std::uint32_t step;                    // a step that completes by observing (a wait, a check)
    std::vector<std::uint32_t> commands;   // command steps it transitively needs (itself included)
    std::vector<std::uint32_t> inputs;     // components read by the waits of it and its needs
    std::vector<CompiledTerm> terms;       // those waits' terms
    std::vector<std::uint32_t> falsifiers; // transitions that may turn one of the terms false
    std::vector<std::uint32_t> changers;   // transitions that may change one of the terms
  };
  struct Read {  // a transition reads whether component is in codes (or all of it)
    std::uint32_t component;
    CodeSet codes;
    bool full;
  };
  struct Requirement {
    CompiledTerm term;
    std::uint32_t component;
    std::vector<std::uint32_t> truthifiers;  // transitions that may make it hold
  };
  struct Scratch;
  struct Maker {  // a transition that may make a term true
    std::uint32_t u;
    bool needs_up;                       // only while its host is up
    std::vector<model::FactBits> facts;  // the component's facts with which it may (sorted)
  };
  struct Target {  // a term of an invariant's clause or a wait, and what may make it true
    CompiledTerm term;
    std::uint32_t component;
    std::vector<std::uint32_t> truthifiers;
    std::vector<Maker> makers;  // the truthifiers, with when they may
  };
  Target target(std::uint32_t c, const CompiledTerm& term) const;
  struct Gate {  // the first required participant: it must be in one of codes
    std::uint32_t component = 0;
    Field field;
    CodeSet codes;
    bool check = false;
  };
  struct Change {
    std::uint32_t component;
    LocalCode from, to;
    bool operator==(const Change&) const = default;
  };

  std::uint32_t move_of(std::uint32_t t) const { return t < env_end_ ? t : steps_[t - env_end_].move; }
  bool pending(std::uint32_t t, const Word* s) const {
    return t < env_end_ || steps_[t - env_end_].status.read(s) == 0;
  }
  // Adds to the set a necessary enabling set of a disabled transition: some
  // transitions of which one must fire before it can.
  // Calls visit(u) for each transition that may change component c's code from what it is in cur:
  // the first change of c starts there.
  template <class Visit>
  void for_movers(std::uint32_t c, const Word* cur, Visit&& visit) const;
  // Calls visit(u) for a necessary set of target's term becoming true: its
  // truthifiers, or the movers of its component now, whichever are fewer.
  // Into makers: the truthifiers of target that may make it true with its
  // component's facts and host as they are now, and for each other one what
  // must change those first.
  void truthifiers_now(const Target& target, const Word* cur, std::vector<std::uint32_t>& makers) const;
  template <class Visit>
  void term_makers(const Target& target, const Word* cur, const Scratch& x, Visit&& visit) const;
  // Calls visit(u) for a necessary set of enabled t becoming disabled: the
  // movers now of the components its enabledness reads, or those that may
  // flip such a read, whichever are fewer.
  template <class Visit>
  void disablers(std::uint32_t t, const Word* cur, const Scratch& x, Visit&& visit) const;
  // A necessary set of observer step d completing when every command it needs is issued.
  template <class Add>
  void wait_enablers(std::uint32_t d, const Word* cur, const Scratch& x, Add&& add) const;
  template <class Add>
  void enablers(std::uint32_t t, const Word* cur, const Scratch& x, Add&& add) const;
  bool closure(std::uint32_t seed, const Word* cur, Scratch& x, std::size_t best) const;
  // Makes the set hold, for every invariant's clause and every step, some
  // transitions of which one must fire before the clause can be violated or
  // the step refused (see docs/checker.md); false when nothing was missing.
  template <class Add>
  bool add_targets(const Word* cur, Scratch& x, Add&& add) const;

  const CompiledModel& model_;
  const std::vector<IrStep>& steps_;
  std::size_t words_;
  std::uint32_t env_end_;
  bool may_flip(std::uint32_t u, const Read& read) const;
  std::vector<std::uint32_t> truthifiers(std::uint32_t c, const CompiledTerm& term) const;

  std::vector<std::vector<Read>> reads_;                      // per transition
  std::vector<std::vector<Read>> enable_reads_;               // per transition: those whether it is enabled depends on
  std::vector<std::vector<std::uint32_t>> enable_flippers_;   // per transition: those that may change an enable read
  std::vector<std::vector<std::uint32_t>> writes_;            // per transition: components (sorted)
  std::vector<std::vector<std::uint32_t>> writers_;           // per component: transitions
  std::vector<std::vector<std::vector<std::uint32_t>>> movers_;  // per component, per code: those that may change it from there
  std::vector<std::vector<std::uint32_t>> dependent_;         // per transition: those it may affect or be affected by
  std::vector<std::vector<std::uint32_t>> flippers_;          // per transition: those that may change what it reads
  std::vector<std::vector<std::uint32_t>> gate_enablers_;     // per transition: those that may open its gate
  std::vector<std::vector<std::vector<std::uint32_t>>> fact_flippers_;  // per component, per fact: those that may change it
  std::vector<model::ComponentIndex> vm_of_;                        // per component: its host's VM
  std::vector<CompiledTerm> vm_up_term_;                      // per component: its host's VM is up
  std::vector<std::vector<std::uint32_t>> vm_up_truthifiers_; // per component: those that may bring its host's VM up
  std::vector<Gate> gates_;                                   // per transition
  std::vector<std::vector<Requirement>> requires_;            // per transition
  std::vector<std::vector<Change>> changes_;                  // per transition: every change it can make
  std::vector<Observer> observers_;
  std::vector<std::vector<Target>> wait_targets_;             // per step: its wait's terms
  mutable std::atomic<std::uint64_t> tried_{0}, enabled_{0}, saved_{0};  // states, their moves, moves left out
  mutable std::atomic<bool> decided_{false}, given_up_{false};           // set only by end_level()
  std::vector<std::vector<Target>> clauses_;                  // per always-clause
  std::vector<std::uint32_t> observer_of_step_;
  std::vector<std::vector<std::uint32_t>> observers_of_component_, observers_of_command_;
};

}  // namespace acdsim::checker
