// Counterexample-guided planning. The first candidate runs every host at
// once; each round the checker either proves the candidate safe or returns a
// shortest counterexample, whose invariant names a component. The component's
// fact rules (System::fact_rules: what its guards read, and from which hosts)
// say what it was missing; the planner orders every component of that kind
// after (startup) or before (shutdown) what it reads, with a wait on exactly
// the terms it reads. Peers that read each other (Hazelcast members, the
// master-master pair) cannot be ordered that way: a startup serializes the
// first of them, a shutdown tries the component's own operator actions
// (e.g. STOP SLAVE) before the peers stop. A startup wait that booting never
// satisfies (a storage started by hand: procedure.stuck) gets the fewest
// catalogue commands that do, searched in the model (operator_path.hpp).
// Nothing here names a role.
#include "acdsim/planner/planner.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "acdsim/model/actions.hpp"
#include "acdsim/model/kinds.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/system.hpp"
#include "join.hpp"
#include "operator_path.hpp"
#include "timeouts.hpp"

namespace acdsim::planner {

std::optional<Kind> kind_by_name(std::string_view name) {
  if (name == "startup") return Kind::Startup;
  if (name == "shutdown") return Kind::Shutdown;
  return std::nullopt;
}

std::string_view to_string(Kind kind) { return kind == Kind::Startup ? "startup" : "shutdown"; }

namespace {

using model::ComponentIndex;
using model::FactRule;
using model::Term;

// A host that must wait for what it reads (startup), or stop before it (shutdown).
struct Need {
  std::string dependent;
  std::vector<std::string> providers;  // sorted, unique
  bool any = false;                    // the fact holds when any atom does
  std::vector<std::string> atoms;      // "acd-store/samba running"
  std::vector<Term> terms;             // the atoms as model terms
  std::string invariant, because;
};

// An extra operator action before some hosts stop (shutdown repairs).
struct PreStep {
  std::string id, action, target, host;  // host: where the target lives
  std::vector<std::string> gates;        // hosts whose step comes after it
  std::string invariant, because;
  bool on_trial = false;                 // removed again if its violation comes back
};

// Operator commands a startup wait needs (booting its providers is not enough).
struct Commands {
  std::size_t need;                       // index in needs_: the wait they lead to
  std::vector<OperatorCommand> commands;  // in order, each issued after the previous
  std::string because;
};

// A repair under trial: if the same violation comes back, the next action is tried.
struct Trial {
  std::string key;                        // invariant + subject it should remove
  std::vector<std::string> actions_left;  // candidates not tried yet
  std::vector<ComponentIndex> targets;
  std::vector<std::string> gates;
  std::string invariant, because;
};

std::string sanitize(std::string s) {
  for (char& ch : s)
    if (ch == '/') ch = ':';
  return s;
}

class Planner {
 public:
  Planner(const model::Topology& topology, Kind kind, const Options& options)
      : topo_(topology), sys_(topology), kind_(kind), opt_(options) {
    for (std::size_t i = 0; i < topo_.hosts.size(); ++i) host_rank_[topo_.hosts[i].alias] = i;
  }

  Plan run() {
    Plan out;
    for (unsigned round = 1; round <= opt_.max_rounds; ++round) {
      out.procedure = emit(out);
      out.last = check(out.procedure);
      if (out.last.verdict == checker::Verdict::Safe) {
        out.safe = true;
        note(out, "round " + std::to_string(round) + ": SAFE (" + std::to_string(out.last.states) + " states)");
        drop_unneeded_waits(out);
        add_timeouts(out);
        return out;
      }
      if (out.last.verdict == checker::Verdict::Incomplete) {
        // Too many interleavings to prove: constrain the plan step by step, as
        // the seed's priority table does, and prove that instead.
        static const char* const kStartup[] = {
            "each layer now waits until the previous layer is up",
            "each layer now waits until the previous layer's services are healthy (settled)",
            "within each layer, alike hosts now start together, each group once the previous one is up and its own services healthy",
            "within each layer, each host now starts once the previous one is up and its own services healthy"};
        static const char* const kShutdown[] = {"each layer now waits until the previous layer is off",
                                                "within each layer, each host now waits until the previous one is off"};
        const std::size_t stages = kind_ == Kind::Startup ? 4 : 2;
        if (stage_ < stages) {
          note(out, "round " + std::to_string(round) + ": not proven (" + out.last.incomplete_reason + ") -> " +
                        (kind_ == Kind::Startup ? kStartup : kShutdown)[stage_]);
          ++stage_;
          continue;
        }
        out.failure = "the checker could not finish, even with one host at a time: " + out.last.incomplete_reason;
        return out;
      }
      const checker::Violation& v = *out.last.violation;
      const std::string found = std::string(v.spec->id) + " at " + v.subject;
      std::string did = refine(v);
      note(out, "round " + std::to_string(round) + ": " + found + " -> " + (did.empty() ? "no refinement left" : did));
      if (did.empty()) {
        out.failure = "cannot remove " + found + (v.detail.empty() ? "" : " (" + v.detail + ")") +
                      ": no ordering, serialization or operator action of the component's kind removes it";
        return out;
      }
    }
    out.failure = "no safe plan within " + std::to_string(opt_.max_rounds) + " rounds";
    return out;
  }

 private:
  void note(Plan& plan, std::string line) const {
    if (opt_.on_round) opt_.on_round(line);
    plan.rounds.push_back(std::move(line));
  }

  // ---- what reads what ----
  std::string host_of(ComponentIndex c) const { return sys_.component(c).host; }

  // Conditions that hold once a started host's services settled: the startup
  // goal's health terms a host reaches by itself (the VM as "<host> up").
  std::vector<std::string> healthy_atoms(const std::string& host) const {
    std::vector<std::string> out{host + " up"};
    for (ComponentIndex c : sys_.on_host(host)) {
      if (sys_.kind(c) == model::KindId::Vm) continue;
      const auto& preds = sys_.table(c).spec().predicates;
      for (const model::HealthTerm& h : model::health_terms(sys_.kind(c)))
        if (h.scope == model::HealthScope::Settles && h.holds) out.push_back(path_of(c) + " " + std::string(preds[h.predicate]));
    }
    return out;
  }
  // The healthy atoms of a host that it reaches with only `started` hosts
  // running: a component that reads a host not started yet (a DRBD or
  // pacemaker peer, a Hazelcast member later in the layer) is left out, its
  // health may need that host.
  std::vector<std::string> settled_atoms(const std::string& host, const std::set<std::string>& started) const {
    std::vector<std::string> out{host + " up"};
    for (ComponentIndex c : sys_.on_host(host)) {
      if (sys_.kind(c) == model::KindId::Vm) continue;
      const auto& rules = sys_.fact_rules(c);
      const bool reads_later = std::any_of(rules.begin(), rules.end(), [&](const FactRule& r) {
        return std::any_of(r.terms.begin(), r.terms.end(), [&](const Term& t) { return !started.count(host_of(t.component)); });
      });
      if (reads_later) continue;
      const auto& preds = sys_.table(c).spec().predicates;
      for (const model::HealthTerm& h : model::health_terms(sys_.kind(c)))
        if (h.scope == model::HealthScope::Settles && h.holds) out.push_back(path_of(c) + " " + std::string(preds[h.predicate]));
    }
    return out;
  }
  // The readiness check's atoms for a host: its goal.healthy terms that hold
  // when everything is up (peers included: a router with backends routes, a
  // DRBD disk is linked); operator-only terms (no ban) are not a wait.
  std::vector<std::string> ready_atoms(const std::string& host) const {
    std::vector<std::string> out{host + " up"};
    for (ComponentIndex c : sys_.on_host(host)) {
      const auto kind = sys_.kind(c);
      if (kind == model::KindId::Vm) continue;
      if (kind == model::KindId::Router &&
          std::none_of(topo_.pools.begin(), topo_.pools.end(), [&](const auto& p) { return p.router == host && !p.backends.empty(); }))
        continue;  // nothing to route to (as the checker's goal)
      const auto& preds = sys_.table(c).spec().predicates;
      for (const model::HealthTerm& h : model::health_terms(kind))
        if (h.scope != model::HealthScope::Operator && h.holds) out.push_back(path_of(c) + " " + std::string(preds[h.predicate]));
    }
    return out;
  }
  std::string path_of(ComponentIndex c) const { return sys_.component(c).path(); }

  std::string atom(const Term& t) const {
    const auto& spec = sys_.table(t.component).spec();
    return path_of(t.component) + (t.negated ? " not " : " ") + std::string(spec.predicates[t.predicate]);
  }

  // Some component of reader's kind on the read host reads reader's host back.
  bool mutual(ComponentIndex reader, ComponentIndex read) const {
    const std::string home = host_of(reader), there = host_of(read);
    for (ComponentIndex z : sys_.on_host(there)) {
      if (sys_.kind(z) != sys_.kind(reader)) continue;
      for (const FactRule& r : sys_.fact_rules(z))
        for (const Term& t : r.terms)
          if (host_of(t.component) == home) return true;
    }
    return false;
  }

  std::vector<Term> external_terms(ComponentIndex c, const FactRule& rule) const {
    std::vector<Term> out;
    for (const Term& t : rule.terms)
      if (host_of(t.component) != host_of(c)) out.push_back(t);
    return out;
  }

  bool read_is_mutual(ComponentIndex c, const std::vector<Term>& ext) const {
    return std::any_of(ext.begin(), ext.end(), [&](const Term& t) { return mutual(c, t.component); });
  }

  std::string fact_text(ComponentIndex c, std::size_t bit, const FactRule& rule, const std::vector<Term>& ext) const {
    std::string s = path_of(c) + " reads " + std::string(sys_.table(c).spec().facts[bit]) + " = ";
    if (ext.size() > 1 || rule.mode == FactRule::Mode::None)
      s += rule.mode == FactRule::Mode::Any ? "any of " : rule.mode == FactRule::Mode::None ? "none of " : "all of ";
    for (std::size_t i = 0; i < ext.size(); ++i) s += (i ? ", " : "") + atom(ext[i]);
    return s;
  }

  // ---- the order between hosts ----
  bool depends(const std::string& a, const std::string& b, std::set<std::string>& seen) const {
    if (a == b) return true;
    if (!seen.insert(a).second) return false;
    for (const Need& n : needs_)
      if (n.dependent == a)
        for (const std::string& p : n.providers)
          if (depends(p, b, seen)) return true;
    return false;
  }
  bool would_cycle(const Need& n) const {
    for (const std::string& p : n.providers) {
      std::set<std::string> seen;
      if (depends(p, n.dependent, seen)) return true;
    }
    return false;
  }
  bool known(const Need& n) const {
    return std::any_of(needs_.begin(), needs_.end(), [&](const Need& m) {
      return m.dependent == n.dependent && m.atoms == n.atoms && m.any == n.any;
    });
  }

  Need need_of(ComponentIndex c, std::size_t bit, const FactRule& rule, const std::vector<Term>& ext,
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
  std::vector<ComponentIndex> subject_components(const std::string& subject) const {
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

  std::string refine(const checker::Violation& v) {
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
  std::string serialize(ComponentIndex seed, const std::string& invariant) {
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
  std::string add_commands(const checker::Violation& v) {
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

  std::string start_trial(const std::string& key, const std::vector<std::pair<ComponentIndex, std::size_t>>& reads,
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

  std::string retry_trial() {
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

  // ---- the procedure file ----
  nlohmann::ordered_json emit(Plan& plan) {
    const bool up = kind_ == Kind::Startup;
    // Layers: startup after providers, shutdown after dependents.
    std::map<std::string, unsigned> layer;
    std::function<unsigned(const std::string&)> layer_of = [&](const std::string& h) -> unsigned {
      if (auto it = layer.find(h); it != layer.end()) return it->second;
      unsigned l = 0;
      for (const Need& n : needs_) {
        if (up && n.dependent == h)
          for (const std::string& p : n.providers) l = std::max(l, layer_of(p) + 1);
        if (!up && std::find(n.providers.begin(), n.providers.end(), h) != n.providers.end())
          l = std::max(l, layer_of(n.dependent) + 1);
      }
      return layer[h] = l;
    };
    plan.layers.clear();
    for (const model::Host& h : topo_.hosts) {
      const unsigned l = layer_of(h.alias);
      if (plan.layers.size() <= l) plan.layers.resize(l + 1);
      plan.layers[l].push_back(h.alias);
    }

    struct Item {
      nlohmann::ordered_json step;
      std::vector<std::string> after;
      double order;
    };
    std::map<std::string, Item> items;
    std::vector<std::string> ids;
    auto add = [&](const std::string& id, nlohmann::ordered_json step, double order) {
      items[id] = Item{std::move(step), {}, order};
      ids.push_back(id);
    };
    auto host_step = [&](const std::string& h) { return (up ? "on-" : "off-") + h; };
    for (const model::Host& h : topo_.hosts) {
      nlohmann::ordered_json s;
      s["id"] = host_step(h.alias);
      s["action"] = up ? "power_on" : "shutdown";
      s["target"] = h.alias;
      add(host_step(h.alias), s, layer.at(h.alias) + host_rank_.at(h.alias) * 1e-3);
    }
    plan.reasons.clear();
    if (up) {
      std::map<std::string, std::string> check_ids;  // condition text -> step id
      need_check_.clear();
      for (std::size_t ni = 0; ni < needs_.size(); ++ni) {
        const Need& n = needs_[ni];
        const std::string cond = (n.any ? "any:" : "all:") + join(n.atoms, "|");
        auto [it, fresh] = check_ids.emplace(cond, "ready-" + sanitize(n.atoms.front().substr(0, n.atoms.front().find(' '))));
        if (fresh) {
          std::string id = it->second;
          for (int k = 2; items.count(id); ++k) id = it->second + "-" + std::to_string(k);
          it->second = id;
          nlohmann::ordered_json s;
          s["id"] = id;
          s["action"] = "check";
          if (n.atoms.size() == 1) s["wait"] = n.atoms.front();
          else if (n.any) s["wait"] = {{"any", n.atoms}};
          else s["wait"] = n.atoms;
          s["note"] = "needed by " + n.invariant + ": " + n.because;
          unsigned l = 0;
          for (const std::string& p : n.providers) l = std::max(l, layer.at(p));
          add(id, s, l + 0.5);
          for (const std::string& p : n.providers) items[id].after.push_back(host_step(p));
        }
        items[host_step(n.dependent)].after.push_back(it->second);
        need_check_[ni] = it->second;
        plan.reasons.push_back({host_step(n.dependent), n.dependent + " waits for " + (n.any && n.atoms.size() > 1 ? "any of " : "") + join(n.atoms),
                                n.invariant, n.because});
      }
      for (const Commands& c : commands_) {
        const Need& n = needs_[c.need];
        unsigned l = 0;
        for (const std::string& p : n.providers) l = std::max(l, layer.at(p));
        std::string previous;
        for (std::size_t k = 0; k < c.commands.size(); ++k) {
          const OperatorCommand& oc = c.commands[k];
          std::string id = oc.action + "-" + sanitize(oc.target);
          for (int i = 2; items.count(id); ++i) id = oc.action + "-" + sanitize(oc.target) + "-" + std::to_string(i);
          // A step's wait follows its command: the state it needs is a check before it.
          const std::string check = "before-" + id;
          nlohmann::ordered_json w;
          w["id"] = check;
          w["action"] = "check";
          w["wait"] = oc.wait;
          w["note"] = "the settled state " + oc.action + " " + oc.target + " is issued in";
          add(check, w, l + 0.3 + 0.01 * static_cast<double>(k));
          if (previous.empty())
            for (const std::string& p : n.providers) items[check].after.push_back(host_step(p));
          else
            items[check].after.push_back(previous);
          nlohmann::ordered_json s;
          s["id"] = id;
          s["action"] = oc.action;
          s["target"] = oc.target;
          s["note"] = "needed by procedure.stuck: " + c.because;
          add(id, s, l + 0.3 + 0.01 * static_cast<double>(k) + 0.005);
          items[id].after.push_back(check);
          plan.reasons.push_back({id, oc.action + " " + oc.target + " once the state before it settled", "procedure.stuck",
                                  c.because});
          previous = id;
        }
        if (!previous.empty()) items[need_check_.at(c.need)].after.push_back(previous);
      }
    } else {
      std::set<std::string> awaited;
      for (const Need& n : needs_) {
        for (const std::string& p : n.providers) items[host_step(p)].after.push_back(host_step(n.dependent));
        awaited.insert(n.dependent);
        plan.reasons.push_back({host_step(n.dependent), join(n.providers) + " stop after " + n.dependent,
                                n.invariant, n.because});
      }
      for (const std::string& h : awaited) items[host_step(h)].step["wait"] = h + " off";
      for (const PreStep& p : pre_) {
        nlohmann::ordered_json s;
        s["id"] = p.id;
        s["action"] = p.action;
        s["target"] = p.target;
        const std::string& inv = p.invariant;
        s["note"] = "needed by " + inv + ": " + p.because;
        std::vector<std::string> after = items[host_step(p.host)].after;
        add(p.id, s, layer.at(p.host) - 0.25);
        items[p.id].after = after;
        for (const std::string& g : p.gates) items[host_step(g)].after.push_back(p.id);
        plan.reasons.push_back({p.id, p.action + " " + p.target + " before " + join(p.gates) + " stop", inv, p.because});
      }
    }

    const bool settled = up && stage_ >= 2;  // startup: barriers wait for healthy services
    const bool sequential = up ? stage_ >= 3 : stage_ >= 2;
    if (stage_ >= 1) {
      for (std::size_t l = 1; l < plan.layers.size(); ++l) {
        const std::string id = "layer-" + std::to_string(l) + "-" + (up ? "up" : "off");
        nlohmann::ordered_json s;
        s["id"] = id;
        s["action"] = "check";
        nlohmann::ordered_json atoms = nlohmann::ordered_json::array();
        for (const std::string& h : plan.layers[l - 1]) {
          if (settled)
            for (const std::string& a : healthy_atoms(h)) atoms.push_back(a);
          else
            atoms.push_back(h + (up ? " up" : " off"));
        }
        s["wait"] = atoms;
        s["note"] = "layer " + std::to_string(l + 1) + " starts when layer " + std::to_string(l) + " is " +
                    (settled ? "up and its services healthy" : "complete") +
                    " (a less constrained plan has too many interleavings to prove)";
        add(id, s, l - 0.1);
        for (const std::string& h : plan.layers[l - 1]) items[id].after.push_back(host_step(h));
        for (const std::string& h : plan.layers[l]) items[host_step(h)].after.push_back(id);
      }
    }
    if (sequential) {
      // Startup, stage 3: alike hosts (the same kinds of components) start
      // together, one such group after the other (symmetry keeps a group of
      // alike hosts cheap to check); stage 4 and shutdown: one host at a time.
      const bool grouped = up && stage_ == 3;
      std::set<std::string> started;  // startup: hosts started before (and with) the ones waited for
      for (std::size_t l = 0; l < plan.layers.size(); ++l) {
        if (l > 0) started.insert(plan.layers[l - 1].begin(), plan.layers[l - 1].end());
        std::vector<std::vector<std::string>> groups;
        std::map<std::vector<model::KindId>, std::size_t> group_of;
        for (const std::string& h : plan.layers[l]) {
          std::vector<model::KindId> kinds;
          for (ComponentIndex c : sys_.on_host(h)) kinds.push_back(sys_.kind(c));
          std::sort(kinds.begin(), kinds.end());
          const std::size_t g = grouped ? group_of.emplace(kinds, groups.size()).first->second : groups.size();
          if (g == groups.size()) groups.emplace_back();
          groups[g].push_back(h);
        }
        std::vector<std::string> in_layer;  // hosts of this layer started so far
        std::set<std::string> awaited;      // atoms an earlier wait of this layer already has
        for (std::size_t i = 1; i < groups.size(); ++i) {
          const std::vector<std::string>& before = groups[i - 1];
          started.insert(before.begin(), before.end());
          in_layer.insert(in_layer.end(), before.begin(), before.end());
          // Startup: the previous hosts' own services settled, not only their
          // VMs up (their services' moves would interleave with the next boot);
          // a term left out earlier for a peer not started yet is waited for
          // once the peer has started.
          nlohmann::ordered_json waited = nlohmann::ordered_json::array();
          bool healthy = false;
          for (const std::string& b : up ? in_layer : before) {
            const std::vector<std::string> atoms = up ? settled_atoms(b, started) : std::vector<std::string>{b + " off"};
            for (const std::string& a : atoms)
              if (awaited.insert(a).second || std::find(before.begin(), before.end(), b) != before.end()) {
                waited.push_back(a);
                healthy = healthy || a != b + " up";
              }
          }
          const std::string state = up ? (healthy ? "healthy" : "up") : "off";
          const std::string id = "after-" + before.back() + "-" + state;
          const std::string subject = before.size() == 1 ? before.front() + " is " : join(before) + " are ";
          nlohmann::ordered_json s;
          s["id"] = id;
          s["action"] = "check";
          s["wait"] = waited;
          s["note"] = join(groups[i]) + (groups[i].size() == 1 ? " starts" : " start") + " when " + subject +
                      (healthy ? (before.size() == 1 ? "up and its services healthy" : "up and their services healthy") : state) +
                      (grouped ? " (alike hosts together, one group at a time: the layered plan has too many interleavings to prove)"
                               : " (one host at a time: the layered plan has too many interleavings to prove)");
          if (!up)  // one host a group
            s["note"] = groups[i].front() + " starts when " + before.front() +
                        " is off (one host at a time: the layered plan has too many interleavings to prove)";
          add(id, s, l + 0.05 * static_cast<double>(i));
          for (const std::string& b : before) items[id].after.push_back(host_step(b));
          for (const std::string& h : groups[i]) items[host_step(h)].after.push_back(id);
        }
      }
    }

    // The readiness check: the procedure is over when its goal holds (every
    // host up and its services healthy / every host off), not when the last
    // command is sent; the operator confirms it (and its timeout bounds it).
    {
      nlohmann::ordered_json s;
      const std::string id = up ? "service-ready" : "all-off";
      s["id"] = id;
      s["action"] = "check";
      nlohmann::ordered_json atoms = nlohmann::ordered_json::array();
      for (const model::Host& h : topo_.hosts) {
        if (!up) atoms.push_back(h.alias + " off");
        else
          for (const std::string& a : ready_atoms(h.alias)) atoms.push_back(a);
      }
      s["wait"] = atoms;
      s["note"] = up ? "readiness check: every host up and its services healthy (service is back)" : "every host is off";
      add(id, s, static_cast<double>(plan.layers.size()) + 1);
      for (const model::Host& h : topo_.hosts) items[id].after.push_back(host_step(h.alias));
    }

    // Written in dependency order (the format wants dependencies earlier in the file).
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    std::set<std::string> done;
    while (done.size() < ids.size()) {
      const std::string* best = nullptr;
      for (const std::string& id : ids) {
        if (done.count(id)) continue;
        const Item& it = items[id];
        if (!std::all_of(it.after.begin(), it.after.end(), [&](const std::string& a) { return done.count(a) > 0; }))
          continue;
        if (!best || it.order < items[*best].order) best = &id;
      }
      if (!best) throw std::logic_error("planner: dependency cycle among planned steps");
      Item& it = items[*best];
      std::vector<std::string> after = it.after;
      std::sort(after.begin(), after.end());
      after.erase(std::unique(after.begin(), after.end()), after.end());
      nlohmann::ordered_json s;
      for (auto& [k, val] : it.step.items()) {
        if (k == "wait" || k == "note") continue;
        s[k] = val;
      }
      if (!after.empty()) s["after"] = after;
      if (it.step.contains("wait")) s["wait"] = it.step["wait"];
      if (it.step.contains("note")) s["note"] = it.step["note"];
      steps.push_back(s);
      done.insert(*best);
    }

    nlohmann::ordered_json j;
    j["format"] = "acdsim-procedure/1";
    j["name"] = topo_.name + " " + std::string(to_string(kind_)) + " (planned)";
    j["description"] = "Planned by acdsim plan from the model's dependencies (fact rules of the components), "
                       "refined by the checker's counterexamples until proven safe.";
    j["kind"] = to_string(kind_);
    j["topology"] = opt_.topology_reference.empty() ? topo_.name + ".json" : opt_.topology_reference;
    nlohmann::ordered_json readings = nlohmann::ordered_json::array();
    for (std::size_t l = 0; l < plan.layers.size(); ++l)
      readings.push_back("layer " + std::to_string(l + 1) + ": " + join(plan.layers[l]));
    for (const Reason& r : plan.reasons) readings.push_back(r.what + " [" + r.invariant + "]: " + r.because);
    j["readings"] = readings;
    j["steps"] = steps;
    return j;
  }

  // A host step's wait ("X off") that the proof does not need goes: the
  // order of issuing is then enough. Check steps keep theirs (a check is a wait).
  void drop_unneeded_waits(Plan& plan) const {
    auto& steps = plan.procedure["steps"];
    for (auto& step : steps) {
      if (!step.contains("wait") || step["action"] == "check") continue;
      nlohmann::ordered_json wait = step["wait"];
      step.erase("wait");
      checker::Result r = check(plan.procedure);
      if (r.verdict == checker::Verdict::Safe) {
        note(plan, "dropped the wait of " + step["id"].get<std::string>() + ": SAFE without it (" +
                       std::to_string(r.states) + " states)");
        plan.last = std::move(r);
      } else {
        step["wait"] = std::move(wait);
      }
    }
  }

  void add_timeouts(Plan& plan) const {
    note(plan, "timeouts: every wait " + timeouts_from_simulation(plan.procedure, topo_));
  }

  checker::Result check(const nlohmann::ordered_json& procedure) const {
    model::Procedure p = model::parse_procedure(procedure.dump(), "<planned procedure>", topo_);
    checker::Options o = opt_.check;
    for (const std::string& s : topo_.accepts)
      if (auto sev = checker::severity_by_name(s)) o.accepted.push_back(*sev);
    checker::Checker c(p, topo_, o);
    return c.run();
  }

  const model::Topology& topo_;
  model::System sys_;
  Kind kind_;
  Options opt_;
  std::map<std::string, std::size_t> host_rank_;
  std::vector<Need> needs_;
  std::vector<PreStep> pre_;
  std::optional<Trial> trial_;
  std::vector<Commands> commands_;
  std::map<std::size_t, std::string> need_check_;  // need index -> the id of the check that waits for it
  StatePredicate violates_;
  // How constrained the plan is, raised while the checker cannot finish:
  // 0 fully parallel; 1 layer barriers (up/off); startup: 2 barriers wait for
  // healthy services, 3 also one group of alike hosts at a time in a layer, each
  // once the previous group settled, 4 one host at a time; shutdown: 2 one host
  // at a time in a layer.
  std::size_t stage_ = 0;
};

}  // namespace

Plan plan(const model::Topology& topology, Kind kind, const Options& options) {
  return Planner(topology, kind, options).run();
}

std::string explain(const Plan& plan) {
  std::ostringstream out;
  out << "layers:\n";
  for (std::size_t l = 0; l < plan.layers.size(); ++l) {
    out << "  " << l + 1 << ":";
    for (const std::string& h : plan.layers[l]) out << " " << h;
    out << "\n";
  }
  out << "waits and orderings (each with the invariant whose counterexample asked for it):\n";
  if (plan.reasons.empty()) out << "  none: every host runs at once\n";
  for (const Reason& r : plan.reasons)
    out << "  " << r.step << ": " << r.what << "\n      needed by " << r.invariant << ": " << r.because << "\n";
  out << "rounds:\n";
  for (const std::string& r : plan.rounds) out << "  " << r << "\n";
  return out.str();
}

}  // namespace acdsim::planner
