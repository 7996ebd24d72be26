// Stubborn sets per state (see stubborn.hpp and docs/checker.md).
#include "stubborn.hpp"

#include <algorithm>
#include <map>

#include "acdsim/model/vm.hpp"
#include "words.hpp"

namespace acdsim::checker {
namespace {

void sort_unique(std::vector<std::uint32_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

struct StubbornSets::Scratch {
  std::vector<std::uint32_t> in_set;  // == stamp: in the set being built
  std::uint32_t stamp = 0;
  std::vector<std::uint8_t> state;    // per transition: 0 disabled, 1 enabled, 2 enabled and visible
  std::vector<Word> next;             // per transition: its successor (before closing waits), when enabled
  std::vector<std::uint32_t> work, members;
  std::size_t enabled_members = 0;
  // Per clause: candidate lists of transitions of which one must fire before
  // it can be violated (one per false term, made once per state): clause ci's
  // candidates are cands[clause_begin[ci] .. clause_begin[ci + 1]), candidate
  // k is pool[cands[k] .. cands[k + 1]).
  std::vector<std::uint32_t> pool, cands, clause_begin;
  std::vector<std::uint32_t> clause_done;  // == stamp: the set holds the clause's transitions
};

bool StubbornSets::may_flip(std::uint32_t u, const Read& read) const {
  for (const Change& ch : changes_[u])
    if (ch.component == read.component && ch.from != ch.to &&
        (read.full || read.codes.has(ch.from) != read.codes.has(ch.to)))
      return true;
  return false;
}

StubbornSets::StubbornSets(const CompiledModel& model, const std::vector<IrStep>& steps, const Properties& properties,
                           std::size_t words)
    : model_(model), steps_(steps), words_(words), env_end_(model.environment_end()) {
  const model::System& system = model.system();
  const std::size_t n = env_end_ + steps.size();
  reads_.resize(n), enable_reads_.resize(n), writes_.resize(n), gates_.resize(n), requires_.resize(n), changes_.resize(n);
  dependent_.resize(n), flippers_.resize(n), gate_enablers_.resize(n);
  std::vector<std::vector<std::uint32_t>> readers(system.size());
  writers_.resize(system.size());
  std::map<std::pair<std::uint32_t, std::uint8_t>, std::uint32_t> component_at;
  for (model::ComponentIndex c = 0; c < system.size(); ++c) component_at[{model.field(c).word, model.field(c).shift}] = c;
  const auto vm_up = static_cast<model::PredicateId>(model::vm::Pred::Up);
  auto read_of = [&](const model::Term& term) { return Read{term.component, model.term(term).codes, false}; };
  for (std::uint32_t t = 0; t < n; ++t) {
    if (t >= env_end_ && steps[t - env_end_].move == kNoMove) continue;  // a check: never fires
    const model::Move& move = *model.moves()[move_of(t)].move;
    auto& r = reads_[t];
    auto& w = writes_[t];
    // Whether it is enabled depends on its requires and on its required
    // participants (on every participant when none is required: one must fire).
    const bool any_required = std::any_of(move.participants.begin(), move.participants.end(),
                                          [](const model::Participant& p) { return p.required; });
    auto& e = enable_reads_[t];
    for (const model::Term& term : move.requires_) {
      r.push_back(read_of(term)), e.push_back(read_of(term));
      requires_[t].push_back(Requirement{model.term(term), term.component, {}});
    }
    for (const model::Participant& p : move.participants) {
      const std::size_t from_read = r.size();
      r.push_back(Read{p.component, {}, true});
      w.push_back(p.component);
      for (const model::FactRule& rule : system.fact_rules(p.component))
        for (const model::Term& term : rule.terms) r.push_back(read_of(term));
      const model::ComponentIndex vm = *system.vm_of(system.component(p.component).host);
      if (p.needs_host_up) r.push_back(read_of(model::Term{vm, vm_up, false}));
      if (p.required || !any_required) e.insert(e.end(), r.begin() + static_cast<std::ptrdiff_t>(from_read), r.end());
      // Every change the event can make, for any facts.
      const KindTable& table = system.table(p.component);
      const model::FactBits combos = model::FactBits{1} << table.spec().facts.size();
      CodeSet from;
      for (LocalCode code = 0; code < table.size(); ++code)
        for (model::FactBits f = 0; f < combos; ++f) {
          const LocalCode next = table.next(code, p.event, f);
          if (next >= KindTable::kGuardRejected) continue;
          from.add(code);
          Change c{p.component, code, next};
          if (std::find(changes_[t].begin(), changes_[t].end(), c) == changes_[t].end()) changes_[t].push_back(c);
        }
      if (&p == &move.participants.front() && p.required) gates_[t] = Gate{p.component, model.field(p.component), from, true};
    }
    sort_unique(w);
    for (const Read& read : r) readers[read.component].push_back(t);
    for (std::uint32_t c : w) writers_[c].push_back(t);
  }
  for (auto& list : readers) sort_unique(list);
  // Per component and code: the transitions that may change it from that code.
  movers_.resize(system.size());
  for (model::ComponentIndex c = 0; c < system.size(); ++c) {
    movers_[c].resize(system.table(c).size());
    for (std::uint32_t u : writers_[c])
      for (const Change& ch : changes_[u])
        if (ch.component == c && ch.from != ch.to && (movers_[c][ch.from].empty() || movers_[c][ch.from].back() != u))
          movers_[c][ch.from].push_back(u);
  }
  // Per component: which transitions may change each of its facts, and bring its VM up.
  fact_flippers_.resize(system.size());
  vm_of_.resize(system.size());
  vm_up_truthifiers_.resize(system.size());
  for (model::ComponentIndex c = 0; c < system.size(); ++c) {
    for (const model::FactRule& rule : system.fact_rules(c)) {
      auto& list = fact_flippers_[c].emplace_back();
      for (const model::Term& term : rule.terms)
        for (std::uint32_t u : writers_[term.component])
          if (may_flip(u, read_of(term))) list.push_back(u);
      sort_unique(list);
    }
    vm_of_[c] = *system.vm_of(system.component(c).host);
    vm_up_term_.push_back(model.term(model::Term{vm_of_[c], vm_up, false}));
  }
  // Which transitions depend on which: one may change what the other reads, or both write a component.
  for (std::uint32_t c = 0; c < system.size(); ++c) {
    for (std::uint32_t t : readers[c])
      for (const Read& read : reads_[t])
        if (read.component == c)
          for (std::uint32_t u : writers_[c])
            if (u != t && may_flip(u, read)) flippers_[t].push_back(u), dependent_[t].push_back(u), dependent_[u].push_back(t);
    for (std::uint32_t u : writers_[c])
      for (std::uint32_t v : writers_[c])
        if (u != v) dependent_[u].push_back(v);
  }
  enable_flippers_.resize(n);
  for (std::uint32_t t = 0; t < n; ++t) {
    for (const Read& read : enable_reads_[t])
      for (std::uint32_t u : writers_[read.component])
        if (u != t && may_flip(u, read)) enable_flippers_[t].push_back(u);
    sort_unique(enable_flippers_[t]);
  }
  for (std::uint32_t t = 0; t < n; ++t) {
    sort_unique(dependent_[t]), sort_unique(flippers_[t]);
    const Gate& g = gates_[t];
    if (g.check)
      for (std::uint32_t u : writers_[g.component])
        for (const Change& ch : changes_[u])
          if (ch.component == g.component && !g.codes.has(ch.from) && g.codes.has(ch.to)) {
            gate_enablers_[t].push_back(u);
            break;
          }
    for (Requirement& req : requires_[t])
      req.truthifiers = truthifiers(req.component, req.term);
  }
  for (model::ComponentIndex c = 0; c < system.size(); ++c)
    vm_up_truthifiers_[c] = truthifiers(vm_of_[c], model.term(model::Term{vm_of_[c], vm_up, false}));
  // Observers: what each wait or check needs before it can complete.
  observer_of_step_.assign(steps.size(), kNoMove);
  observers_of_component_.resize(system.size());
  observers_of_command_.resize(steps.size());
  for (std::uint32_t i = 0; i < steps.size(); ++i) {
    if (!steps[i].has_wait && steps[i].move != kNoMove) continue;
    Observer o;
    o.step = i;
    std::vector<bool> seen(steps.size(), false);
    std::vector<std::uint32_t> todo{i};
    seen[i] = true;
    std::vector<Read> reads;
    while (!todo.empty()) {
      const std::uint32_t j = todo.back();
      todo.pop_back();
      if (steps[j].move != kNoMove) o.commands.push_back(j);
      for (const CompiledTerm& term : steps[j].wait) {
        o.terms.push_back(term);
        const std::uint32_t c = component_at.at({term.field.word, term.field.shift});
        o.inputs.push_back(c);
        reads.push_back(Read{c, term.codes, false});
      }
      for (std::uint32_t d : steps[j].deps)
        if (!seen[d]) seen[d] = true, todo.push_back(d);
    }
    sort_unique(o.commands), sort_unique(o.inputs);
    for (std::size_t k = 0; k < reads.size(); ++k) {
      const CompiledTerm& term = o.terms[k];
      for (std::uint32_t u : writers_[reads[k].component]) {
        if (may_flip(u, reads[k])) o.changers.push_back(u);
        for (const Change& ch : changes_[u])
          if (ch.component == reads[k].component && term.codes.has(ch.from) != term.negated &&
              term.codes.has(ch.to) == term.negated) {
            o.falsifiers.push_back(u);
            break;
          }
      }
    }
    sort_unique(o.changers), sort_unique(o.falsifiers);
    const auto index = static_cast<std::uint32_t>(observers_.size());
    observer_of_step_[i] = index;
    for (std::uint32_t c : o.inputs) observers_of_component_[c].push_back(index);
    for (std::uint32_t j : o.commands) observers_of_command_[j].push_back(index);
    observers_.push_back(std::move(o));
  }
  wait_targets_.resize(steps.size());
  for (std::uint32_t i = 0; i < steps.size(); ++i)
    for (const CompiledTerm& term : steps[i].wait) {
      const std::uint32_t c = component_at.at({term.field.word, term.field.shift});
      wait_targets_[i].push_back(target(c, term));
    }
  for (const Clause& clause : properties.always) {
    auto& targets = clauses_.emplace_back();
    for (const CompiledTerm& term : clause.terms) {
      const std::uint32_t c = component_at.at({term.field.word, term.field.shift});
      targets.push_back(target(c, term));
    }
  }
}

std::vector<std::uint32_t> StubbornSets::truthifiers(std::uint32_t c, const CompiledTerm& term) const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t u : writers_[c])
    for (const Change& ch : changes_[u])
      if (ch.component == c && term.codes.has(ch.from) == term.negated && term.codes.has(ch.to) != term.negated) {
        out.push_back(u);
        break;
      }
  return out;
}

StubbornSets::Target StubbornSets::target(std::uint32_t c, const CompiledTerm& term) const {
  Target out{term, c, truthifiers(c, term), {}};
  const model::System& system = model_.system();
  const KindTable& table = system.table(c);
  const model::FactBits combos = model::FactBits{1} << table.spec().facts.size();
  for (std::uint32_t u : out.truthifiers) {
    Maker m{u, false, {}};
    for (const model::Participant& p : model_.moves()[move_of(u)].move->participants) {
      if (p.component != c) continue;
      m.needs_up = m.needs_up || p.needs_host_up;
      for (LocalCode code = 0; code < table.size(); ++code)
        for (model::FactBits f = 0; f < combos; ++f) {
          const LocalCode next = table.next(code, p.event, f);
          if (next < KindTable::kGuardRejected && term.codes.has(code) == term.negated && term.codes.has(next) != term.negated)
            m.facts.push_back(f);
        }
    }
    std::sort(m.facts.begin(), m.facts.end());
    m.facts.erase(std::unique(m.facts.begin(), m.facts.end()), m.facts.end());
    out.makers.push_back(std::move(m));
  }
  return out;
}

template <class Visit>
void StubbornSets::for_movers(std::uint32_t c, const Word* cur, Visit&& visit) const {
  const Word code = model_.field(static_cast<model::ComponentIndex>(c)).read(cur);
  const auto& by_code = movers_[c];
  if (code < by_code.size())
    for (std::uint32_t u : by_code[code]) visit(u);
}

template <class Visit>
void StubbornSets::term_makers(const Target& target, const Word* cur, const Scratch& x, Visit&& visit) const {
  thread_local std::vector<std::uint32_t> movers, makers;
  movers.clear(), makers.clear();
  for_movers(target.component, cur, [&](std::uint32_t u) { movers.push_back(u); });
  truthifiers_now(target, cur, makers);
  // A disabled transition brings its own necessary enabling set: it weighs more.
  auto weight = [&](const std::vector<std::uint32_t>& list) {
    std::size_t w = 0;
    for (std::uint32_t u : list) w += x.in_set[u] == x.stamp ? 0 : x.state[u] != 0 ? 1 : kDisabledWeight;
    return w;
  };
  for (std::uint32_t u : weight(movers) < weight(makers) ? movers : makers) visit(u);
}

void StubbornSets::truthifiers_now(const Target& target, const Word* cur, std::vector<std::uint32_t>& makers) const {
  makers.clear();
  const std::uint32_t c = target.component;
  // Each transition that may make the term true, or, when it cannot do so
  // with the component's facts (or host) as they are now, what must change them first.
  const model::FactBits facts = model_.facts(static_cast<model::ComponentIndex>(c), cur);
  const bool up = vm_up_term_[c].holds(cur);
  for (const Maker& m : target.makers) {
    const bool facts_fit = std::binary_search(m.facts.begin(), m.facts.end(), facts);
    if (facts_fit && (up || !m.needs_up)) {
      makers.push_back(m.u);
      continue;
    }
    const std::vector<std::uint32_t>* pick = m.needs_up && !up ? &vm_up_truthifiers_[c] : nullptr;
    if (!facts_fit) {
      model::FactBits always_differs = ~model::FactBits{0};
      for (model::FactBits f : m.facts) always_differs &= f ^ facts;
      const auto& flippers = fact_flippers_[c];
      for (std::size_t b = 0; b < flippers.size(); ++b)
        if ((always_differs >> b) & 1u && (!pick || flippers[b].size() < pick->size())) pick = &flippers[b];
    }
    if (pick) {
      makers.insert(makers.end(), pick->begin(), pick->end());
    } else {
      makers.push_back(m.u);
    }
  }
  sort_unique(makers);
}

template <class Visit>
void StubbornSets::disablers(std::uint32_t t, const Word* cur, const Scratch& x, Visit&& visit) const {
  thread_local std::vector<std::uint32_t> movers;
  movers.clear();
  for (const Read& read : enable_reads_[t])
    for_movers(read.component, cur, [&](std::uint32_t u) {
      if (u != t) movers.push_back(u);
    });
  sort_unique(movers);
  // A disabled one that cannot become enabled before t fires (its necessary
  // enabling set holds only t and members of the set) cannot disable t
  // first: a power-on's own host's boot, for one.
  auto may_precede = [&](std::uint32_t u) {
    if (x.state[u] != 0 || x.in_set[u] == x.stamp) return true;
    bool other = false;
    enablers(u, cur, x, [&](std::uint32_t v) {
      if (v != t && x.in_set[v] != x.stamp && pending(v, cur)) other = true;
    });
    return other;
  };
  for (std::uint32_t u : movers.size() < enable_flippers_[t].size() ? movers : enable_flippers_[t])
    if (u != t && may_precede(u)) visit(u);
}

template <class Add>
void StubbornSets::wait_enablers(std::uint32_t d, const Word* cur, const Scratch& x, Add&& add) const {
  // Down to an unfinished step whose own dependencies are done: every command
  // is issued, so it is a wait, and waits close eagerly: its condition is false now.
  for (bool descended = true; descended;) {
    descended = false;
    for (std::uint32_t e : steps_[d].deps)
      if (steps_[e].status.read(cur) != steps_[e].done) {
        d = e, descended = true;
        break;
      }
  }
  const IrStep& s = steps_[d];
  const auto& targets = wait_targets_[d];
  if (s.mode == model::Condition::Mode::All) {
    const Target* pick = nullptr;
    std::size_t fewest = ~std::size_t{0};
    for (const Target& target : targets) {
      if (target.term.holds(cur)) continue;
      std::size_t size = 0;
      term_makers(target, cur, x, [&](std::uint32_t) { ++size; });
      if (size < fewest) fewest = size, pick = &target;
    }
    if (pick) return term_makers(*pick, cur, x, add);
  } else if (std::none_of(targets.begin(), targets.end(), [&](const Target& t) { return t.term.holds(cur); })) {
    for (const Target& target : targets) term_makers(target, cur, x, add);
    return;
  }
  // Not expected (the wait would have closed): whatever may change what it reads.
  for (std::uint32_t u : observers_[observer_of_step_[d]].changers) add(u);
}

template <class Add>
void StubbornSets::enablers(std::uint32_t t, const Word* cur, const Scratch& x, Add&& add) const {
  if (t >= env_end_) {
    // Ready only once every dependency is done: one unfinished dependency's
    // necessary set will do, and one already in the set costs nothing.
    auto in = [&](std::uint32_t j) { return x.in_set[env_end_ + j] == x.stamp; };
    std::uint32_t first = kNoMove;
    for (std::uint32_t d : steps_[t - env_end_].deps) {
      const IrStep& dep = steps_[d];
      if (dep.status.read(cur) == dep.done) continue;
      if (dep.move != kNoMove && dep.status.read(cur) == 0) {
        if (in(d)) return;
      } else {
        for (std::uint32_t j : observers_[observer_of_step_[d]].commands)
          if (steps_[j].status.read(cur) == 0 && in(j)) return;
      }
      if (first == kNoMove) first = d;
    }
    if (first != kNoMove) {
      const IrStep& dep = steps_[first];
      if (dep.move != kNoMove && dep.status.read(cur) == 0) return add(env_end_ + first);
      // An observer: one command it still needs, else a necessary set of its wait.
      for (std::uint32_t j : observers_[observer_of_step_[first]].commands)
        if (steps_[j].status.read(cur) == 0) return add(env_end_ + j);
      return wait_enablers(first, cur, x, add);
    }
  }
  auto movers = [&](std::uint32_t c) { for_movers(c, cur, add); };
  const Gate& g = gates_[t];
  if (g.check && !g.codes.has(g.field.read(cur))) return movers(g.component);
  for (const Requirement& req : requires_[t])
    if (!req.term.holds(cur)) {
      for (std::uint32_t u : req.truthifiers) add(u);
      return;
    }
  // The first required participant that cannot take its event: its code or
  // (for a guard) some fact it reads must change first.
  const model::System& system = model_.system();
  for (const model::Participant& p : model_.moves()[move_of(t)].move->participants) {
    if (!p.required) continue;
    if (p.needs_host_up && !vm_up_term_[p.component].holds(cur)) {
      for (std::uint32_t u : vm_up_truthifiers_[p.component]) add(u);
      return;
    }
    const KindTable& table = system.table(p.component);
    const auto code = static_cast<LocalCode>(model_.field(p.component).read(cur));
    const model::FactBits facts = model_.facts(p.component, cur);
    if (table.next(code, p.event, facts) < KindTable::kGuardRejected) continue;
    movers(p.component);
    // A fact every enabling combination has the other way round: changing it is necessary.
    const std::size_t bits = table.spec().facts.size();
    const model::FactBits combos = model::FactBits{1} << bits;
    model::FactBits always_differs = combos - 1;
    bool any = false;
    for (model::FactBits f = 0; f < combos; ++f)
      if (table.next(code, p.event, f) < KindTable::kGuardRejected) always_differs &= f ^ facts, any = true;
    if (!any) return;  // no facts enable it from this code
    std::size_t pick = bits, fewest = ~std::size_t{0};
    for (std::size_t b = 0; b < bits && b < fact_flippers_[p.component].size(); ++b)
      if ((always_differs >> b) & 1u && fact_flippers_[p.component][b].size() < fewest)
        pick = b, fewest = fact_flippers_[p.component][b].size();
    if (pick < bits) {
      for (std::uint32_t u : fact_flippers_[p.component][pick]) add(u);
    } else {
      for (const auto& list : fact_flippers_[p.component])
        for (std::uint32_t u : list) add(u);
    }
    return;
  }
  for (std::uint32_t u : flippers_[t]) add(u);
}

template <class Add>
bool StubbornSets::add_targets(const Word* cur, Scratch& x, Add&& add) const {
  auto in = [&](std::uint32_t t) { return x.in_set[t] == x.stamp || !pending(t, cur); };
  bool added = false;
  for (std::size_t ci = 0; ci + 1 < x.clause_begin.size(); ++ci) {
    if (x.clause_done[ci] == x.stamp) continue;
    x.clause_done[ci] = x.stamp;
    // The candidate missing the fewest transitions from the set (none: nothing to add).
    std::uint32_t pick = 0;
    std::size_t fewest = ~std::size_t{0};
    for (std::uint32_t k = x.clause_begin[ci]; k < x.clause_begin[ci + 1] && fewest > 0; ++k) {
      std::size_t missing = 0;
      for (std::uint32_t j = x.cands[k]; j < x.cands[k + 1]; ++j)
        missing += !in(x.pool[j]);
      if (missing < fewest) fewest = missing, pick = k;
    }
    if (fewest == 0 || fewest == ~std::size_t{0}) continue;
    for (std::uint32_t j = x.cands[pick]; j < x.cands[pick + 1]; ++j) add(x.pool[j]);
    added = true;
  }
  for (std::uint32_t i = 0; i < steps_.size(); ++i) {
    const std::uint32_t t = env_end_ + i;
    if (steps_[i].move == kNoMove || in(t)) continue;
    // A step out of the set may be refused later only after one of these fires.
    auto need = [&](std::uint32_t u) {
      if (!in(u)) add(u), added = true;
    };
    bool ready = true;
    for (std::uint32_t d : steps_[i].deps) ready = ready && steps_[d].status.read(cur) == steps_[d].done;
    if (!ready) {
      enablers(t, cur, x, need);
    } else if (x.state[t] != 0) {
      disablers(t, cur, x, need);
    }
  }
  return added;
}

bool StubbornSets::closure(std::uint32_t seed, const Word* cur, Scratch& x, std::size_t best) const {
  ++x.stamp;
  x.work.clear(), x.members.clear();
  x.enabled_members = 0;
  bool failed = false;
  auto add = [&](std::uint32_t t) {
    if (x.in_set[t] == x.stamp || !pending(t, cur)) return;
    x.in_set[t] = x.stamp;
    x.work.push_back(t);
    if (x.state[t] != 0 && ++x.enabled_members >= best) failed = true;
    if (x.state[t] != 0) x.members.push_back(t);
  };
  add(seed);
  while (!failed && (!x.work.empty() || add_targets(cur, x, add))) {
    const std::uint32_t t = x.work.back();
    x.work.pop_back();
    if (x.state[t] == 0) {
      enablers(t, cur, x, add);
      continue;
    }
    // Whatever t may affect, or may affect t.
    for (std::uint32_t u : dependent_[t]) add(u);
    // Waits that t may complete or arm: see docs/checker.md.
    const Word* next = &x.next[t * words_];
    auto observe = [&](std::uint32_t index) {
      const Observer& o = observers_[index];
      if (steps_[o.step].status.read(cur) == steps_[o.step].done) return;
      std::uint32_t other = kNoMove;  // another command it needs
      for (std::uint32_t j : o.commands) {
        if (env_end_ + j == t || steps_[j].status.read(cur) != 0) continue;
        if (x.in_set[env_end_ + j] == x.stamp) return;  // dormant while that one is in the set
        if (other == kNoMove) other = j;
      }
      // Another command it needs joins: a single transition, and the wait
      // stays dormant while it is in the set (cheaper than its falsifiers).
      if (other != kNoMove) return add(env_end_ + other);
      bool positive = true;
      for (const CompiledTerm& term : o.terms)
        if (term.holds(cur) && !term.holds(next)) positive = false;
      if (positive) {
        for (std::uint32_t f : o.falsifiers) add(f);
      } else {
        for (std::uint32_t u : o.changers) add(u);
      }
    };
    for (std::uint32_t c : writes_[t])
      for (std::uint32_t index : observers_of_component_[c]) observe(index);
    if (t >= env_end_)
      for (std::uint32_t index : observers_of_command_[t - env_end_]) observe(index);
  }
  return !failed && x.enabled_members > 0;
}

bool StubbornSets::choose(const Word* cur, std::vector<std::uint32_t>& chosen) const {
  if (gave_up()) return false;
  thread_local Scratch x;
  const std::size_t n = reads_.size();
  if (x.in_set.size() != n) x = Scratch{std::vector<std::uint32_t>(n, 0), 0, std::vector<std::uint8_t>(n), {}, {}, {}, 0, {}, {}, {}, {}};
  x.next.resize(n * words_);
  std::size_t enabled = 0;
  for (std::uint32_t t = 0; t < n; ++t) {
    x.state[t] = 0;
    if (writes_[t].empty()) continue;  // a check
    if (!pending(t, cur)) continue;
    if (t >= env_end_) {
      const IrStep& s = steps_[t - env_end_];
      bool ready = true;
      for (std::uint32_t d : s.deps) ready = ready && steps_[d].status.read(cur) == steps_[d].done;
      if (!ready) continue;
    }
    const std::uint32_t m = move_of(t);
    Word* next = &x.next[t * words_];
    if (!model_.may_apply(m, cur) || !model_.apply(m, cur, next, words_)) continue;
    x.state[t] = 1;
    ++enabled;
  }
  if (enabled <= 1) return false;
  // Per clause (violated ones are accepted: nothing to keep) a necessary set
  // of each false term becoming true (what may make it true, or whatever may
  // change its component's code first); add_targets picks one.
  ++x.stamp;  // no set yet (term_makers weighs what is in it)
  x.pool.clear(), x.cands.clear(), x.clause_begin.clear();
  for (const auto& targets : clauses_) {
    x.clause_begin.push_back(static_cast<std::uint32_t>(x.cands.size()));
    const std::size_t pool_at = x.pool.size(), cands_at = x.cands.size();
    std::size_t false_terms = 0;
    for (const Target& target : targets) {
      if (target.term.holds(cur)) continue;
      ++false_terms;
      const std::size_t at = x.pool.size();
      term_makers(target, cur, x, [&](std::uint32_t t) {
        if (pending(t, cur)) x.pool.push_back(t);
      });
      if (x.pool.size() == at) {  // this term cannot become true: the clause cannot be violated
        false_terms = 0;
        break;
      }
      x.cands.push_back(static_cast<std::uint32_t>(at));
    }
    if (false_terms == 0) x.pool.resize(pool_at), x.cands.resize(cands_at);  // violated, or cannot be
  }
  x.clause_begin.push_back(static_cast<std::uint32_t>(x.cands.size()));
  x.cands.push_back(static_cast<std::uint32_t>(x.pool.size()));
  if (x.clause_done.size() < clauses_.size()) x.clause_done.assign(clauses_.size(), 0);
  std::size_t best = enabled;
  // Seeds: the enabled transitions in order, at most kSeeds of them (each
  // costs a closure; later ones rarely find a smaller set).
  std::size_t seeds = 0;
  for (std::uint32_t seed = 0; seed < n && best > 1 && seeds < kSeeds; ++seed) {
    if (x.state[seed] != 1) continue;
    ++seeds;
    if (!closure(seed, cur, x, best)) continue;
    best = x.enabled_members;
    chosen.clear();
    for (std::uint32_t t : x.members) chosen.push_back(t < env_end_ ? t | kViaMove : t - env_end_);
  }
  if (!decided_.load(std::memory_order_relaxed)) {  // sums over whole levels: the same on any number of threads
    tried_.fetch_add(1, std::memory_order_relaxed);
    enabled_.fetch_add(enabled, std::memory_order_relaxed);
    saved_.fetch_add(enabled - best, std::memory_order_relaxed);
  }
  return best < enabled;
}

}  // namespace acdsim::checker
