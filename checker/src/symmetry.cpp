#include "symmetry.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace acdsim::checker {
namespace {

constexpr std::uint32_t kNoMove = 0xFFFFFFFFu;
constexpr std::uint32_t kNoHost = 0xFFFFFFFFu;
using model::ComponentIndex;

// Structural descriptions, with components as indices, compared after mapping.
using TermKey = std::tuple<ComponentIndex, CodeSet, bool>;  // component, codes, negated
using MoveKey = std::tuple<int, std::vector<std::tuple<ComponentIndex, int, bool, bool>>, std::vector<TermKey>>;
// A step as its image must look: has_wait, any, status bits, is a check, move, wait (sorted), deps (sorted, unique).
using StepKey = std::tuple<bool, bool, std::uint8_t, bool, MoveKey, std::vector<TermKey>, std::vector<std::uint32_t>>;
// The steps moved by a swap: (step, image) for every step whose image is another step, by step.
using StepMap = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

std::uint32_t image_in(const StepMap& map, std::uint32_t s) {
  const auto it = std::lower_bound(map.begin(), map.end(), std::pair<std::uint32_t, std::uint32_t>{s, 0});
  return it != map.end() && it->first == s ? it->second : s;
}

// Decides whether swapping two hosts maps the compiled problem onto itself.
// A swap only renames the two hosts' components, so only what mentions them is
// compared (everything else maps onto itself): the cost of one test follows
// the two hosts' share of the model, not the model's size, which kept 500
// interchangeable web servers in minutes of set-up when every test compared it all.
class Automorphisms {
 public:
  Automorphisms(const CompiledModel& model, const std::vector<StepShape>& steps, const Properties& properties,
                const Word* initial)
      : model_(model), system_(model.system()), steps_(steps), properties_(properties), initial_(initial) {
    const auto& hosts = system_.topology().hosts;
    std::unordered_map<std::string_view, std::uint32_t> host_index;
    for (std::uint32_t h = 0; h < hosts.size(); ++h) host_index.emplace(hosts[h].alias, h);
    const std::size_t n = system_.size();
    components_of_host_.resize(hosts.size());
    image_.resize(n);
    host_of_.assign(n, kNoHost);
    std::map<std::pair<std::uint32_t, std::uint8_t>, ComponentIndex> component_at;
    for (ComponentIndex c = 0; c < n; ++c) {
      image_[c] = c;
      component_at[{model.field(c).word, model.field(c).shift}] = c;
      const auto h = host_index.find(system_.component(c).host);
      if (h == host_index.end()) continue;
      components_of_host_[h->second].push_back(c);
      host_of_[c] = h->second;
    }
    auto component_of = [&](const Field& f) { return component_at.at({f.word, f.shift}); };
    // Who mentions each component: fact rules, environment and fault moves, clauses, steps.
    rule_terms_of_.resize(n);
    for (ComponentIndex c = 0; c < n; ++c) {
      const auto& rules = system_.fact_rules(c);
      for (std::uint32_t r = 0; r < rules.size(); ++r)
        for (std::uint32_t t = 0; t < rules[r].terms.size(); ++t)
          rule_terms_of_[rules[r].terms[t].component].push_back({c, r, t});
    }
    moves_of_.resize(n);
    for (std::uint32_t m = 0; m < model.faults_end(); ++m) {
      env_moves_.insert(move_key(m, false));
      for (ComponentIndex c : mentioned(m)) moves_of_[c].push_back(m);
    }
    for (int list = 0; list < 2; ++list) {
      const std::vector<Clause>& clauses = list == 0 ? properties.always : properties.goal;
      clause_components_[list].resize(clauses.size());
      clauses_of_[list].resize(n);
      for (std::uint32_t i = 0; i < clauses.size(); ++i)
        for (const CompiledTerm& t : clauses[i].terms) {
          const ComponentIndex c = component_of(t.field);
          clause_components_[list][i].push_back(c);
          clauses_of_[list][c].push_back(i);
        }
    }
    steps_of_.resize(n);
    wait_components_.resize(steps.size());
    dependents_.resize(steps.size());
    sigma_.resize(steps.size());
    duplicated_.assign(steps.size(), false);
    for (std::uint32_t s = 0; s < steps.size(); ++s) {
      sigma_[s] = s;
      if (steps[s].move != kNoMove)
        for (ComponentIndex c : mentioned(steps[s].move)) steps_of_[c].push_back(s);
      for (const CompiledTerm& t : steps[s].wait) {
        wait_components_[s].push_back(component_of(t.field));
        steps_of_[wait_components_[s].back()].push_back(s);
      }
      for (std::uint32_t d : steps[s].deps) dependents_[d].push_back(s);
    }
    for (std::uint32_t s = 0; s < steps.size(); ++s) {
      auto& same = step_index_[step_key(s)];
      same.push_back(s);
      if (same.size() > 1)
        for (std::uint32_t t : same) duplicated_[t] = true;
    }
    duplicates_ = static_cast<std::size_t>(std::count(duplicated_.begin(), duplicated_.end(), true));
    rule_mark_.assign(n, 0);
    move_mark_.assign(model.faults_end(), 0);
    for (int list = 0; list < 2; ++list) clause_mark_[list].assign(clause_components_[list].size(), 0);
  }

  // The hosts that can only swap with hosts of the same signature: roles,
  // component names, kinds and tables, initial values (what the swap and the
  // initial state need to correspond).
  std::string signature(std::uint32_t host) const {
    std::vector<std::string> parts;
    for (ComponentIndex c : components_of_host_[host]) {
      const model::ComponentRef& ref = system_.component(c);
      parts.push_back(ref.name + '\x1f' + std::to_string(static_cast<int>(ref.kind)) + '\x1f' +
                      std::to_string(reinterpret_cast<std::uintptr_t>(&system_.table(c))) + '\x1f' +
                      std::to_string(model_.field(c).read(initial_)));
    }
    std::sort(parts.begin(), parts.end());
    std::string out;
    for (model::Role r : system_.topology().hosts[host].roles) out += std::to_string(static_cast<int>(r)) + ',';
    for (const std::string& p : parts) out += '\x1e' + p;
    return out;
  }

  // The steps of host `first` among those its swap with another member moves
  // (moved: by step, dependencies first), one of each pair {step, image}: a
  // step about first's components (its move's participants, requirements and
  // touched components, its wait), or about no member's components (a check
  // without a wait, a wait on the storage, a cluster command) and waiting for
  // a step of first. Every moved step must land in some host's block, or
  // sorting the blocks makes states no run reaches.
  std::vector<std::uint32_t> own_steps(std::uint32_t first, const std::vector<std::uint32_t>& members,
                                       const StepMap& moved) const {
    std::vector<bool> mine(steps_.size(), false);
    std::vector<std::uint32_t> out;
    for (const auto& [s, image] : moved) {
      if (mine[image]) continue;
      bool about_first = false, about_member = false;
      for (ComponentIndex c : step_components(s)) {
        if (host_of_[c] == kNoHost) continue;
        about_first |= host_of_[c] == first;
        about_member |= std::find(members.begin(), members.end(), host_of_[c]) != members.end();
      }
      if (!about_member)
        for (std::uint32_t d : steps_[s].deps) about_first |= mine[d];
      if (!about_first) continue;
      mine[s] = true;
      out.push_back(s);
    }
    return out;
  }

  // The steps a swap of hosts a and b moves, if the swap is an automorphism.
  std::optional<StepMap> automorphism(std::uint32_t a, std::uint32_t b) {
    ++stamp_;
    swapped_.clear();
    std::optional<StepMap> out;
    if (swap(a, b)) out = check();
    for (ComponentIndex c : swapped_) image_[c] = c;
    return out;
  }

 private:
  // The transposition of hosts a and b into image_, if their components correspond by name.
  bool swap(std::uint32_t a, std::uint32_t b) {
    const auto& hosts = system_.topology().hosts;
    for (std::uint32_t h : {a, b})
      for (ComponentIndex c : components_of_host_[h]) {
        const model::ComponentRef& ref = system_.component(c);
        auto other = system_.find(hosts[h == a ? b : a].alias + "/" + ref.name);
        if (!other || system_.component(*other).kind != ref.kind || &system_.table(*other) != &system_.table(c))
          return false;
        image_[c] = *other;
        swapped_.push_back(c);
      }
    return true;
  }

  std::optional<StepMap> check() {
    // Initial state.
    for (ComponentIndex c : swapped_)
      if (model_.field(c).read(initial_) != model_.field(image_[c]).read(initial_)) return std::nullopt;
    if (!fact_rules_map() || !env_moves_map() || !clauses_map(0) || !clauses_map(1)) return std::nullopt;
    return steps_map();
  }

  // A swapped component's rules against its image's, whole; another
  // component's rules only in their terms on the swapped components.
  bool fact_rules_map() {
    for (ComponentIndex c : swapped_) {
      rule_mark_[c] = stamp_;
      const auto& mine = system_.fact_rules(c);
      const auto& theirs = system_.fact_rules(image_[c]);
      if (mine.size() != theirs.size()) return false;
      for (std::size_t r = 0; r < mine.size(); ++r) {
        if (mine[r].mode != theirs[r].mode) return false;
        std::vector<std::tuple<ComponentIndex, int, bool>> x, y;
        for (const model::Term& t : mine[r].terms) x.emplace_back(image_[t.component], t.predicate, t.negated);
        for (const model::Term& t : theirs[r].terms) y.emplace_back(t.component, t.predicate, t.negated);
        std::sort(x.begin(), x.end()), std::sort(y.begin(), y.end());
        if (x != y) return false;
      }
    }
    std::vector<RuleTerm> others;
    for (ComponentIndex c : swapped_)
      for (const RuleTerm& rt : rule_terms_of_[c])
        if (rule_mark_[rt.owner] != stamp_) others.push_back(rt);
    std::sort(others.begin(), others.end());
    for (std::size_t i = 0; i < others.size();) {
      std::size_t j = i;
      std::vector<std::tuple<ComponentIndex, int, bool>> x, y;
      for (; j < others.size() && others[j].owner == others[i].owner && others[j].rule == others[i].rule; ++j) {
        const model::Term& t = system_.fact_rules(others[j].owner)[others[j].rule].terms[others[j].term];
        x.emplace_back(image_[t.component], t.predicate, t.negated);
        y.emplace_back(t.component, t.predicate, t.negated);
      }
      std::sort(x.begin(), x.end()), std::sort(y.begin(), y.end());
      if (x != y) return false;
      i = j;
    }
    return true;
  }

  bool env_moves_map() {
    for (ComponentIndex c : swapped_)
      for (std::uint32_t m : moves_of_[c]) {
        if (move_mark_[m] == stamp_) continue;
        move_mark_[m] = stamp_;
        if (!env_moves_.count(move_key(m, true))) return false;
      }
    return true;
  }

  // Clauses compare by severity and terms: a host's own invariant (user.web1-...)
  // maps onto its twin's (user.web2-...), and verdicts depend on severity only.
  // Clauses on neither host are their own images, so only the others are compared.
  bool clauses_map(int list) {
    const std::vector<Clause>& clauses = list == 0 ? properties_.always : properties_.goal;
    std::vector<std::pair<Severity, std::vector<TermKey>>> before, after;
    for (ComponentIndex c : swapped_)
      for (std::uint32_t i : clauses_of_[list][c]) {
        if (clause_mark_[list][i] == stamp_) continue;
        clause_mark_[list][i] = stamp_;
        std::vector<TermKey> x, y;
        for (std::size_t t = 0; t < clauses[i].terms.size(); ++t) {
          const CompiledTerm& term = clauses[i].terms[t];
          const ComponentIndex comp = clause_components_[list][i][t];
          x.emplace_back(comp, term.codes, term.negated);
          y.emplace_back(image_[comp], term.codes, term.negated);
        }
        std::sort(x.begin(), x.end()), std::sort(y.begin(), y.end());
        before.emplace_back(clauses[i].spec->severity, std::move(x));
        after.emplace_back(clauses[i].spec->severity, std::move(y));
      }
    std::sort(before.begin(), before.end()), std::sort(after.begin(), after.end());
    return before == after;
  }

  // Steps, in order (dependencies come first): exactly one image each. A step
  // that mentions neither host and whose dependencies are their own images is
  // its own image, unless another step looks just like it (then it has two).
  std::optional<StepMap> steps_map() {
    std::set<std::uint32_t> work;
    for (ComponentIndex c : swapped_) work.insert(steps_of_[c].begin(), steps_of_[c].end());
    StepMap out;
    std::size_t duplicates_seen = 0;
    bool ok = true;
    while (ok && !work.empty()) {
      const std::uint32_t i = *work.begin();
      work.erase(work.begin());
      if (duplicated_[i]) ++duplicates_seen;
      const auto same = step_index_.find(step_key(i, true));
      if (same == step_index_.end() || same->second.size() != 1) {
        ok = false;
        break;
      }
      const std::uint32_t image = same->second.front();
      if (image == i) continue;
      sigma_[i] = image;
      out.emplace_back(i, image);
      work.insert(dependents_[i].begin(), dependents_[i].end());
    }
    for (const auto& [step, image] : out) sigma_[step] = step;
    if (!ok || duplicates_seen != duplicates_) return std::nullopt;
    return out;
  }

  // Components a step is about: its move's participants, requirements and touched components, its wait.
  std::vector<ComponentIndex> step_components(std::uint32_t s) const {
    std::vector<ComponentIndex> out = wait_components_[s];
    if (steps_[s].move != kNoMove) {
      for (ComponentIndex c : mentioned(steps_[s].move)) out.push_back(c);
      for (ComponentIndex c : model_.touched(steps_[s].move)) out.push_back(c);
    }
    return out;
  }

  // Components a move mentions (participants and requirements).
  std::vector<ComponentIndex> mentioned(std::uint32_t m) const {
    const model::Move& move = *model_.moves()[m].move;
    std::vector<ComponentIndex> out;
    for (const model::Participant& p : move.participants) out.push_back(p.component);
    for (const model::Term& t : move.requires_) out.push_back(t.component);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  MoveKey move_key(std::uint32_t m, bool mapped) const {
    const model::Move& move = *model_.moves()[m].move;
    auto map = [&](ComponentIndex c) { return mapped ? image_[c] : c; };
    MoveKey key;
    std::get<0>(key) = static_cast<int>(move.move_class);
    for (const model::Participant& p : move.participants)
      std::get<1>(key).emplace_back(map(p.component), p.event, p.required, p.needs_host_up);
    for (const model::Term& t : move.requires_)
      std::get<2>(key).emplace_back(map(t.component), CodeSet{{static_cast<Word>(t.predicate), 0}}, t.negated);  // id as key
    std::sort(std::get<2>(key).begin(), std::get<2>(key).end());
    return key;
  }
  StepKey step_key(std::uint32_t s, bool mapped = false) const {
    const StepShape& step = steps_[s];
    StepKey key{step.has_wait, step.any, step.status.bits, step.move == kNoMove, MoveKey{}, {}, {}};
    if (step.move != kNoMove) std::get<4>(key) = move_key(step.move, mapped);
    for (std::size_t t = 0; t < step.wait.size(); ++t) {
      const ComponentIndex c = wait_components_[s][t];
      std::get<5>(key).emplace_back(mapped ? image_[c] : c, step.wait[t].codes, step.wait[t].negated);
    }
    std::sort(std::get<5>(key).begin(), std::get<5>(key).end());
    auto& deps = std::get<6>(key);
    for (std::uint32_t d : step.deps) deps.push_back(mapped ? sigma_[d] : d);
    std::sort(deps.begin(), deps.end());
    deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
    return key;
  }

  struct RuleTerm {
    ComponentIndex owner;
    std::uint32_t rule, term;
    auto operator<=>(const RuleTerm&) const = default;
  };

  const CompiledModel& model_;
  const model::System& system_;
  const std::vector<StepShape>& steps_;
  const Properties& properties_;
  const Word* initial_;
  std::vector<std::vector<ComponentIndex>> components_of_host_;
  std::vector<std::uint32_t> host_of_;  // per component: its host's index, or kNoHost (a cluster's)
  std::vector<std::vector<RuleTerm>> rule_terms_of_;               // per component: the rule terms on it
  std::vector<std::vector<std::uint32_t>> moves_of_;               // per component: environment and fault moves
  std::vector<std::vector<ComponentIndex>> clause_components_[2];  // per list (always, goal), clause, term
  std::vector<std::vector<std::uint32_t>> clauses_of_[2];          // per list, component
  std::vector<std::vector<std::uint32_t>> steps_of_;               // per component: steps whose move or wait mention it
  std::vector<std::vector<ComponentIndex>> wait_components_;       // per step, wait term
  std::vector<std::vector<std::uint32_t>> dependents_;             // per step
  std::map<StepKey, std::vector<std::uint32_t>> step_index_;
  std::vector<bool> duplicated_;  // another step has the same key
  std::size_t duplicates_ = 0;
  std::set<MoveKey> env_moves_;
  // Per test: the swap (identity outside it), the step map, marks of what was compared.
  std::vector<ComponentIndex> image_, swapped_;
  std::vector<std::uint32_t> sigma_;
  std::uint32_t stamp_ = 0;
  std::vector<std::uint32_t> rule_mark_, move_mark_, clause_mark_[2];
};

// Whether the blocks account for every step the swaps move: each swap of the
// first host with a member moves exactly the first host's steps and their
// images (the member's steps), and no step is in two blocks. Otherwise sorting
// the blocks would not be an automorphism (the group is then not used).
bool blocks_cover(const std::vector<std::uint32_t>& own, const std::vector<StepMap>& sigmas) {
  std::set<std::uint32_t> placed(own.begin(), own.end());
  for (std::size_t m = 1; m < sigmas.size(); ++m) {
    std::set<std::uint32_t> expected(own.begin(), own.end());
    for (std::uint32_t s : own) {
      const std::uint32_t image = image_in(sigmas[m], s);
      if (!expected.insert(image).second || !placed.insert(image).second) return false;
    }
    std::set<std::uint32_t> moved;
    for (const auto& [s, image] : sigmas[m]) moved.insert(s);
    if (moved != expected) return false;
  }
  return true;
}

}  // namespace

Symmetry::Symmetry(const CompiledModel& model, const std::vector<StepShape>& steps, const Properties& properties,
                   const Word* initial) {
  const model::System& system = model.system();
  const auto& hosts = system.topology().hosts;
  // Candidates: hosts with the same signature (roles, components, initial
  // values); a group is a first host and every host whose swap with it is an
  // automorphism (those swaps generate every permutation of the group).
  Automorphisms check(model, steps, properties, initial);
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_signature;
  std::vector<const std::vector<std::uint32_t>*> candidates(hosts.size());
  for (std::uint32_t h = 0; h < hosts.size(); ++h) by_signature[check.signature(h)].push_back(h);
  for (const auto& [signature, members] : by_signature)
    for (std::uint32_t h : members) candidates[h] = &members;
  std::vector<bool> taken(hosts.size(), false);
  for (std::uint32_t first = 0; first < hosts.size(); ++first) {
    if (taken[first]) continue;
    Group group;
    std::vector<StepMap> sigmas;  // per member: the steps the swap with first moves
    std::vector<std::uint32_t> member_index;
    for (std::uint32_t other : *candidates[first]) {
      if (other <= first || taken[other]) continue;
      auto sigma = check.automorphism(first, other);
      if (!sigma) continue;
      if (group.hosts.empty()) group.hosts.push_back(hosts[first].alias), sigmas.emplace_back(), member_index.push_back(first);
      group.hosts.push_back(hosts[other].alias);
      member_index.push_back(other);
      if (group.hosts.size() <= 64) sigmas.push_back(std::move(*sigma));
      taken[other] = true;
    }
    if (group.hosts.empty() || group.hosts.size() > 64) continue;
    // The first host's block: its components, then the steps that the swaps move.
    std::vector<ComponentIndex> own;
    for (ComponentIndex c : system.on_host(hosts[first].alias)) own.push_back(c);
    std::sort(own.begin(), own.end());
    const std::vector<std::uint32_t> own_steps = check.own_steps(first, member_index, sigmas[1]);
    if (!blocks_cover(own_steps, sigmas)) continue;
    unsigned bits = 0;
    for (std::size_t member = 0; member < group.hosts.size(); ++member) {
      std::vector<Field> block;
      for (ComponentIndex c : own) {
        const auto image = member == 0 ? std::optional<ComponentIndex>(c)
                                       : system.find(group.hosts[member] + "/" + system.component(c).name);
        block.push_back(model.field(*image));
      }
      for (std::uint32_t s : own_steps) block.push_back(steps[member == 0 ? s : image_in(sigmas[member], s)].status);
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
