#include "acdsim/checker/checker.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/step_targets.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/vm.hpp"
#include "state_store.hpp"

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
  bool accepted[4] = {false, false, false, false};
  model::Snapshot initial_snapshot;
  std::vector<Word> initial;
  std::size_t words = 0;

  Impl(const model::Procedure& p, const model::Topology& t, Options o)
      : procedure(p), system(t), model(system, layout), options(std::move(o)) {
    build_steps();
    if (options.faults > 0) {
      unsigned bits = 1;
      while ((1u << bits) <= options.faults) ++bits;
      faults_field = layout.add(bits);
    }
    words = layout.words();
    properties = compile_properties(model, goal_of(procedure.kind));
    if (procedure.rollout) add_rollout_properties(properties, model, *procedure.rollout);
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
      for (const model::ConditionAtom& a : c.atoms) {
        const auto comp = *system.find(a.component);
        const auto& preds = system.table(comp).spec().predicates;
        const auto p = std::find(preds.begin(), preds.end(), a.predicate) - preds.begin();
        ir.wait.push_back(model.term(model::Term{comp, static_cast<model::PredicateId>(p), a.negated}));
      }
    };
    for (const model::Step& step : procedure.steps) {
      std::vector<std::uint32_t> deps;
      for (const std::string& a : step.after) deps.insert(deps.end(), completes[a].begin(), completes[a].end());
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
  // doing it at once loses no interleaving and adds no states.
  void close(Word* state) const {
    for (bool changed = true; changed;) {
      changed = false;
      for (const IrStep& s : steps) {
        const Word st = s.status.read(state);
        if (s.move != kNoMove) {
          if (st == 1 && s.done == 2 && wait_holds(s, state)) s.status.write(state, 2), changed = true;
        } else if (st == 0 && deps_done(s, state) && (!s.has_wait || wait_holds(s, state))) {
          s.status.write(state, 1), changed = true;
        }
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
  };

  // Breadth-first search. With parents, it only rebuilds the path to target.
  struct Search {
    StateStore store;
    std::vector<std::uint32_t> parent, via;
    std::optional<Found> found;
    std::uint64_t transitions = 0;
    std::uint32_t depth = 0;
    std::string limit;
    explicit Search(std::size_t words) : store(words) {}
  };

  void explore(Search& search, const Word* target, std::vector<std::string>& accepted_seen) const {
    const bool rebuilding = target != nullptr;
    std::vector<Word> cur(words), next(words);
    auto t0 = std::chrono::steady_clock::now();
    const bool show = options.progress && !rebuilding && ::isatty(2);
    auto insert = [&](std::uint32_t from, std::uint32_t via) -> bool {  // false: stop
      ++search.transitions;
      if (!rebuilding && search.store.bytes_after_growth() > options.max_memory_bytes) {
        search.limit = "memory limit of " + std::to_string(options.max_memory_bytes >> 20) + " MiB reached";
        return false;
      }
      auto [index, fresh] = search.store.insert(next.data());
      if (!fresh) return true;
      if (rebuilding) {
        search.parent.push_back(from);
        search.via.push_back(via);
        return std::memcmp(next.data(), target, words * sizeof(Word)) != 0;
      }
      if (search.store.size() >= options.max_states) {
        search.limit = "state limit of " + std::to_string(options.max_states) + " reached";
        return false;
      }
      for (const Clause& c : properties.always) {
        if (!c.violated(next.data())) continue;
        if (accepted[static_cast<int>(c.spec->severity)]) {
          if (accepted_seen.size() < 8 &&
              std::find(accepted_seen.begin(), accepted_seen.end(), std::string(c.spec->id)) == accepted_seen.end())
            accepted_seen.emplace_back(c.spec->id);
          continue;
        }
        search.found = Found{c.spec, c.subject, "", next, kNoMove};
        return false;
      }
      return true;
    };

    search.store.insert(initial.data());
    if (rebuilding) {
      search.parent.push_back(0);
      search.via.push_back(0);
      if (std::memcmp(initial.data(), target, words * sizeof(Word)) == 0) return;
    }
    std::size_t level_end = 1;
    for (std::uint32_t head = 0; head < search.store.size(); ++head) {
      if (head == level_end) {
        ++search.depth;
        level_end = search.store.size();
        if (show) {
          const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          std::fprintf(stderr, "\r%zu states, %.0f states/s, depth %u, queue %zu   ", search.store.size(),
                       search.store.size() / (s > 0 ? s : 1), search.depth, search.store.size() - head);
        }
      }
      std::memcpy(cur.data(), search.store.at(head), words * sizeof(Word));
      bool moved = false;
      // Procedure steps whose dependencies are complete.
      for (std::uint32_t i = 0; i < steps.size(); ++i) {
        const IrStep& s = steps[i];
        if (s.move == kNoMove || s.status.read(cur.data()) != 0 || !deps_done(s, cur.data())) continue;
        if (!model.apply(s.move, cur.data(), next.data(), words)) {
          if (rebuilding || accepted[static_cast<int>(Severity::ManualFix)]) continue;
          search.found = Found{&invariant("procedure.step-refused"), s.label, refusal(s, cur.data()), cur, i};
          return;
        }
        moved = true;
        s.status.write(next.data(), 1);
        close(next.data());
        if (!insert(head, i)) return;
      }
      // The environment, and faults within the budget.
      const std::uint32_t end = options.faults > 0 && faults_field.read(cur.data()) < options.faults
                                    ? model.faults_end()
                                    : model.environment_end();
      for (std::uint32_t m = 0; m < end; ++m) {
        if (!model.apply(m, cur.data(), next.data(), words)) continue;
        moved = true;
        if (m >= model.environment_end()) faults_field.write(next.data(), faults_field.read(next.data()) + 1);
        close(next.data());
        if (!insert(head, m | kViaMove)) return;
      }
      if (moved || rebuilding) continue;
      // Nothing can happen any more.
      if (!complete(cur.data())) {
        if (accepted[static_cast<int>(Severity::Outage)]) continue;
        search.found = Found{&invariant("procedure.stuck"), "", waiting(cur.data()), cur, kNoMove};
        return;
      }
      for (const Clause& c : properties.goal) {
        if (!c.violated(cur.data()) || accepted[static_cast<int>(c.spec->severity)]) continue;
        search.found = Found{c.spec, c.subject, describe(c, cur.data()), cur, kNoMove};
        return;
      }
    }
    if (show) std::fprintf(stderr, "\r%zu states, done%40s\n", search.store.size(), "");
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

  std::vector<TraceLine> trace_to(const Found& f) const {
    Search rebuild(words);
    std::vector<std::string> unused;
    explore(rebuild, f.state.data(), unused);
    // Walk back from the target.
    std::vector<std::uint32_t> path;
    std::uint32_t at = static_cast<std::uint32_t>(rebuild.store.size() - 1);
    if (std::memcmp(rebuild.store.at(at), f.state.data(), words * sizeof(Word)) != 0)
      throw std::logic_error("counterexample state not found again");
    while (at != 0) {
      path.push_back(rebuild.via[at]);
      at = rebuild.parent[at];
    }
    std::vector<TraceLine> out;
    model::Snapshot state = initial_snapshot;
    auto line = [&](std::uint32_t via) {
      const bool is_move = via & kViaMove;
      const model::Move& move = is_move ? *model.moves()[via & ~kViaMove].move : *steps[via].command;
      TraceLine t{is_move ? std::string(model::to_string(move.move_class)) : "step", is_move ? move.label : steps[via].label, {}};
      std::vector<model::Change> changes;
      if (auto next = system.apply(state, move, &changes)) state = *next;
      for (const model::Change& c : changes)
        t.changes.push_back(system.component(c.component).path() + ": " + system.table(c.component).name(c.from) +
                            " -> " + system.table(c.component).name(c.to));
      return t;
    };
    for (auto it = path.rbegin(); it != path.rend(); ++it) out.push_back(line(*it));
    if (f.attempted != kNoMove) out.push_back(TraceLine{"step", steps[f.attempted].label, {"refused: " + f.detail}});
    return out;
  }
};

Checker::Checker(const model::Procedure& procedure, const model::Topology& topology, Options options)
    : impl_(std::make_unique<Impl>(procedure, topology, std::move(options))) {}
Checker::~Checker() = default;

const model::Snapshot& Checker::initial() const { return impl_->initial_snapshot; }
std::size_t Checker::step_count() const { return impl_->steps.size(); }

Result Checker::run() {
  const auto t0 = std::chrono::steady_clock::now();
  Impl::Search search(impl_->words);
  Result r;
  impl_->explore(search, nullptr, r.accepted);
  r.states = search.store.size();
  r.transitions = search.transitions;
  r.depth = search.depth;
  r.words_per_state = impl_->words;
  r.bytes = search.store.bytes();
  if (search.found) {
    r.verdict = Verdict::Violated;
    r.violation = Violation{search.found->spec, search.found->subject, search.found->detail, impl_->trace_to(*search.found)};
  } else if (!search.limit.empty()) {
    r.verdict = Verdict::Incomplete;
    r.incomplete_reason = search.limit;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace acdsim::checker
