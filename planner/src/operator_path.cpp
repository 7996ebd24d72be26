#include "operator_path.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

#include "acdsim/checker/compiled.hpp"
#include "acdsim/checker/invariants.hpp"
#include "acdsim/model/actions.hpp"
#include "acdsim/model/kinds.hpp"

namespace acdsim::planner {
namespace {

using model::ComponentIndex;
using model::Snapshot;

// Bounds the environment's interleavings after one command (a handful of
// components settle; far more means the command started something large).
constexpr std::size_t kMaxSettleStates = 20000;
constexpr std::size_t kMaxSettledStates = 200000;

std::string atom(const model::System& sys, const model::Term& t) {
  const auto& spec = sys.table(t.component).spec();
  return sys.component(t.component).path() + (t.negated ? " not " : " ") + std::string(spec.predicates[t.predicate]);
}

// Every quiescent state the environment reaches from `s` (no move enabled),
// or nullopt if some state on the way is bad or there are too many.
std::optional<std::set<Snapshot>> settle(const model::System& sys, const Snapshot& s,
                                         const std::function<bool(const Snapshot&)>& bad) {
  std::set<Snapshot> seen{s}, quiet;
  std::vector<Snapshot> todo{s};
  while (!todo.empty()) {
    Snapshot cur = std::move(todo.back());
    todo.pop_back();
    if (bad(cur)) return std::nullopt;
    bool moved = false;
    for (const model::Move& m : sys.environment_moves()) {
      auto next = sys.apply(cur, m);
      if (!next) continue;
      moved = true;
      if (seen.insert(*next).second) {
        if (seen.size() > kMaxSettleStates) return std::nullopt;
        todo.push_back(std::move(*next));
      }
    }
    if (!moved) quiet.insert(std::move(cur));
  }
  return quiet;
}

struct Candidate {
  std::string action, target;
  model::Move move;
};

std::vector<Candidate> candidates(const model::System& sys, const std::vector<std::string>& hosts) {
  std::vector<Candidate> out;
  auto on = [&](const std::string& host) { return std::find(hosts.begin(), hosts.end(), host) != hosts.end(); };
  const auto& cluster = sys.topology().storage_cluster;
  for (const model::ActionSpec& a : model::all_actions()) {
    std::vector<std::string> targets;
    if (a.target == model::TargetType::Component) {
      for (ComponentIndex c = 0; c < sys.size(); ++c)
        if (sys.kind(c) == a.kind && on(sys.component(c).host)) targets.push_back(sys.component(c).path());
    } else if (a.target == model::TargetType::Cluster && cluster) {
      if (std::all_of(cluster->nodes.begin(), cluster->nodes.end(), on)) targets.push_back("cluster:" + cluster->name);
      for (const std::string& node : cluster->nodes)
        if (on(node)) targets.push_back(node);
    }
    for (const std::string& t : targets) out.push_back(Candidate{std::string(a.name), t, sys.command(a.name, t)});
  }
  return out;
}

// The wait before a command: what the components it changes are (their VMs
// included), and what they read, in the settled state it is issued in.
std::vector<std::string> wait_for(const model::System& sys, const Snapshot& s, const std::vector<model::Change>& changes) {
  std::vector<std::string> out;
  auto add = [&](std::string a) {
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(std::move(a));
  };
  std::vector<ComponentIndex> touched;
  for (const model::Change& ch : changes) {
    if (std::find(touched.begin(), touched.end(), ch.component) == touched.end()) touched.push_back(ch.component);
    if (auto vm = sys.vm_of(sys.component(ch.component).host))
      if (std::find(touched.begin(), touched.end(), *vm) == touched.end()) touched.push_back(*vm);
  }
  for (ComponentIndex c : touched) {
    const auto& preds = sys.table(c).spec().predicates;
    for (model::PredicateId p = 0; p < preds.size(); ++p) {
      const model::Term t{c, p, false};
      if (sys.holds(s, t)) add(atom(sys, t));
    }
  }
  for (ComponentIndex c : touched)
    for (const model::FactRule& r : sys.fact_rules(c))
      for (model::Term t : r.terms) {
        if (std::find(touched.begin(), touched.end(), t.component) != touched.end()) continue;
        t.negated = !sys.holds(s, model::Term{t.component, t.predicate, false});
        add(atom(sys, t));
      }
  return out;
}

}  // namespace

StatePredicate violates_an_invariant(const model::System& sys) {
  struct Compiled {
    checker::Layout layout;
    std::unique_ptr<checker::CompiledModel> model;
    checker::Properties properties;
  };
  auto c = std::make_shared<Compiled>();
  c->model = std::make_unique<checker::CompiledModel>(sys, c->layout);
  c->properties = checker::compile_properties(*c->model, checker::Goal::None);
  return [c](const Snapshot& s) {
    std::vector<checker::Word> words(c->layout.words());
    c->model->pack(s, words.data());
    return std::any_of(c->properties.always.begin(), c->properties.always.end(),
                       [&](const checker::Clause& clause) { return clause.violated(words.data()); });
  };
}

StatePredicate healthy_on(const model::System& sys, const std::vector<std::string>& hosts) {
  auto on = [&](const std::string& host) { return std::find(hosts.begin(), hosts.end(), host) != hosts.end(); };
  std::vector<model::Term> terms;
  for (ComponentIndex c = 0; c < sys.size(); ++c) {
    if (!on(sys.component(c).host)) continue;
    bool reads_outside = false;
    for (const model::FactRule& r : sys.fact_rules(c))
      for (const model::Term& t : r.terms) reads_outside |= !on(sys.component(t.component).host);
    if (reads_outside) continue;
    for (const model::HealthTerm& h : model::health_terms(sys.kind(c)))
      if (h.scope != model::HealthScope::Operator) terms.push_back(model::Term{c, h.predicate, !h.holds});
  }
  return [&sys, terms](const Snapshot& s) {
    return std::all_of(terms.begin(), terms.end(), [&](const model::Term& t) { return sys.holds(s, t); });
  };
}

Snapshot state_after(const model::System& sys, Snapshot from, const std::vector<checker::TraceLine>& trace) {
  for (const checker::TraceLine& line : trace)
    for (const std::string& change : line.changes) {
      // "acd-lb1/drbd: Unconfigured -> WFConnection Secondary"
      const auto colon = change.find(": ");
      const auto arrow = change.find(" -> ", colon);
      if (colon == std::string::npos || arrow == std::string::npos) throw std::logic_error("trace change " + change);
      const auto c = sys.find(change.substr(0, colon));
      if (!c) throw std::logic_error("trace change on unknown component " + change);
      const auto code = sys.table(*c).code_of(change.substr(arrow + 4));
      if (!code) throw std::logic_error("trace change to unknown state " + change);
      from[*c] = *code;
    }
  return from;
}

std::optional<std::vector<OperatorCommand>> operator_path(const model::System& sys, const Snapshot& from,
                                                          const std::vector<std::string>& hosts,
                                                          const StatePredicate& goal, const StatePredicate& bad,
                                                          std::size_t max_commands) {
  struct Node {
    Snapshot state;
    std::size_t parent;
    OperatorCommand command;
    std::size_t depth;
  };
  const std::vector<Candidate> cands = candidates(sys, hosts);
  std::vector<Node> nodes;
  std::map<Snapshot, std::size_t> seen;
  auto start = settle(sys, from, bad);
  if (!start) return std::nullopt;
  for (const Snapshot& s : *start) {
    seen.emplace(s, nodes.size());
    nodes.push_back(Node{s, SIZE_MAX, {}, 0});
  }
  auto path_to = [&](std::size_t i) {
    std::vector<OperatorCommand> out;
    for (; nodes[i].parent != SIZE_MAX; i = nodes[i].parent) out.push_back(nodes[i].command);
    std::reverse(out.begin(), out.end());
    return out;
  };
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (goal(nodes[i].state)) return path_to(i);
    if (nodes[i].depth >= max_commands || nodes.size() > kMaxSettledStates) continue;
    for (const Candidate& cand : cands) {
      std::vector<model::Change> changes;
      auto next = sys.apply(nodes[i].state, cand.move, &changes);
      if (!next) continue;
      auto settled = settle(sys, *next, bad);
      if (!settled) continue;
      OperatorCommand cmd{cand.action, cand.target, wait_for(sys, nodes[i].state, changes)};
      for (const Snapshot& s : *settled) {
        if (!seen.emplace(s, nodes.size()).second) continue;
        nodes.push_back(Node{s, i, cmd, nodes[i].depth + 1});
      }
    }
  }
  return std::nullopt;
}

}  // namespace acdsim::planner
