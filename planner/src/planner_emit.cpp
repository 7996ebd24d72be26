// The procedure file of the current candidate: layers from the needs, check
// steps for the waits, operator commands and shutdown repairs, the barriers
// of the constrained stages, the readiness check, all written in dependency
// order (planner_impl.hpp; the rounds: planner.cpp).
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

#include "acdsim/model/kinds.hpp"
#include "join.hpp"
#include "planner_impl.hpp"

namespace acdsim::planner::detail {

// Conditions that hold once a started host's services settled: the startup
// goal's health terms a host reaches by itself (the VM as "<host> up").
std::vector<std::string> Planner::healthy_atoms(const std::string& host) const {
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
std::vector<std::string> Planner::settled_atoms(const std::string& host, const std::set<std::string>& started) const {
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
std::vector<std::string> Planner::ready_atoms(const std::string& host) const {
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

nlohmann::ordered_json Planner::emit(Plan& plan) {
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

}  // namespace acdsim::planner::detail
