#include "stepping.hpp"

#include <algorithm>
#include <set>

#include "acdsim/live/observe.hpp"
#include "acdsim/model/actions.hpp"
#include "acdsim/model/step_targets.hpp"

namespace acdsim::live {

using model::ComponentIndex;
using model::Snapshot;

PlannedCommand plan_command(const model::System& system, const Inventory& inventory, const model::Step& step,
                            const std::string& target, const Snapshot& belief) {
  const model::Topology& topology = system.topology();
  PlannedCommand p;
  p.target = target;
  const model::ActionSpec* spec = model::find_action(step.action);
  std::string action = step.action;
  std::optional<ComponentIndex> component;
  if (target.starts_with("cluster:")) {
    // pcs ... --all runs on one node of the cluster: the first the model believes up.
    action += action == "pcs_resource_cleanup" ? "" : "_all";
    const auto& nodes = topology.storage_cluster->nodes;
    p.host = nodes.front();
    for (const std::string& n : nodes)
      if (auto vm = system.vm_of(n); vm && system.table(*vm).name(belief[*vm]) == "Up") {
        p.host = n;
        break;
      }
    component = system.find(p.host + "/pacemaker");
  } else if (target.find('/') != std::string::npos) {
    component = system.find(target);
    p.host = target.substr(0, target.find('/'));
  } else {
    p.host = target;
    for (ComponentIndex i : system.on_host(target))
      if (system.kind(i) == spec->kind) {
        component = i;
        break;
      }
  }
  if (!component) {
    p.error = "no component for " + step.action + " on " + target;
    return p;
  }
  const bool on_hypervisor = step.action == "power_on" || step.action == "power_off";
  p.endpoint = on_hypervisor ? &*inventory.hypervisor : &inventory.hosts.at(p.host);
  const CommandTemplate* t = inventory.action(p.host, action);
  if (!t) {
    p.error = "no command for action " + action + " (no jtel default: set \"actions\": {\"" + action +
              "\": ...} in the inventory)";
    return p;
  }
  try {
    const auto values = template_values(system, inventory, system.component(*component));
    p.argv = t->render(values);
    p.shown = display(t->render(values, true));
  } catch (const UnsafeValue& e) {
    p.error = e.what();
  }
  return p;
}

std::vector<std::string> command_targets(const model::Topology& topology, const model::Step& step) {
  if (step.action == "check") return {};
  return model::expand_target(topology, step);
}

std::vector<std::string> hosts_to_probe(const model::Topology& topology, const model::Step& step) {
  std::vector<std::string> hosts;
  auto add = [&](const std::string& h) {
    if (std::find(hosts.begin(), hosts.end(), h) == hosts.end()) hosts.push_back(h);
  };
  for (const std::string& t : model::expand_target(topology, step)) {
    if (t.starts_with("cluster:")) {
      for (const std::string& n : topology.storage_cluster->nodes) add(n);
    } else {
      add(t.substr(0, t.find('/')));
    }
  }
  if (step.wait)
    for (const auto& a : step.wait->atoms) add(a.component.substr(0, a.component.find('/')));
  // A replica's channel depends on its master: probe the replicas of a master too.
  for (const std::string& h : std::vector<std::string>(hosts))
    for (const auto& link : topology.replication)
      if (link.master == h) add(link.replica);
  return hosts;
}

bool atom_holds(const model::System& system, const model::ConditionAtom& a, const Snapshot& s) {
  const ComponentIndex i = *system.find(a.component);
  const auto& preds = system.table(i).spec().predicates;
  const auto p = static_cast<model::PredicateId>(std::find(preds.begin(), preds.end(), a.predicate) - preds.begin());
  return system.holds(s, model::Term{i, p, a.negated});
}

bool condition_holds(const model::System& system, const model::Condition& c, const Snapshot& s) {
  auto holds = [&](const model::ConditionAtom& a) { return atom_holds(system, a, s); };
  if (c.mode == model::Condition::Mode::Any) return std::any_of(c.atoms.begin(), c.atoms.end(), holds);
  return std::all_of(c.atoms.begin(), c.atoms.end(), holds);
}

std::string condition_text(const model::Condition& c) {
  std::string out;
  for (std::size_t i = 0; i < c.atoms.size(); ++i)
    out += (i ? (c.mode == model::Condition::Mode::Any ? " or " : " and ") : "") + c.atoms[i].component +
           (c.atoms[i].negated ? " not " : " ") + c.atoms[i].predicate;
  return out;
}

Reachable reachable_states(const model::System& system, const Snapshot& from, std::size_t limit) {
  Reachable r;
  std::set<Snapshot> seen{from};
  r.states.push_back(from);
  for (std::size_t next = 0; next < r.states.size(); ++next) {
    for (const model::Move& m : system.environment_moves()) {
      auto s = system.apply(r.states[next], m);
      if (!s || !seen.insert(*s).second) continue;
      r.states.push_back(std::move(*s));
      if (r.states.size() > limit) {
        r.complete = false;
        return r;
      }
    }
  }
  return r;
}

std::vector<const Snapshot*> consistent_states(const Reachable& reach, const Allowed& allowed) {
  std::vector<const Snapshot*> out;
  for (const Snapshot& s : reach.states)
    if (std::all_of(allowed.begin(), allowed.end(), [&](const auto& a) {
          return std::find(a.second.begin(), a.second.end(), s[a.first]) != a.second.end();
        }))
      out.push_back(&s);
  return out;
}

bool wait_proven(const model::System& system, const model::Condition& wait, const std::vector<const Snapshot*>& consistent) {
  return !consistent.empty() &&
         std::all_of(consistent.begin(), consistent.end(), [&](const Snapshot* s) { return condition_holds(system, wait, *s); });
}

}  // namespace acdsim::live
