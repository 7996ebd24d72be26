// Refinement from a counterexample: what the violating component reads from
// which hosts (System::fact_rules), turned into orders between hosts, peers
// serialized, operator commands for a stuck startup wait, or shutdown repairs
// tried from the action catalogue (planner_impl.hpp; the rounds: planner.cpp).
#include <algorithm>
#include <set>

#include "acdsim/model/actions.hpp"
#include "join.hpp"
#include "planner_impl.hpp"

namespace acdsim::planner::detail {

// ---- what reads what ----
std::string Planner::atom(const Term& t) const {
  const auto& spec = sys_.table(t.component).spec();
  return path_of(t.component) + (t.negated ? " not " : " ") + std::string(spec.predicates[t.predicate]);
}

// Some component of reader's kind on the read host reads reader's host back.
bool Planner::mutual(ComponentIndex reader, ComponentIndex read) const {
  const std::string home = host_of(reader), there = host_of(read);
  for (ComponentIndex z : sys_.on_host(there)) {
    if (sys_.kind(z) != sys_.kind(reader)) continue;
    for (const FactRule& r : sys_.fact_rules(z))
      for (const Term& t : r.terms)
        if (host_of(t.component) == home) return true;
  }
  return false;
}

std::vector<Term> Planner::external_terms(ComponentIndex c, const FactRule& rule) const {
  std::vector<Term> out;
  for (const Term& t : rule.terms)
    if (host_of(t.component) != host_of(c)) out.push_back(t);
  return out;
}

bool Planner::read_is_mutual(ComponentIndex c, const std::vector<Term>& ext) const {
  return std::any_of(ext.begin(), ext.end(), [&](const Term& t) { return mutual(c, t.component); });
}

std::string Planner::fact_text(ComponentIndex c, std::size_t bit, const FactRule& rule, const std::vector<Term>& ext) const {
  std::string s = path_of(c) + " reads " + std::string(sys_.table(c).spec().facts[bit]) + " = ";
  if (ext.size() > 1 || rule.mode == FactRule::Mode::None)
    s += rule.mode == FactRule::Mode::Any ? "any of " : rule.mode == FactRule::Mode::None ? "none of " : "all of ";
  for (std::size_t i = 0; i < ext.size(); ++i) s += (i ? ", " : "") + atom(ext[i]);
  return s;
}

// ---- the order between hosts ----
bool Planner::depends(const std::string& a, const std::string& b, std::set<std::string>& seen) const {
  if (a == b) return true;
  if (!seen.insert(a).second) return false;
  for (const Need& n : needs_)
    if (n.dependent == a)
      for (const std::string& p : n.providers)
        if (depends(p, b, seen)) return true;
  return false;
}

bool Planner::would_cycle(const Need& n) const {
  for (const std::string& p : n.providers) {
    std::set<std::string> seen;
    if (depends(p, n.dependent, seen)) return true;
  }
  return false;
}

bool Planner::known(const Need& n) const {
  return std::any_of(needs_.begin(), needs_.end(), [&](const Need& m) {
    return m.dependent == n.dependent && m.atoms == n.atoms && m.any == n.any;
  });
}

Need Planner::need_of(ComponentIndex c, std::size_t bit, const FactRule& rule, const std::vector<Term>& ext,
                      const std::string& invariant) const {
  Need n;
  n.dependent = host_of(c);
  n.any = rule.mode == FactRule::Mode::Any;
  for (Term t : ext) {
    if (rule.mode == FactRule::Mode::None) t.negated = !t.negated;
    n.atoms.push_back(atom(t));
    n.terms.push_back(t);
    n.providers.push_back(host_of(t.component));
  }
  std::sort(n.providers.begin(), n.providers.end());
  n.providers.erase(std::unique(n.providers.begin(), n.providers.end()), n.providers.end());
  n.invariant = invariant;
  n.because = fact_text(c, bit, rule, ext);
  return n;
}

// ---- refinement from a counterexample ----
std::vector<ComponentIndex> Planner::subject_components(const std::string& subject) const {
  std::vector<ComponentIndex> out;
  std::size_t from = 0;
  while (from <= subject.size()) {
    std::size_t to = subject.find(" + ", from);
    if (to == std::string::npos) to = subject.size();
    if (auto c = sys_.find(subject.substr(from, to - from))) out.push_back(*c);
    from = to + 3;
  }
  return out;
}

std::string Planner::refine(const checker::Violation& v) {
  const std::string id(v.spec->id);
  const std::string key = id + " at " + v.subject;
  if (trial_ && trial_->key == key) return retry_trial();
  if (id == "procedure.stuck" && kind_ == Kind::Startup) return add_commands(v);
  if (trial_) {  // the repair removed its violation: keep it
    for (PreStep& p : pre_) p.on_trial = false;
    trial_.reset();
  }
  const std::vector<ComponentIndex> comps = subject_components(v.subject);
  if (comps.empty()) return "";
  if (comps.size() >= 2 && sys_.kind(comps[0]) == sys_.kind(comps[1]) && mutual(comps[0], comps[1]))
    return serialize(comps[0], id);

  // What the component (and, through them, its own host's components) reads from other hosts.
  std::vector<ComponentIndex> local{comps[0]};
  std::vector<std::pair<ComponentIndex, std::size_t>> reads, mutual_reads;
  for (std::size_t i = 0; i < local.size(); ++i) {
    const ComponentIndex x = local[i];
    const auto& rules = sys_.fact_rules(x);
    for (std::size_t bit = 0; bit < rules.size(); ++bit) {
      for (const Term& t : rules[bit].terms)
        if (host_of(t.component) == host_of(x) && std::find(local.begin(), local.end(), t.component) == local.end())
          local.push_back(t.component);
      const auto ext = external_terms(x, rules[bit]);
      if (ext.empty()) continue;
      (read_is_mutual(x, ext) ? mutual_reads : reads).emplace_back(x, bit);
    }
  }
  // Order every component of the same kind by the same fact (the topology's
  // other instances have the same need); mutual reads are peers, not orders.
  std::vector<std::string> added;
  for (const auto& [x, bit] : reads)
    for (ComponentIndex z = 0; z < sys_.size(); ++z) {
      if (sys_.kind(z) != sys_.kind(x)) continue;
      const auto& rules = sys_.fact_rules(z);
      if (bit >= rules.size()) continue;
      const auto ext = external_terms(z, rules[bit]);
      if (ext.empty() || read_is_mutual(z, ext)) continue;
      Need n = need_of(z, bit, rules[bit], ext, id);
      if (known(n) || would_cycle(n)) continue;
      added.push_back(n.dependent + (kind_ == Kind::Startup ? " after " : " before ") + join(n.providers));
      needs_.push_back(std::move(n));
    }
  if (!added.empty()) return "ordered " + join(added, "; ");
  if (kind_ == Kind::Shutdown && !mutual_reads.empty()) return start_trial(key, mutual_reads, id);
  return "";
}

// Peers of one kind that read each other: the first (in topology order)
// goes alone, the others wait for what they read of it.
std::string Planner::serialize(ComponentIndex seed, const std::string& invariant) {
  std::vector<ComponentIndex> group{seed};
  for (std::size_t i = 0; i < group.size(); ++i)
    for (const FactRule& r : sys_.fact_rules(group[i]))
      for (const Term& t : r.terms)
        if (sys_.kind(t.component) == sys_.kind(seed) && host_of(t.component) != host_of(group[i]) &&
            std::find(group.begin(), group.end(), t.component) == group.end())
          group.push_back(t.component);
  const ComponentIndex first = *std::min_element(group.begin(), group.end(), [&](ComponentIndex a, ComponentIndex b) {
    return host_rank_.at(host_of(a)) < host_rank_.at(host_of(b));
  });
  std::vector<std::string> added;
  for (ComponentIndex m : group) {
    if (m == first) continue;
    const auto& rules = sys_.fact_rules(m);
    for (std::size_t bit = 0; bit < rules.size(); ++bit) {
      std::vector<Term> on_first;
      for (const Term& t : rules[bit].terms)
        if (t.component == first && !t.negated) on_first.push_back(t);
      if (on_first.empty()) continue;
      Need n = need_of(m, bit, rules[bit], on_first, invariant);
      n.any = false;
      n.because = "peers " + path_of(first) + " and " + path_of(m) + " read each other; " + n.because +
                  " (serialized: " + host_of(first) + " first)";
      if (!known(n) && !would_cycle(n)) {
        added.push_back(n.dependent);
        needs_.push_back(std::move(n));
      }
      break;
    }
  }
  if (added.empty()) return "";
  return "serialized " + host_of(first) + " before " + join(added);
}

// A startup wait that booting its providers never satisfies (the stack is
// started by hand): the fewest operator commands on the providers that do,
// found by searching the model from the state the procedure got stuck in.
std::string Planner::add_commands(const checker::Violation& v) {
  const std::string step = v.detail.substr(0, v.detail.find(": "));
  const auto it = std::find_if(need_check_.begin(), need_check_.end(), [&](const auto& e) { return e.second == step; });
  if (it == need_check_.end()) return "";
  const std::size_t need = it->first;
  if (std::any_of(commands_.begin(), commands_.end(), [&](const Commands& c) { return c.need == need; })) return "";
  const Need& n = needs_[need];
  const model::Snapshot stuck = state_after(sys_, sys_.all_off(), v.trace);
  const StatePredicate healthy = healthy_on(sys_, n.providers);
  auto goal = [&](const model::Snapshot& s) {
    auto holds = [&](const Term& t) { return sys_.holds(s, t); };
    const bool waited = n.any ? std::any_of(n.terms.begin(), n.terms.end(), holds)
                              : std::all_of(n.terms.begin(), n.terms.end(), holds);
    return waited && healthy(s);
  };
  if (!violates_) violates_ = violates_an_invariant(sys_);
  auto path = operator_path(sys_, stuck, n.providers, goal, violates_);
  if (!path || path->empty()) return "";
  Commands c{need, std::move(*path), ""};
  std::vector<std::string> cmds;
  for (const OperatorCommand& oc : c.commands) cmds.push_back(oc.action + " " + oc.target);
  c.because = step + " waits for " + (n.any && n.atoms.size() > 1 ? "any of " : "") + join(n.atoms) +
              ", which booting " + join(n.providers) + " never brings (stuck); the fewest commands that do, each "
              "once the previous one settled, without violating an invariant: " + join(cmds, "; ");
  commands_.push_back(std::move(c));
  return "operator commands before " + step + ": " + join(cmds, "; ");
}

std::string Planner::start_trial(const std::string& key, const std::vector<std::pair<ComponentIndex, std::size_t>>& reads,
                                 const std::string& invariant) {
  Trial t;
  t.key = key;
  t.invariant = invariant;
  const model::KindId kind = sys_.kind(reads.front().first);
  // The peers of the offending component read each other: act on every one
  // of that kind whose read is mutual.
  std::set<std::string> hosts;
  for (const auto& [x, bit] : reads) {
    hosts.insert(host_of(x));
    for (const Term& term : external_terms(x, sys_.fact_rules(x)[bit])) hosts.insert(host_of(term.component));
  }
  for (ComponentIndex z = 0; z < sys_.size(); ++z) {
    if (sys_.kind(z) != kind || !hosts.count(host_of(z))) continue;
    for (const FactRule& r : sys_.fact_rules(z)) {
      const auto ext = external_terms(z, r);
      if (!ext.empty() && read_is_mutual(z, ext) &&
          std::all_of(ext.begin(), ext.end(), [&](const Term& e) { return hosts.count(host_of(e.component)) > 0; })) {
        t.targets.push_back(z);
        break;
      }
    }
  }
  t.gates.assign(hosts.begin(), hosts.end());
  for (const model::ActionSpec& a : model::all_actions())
    if (a.target == model::TargetType::Component && a.kind == kind) t.actions_left.emplace_back(a.name);
  std::reverse(t.actions_left.begin(), t.actions_left.end());  // tried in catalogue order (popped from the back)
  t.because = "peers " + join(t.gates) + " read each other (" + std::string(sys_.table(t.targets.front()).spec().name) +
              "): no order of their shutdowns avoids it";
  trial_ = std::move(t);
  return retry_trial();
}

std::string Planner::retry_trial() {
  pre_.erase(std::remove_if(pre_.begin(), pre_.end(), [](const PreStep& p) { return p.on_trial; }), pre_.end());
  if (trial_->actions_left.empty()) {
    trial_.reset();
    return "";
  }
  const std::string action = trial_->actions_left.back();
  trial_->actions_left.pop_back();
  std::vector<std::string> ids;
  for (ComponentIndex z : trial_->targets) {
    PreStep p;
    p.action = action;
    p.target = path_of(z);
    p.host = host_of(z);
    p.id = action + "-" + sanitize(p.target);
    p.gates = trial_->gates;
    p.invariant = trial_->invariant;
    p.because = trial_->because;
    p.on_trial = true;
    ids.push_back(p.id);
    pre_.push_back(std::move(p));
  }
  return "trying " + action + " on " + join(ids) + " before " + join(trial_->gates) + " stop";
}

}  // namespace acdsim::planner::detail
