// The checker engine, shared by the files that implement it: checker.cpp
// (Checker::run), checker_build.cpp (a procedure compiled into steps and
// clauses, reductions prepared), checker_search.cpp (the breadth-first
// search) and counterexample.cpp (shortest, concrete traces). The members
// the search calls per state stay inline here.
#pragma once
#include <algorithm>
#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "acdsim/checker/checker.hpp"
#include "acdsim/model/system.hpp"
#include "ir_step.hpp"
#include "stubborn.hpp"
#include "symmetry.hpp"
#include "words.hpp"

namespace acdsim::checker {

struct Checker::Impl {
  model::Procedure procedure;
  model::System system;
  Layout layout;
  CompiledModel model;
  Options options;
  std::deque<model::Move> commands;  // stable addresses
  std::vector<IrStep> steps;
  Field faults_field;
  Properties properties;
  std::shared_ptr<UserInvariantSpecs> user = std::make_shared<UserInvariantSpecs>();
  bool accepted[4] = {false, false, false, false};
  model::Snapshot initial_snapshot;
  std::vector<Word> initial;
  std::size_t words = 0;
  std::size_t component_bits = 0, component_words = 0;
  std::vector<std::uint32_t> observers;  // steps that complete by observing (waits, checks)
  std::vector<Word> observed_bits;       // per component word: the bits some wait reads
  std::vector<std::vector<std::uint32_t>> clauses_of_move;
  std::optional<Symmetry> symmetry;       // when on and some hosts are interchangeable
  std::optional<StubbornSets> stubborn;   // partial-order reduction, when on (see ample())
  std::vector<Word> canonical_initial;    // initial, as its group representative
  std::vector<std::string> always_kinds;  // per always-clause: the component kind of its subject

  Impl(const model::Procedure& p, const model::Topology& t, Options o);

  void build_steps();

  CompiledTerm atom_term(const model::ConditionAtom& a, bool negate) const;

  // "whenever `when` holds, `then` holds" as clauses (violated when all terms
  // hold): one per disjunct of when AND not-then.
  void add_user_invariants();

  void index_clauses();

  // The representative of a successor may have the changed host's block sorted
  // to another host of its group, shifting the others: a move may change the
  // truth of any clause on those hosts, not only on its own components.
  void close_clauses_under_symmetry();

  // The components at each packed field (word, shift).
  std::map<std::pair<std::uint32_t, std::uint8_t>, std::vector<model::ComponentIndex>> components_by_field() const;
  // The component kind a finding is about: its subject's (the first of "a + b"),
  // "" when the subject is no component (a step, a user invariant's text).
  std::string kind_of(const std::string& subject) const {
    const auto plus = subject.find(" + ");
    const auto c = system.find(plus == std::string::npos ? subject : subject.substr(0, plus));
    return c ? std::string(model::kind_spec(system.kind(*c)).name) : "";
  }
  // A refused step is about the component its command acts on first.
  std::string kind_of_step(std::uint32_t i) const {
    for (const model::Participant& p : steps[i].command->participants)
      if (p.required) return std::string(model::kind_spec(system.kind(p.component)).name);
    return "";
  }

  bool wait_holds(const IrStep& s, const Word* state) const {
    if (s.mode == model::Condition::Mode::All) {
      for (const CompiledTerm& t : s.wait)
        if (!t.holds(state)) return false;
      return true;
    }
    for (const CompiledTerm& t : s.wait)
      if (t.holds(state)) return true;
    return false;
  }
  bool deps_done(const IrStep& s, const Word* state) const {
    for (std::uint32_t d : s.deps)
      if (steps[d].status.read(state) != steps[d].done) return false;
    return true;
  }
  // Waits complete as soon as their condition holds: observing is free, so
  // doing it at once loses no interleaving and adds no states. One pass is
  // enough: a step depends only on earlier steps (build_steps adds them in
  // dependency order), and waits read components, which this does not change.
  // before: the closed state this one was reached from; a wait that was open
  // there and whose inputs did not change stays open, unevaluated.
  void close(Word* state, const Word* before = nullptr) const {
    if (before && same_words(state + component_words, before + component_words, words - component_words)) {
      // No step changed: only a wait whose inputs moved can complete.
      bool observed = false;
      for (std::size_t w = 0; w < component_words && !observed; ++w) observed = (state[w] ^ before[w]) & observed_bits[w];
      if (!observed) return;
    }
    auto inputs_changed = [&](const IrStep& s) {
      for (const auto& [word, bits] : s.wait_reads)
        if ((state[word] ^ before[word]) & bits) return true;
      return false;
    };
    for (std::uint32_t i : observers) {
      const IrStep& s = steps[i];
      const Word st = s.status.read(state);
      if (s.move != kNoMove) {
        if (st != 1 || s.done != 2) continue;
        if (before && s.status.read(before) == 1 && !inputs_changed(s)) continue;
        if (wait_holds(s, state)) s.status.write(state, 2);
      } else if (st == 0 && deps_done(s, state)) {
        if (before && s.status.read(before) == 0 && deps_done(s, before) && !inputs_changed(s)) continue;
        if (!s.has_wait || wait_holds(s, state)) s.status.write(state, 1);
      }
    }
  }
  bool complete(const Word* state) const {
    for (const IrStep& s : steps)
      if (s.status.read(state) != s.done) return false;
    return true;
  }

  struct Found {
    const InvariantSpec* spec;
    std::string subject, detail;
    std::vector<Word> state;                 // the state the trace leads to
    std::uint32_t attempted = kNoMove;       // a refused step, tried from `state`
    bool por = false;                        // found with partial-order reduction
    bool maybe_longer = false;               // por, and no shortest trace found without it
    std::vector<std::vector<Word>> path{};   // searched states from the initial one to `state`, if kept
    std::string kind{};                      // component kind of the subject (kind_of)
    std::string key() const { return std::string(spec->id) + "/" + kind; }  // what makes two findings distinct
  };

  // What expanding one state found besides its successors.
  struct Expansion {
    bool moved = false;                  // some step or move was possible
    std::uint32_t refused = kNoMove;     // a ready step whose command is refused
  };

  // Calls emit(next, via) for each successor of cur (next is scratch the
  // callee may keep a copy of); stops early when emit returns false.
  template <class Emit>
  Expansion successors(const Word* cur, Word* next, bool report_refusals, Emit&& emit, bool canonical = true) const {
    const bool reduce = canonical && symmetry.has_value();
    Expansion x;
    for (std::uint32_t i = 0; i < steps.size(); ++i) {
      const IrStep& s = steps[i];
      if (s.move == kNoMove || s.status.read(cur) != 0 || !deps_done(s, cur)) continue;
      if (!model.may_apply(s.move, cur) || !model.apply(s.move, cur, next, words)) {
        if (report_refusals && x.refused == kNoMove) x.refused = i;
        continue;
      }
      x.moved = true;
      s.status.write(next, 1);
      close(next, cur);
      if (reduce) symmetry->canonicalize(next, cur);
      if (!emit(next, i)) return x;
    }
    const std::uint32_t end = options.faults > 0 && faults_field.read(cur) < options.faults ? model.faults_end()
                                                                                             : model.environment_end();
    thread_local std::vector<std::uint32_t> candidates;  // emit must not call successors() again

    model.candidates(cur, end, candidates);
    for (const std::uint32_t m : candidates) {
      if (!model.apply(m, cur, next, words)) continue;
      x.moved = true;
      if (m >= model.environment_end()) faults_field.write(next, faults_field.read(next) + 1);
      close(next, cur);
      if (reduce) symmetry->canonicalize(next, cur);
      if (!emit(next, m | kViaMove)) return x;
    }
    return x;
  }

  // Partial-order reduction: emits the successors through the enabled
  // transitions of a stubborn set (StubbornSets::choose) and returns true, or
  // returns false (expand fully). No cycle proviso is needed (docs/checker.md).
  template <class Emit>
  bool ample(const Word* cur, Word* next, Emit&& emit) const {
    thread_local std::vector<std::uint32_t> chosen;
    if (!stubborn->choose(cur, chosen)) return false;
    for (const std::uint32_t via : chosen) {
      if (via & kViaMove) {
        model.apply(via & ~kViaMove, cur, next, words);
      } else {
        model.apply(steps[via].move, cur, next, words);
        steps[via].status.write(next, 1);
      }
      close(next, cur);
      if (symmetry) symmetry->canonicalize(next, cur);
      if (!emit(next, via)) return true;
    }
    return true;
  }

  // A ready step whose command is refused in state, or kNoMove.
  std::uint32_t refused_step(const Word* state) const {
    std::vector<Word> scratch(words);
    for (std::uint32_t i = 0; i < steps.size(); ++i) {
      const IrStep& s = steps[i];
      if (s.move == kNoMove || s.status.read(state) != 0 || !deps_done(s, state)) continue;
      if (!model.may_apply(s.move, state) || !model.apply(s.move, state, scratch.data(), words)) return i;
    }
    return kNoMove;
  }

  // Violations visible in a state itself (not in how it was reached), added
  // to into: the first one, or with all every one. Only the clauses that read
  // a component `move` may change (all for kNoMove): the predecessor
  // satisfied the others already. False when the state violates nothing.
  bool violated_in(const Word* state, std::vector<std::string>& accepted_seen, std::vector<Found>& into, bool all,
                   std::uint32_t move = kNoMove) const {
    const std::size_t before = into.size();
    auto consider = [&](std::uint32_t i) {
      if (!violated_clause(i, state, accepted_seen, into)) return true;
      return all;
    };
    if (move != kNoMove) {
      for (std::uint32_t i : clauses_of_move[move])
        if (!consider(i)) break;
    } else {
      for (std::uint32_t i = 0; i < properties.always.size(); ++i)
        if (!consider(i)) break;
    }
    return into.size() > before;
  }
  bool violated_clause(std::uint32_t i, const Word* state, std::vector<std::string>& accepted_seen,
                       std::vector<Found>& into) const {
    const Clause& c = properties.always[i];
    if (!c.violated(state)) return false;
    if (accepted[static_cast<int>(c.spec->severity)]) {
      if (accepted_seen.size() < 8 &&
          std::find(accepted_seen.begin(), accepted_seen.end(), std::string(c.spec->id)) == accepted_seen.end())
        accepted_seen.emplace_back(c.spec->id);
      return false;
    }
    into.push_back(Found{c.spec, c.subject, "", std::vector<Word>(state, state + words), kNoMove});
    into.back().kind = always_kinds[i];
    return true;
  }

  // Where an expanded state ends the search: a refused step, stuck, or a missed goal.
  // Accepted findings are not failures but are still reported (accepted_seen).
  std::optional<Found> judge(const Word* state, const Expansion& x, std::vector<std::string>& accepted_seen) const {
    auto seen = [&](std::string_view id) {
      if (accepted_seen.size() < 8 && std::find(accepted_seen.begin(), accepted_seen.end(), id) == accepted_seen.end())
        accepted_seen.emplace_back(id);
    };
    if (x.refused != kNoMove) {
      if (!accepted[static_cast<int>(Severity::ManualFix)]) {
        Found f{&invariant("procedure.step-refused"), steps[x.refused].label, refusal(steps[x.refused], state),
                std::vector<Word>(state, state + words), x.refused};
        f.kind = kind_of_step(x.refused);
        return f;
      }
      seen("procedure.step-refused");
    }
    if (x.moved) return std::nullopt;
    if (!complete(state)) {
      if (accepted[static_cast<int>(Severity::Outage)]) return seen("procedure.stuck"), std::nullopt;
      return Found{&invariant("procedure.stuck"), "", waiting(state), std::vector<Word>(state, state + words), kNoMove};
    }
    for (const Clause& c : properties.goal) {
      if (!c.violated(state)) continue;
      if (!accepted[static_cast<int>(c.spec->severity)]) {
        Found f{c.spec, c.subject, describe(c, state), std::vector<Word>(state, state + words), kNoMove};
        f.kind = kind_of(c.subject);
        return f;
      }
      seen(c.spec->id);
    }
    return std::nullopt;
  }

  struct Outcome {
    std::vector<Found> found;  // distinct by key(), in the order met
    std::set<std::string> keys;
    std::string limit;
    std::uint64_t states = 0, transitions = 0, bytes = 0;
    std::uint32_t depth = 0;
    std::size_t key_words = 0, parts = 0;
  };

  // The main search: breadth-first by levels over compressed keys; the first
  // violation found has a shortest trace. Returns false if the codec's index
  // overflowed (run again wide).
  bool search(Outcome& out, bool wide, std::vector<std::string>& accepted_seen, bool use_por,
              std::uint64_t max_states) const;

  std::string describe(const Clause& c, const Word* state) const;

  std::string waiting(const Word* state) const;

  // Why a step's command is refused in state.
  std::string refusal(const IrStep& s, const Word* state) const;

  // The states of a shortest path from the initial state to target, in the
  // graph the search explored (representatives under symmetry): breadth-first
  // again, with parent links, until target is met. Only run for a counterexample.
  std::vector<std::vector<Word>> path_to(const Word* target, bool reduced) const;

  // A concrete run (no representatives) along path: at each state, the move
  // whose successor has the next state of path as representative. Returns the
  // moves (step index, or move | kViaMove) and leaves the last state in end.
  std::vector<std::uint32_t> concrete_run(const std::vector<std::vector<Word>>& path, std::vector<Word>& end) const;

  // The violation as the operator sees it: a concrete trace, and the
  // invariant's subject as it stands at the trace's end.
  Violation violation_of(const Found& f) const;

  bool is_goal(const InvariantSpec* spec) const;
};

}  // namespace acdsim::checker
