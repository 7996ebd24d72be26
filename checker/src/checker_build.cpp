// Compiling a procedure against its topology for the search: steps per host,
// invariant clauses (the catalogue, the procedure's own, a rollout's), which
// clauses a move may change, symmetry and partial-order reduction prepared.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <stdexcept>

#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/step_targets.hpp"
#include "checker_impl.hpp"

namespace acdsim::checker {
namespace {

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

Checker::Impl::Impl(const model::Procedure& p, const model::Topology& t, Options o)
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
  if (options.partial_order && options.faults == 0) stubborn.emplace(model, steps, properties, words);
  canonical_initial = initial;
  if (symmetry) symmetry->canonicalize(canonical_initial.data());
}

void Checker::Impl::build_steps() {
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

CompiledTerm Checker::Impl::atom_term(const model::ConditionAtom& a, bool negate) const {
  const auto comp = *system.find(a.component);
  const auto& preds = system.table(comp).spec().predicates;
  const auto p = std::find(preds.begin(), preds.end(), a.predicate) - preds.begin();
  return model.term(model::Term{comp, static_cast<model::PredicateId>(p), a.negated != negate});
}

void Checker::Impl::add_user_invariants() {
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

void Checker::Impl::index_clauses() {
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

void Checker::Impl::close_clauses_under_symmetry() {
  // Clauses per host; hosts per group (group_of scans the groups, once per host here).
  std::unordered_map<std::string, std::vector<std::uint32_t>> clauses_of_host;
  const auto at = components_by_field();
  for (std::uint32_t i = 0; i < properties.always.size(); ++i)
    for (const CompiledTerm& t : properties.always[i].terms)
      if (const auto found = at.find({t.field.word, t.field.shift}); found != at.end())
        for (model::ComponentIndex c : found->second) {
          auto& list = clauses_of_host[system.component(c).host];
          if (list.empty() || list.back() != i) list.push_back(i);
        }
  std::unordered_map<std::string, std::vector<std::string>> group_of;
  for (const model::Host& h : system.topology().hosts) group_of[h.alias] = symmetry->group_of(h.alias);
  for (std::uint32_t m = 0; m < model.moves().size(); ++m) {
    auto& list = clauses_of_move[m];
    std::set<std::string> hosts;
    for (model::ComponentIndex c : model.touched(m))
      for (const std::string& h : group_of[system.component(c).host]) hosts.insert(h);
    for (const std::string& h : hosts) list.insert(list.end(), clauses_of_host[h].begin(), clauses_of_host[h].end());
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
}

std::map<std::pair<std::uint32_t, std::uint8_t>, std::vector<model::ComponentIndex>> Checker::Impl::components_by_field() const {
  std::map<std::pair<std::uint32_t, std::uint8_t>, std::vector<model::ComponentIndex>> out;
  for (model::ComponentIndex c = 0; c < system.size(); ++c) out[{model.field(c).word, model.field(c).shift}].push_back(c);
  return out;
}

}  // namespace acdsim::checker
