#include "symmetry.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace acdsim::checker {
namespace {

constexpr std::uint32_t kNoMove = 0xFFFFFFFFu;
using model::ComponentIndex;

// Structural descriptions, with components as indices, compared after mapping.
using TermKey = std::tuple<ComponentIndex, CodeSet, bool>;  // component, codes, negated
using MoveKey = std::tuple<int, std::vector<std::tuple<ComponentIndex, int, bool, bool>>, std::vector<TermKey>>;

class Swap {
 public:
  // The transposition of hosts a and b, if their components correspond by name.
  static std::optional<Swap> of(const model::System& system, const std::string& a, const std::string& b) {
    Swap s;
    s.map_.resize(system.size());
    for (ComponentIndex c = 0; c < system.size(); ++c) {
      const model::ComponentRef& ref = system.component(c);
      s.map_[c] = c;
      if (ref.host != a && ref.host != b) continue;
      auto other = system.find((ref.host == a ? b : a) + "/" + ref.name);
      if (!other || system.component(*other).kind != ref.kind || &system.table(*other) != &system.table(c))
        return std::nullopt;
      s.map_[c] = *other;
    }
    return s;
  }
  ComponentIndex operator()(ComponentIndex c) const { return map_[c]; }

 private:
  std::vector<ComponentIndex> map_;
};

class Checker {
 public:
  Checker(const CompiledModel& model, const std::vector<StepShape>& steps, const Properties& properties,
          const Word* initial)
      : model_(model), system_(model.system()), steps_(steps), properties_(properties), initial_(initial) {
    for (ComponentIndex c = 0; c < system_.size(); ++c)
      component_at_[{model.field(c).word, model.field(c).shift}] = c;
    for (std::uint32_t m = 0; m < model.faults_end(); ++m) env_moves_.insert(move_key(m, nullptr));
  }

  // The step permutation if swapping hosts a and b is an automorphism.
  std::optional<std::vector<std::uint32_t>> automorphism(const std::string& a, const std::string& b) const {
    auto swap = Swap::of(system_, a, b);
    if (!swap) return std::nullopt;
    const Swap& pi = *swap;
    // Initial state.
    for (ComponentIndex c = 0; c < system_.size(); ++c)
      if (model_.field(c).read(initial_) != model_.field(pi(c)).read(initial_)) return std::nullopt;
    // Fact rules.
    for (ComponentIndex c = 0; c < system_.size(); ++c) {
      const auto& mine = system_.fact_rules(c);
      const auto& theirs = system_.fact_rules(pi(c));
      if (mine.size() != theirs.size()) return std::nullopt;
      for (std::size_t r = 0; r < mine.size(); ++r) {
        if (mine[r].mode != theirs[r].mode) return std::nullopt;
        std::multiset<std::tuple<ComponentIndex, int, bool>> x, y;
        for (const model::Term& t : mine[r].terms) x.insert({pi(t.component), t.predicate, t.negated});
        for (const model::Term& t : theirs[r].terms) y.insert({t.component, t.predicate, t.negated});
        if (x != y) return std::nullopt;
      }
    }
    // Environment and fault moves.
    for (std::uint32_t m = 0; m < model_.faults_end(); ++m)
      if (!env_moves_.count(move_key(m, &pi))) return std::nullopt;
    // Properties.
    if (clauses(properties_.always, nullptr) != clauses(properties_.always, &pi)) return std::nullopt;
    if (clauses(properties_.goal, nullptr) != clauses(properties_.goal, &pi)) return std::nullopt;
    // Steps, in order (dependencies come first): exactly one image each.
    std::vector<std::uint32_t> sigma(steps_.size(), kNoMove);
    for (std::uint32_t i = 0; i < steps_.size(); ++i) {
      std::uint32_t image = kNoMove;
      for (std::uint32_t j = 0; j < steps_.size(); ++j) {
        if (!step_maps(i, j, pi, sigma)) continue;
        if (image != kNoMove) return std::nullopt;  // ambiguous
        image = j;
      }
      if (image == kNoMove) return std::nullopt;
      sigma[i] = image;
    }
    return sigma;
  }

 private:
  ComponentIndex component_of(const Field& f) const { return component_at_.at({f.word, f.shift}); }
  TermKey term_key(const CompiledTerm& t, const Swap* pi) const {
    const ComponentIndex c = component_of(t.field);
    return {pi ? (*pi)(c) : c, t.codes, t.negated};
  }
  MoveKey move_key(std::uint32_t m, const Swap* pi) const {
    const model::Move& move = *model_.moves()[m].move;
    auto map = [&](ComponentIndex c) { return pi ? (*pi)(c) : c; };
    MoveKey key;
    std::get<0>(key) = static_cast<int>(move.move_class);
    for (const model::Participant& p : move.participants)
      std::get<1>(key).emplace_back(map(p.component), p.event, p.required, p.needs_host_up);
    for (const model::Term& t : move.requires_)
      std::get<2>(key).emplace_back(map(t.component), CodeSet{{static_cast<Word>(t.predicate), 0}}, t.negated);  // id as key
    std::sort(std::get<2>(key).begin(), std::get<2>(key).end());
    return key;
  }
  // Clauses compare by severity and terms: a host's own invariant (user.web1-...)
  // maps onto its twin's (user.web2-...), and verdicts depend on severity only.
  std::multiset<std::pair<Severity, std::multiset<TermKey>>> clauses(const std::vector<Clause>& list,
                                                                     const Swap* pi) const {
    std::multiset<std::pair<Severity, std::multiset<TermKey>>> out;
    for (const Clause& c : list) {
      std::multiset<TermKey> terms;
      for (const CompiledTerm& t : c.terms) terms.insert(term_key(t, pi));
      out.emplace(c.spec->severity, std::move(terms));
    }
    return out;
  }
  bool step_maps(std::uint32_t i, std::uint32_t j, const Swap& pi, const std::vector<std::uint32_t>& sigma) const {
    const StepShape& a = steps_[i];
    const StepShape& b = steps_[j];
    if (a.has_wait != b.has_wait || a.any != b.any || a.status.bits != b.status.bits) return false;
    if ((a.move == kNoMove) != (b.move == kNoMove)) return false;
    if (a.move != kNoMove && move_key(a.move, &pi) != move_key(b.move, nullptr)) return false;
    std::multiset<TermKey> wa, wb;
    for (const CompiledTerm& t : a.wait) wa.insert(term_key(t, &pi));
    for (const CompiledTerm& t : b.wait) wb.insert(term_key(t, nullptr));
    if (wa != wb) return false;
    std::set<std::uint32_t> da, db(b.deps.begin(), b.deps.end());
    for (std::uint32_t d : a.deps) da.insert(sigma[d]);  // deps precede i, so sigma[d] is known
    return da == db;
  }

  const CompiledModel& model_;
  const model::System& system_;
  const std::vector<StepShape>& steps_;
  const Properties& properties_;
  const Word* initial_;
  std::map<std::pair<std::uint32_t, std::uint8_t>, ComponentIndex> component_at_;
  std::set<MoveKey> env_moves_;
};

}  // namespace

Symmetry::Symmetry(const CompiledModel& model, const std::vector<StepShape>& steps, const Properties& properties,
                   const Word* initial) {
  const model::System& system = model.system();
  const auto& hosts = system.topology().hosts;
  // Candidates: hosts with the same roles; a group is a first host and every
  // host whose swap with it is an automorphism (those swaps generate every
  // permutation of the group).
  Checker check(model, steps, properties, initial);
  std::vector<bool> taken(hosts.size(), false);
  for (std::size_t first = 0; first < hosts.size(); ++first) {
    if (taken[first]) continue;
    Group group;
    std::vector<std::vector<std::uint32_t>> sigmas;  // per member: the step map from first
    for (std::size_t other = first + 1; other < hosts.size(); ++other) {
      if (taken[other] || hosts[other].roles != hosts[first].roles) continue;
      auto sigma = check.automorphism(hosts[first].alias, hosts[other].alias);
      if (!sigma) continue;
      if (group.hosts.empty()) group.hosts.push_back(hosts[first].alias), sigmas.emplace_back();
      group.hosts.push_back(hosts[other].alias);
      sigmas.push_back(*sigma);
      taken[other] = true;
    }
    if (group.hosts.empty() || group.hosts.size() > 64) continue;
    // The first host's block: its components, then the steps that the swaps move.
    std::vector<ComponentIndex> own;
    for (ComponentIndex c = 0; c < system.size(); ++c)
      if (system.component(c).host == hosts[first].alias) own.push_back(c);
    // Steps of the first host: moved by the swap, and about the first host's components.
    std::vector<std::uint32_t> own_steps;
    for (std::uint32_t s = 0; s < steps.size(); ++s) {
      if (sigmas[1][s] == s) continue;
      bool mine = false;
      if (steps[s].move != kNoMove)
        for (ComponentIndex c : model.touched(steps[s].move)) mine |= system.component(c).host == hosts[first].alias;
      for (const CompiledTerm& t : steps[s].wait)
        for (ComponentIndex c : own) mine |= model.field(c).word == t.field.word && model.field(c).shift == t.field.shift;
      if (mine) own_steps.push_back(s);
    }
    unsigned bits = 0;
    for (std::size_t member = 0; member < group.hosts.size(); ++member) {
      std::vector<Field> block;
      for (ComponentIndex c : own) {
        const auto image = member == 0 ? std::optional<ComponentIndex>(c)
                                       : system.find(group.hosts[member] + "/" + system.component(c).name);
        block.push_back(model.field(*image));
      }
      for (std::uint32_t s : own_steps) block.push_back(steps[member == 0 ? s : sigmas[member][s]].status);
      if (member == 0)
        for (const Field& f : block) bits += f.bits;
      group.blocks.push_back(std::move(block));
    }
    if (bits > 64) continue;  // blocks are compared as one word
    std::map<std::uint32_t, Word> masks;
    for (const auto& block : group.blocks)
      for (const Field& f : block) masks[f.word] |= f.mask() << f.shift;
    group.masks.assign(masks.begin(), masks.end());
    groups_.push_back(std::move(group));
  }
}

void Symmetry::canonicalize(Word* state, const Word* parent) const {
  Word values[64], before[64];
  for (const Group& g : groups_) {
    if (parent) {
      bool changed = false;
      for (const auto& [word, mask] : g.masks) changed |= ((state[word] ^ parent[word]) & mask) != 0;
      if (!changed) continue;  // still sorted
    }
    const std::size_t n = g.blocks.size();
    for (std::size_t i = 0; i < n; ++i) {
      Word v = 0;
      for (const Field& f : g.blocks[i]) v = (v << f.bits) | f.read(state);
      values[i] = before[i] = v;
    }
    // Insertion sort: a move changes one host or few, so the blocks are
    // nearly sorted already; only the blocks that moved are written back.
    for (std::size_t i = 1; i < n; ++i)
      for (std::size_t j = i; j > 0 && values[j] < values[j - 1]; --j) std::swap(values[j], values[j - 1]);
    for (std::size_t i = 0; i < n; ++i) {
      if (values[i] == before[i]) continue;
      Word v = values[i];
      for (auto f = g.blocks[i].rbegin(); f != g.blocks[i].rend(); ++f) {
        f->write(state, v & f->mask());
        v >>= f->bits;
      }
    }
  }
}

std::vector<std::string> Symmetry::group_of(const std::string& host) const {
  for (const Group& g : groups_)
    if (std::find(g.hosts.begin(), g.hosts.end(), host) != g.hosts.end()) return g.hosts;
  return {};
}

std::string Symmetry::describe() const {
  std::string out;
  for (const Group& g : groups_) {
    if (!out.empty()) out += "; ";
    for (std::size_t i = 0; i < g.hosts.size(); ++i) out += (i ? " " : "") + g.hosts[i];
  }
  return out;
}

}  // namespace acdsim::checker
