#include "acdsim/checker/checker.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/step_targets.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/vm.hpp"
#include "key_codec.hpp"
#include "state_store.hpp"
#include "symmetry.hpp"
#include "visited_set.hpp"
#include "words.hpp"

namespace acdsim::checker {
namespace {

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

Goal goal_of(const std::string& kind) {
  if (kind == "startup" || kind == "failover" || kind == "failback") return Goal::Healthy;
  if (kind == "shutdown") return Goal::AllOff;
  return Goal::None;
}

std::string condition_text(const model::Condition& c) {
  std::string out;
  std::vector<std::string> seen;
  for (const auto& a : c.atoms) {
    if (std::find(seen.begin(), seen.end(), a.text) != seen.end()) continue;
    seen.push_back(a.text);
    out += (out.empty() ? "" : c.mode == model::Condition::Mode::All ? " and " : " or ") + a.text;
  }
  return out;
}

}  // namespace

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
  // Partial-order reduction (see ample()): per host whose moves are its own.
  struct LocalHost {
    std::vector<model::ComponentIndex> components;
    std::vector<std::uint32_t> env_moves;   // environment moves reading and writing only its components
    std::vector<std::uint32_t> own_steps;   // steps whose commands read and write only its components
    std::vector<std::uint32_t> watchers;    // other steps whose waits read its components
  };
  std::vector<LocalHost> local_hosts;
  std::vector<Word> canonical_initial;    // initial, as its group representative
  std::vector<std::string> always_kinds;  // per always-clause: the component kind of its subject

  Impl(const model::Procedure& p, const model::Topology& t, Options o)
      : procedure(p), system(t), model(system, layout), options(std::move(o)) {
    component_bits = layout.bits();
    layout.align();  // procedure fields in words of their own (KeyCodec)
    component_words = layout.words();
    build_steps();
    observed_bits.assign(component_words, 0);
    for (std::uint32_t i = 0; i < steps.size(); ++i)
      if (steps[i].has_wait || steps[i].move == kNoMove) {
        observers.push_back(i);
        for (const auto& [word, bits] : steps[i].wait_reads) observed_bits[word] |= bits;
      }
    if (options.faults > 0) {
      unsigned bits = 1;
      while ((1u << bits) <= options.faults) ++bits;
      faults_field = layout.add(bits);
    }
    words = layout.words();
    properties = compile_properties(model, goal_of(procedure.kind));
    add_user_invariants();
    if (procedure.rollout) add_rollout_properties(properties, model, *procedure.rollout);
    index_clauses();
    for (const Clause& c : properties.always) always_kinds.push_back(kind_of(c.subject));
    for (const std::string& s : procedure.accepts)
      if (auto sev = severity_by_name(s)) accepted[static_cast<int>(*sev)] = true;
    for (Severity s : options.accepted) accepted[static_cast<int>(s)] = true;
    if (options.initial_state) {
      if (options.initial_state->size() != system.size()) throw std::logic_error("initial_state does not fit the topology");
      initial_snapshot = *options.initial_state;
    } else if (procedure.initial == "all_up") initial_snapshot = system.all_up();
    else if (procedure.initial == "all_off" || procedure.initial.empty()) initial_snapshot = system.all_off();
    else
      initial_snapshot = model::load_snapshot(
          system, (std::filesystem::path(procedure.source_file).parent_path() / procedure.initial).string());
    initial.assign(words, 0);
    model.pack(initial_snapshot, initial.data());
    close(initial.data());
    if (options.symmetry) {
      std::vector<StepShape> shapes;
      for (const IrStep& s : steps)
        shapes.push_back(StepShape{s.move, s.deps, s.wait, s.mode == model::Condition::Mode::Any, s.has_wait, s.status});
      symmetry.emplace(model, shapes, properties, initial.data());
      if (!symmetry->active()) symmetry.reset();
    }
    if (symmetry) close_clauses_under_symmetry();
    if (options.partial_order && options.faults == 0) find_local_hosts();
    canonical_initial = initial;
    if (symmetry) symmetry->canonicalize(canonical_initial.data());
  }

  void build_steps() {
    std::map<std::string, std::vector<std::uint32_t>> completes;  // procedure step id -> IR steps
    auto add = [&](IrStep s) {
      s.status = layout.add(s.has_wait && s.move != kNoMove ? 2 : 1);
      s.done = s.has_wait && s.move != kNoMove ? 2 : 1;
      steps.push_back(std::move(s));
      return static_cast<std::uint32_t>(steps.size() - 1);
    };
    auto compile_wait = [&](IrStep& ir, const model::Condition& c) {
      ir.has_wait = true;
      ir.mode = c.mode;
      ir.wait_text = condition_text(c);
      for (const model::ConditionAtom& a : c.atoms) ir.wait.push_back(atom_term(a, false));
      for (const CompiledTerm& t : ir.wait) {
        const Word bits = t.field.mask() << t.field.shift;
        auto same = std::find_if(ir.wait_reads.begin(), ir.wait_reads.end(), [&](const auto& r) { return r.first == t.field.word; });
        if (same == ir.wait_reads.end()) ir.wait_reads.emplace_back(t.field.word, bits);
        else same->second |= bits;
      }
    };
    for (const model::Step& step : procedure.steps) {
      std::vector<std::uint32_t> deps;
      // Earlier steps only (the parser enforces file order): close() relies on it.
      for (const std::string& a : step.after) deps.insert(deps.end(), completes.at(a).begin(), completes.at(a).end());
      const std::vector<std::string> targets = model::expand_target(system.topology(), step);
      if (step.action == "check" || targets.size() <= 1) {
        IrStep ir;
        ir.id = step.id;
        ir.deps = deps;
        if (step.action == "check") {
          ir.label = step.id + ": check";
        } else {
          ir.command = &commands.emplace_back(system.command(step.action, targets.at(0)));
          ir.move = model.add_move(*ir.command);
          ir.label = step.id + ": " + step.action + " " + targets[0];
        }
        if (step.wait) compile_wait(ir, *step.wait);
        completes[step.id] = {add(std::move(ir))};
        continue;
      }
      std::vector<std::uint32_t> subs;
      for (const std::string& target : targets) {
        IrStep ir;
        ir.id = step.id + "@" + target;
        ir.label = step.id + ": " + step.action + " " + target;
        ir.deps = deps;
        ir.command = &commands.emplace_back(system.command(step.action, target));
        ir.move = model.add_move(*ir.command);
        subs.push_back(add(std::move(ir)));
      }
      if (step.wait) {
        IrStep join;
        join.id = step.id;
        join.label = step.id + ": check";
        join.deps = subs;
        compile_wait(join, *step.wait);
        completes[step.id] = {add(std::move(join))};
      } else {
        completes[step.id] = subs;
      }
    }
  }

  CompiledTerm atom_term(const model::ConditionAtom& a, bool negate) const {
    const auto comp = *system.find(a.component);
    const auto& preds = system.table(comp).spec().predicates;
    const auto p = std::find(preds.begin(), preds.end(), a.predicate) - preds.begin();
    return model.term(model::Term{comp, static_cast<model::PredicateId>(p), a.negated != negate});
  }

  // "whenever `when` holds, `then` holds" as clauses (violated when all terms
  // hold): one per disjunct of when AND not-then.
  void add_user_invariants() {
    for (const model::UserInvariant& u : procedure.invariants) {
      const std::string& id = user->strings.emplace_back("user." + u.id);
      const std::string& reason = user->strings.emplace_back(u.reason);
      const std::string& fix = user->strings.emplace_back(u.fix);
      const InvariantSpec& spec =
          user->specs.emplace_back(InvariantSpec{id, *severity_by_name(u.severity), reason, fix});
      std::vector<std::vector<CompiledTerm>> when;  // disjuncts
      if (u.when.mode == model::Condition::Mode::All) {
        when.emplace_back();
        for (const auto& a : u.when.atoms) when.back().push_back(atom_term(a, false));
      } else {
        for (const auto& a : u.when.atoms) when.push_back({atom_term(a, false)});
      }
      std::vector<std::vector<CompiledTerm>> not_then;  // disjuncts
      if (u.then.mode == model::Condition::Mode::All) {
        for (const auto& a : u.then.atoms) not_then.push_back({atom_term(a, true)});
      } else {
        not_then.emplace_back();
        for (const auto& a : u.then.atoms) not_then.back().push_back(atom_term(a, true));
      }
      const std::string subject = condition_text(u.when) + " needs " + condition_text(u.then);
      for (const auto& w : when)
        for (const auto& t : not_then) {
          Clause c{&spec, subject, w};
          c.terms.insert(c.terms.end(), t.begin(), t.end());
          properties.always.push_back(std::move(c));
        }
    }
  }

  void index_clauses() {
    std::map<std::pair<std::uint32_t, std::uint8_t>, model::ComponentIndex> component_at;
    for (model::ComponentIndex c = 0; c < system.size(); ++c)
      component_at[{model.field(c).word, model.field(c).shift}] = c;
    std::vector<std::vector<std::uint32_t>> clauses_of_component(system.size());
    for (std::uint32_t i = 0; i < properties.always.size(); ++i)
      for (const CompiledTerm& t : properties.always[i].terms) {
        auto& list = clauses_of_component[component_at.at({t.field.word, t.field.shift})];
        if (list.empty() || list.back() != i) list.push_back(i);
      }
    clauses_of_move.resize(model.moves().size());
    for (std::uint32_t m = 0; m < model.moves().size(); ++m) {
      auto& list = clauses_of_move[m];
      for (model::ComponentIndex c : model.touched(m))
        list.insert(list.end(), clauses_of_component[c].begin(), clauses_of_component[c].end());
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
    }
  }

  // The representative of a successor may have the changed host's block sorted
  // to another host of its group, shifting the others: a move may change the
  // truth of any clause on those hosts, not only on its own components.
  void close_clauses_under_symmetry() {
    std::map<std::string, std::vector<std::uint32_t>> clauses_of_host;
    for (std::uint32_t i = 0; i < properties.always.size(); ++i)
      for (const CompiledTerm& t : properties.always[i].terms)
        for (model::ComponentIndex c = 0; c < system.size(); ++c)
          if (model.field(c).word == t.field.word && model.field(c).shift == t.field.shift)
            clauses_of_host[system.component(c).host].push_back(i);
    for (std::uint32_t m = 0; m < model.moves().size(); ++m) {
      auto& list = clauses_of_move[m];
      std::set<std::string> hosts;
      for (model::ComponentIndex c : model.touched(m))
        for (const std::string& h : symmetry->group_of(system.component(c).host)) hosts.insert(h);
      for (const std::string& h : hosts) list.insert(list.end(), clauses_of_host[h].begin(), clauses_of_host[h].end());
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
    }
  }

  // Components a move reads (requires, facts of its participants, host VMs) and writes.
  void move_access(std::uint32_t m, std::set<model::ComponentIndex>& reads, std::set<model::ComponentIndex>& writes) const {
    const model::Move& move = *model.moves()[m].move;
    for (const model::Term& t : move.requires_) reads.insert(t.component);
    for (const model::Participant& p : move.participants) {
      writes.insert(p.component);
      reads.insert(p.component);
      for (const model::FactRule& r : system.fact_rules(p.component))
        for (const model::Term& t : r.terms) reads.insert(t.component);
      if (p.needs_host_up) reads.insert(*system.vm_of(system.component(p.component).host));
    }
  }

  // Hosts whose components only their own moves read or write (statically).
  void find_local_hosts() {
    const auto& hosts = system.topology().hosts;
    std::vector<std::set<model::ComponentIndex>> reads(model.moves().size()), writes(model.moves().size());
    for (std::uint32_t m = 0; m < model.moves().size(); ++m) move_access(m, reads[m], writes[m]);
    for (const model::Host& host : hosts) {
      LocalHost h;
      std::set<model::ComponentIndex> mine;
      for (model::ComponentIndex c = 0; c < system.size(); ++c)
        if (system.component(c).host == host.alias) mine.insert(c), h.components.push_back(c);
      auto inside = [&](const std::set<model::ComponentIndex>& s) {
        return std::all_of(s.begin(), s.end(), [&](auto c) { return mine.count(c) > 0; });
      };
      auto touches = [&](const std::set<model::ComponentIndex>& s) {
        return std::any_of(s.begin(), s.end(), [&](auto c) { return mine.count(c) > 0; });
      };
      bool ok = true;
      std::vector<bool> local(model.moves().size(), false);
      for (std::uint32_t m = 0; m < model.environment_end(); ++m)
        if (inside(reads[m]) && inside(writes[m])) local[m] = true, h.env_moves.push_back(m);
      for (std::uint32_t i = 0; i < steps.size(); ++i) {
        const IrStep& st = steps[i];
        if (st.move != kNoMove && inside(reads[st.move]) && inside(writes[st.move])) {
          local[st.move] = true;
          h.own_steps.push_back(i);
          continue;
        }
        bool watches = false;
        for (const CompiledTerm& t : st.wait)
          for (auto c : mine) watches |= model.field(c).word == t.field.word && model.field(c).shift == t.field.shift;
        if (watches) h.watchers.push_back(i);
      }
      for (std::uint32_t m = 0; m < model.moves().size() && ok; ++m) {  // nothing else may read or write them
        if (m >= model.environment_end() && m < model.faults_end()) continue;  // faults are off
        if (!local[m] && (touches(reads[m]) || touches(writes[m]))) ok = false;
      }
      if (ok && (!h.env_moves.empty() || !h.own_steps.empty())) local_hosts.push_back(std::move(h));
    }
  }

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
    for (std::uint32_t m = 0; m < end; ++m) {
      if (!model.may_apply(m, cur) || !model.apply(m, cur, next, words)) continue;
      x.moved = true;
      if (m >= model.environment_end()) faults_field.write(next, faults_field.read(next) + 1);
      close(next, cur);
      if (reduce) symmetry->canonicalize(next, cur);
      if (!emit(next, m | kViaMove)) return x;
    }
    return x;
  }

  // Partial-order reduction: the enabled moves of one host whose moves are its
  // own (find_local_hosts) form a persistent set when, in cur, every step of
  // the host can run on its own (issued, or its dependencies complete), no
  // other step still waits on the host's components, and none of the moves
  // changes the truth of an invariant's term (invisible). Emits that set and
  // returns true, or returns false (expand fully). The caller expands fully
  // anyway when a successor was seen before (the cycle proviso).
  template <class Emit>
  bool ample(const Word* cur, Word* next, Emit&& emit) const {
    std::uint32_t chosen[64];
    for (const LocalHost& h : local_hosts) {
      bool ok = true;
      for (std::uint32_t i : h.own_steps)
        if (steps[i].status.read(cur) == 0 && !deps_done(steps[i], cur)) ok = false;
      for (std::uint32_t i : h.watchers)
        if (steps[i].status.read(cur) != steps[i].done) ok = false;
      if (!ok) continue;
      std::size_t n = 0;
      auto consider = [&](std::uint32_t move, std::uint32_t via) {
        if (!model.may_apply(move, cur) || !model.apply(move, cur, next, words)) return true;
        for (std::uint32_t c : clauses_of_move[move])
          for (const CompiledTerm& t : properties.always[c].terms)
            if (t.holds(cur) != t.holds(next)) return false;  // visible
        if (n == 64) return false;
        chosen[n++] = via;
        return true;
      };
      for (std::uint32_t i : h.own_steps)
        if (ok && steps[i].status.read(cur) == 0) ok = consider(steps[i].move, i);
      for (std::uint32_t m : h.env_moves)
        if (ok) ok = consider(m, m | kViaMove);
      if (!ok || n == 0) continue;
      for (std::size_t k = 0; k < n; ++k) {
        const std::uint32_t via = chosen[k];
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
    return false;
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
              std::uint64_t max_states) const {
    KeyCodec codec(component_bits, component_words, words, wide);
    const std::size_t k = codec.key_words();
    VisitedSet visited(k);
    std::vector<Word> level, next_level;  // keys
    std::vector<Word> cur(words), scratch(words);
    // One state's successors, inserted together so their table slots are prefetched.
    const std::size_t most = steps.size() + model.faults_end();  // successors of one state at most
    std::vector<Word> batch_states(most * words), batch_keys(most * k);
    std::vector<std::uint64_t> batch_hashes(most);
    std::vector<std::uint32_t> batch_moves(most);
    const auto t0 = std::chrono::steady_clock::now();
    auto last_report = t0;
    const bool show = options.progress && ::isatty(2);
    out.key_words = k;

    std::vector<Word> key(k);
    if (!codec.encode(canonical_initial.data(), key.data())) return false;
    visited.insert(key.data(), VisitedSet::hash(key.data(), k));
    const bool all = options.all_violations;
    std::vector<Found> here;  // one state's violations
    if (violated_in(initial.data(), accepted_seen, here, all)) {  // nothing to expand
      for (Found& f : here)
        if (out.keys.insert(f.key()).second) f.path = {canonical_initial}, out.found.push_back(std::move(f));
      return true;
    }
    next_level = key;

    // While it stays small, the history of every level's keys with each
    // state's parent: a counterexample's path then needs no second search.
    const std::uint64_t history_budget = std::min(options.trace_history_bytes, options.max_memory_bytes / 8);
    bool tracking = true;
    std::vector<Word> history;
    std::vector<std::uint32_t> parents, next_parents{0};
    std::size_t level_base = 0;  // history index of the current level's first state
    auto history_bytes = [&] { return history.capacity() * sizeof(Word) + (parents.capacity() + next_parents.capacity()) * 4; };
    auto path_through = [&](std::size_t index) {
      std::vector<std::vector<Word>> path;
      std::vector<Word> state(words);
      for (std::size_t i = index;; i = parents[i]) {
        codec.decode(&history[i * k], state.data());
        path.push_back(state);
        if (i == 0) break;
      }
      std::reverse(path.begin(), path.end());
      return path;
    };

    // Keeps the findings in here whose keys are new, with their path while the
    // history is kept (parent: the expanded state's history index; the found
    // state is appended unless it is that one). Returns whether to go on.
    auto record = [&](std::size_t parent, bool append) {
      for (Found& f : here) {
        if (!out.keys.insert(f.key()).second) continue;
        if (tracking) {
          f.path = path_through(parent);
          if (append) f.path.push_back(f.state);
        }
        out.found.push_back(std::move(f));
      }
      here.clear();
      return all;
    };

    auto memory = [&](std::size_t more) {
      return visited.bytes_after_growth(more) + codec.bytes() +
             (level.capacity() + next_level.capacity()) * sizeof(Word) + history_bytes();
    };
    auto finish = [&] {
      out.states = visited.size();
      out.bytes = visited.bytes() + codec.bytes() + (level.capacity() + next_level.capacity()) * sizeof(Word) +
                  history_bytes();
      out.parts = codec.parts();
      if (show) std::fprintf(stderr, "\r%100s\r", "");
    };
    for (out.depth = 0; !next_level.empty(); ++out.depth) {
      level.swap(next_level);
      next_level.clear();
      if (tracking && history_bytes() + level.size() * sizeof(Word) > history_budget) {
        tracking = false;
        std::vector<Word>().swap(history);
        std::vector<std::uint32_t>().swap(parents);
        std::vector<std::uint32_t>().swap(next_parents);
      }
      if (tracking) {
        level_base = history.size() / k;
        history.insert(history.end(), level.begin(), level.end());
        parents.insert(parents.end(), next_parents.begin(), next_parents.end());
        next_parents.clear();
      }
      for (std::size_t at = 0; at < level.size(); at += k) {
        const std::uint64_t part = codec.decode(&level[at], cur.data());
        std::size_t n = 0;
        bool overflow = false;
        auto collect = [&](const Word* next, std::uint32_t via) {
          Word* key = &batch_keys[n * k];
          if (!codec.encode(next, key, cur.data(), part)) return !(overflow = true);
          copy_words(&batch_states[n * words], next, words);
          batch_moves[n] = via & kViaMove ? via & ~kViaMove : steps[via].move;
          batch_hashes[n] = VisitedSet::hash(key, k);
          visited.prefetch(batch_hashes[n]);
          ++n;
          return true;
        };
        Expansion x;
        bool reduced = use_por && !local_hosts.empty() && ample(cur.data(), scratch.data(), collect);
        if (reduced) {  // cycle proviso: only new successors, else expand fully
          x.moved = true;
          x.refused = refused_step(cur.data());
          for (std::size_t b = 0; b < n && reduced; ++b)
            if (visited.contains(&batch_keys[b * k], batch_hashes[b])) reduced = false;
          if (!reduced) n = 0;
        }
        if (!reduced) x = successors(cur.data(), scratch.data(), true, collect);
        if (overflow) return false;
        out.transitions += n;
        // Collecting all: a state where the procedure breaks (a refused step) is not expanded.
        std::optional<Found> judged;
        if (all && (judged = judge(cur.data(), x, accepted_seen))) n = 0;
        if (n > 0 && memory(n) > options.max_memory_bytes) {
          char text[64];
          std::snprintf(text, sizeof text, "memory limit of %.1f MiB reached", options.max_memory_bytes / 1048576.0);
          out.limit = text;
          return finish(), true;
        }
        for (std::size_t b = 0; b < n; ++b) {
          if (!visited.insert(&batch_keys[b * k], batch_hashes[b])) continue;
          if (violated_in(&batch_states[b * words], accepted_seen, here, all, batch_moves[b])) {
            if (!record(level_base + at / k, true)) return finish(), true;
            continue;  // a violating state is not expanded
          }
          next_level.insert(next_level.end(), &batch_keys[b * k], &batch_keys[b * k] + k);
          if (tracking) next_parents.push_back(static_cast<std::uint32_t>(level_base + at / k));
          if (visited.size() >= max_states) {
            out.limit = "state limit of " + std::to_string(max_states) + " reached";
            return finish(), true;
          }
        }
        if (!all) judged = judge(cur.data(), x, accepted_seen);
        if (judged) {
          here.push_back(std::move(*judged));
          if (!record(level_base + at / k, false)) return finish(), true;
        }
        if (show && (at & 0xFFFF) == 0) {
          const auto now = std::chrono::steady_clock::now();
          if (now - last_report > std::chrono::milliseconds(500)) {
            last_report = now;
            const double s = std::chrono::duration<double>(now - t0).count();
            std::fprintf(stderr, "\r%zu states, %.0f states/s, depth %u, queue %zu, %zu violations so far   ",
                         visited.size(), visited.size() / (s > 0 ? s : 1), out.depth,
                         (level.size() - at + next_level.size()) / k, out.found.size());
          }
        }
      }
    }
    return finish(), true;
  }

  std::string describe(const Clause& c, const Word* state) const {
    const model::Snapshot snap = model.unpack(state);
    if (auto comp = system.find(c.subject)) return c.subject + " is " + system.table(*comp).name(snap[*comp]);
    return c.subject;
  }

  std::string waiting(const Word* state) const {
    std::string out;
    for (const IrStep& s : steps) {
      if (s.status.read(state) == s.done) continue;
      const bool issued = s.move != kNoMove && s.status.read(state) == 1;
      const bool ready = s.move == kNoMove && deps_done(s, state);
      if (issued || ready) out += (out.empty() ? "" : "; ") + s.label + " waits for: " + s.wait_text;
    }
    return out.empty() ? "no step can start" : out;
  }

  // Why a step's command is refused in state.
  std::string refusal(const IrStep& s, const Word* state) const {
    const model::Snapshot snap = model.unpack(state);
    for (const model::Participant& p : s.command->participants) {
      if (!p.required) continue;
      const auto& ref = system.component(p.component);
      const auto vm = *system.vm_of(ref.host);
      if (p.needs_host_up && !system.table(vm).holds(snap[vm], static_cast<model::PredicateId>(model::vm::Pred::Up)))
        return ref.host + " is not up (" + system.table(vm).name(snap[vm]) + "): the command cannot reach it";
      const auto& table = system.table(p.component);
      const auto next = table.next(snap[p.component], p.event, system.facts(snap, p.component));
      if (next >= KindTable::kGuardRejected)
        return ref.path() + " is " + table.name(snap[p.component]) + ": " + std::string(table.spec().events[p.event]) +
               (next == KindTable::kGuardRejected ? " is refused there" : " is not possible there");
    }
    return "refused";
  }

  // The states of a shortest path from the initial state to target, in the
  // graph the search explored (representatives under symmetry): breadth-first
  // again, with parent links, until target is met. Only run for a counterexample.
  std::vector<std::vector<Word>> path_to(const Word* target, bool reduced) const {
    StateStore store(words);
    std::vector<std::uint32_t> parent{0};
    std::vector<Word> cur(words), scratch(words);
    store.insert(canonical_initial.data());
    const auto same = [&](const Word* s) { return std::memcmp(s, target, words * sizeof(Word)) == 0; };
    std::uint32_t hit = same(canonical_initial.data()) ? 0 : kNoMove;
    for (std::uint32_t head = 0; hit == kNoMove && head < store.size(); ++head) {
      std::memcpy(cur.data(), store.at(head), words * sizeof(Word));
      auto add = [&](const Word* next, std::uint32_t) {
        auto [index, fresh] = store.insert(next);
        if (!fresh) return true;
        parent.push_back(head);
        if (same(next)) hit = index;
        return hit == kNoMove;
      };
      if (reduced && !local_hosts.empty()) {
        std::vector<std::vector<Word>> batch;
        const bool took = ample(cur.data(), scratch.data(), [&](const Word* next, std::uint32_t) {
          batch.emplace_back(next, next + words);
          return true;
        });
        bool all_new = took;
        for (const auto& b : batch) all_new = all_new && !store.contains(b.data());
        if (all_new) {
          for (const auto& b : batch)
            if (!add(b.data(), 0)) break;
          continue;
        }
      }
      successors(cur.data(), scratch.data(), false, add);
    }
    if (hit == kNoMove) throw std::logic_error("counterexample state not found again");
    std::vector<std::vector<Word>> path;
    for (std::uint32_t at = hit;; at = parent[at]) {
      path.emplace_back(store.at(at), store.at(at) + words);
      if (at == 0) break;
    }
    std::reverse(path.begin(), path.end());
    return path;
  }

  // A concrete run (no representatives) along path: at each state, the move
  // whose successor has the next state of path as representative. Returns the
  // moves (step index, or move | kViaMove) and leaves the last state in end.
  std::vector<std::uint32_t> concrete_run(const std::vector<std::vector<Word>>& path, std::vector<Word>& end) const {
    std::vector<std::uint32_t> vias;
    std::vector<Word> cur = initial, scratch(words), image(words), found(words);
    for (std::size_t i = 1; i < path.size(); ++i) {
      std::uint32_t chosen = kNoMove;
      successors(cur.data(), scratch.data(), false, [&](const Word* next, std::uint32_t via) {
        std::memcpy(image.data(), next, words * sizeof(Word));
        if (symmetry) symmetry->canonicalize(image.data());
        if (image != path[i]) return true;
        chosen = via;
        std::memcpy(found.data(), next, words * sizeof(Word));
        return false;
      }, false);
      if (chosen == kNoMove) throw std::logic_error("counterexample cannot be replayed");
      vias.push_back(chosen);
      cur = found;
    }
    end = cur;
    return vias;
  }

  // The violation as the operator sees it: a concrete trace, and the
  // invariant's subject as it stands at the trace's end.
  Violation violation_of(const Found& f) const {
    std::vector<Word> end;
    std::vector<std::uint32_t> vias;
    try {
      vias = concrete_run(f.path.empty() ? path_to(f.state.data(), f.por) : f.path, end);
    } catch (const std::logic_error&) {  // not met again in the reduced graph: search without POR
      vias = concrete_run(path_to(f.state.data(), false), end);
    }
    Found at_end = f;
    if (symmetry) {  // subjects and steps may be other hosts than in the representative
      std::vector<std::string> unused;
      std::vector<Word> scratch(words);
      std::optional<Found> again;
      if (f.attempted != kNoMove || (f.spec->id == std::string_view("procedure.stuck")) || is_goal(f.spec)) {
        const Expansion x = successors(end.data(), scratch.data(), true, [](const Word*, std::uint32_t) { return true; }, false);
        again = judge(end.data(), x, unused);
      } else {
        int best = -1;  // the twin of the representative's clause: same severity, then same invariant and kind
        for (std::uint32_t i = 0; i < properties.always.size(); ++i) {
          const Clause& c = properties.always[i];
          if (c.spec->severity != f.spec->severity || !c.violated(end.data())) continue;
          const int rank = (c.spec == f.spec) * 2 + (always_kinds[i] == f.kind);
          if (rank < best) continue;  // ties: the last, as before
          best = rank;
          again = Found{c.spec, c.subject, "", end, kNoMove, false, false, {}, always_kinds[i]};
        }
      }
      if (!again || again->spec->severity != f.spec->severity)
        throw std::logic_error("counterexample does not reproduce");
      at_end = *again;
    }
    std::vector<TraceLine> trace;
    model::Snapshot state = initial_snapshot;
    for (std::uint32_t via : vias) {
      const bool is_move = via & kViaMove;
      const model::Move& move = is_move ? *model.moves()[via & ~kViaMove].move : *steps[via].command;
      TraceLine t{is_move ? std::string(model::to_string(move.move_class)) : "step", is_move ? move.label : steps[via].label, {}};
      std::vector<model::Change> changes;
      if (auto next = system.apply(state, move, &changes)) state = *next;
      for (const model::Change& c : changes)
        t.changes.push_back(system.component(c.component).path() + ": " + system.table(c.component).name(c.from) +
                            " -> " + system.table(c.component).name(c.to));
      trace.push_back(std::move(t));
    }
    if (at_end.attempted != kNoMove)
      trace.push_back(TraceLine{"step", steps[at_end.attempted].label, {"refused: " + at_end.detail}});
    return Violation{at_end.spec, at_end.subject, at_end.kind, at_end.detail, std::move(trace), f.maybe_longer};
  }

  bool is_goal(const InvariantSpec* spec) const {
    for (const Clause& c : properties.goal)
      if (c.spec == spec) return true;
    return false;
  }
};

Checker::Checker(const model::Procedure& procedure, const model::Topology& topology, Options options)
    : impl_(std::make_unique<Impl>(procedure, topology, std::move(options))) {}
Checker::~Checker() = default;

const model::Snapshot& Checker::initial() const { return impl_->initial_snapshot; }
std::size_t Checker::step_count() const { return impl_->steps.size(); }

Result Checker::run() {
  const auto t0 = std::chrono::steady_clock::now();
  Impl::Outcome out;
  Result r;
  const bool por = !impl_->local_hosts.empty();
  auto search = [&](Impl::Outcome& o, bool use_por, std::uint64_t max_states) {
    r.accepted.clear();
    if (!impl_->search(o, false, r.accepted, use_por, max_states)) {
      o = Impl::Outcome{};
      r.accepted.clear();
      impl_->search(o, true, r.accepted, use_por, max_states);
    }
  };
  search(out, por, impl_->options.max_states);
  for (Impl::Found& f : out.found) f.por = por;
  if (!out.found.empty() && por) {
    // Partial-order reduction keeps violations but not shortest paths: look
    // for shortest counterexamples without it, within a bounded effort.
    Impl::Outcome shortest;
    search(shortest, false, std::min<std::uint64_t>(impl_->options.max_states, std::max<std::uint64_t>(1'000'000, out.states * 20)));
    if (!impl_->options.all_violations || shortest.limit.empty()) {
      // First: the unreduced search's first violation. All: a complete unreduced search found every one.
      if (!shortest.found.empty()) out.found = std::move(shortest.found);
      else for (Impl::Found& f : out.found) f.maybe_longer = true;
    } else {  // its shortest traces, then the reduced search's others
      for (Impl::Found& f : out.found)
        if (shortest.keys.insert(f.key()).second) {
          f.maybe_longer = true;
          shortest.found.push_back(std::move(f));
        }
      out.found = std::move(shortest.found);
    }
  }
  r.states = out.states;
  r.transitions = out.transitions;
  r.depth = out.depth;
  r.words_per_state = out.key_words;
  r.bytes = out.bytes;
  std::set<std::string> shown;  // concrete twins of two representatives' findings are one
  for (const Impl::Found& f : out.found) {
    Violation v = impl_->violation_of(f);
    if (!shown.insert(std::string(v.spec->id) + "/" + v.kind).second) continue;
    r.trace_maybe_longer = r.trace_maybe_longer || v.trace_maybe_longer;
    r.violations.push_back(std::move(v));
  }
  if (!r.violations.empty()) {
    r.verdict = Verdict::Violated;
    r.violation = r.violations.front();
  } else if (!out.limit.empty()) {
    r.verdict = Verdict::Incomplete;
  }
  r.incomplete_reason = out.limit;
  r.user_specs = impl_->user;
  r.not_checked = impl_->properties.not_checked;
  if (impl_->symmetry) r.symmetry = impl_->symmetry->describe();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace acdsim::checker
