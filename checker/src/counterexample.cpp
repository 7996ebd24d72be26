// Counterexamples as the operator sees them: a shortest path in the searched
// graph (again, when the search kept no history), replayed concretely from
// representatives, with every component change and the invariant at the end.
#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "acdsim/model/vm.hpp"
#include "checker_impl.hpp"
#include "state_store.hpp"

namespace acdsim::checker {

std::string Checker::Impl::describe(const Clause& c, const Word* state) const {
  const model::Snapshot snap = model.unpack(state);
  if (auto comp = system.find(c.subject)) return c.subject + " is " + system.table(*comp).name(snap[*comp]);
  return c.subject;
}

std::string Checker::Impl::waiting(const Word* state) const {
  std::string out;
  for (const IrStep& s : steps) {
    if (s.status.read(state) == s.done) continue;
    const bool issued = s.move != kNoMove && s.status.read(state) == 1;
    const bool ready = s.move == kNoMove && deps_done(s, state);
    if (issued || ready) out += (out.empty() ? "" : "; ") + s.label + " waits for: " + s.wait_text;
  }
  return out.empty() ? "no step can start" : out;
}

std::string Checker::Impl::refusal(const IrStep& s, const Word* state) const {
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

std::vector<std::vector<Word>> Checker::Impl::path_to(const Word* target, bool reduced) const {
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
    // The reduced graph is the same whatever the order states are met in (no cycle proviso).
    if (reduced && stubborn && ample(cur.data(), scratch.data(), add)) continue;
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

std::vector<std::uint32_t> Checker::Impl::concrete_run(const std::vector<std::vector<Word>>& path, std::vector<Word>& end) const {
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

Violation Checker::Impl::violation_of(const Found& f) const {
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

bool Checker::Impl::is_goal(const InvariantSpec* spec) const {
  for (const Clause& c : properties.goal)
    if (c.spec == spec) return true;
  return false;
}

}  // namespace acdsim::checker
