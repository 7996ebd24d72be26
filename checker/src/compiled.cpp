#include "acdsim/checker/compiled.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>

#include "acdsim/model/vm.hpp"
#include "words.hpp"

namespace acdsim::checker {

Field Layout::add(unsigned bits) {
  if (bits == 0 || bits > 64) throw std::logic_error("field width out of range");
  if (bits_ / 64 != (bits_ + bits - 1) / 64) bits_ = (bits_ / 64 + 1) * 64;
  Field f{static_cast<std::uint32_t>(bits_ / 64), static_cast<std::uint8_t>(bits_ % 64), static_cast<std::uint8_t>(bits)};
  bits_ += bits;
  return f;
}

CompiledModel::CompiledModel(const model::System& system, Layout& layout) : system_(&system) {
  for (model::ComponentIndex c = 0; c < system.size(); ++c) {
    if (system.table(c).size() > CodeSet::kMaxCodes)
      throw std::logic_error("a kind with more than 128 states needs wider predicate masks");
    fields_.push_back(layout.add(system.table(c).bits()));
  }
  // Facts: each component's rules, terms pooled.
  fact_rules_.resize(system.size());
  for (model::ComponentIndex c = 0; c < system.size(); ++c) {
    const auto& rules = system.fact_rules(c);
    for (const model::FactRule& r : rules) {
      FactRange range{r.mode, static_cast<std::uint32_t>(terms_.size()), 0};
      for (const model::Term& t : r.terms) terms_.push_back(term(t));
      range.end = static_cast<std::uint32_t>(terms_.size());
      fact_rules_[c].push_back(range);
    }
  }
  for (const model::Move& m : system.environment_moves()) add_move(m);
  environment_end_ = static_cast<std::uint32_t>(moves_.size());
  for (const model::Move& m : system.fault_moves()) add_move(m);
  faults_end_ = static_cast<std::uint32_t>(moves_.size());
  index_gates();
}

void CompiledModel::index_gates() {
  std::vector<std::vector<std::vector<std::uint32_t>>> by_code;  // per group, per code
  std::map<std::pair<std::uint32_t, std::uint8_t>, std::size_t> group_of;  // a lookup per move: 1,000-host topologies have thousands of groups
  for (std::uint32_t m = 0; m < faults_end_; ++m) {
    const Gate& g = gates_[m];
    if (!g.check) {
      ungated_.push_back(m);
      continue;
    }
    const auto [at, fresh] = group_of.try_emplace(std::pair{g.field.word, g.field.shift}, gate_fields_.size());
    const std::size_t group = at->second;
    if (fresh) {
      gate_fields_.push_back(g.field);
      by_code.emplace_back(std::size_t{1} << g.field.bits);
    }
    for (Word code = 0; code < by_code[group].size(); ++code)
      if (g.codes.has(code)) by_code[group][code].push_back(m);
  }
  for (const auto& codes : by_code) {
    gate_code_begin_.push_back(static_cast<std::uint32_t>(gate_starts_.size()));
    for (const auto& moves : codes) {
      gate_starts_.push_back(static_cast<std::uint32_t>(gate_moves_.size()));
      gate_moves_.insert(gate_moves_.end(), moves.begin(), moves.end());
    }
  }
  gate_starts_.push_back(static_cast<std::uint32_t>(gate_moves_.size()));
}

void CompiledModel::candidates(const Word* in, std::uint32_t end, std::vector<std::uint32_t>& out) const {
  out.clear();
  for (std::size_t group = 0; group < gate_fields_.size(); ++group) {
    const std::uint32_t at = gate_code_begin_[group] + static_cast<std::uint32_t>(gate_fields_[group].read(in));
    for (std::uint32_t i = gate_starts_[at]; i < gate_starts_[at + 1] && gate_moves_[i] < end; ++i)
      out.push_back(gate_moves_[i]);
  }
  for (std::uint32_t m : ungated_) {
    if (m >= end) break;
    out.push_back(m);
  }
  if (!std::is_sorted(out.begin(), out.end())) std::sort(out.begin(), out.end());
}

CompiledTerm CompiledModel::term(const model::Term& t) const {
  const KindTable& table = system_->table(t.component);
  CodeSet codes;
  for (LocalCode code = 0; code < table.size(); ++code)
    if (table.holds(code, t.predicate)) codes.add(code);
  return CompiledTerm{fields_[t.component], codes, t.negated};
}

std::uint32_t CompiledModel::add_move(const model::Move& move) {
  MoveRef ref{&move, static_cast<std::uint32_t>(terms_.size()), 0, static_cast<std::uint32_t>(parts_.size()), 0};
  for (const model::Term& t : move.requires_) terms_.push_back(term(t));
  ref.requires_end = static_cast<std::uint32_t>(terms_.size());
  const auto vm_up = static_cast<model::PredicateId>(model::vm::Pred::Up);
  for (const model::Participant& p : move.participants) {
    const model::ComponentIndex vm = *system_->vm_of(system_->component(p.component).host);
    const KindTable& table = system_->table(p.component);
    const model::FactBits combos = model::FactBits{1} << table.spec().facts.size();
    CodeSet maybe_enabled;
    bool fact_free = true;
    for (LocalCode code = 0; code < table.size(); ++code)
      for (model::FactBits f = 0; f < combos; ++f) {
        const LocalCode next = table.next(code, p.event, f);
        if (next < KindTable::kGuardRejected) maybe_enabled.add(code);
        if (next != table.next(code, p.event, 0)) fact_free = false;
      }
    parts_.push_back(Part{fields_[p.component], &table, p.event, p.required, p.needs_host_up, fact_free,
                          maybe_enabled, term(model::Term{vm, vm_up, false}), p.component});
  }
  ref.parts_end = static_cast<std::uint32_t>(parts_.size());
  moves_.push_back(ref);
  Gate gate;
  if (ref.parts_begin < ref.parts_end && parts_[ref.parts_begin].required)
    gate = Gate{parts_[ref.parts_begin].field, parts_[ref.parts_begin].maybe_enabled, true};
  gates_.push_back(gate);
  return static_cast<std::uint32_t>(moves_.size() - 1);
}

model::FactBits CompiledModel::facts(model::ComponentIndex c, const Word* s) const {
  model::FactBits out = 0;
  const auto& rules = fact_rules_[c];
  for (std::size_t b = 0; b < rules.size(); ++b) {
    const FactRange& r = rules[b];
    bool value = false;
    switch (r.mode) {
      case model::FactRule::Mode::False: break;
      case model::FactRule::Mode::True: value = true; break;
      case model::FactRule::Mode::Any:
        for (std::uint32_t t = r.begin; t < r.end && !value; ++t) value = terms_[t].holds(s);
        break;
      case model::FactRule::Mode::All:
        value = true;
        for (std::uint32_t t = r.begin; t < r.end && value; ++t) value = terms_[t].holds(s);
        break;
      case model::FactRule::Mode::None:
        value = true;
        for (std::uint32_t t = r.begin; t < r.end && value; ++t) value = !terms_[t].holds(s);
        break;
    }
    if (value) out |= model::FactBits{1} << b;
  }
  return out;
}

bool CompiledModel::apply(std::uint32_t move, const Word* in, Word* out, std::size_t words) const {
  const MoveRef& m = moves_[move];
  if (!may_apply(move, in)) return false;
  for (std::uint32_t t = m.requires_begin; t < m.requires_end; ++t)
    if (!terms_[t].holds(in)) return false;
  copy_words(out, in, words);
  bool fired = false;
  for (std::uint32_t i = m.parts_begin; i < m.parts_end; ++i) {
    const Part& p = parts_[i];
    LocalCode next = KindTable::kNotEnabled;
    const auto code = static_cast<LocalCode>(p.field.read(out));
    if (p.maybe_enabled.has(code) && (!p.needs_host_up || p.host_up.holds(in)))
      next = p.table->next(code, p.event, p.fact_free ? 0 : facts(p.component, in));
    if (next >= KindTable::kGuardRejected) {
      if (p.required) return false;
      continue;
    }
    p.field.write(out, next);
    fired = true;
  }
  return fired;
}

std::vector<model::ComponentIndex> CompiledModel::touched(std::uint32_t move) const {
  std::vector<model::ComponentIndex> out;
  for (std::uint32_t i = moves_[move].parts_begin; i < moves_[move].parts_end; ++i) out.push_back(parts_[i].component);
  return out;
}

model::Snapshot CompiledModel::unpack(const Word* s) const {
  model::Snapshot out(fields_.size());
  for (std::size_t c = 0; c < fields_.size(); ++c) out[c] = static_cast<LocalCode>(fields_[c].read(s));
  return out;
}

void CompiledModel::pack(const model::Snapshot& snapshot, Word* s) const {
  for (std::size_t c = 0; c < fields_.size(); ++c) fields_[c].write(s, snapshot[c]);
}

}  // namespace acdsim::checker
