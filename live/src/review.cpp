#include "acdsim/live/review.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "acdsim/live/observe.hpp"
#include "acdsim/model/kinds.hpp"
#include "stepping.hpp"

namespace acdsim::live {

using model::ComponentIndex;
using model::KindId;
using model::LocalCode;
using model::Snapshot;

std::string probe_advice(KindId kind) {
  switch (kind) {
    case KindId::Vm:
      return "\"reachable\": \"systemctl is-system-running\" (needs systemd on the host) tells a boot from its end";
    case KindId::Service: return "\"service_state\": \"systemctl is-active {unit}\"";
    case KindId::Replication: return "\"replication_status\": \"mysql -e 'SHOW SLAVE STATUS\\G'\"";
    case KindId::ShareMount: return "\"share_mounted\": \"mountpoint /home/jtel/shared\"";
    case KindId::Jboss:
    case KindId::Telephony:
      return "\"app_state\": an HTTP probe, e.g. \"curl -s -o /dev/null -w '%{{http_code}}' --max-time 5 "
             "http://localhost:8080/\" (systemctl is-active cannot tell deploying from in service)";
    case KindId::Router: return "\"router_http\": \"curl -s -o /dev/null -w '%{{http_code}}' http://{address}/\"";
    case KindId::Drbd: return "\"drbd_status\": \"cat /proc/drbd\" or \"drbdadm status {resource}\"";
    case KindId::Pacemaker: return "\"pcs_status\": \"pcs status\"";
    case KindId::Hazelcast:
      return "nothing to configure: acdsim has no Hazelcast probe; check the members in the server log by hand and "
             "accept the wait (--accept-unprovable-waits)";
    default: return "nothing known";
  }
}

namespace {

// What the probes around one step can say: per probed component, the distinct
// candidate sets of its possible answers.
struct ProbeView {
  ComponentIndex component;
  std::string probe, shown;
  std::vector<std::vector<LocalCode>> sets;
};

class WaitReviewer {
 public:
  WaitReviewer(const model::System& system, const Inventory& inventory)
      : system_(system), observer_(system, inventory, Runner{}) {}

  WaitReview run(const model::Procedure& procedure, Snapshot belief);

 private:
  const std::vector<ProbeView>& views_of(const std::string& host);
  // example: a state where the wait holds (complete search); per_component: the pre-wait belief (too many states).
  UnprovableWait explain(const model::Condition& wait, const std::vector<ProbeView>& views, const Reachable& reach,
                         const Snapshot* example, const Snapshot* per_component) const;
  bool atom_shown_as_executor(const model::ConditionAtom& atom, const std::vector<ProbeView>& views,
                              const Snapshot& belief) const;

  const model::System& system_;
  Observer observer_;
  std::map<std::string, std::vector<ProbeView>> views_;
};

// Each probe's sharpest answer that allows the state (-1 in the signature: no answer does).
Allowed sharpest(const std::vector<ProbeView>& views, const Snapshot& s, std::vector<int>* signature) {
  Allowed allowed;
  for (const ProbeView& v : views) {
    int best = -1;
    for (std::size_t k = 0; k < v.sets.size(); ++k)
      if (std::find(v.sets[k].begin(), v.sets[k].end(), s[v.component]) != v.sets[k].end() &&
          (best < 0 || v.sets[k].size() < v.sets[best].size()))
        best = static_cast<int>(k);
    if (signature) signature->push_back(best);
    if (best >= 0) allowed.emplace_back(v.component, v.sets[best]);
  }
  return allowed;
}

const std::vector<ProbeView>& WaitReviewer::views_of(const std::string& host) {
  auto it = views_.find(host);
  if (it != views_.end()) return it->second;
  std::vector<ProbeView> views;
  for (const Observer::Possible& p : observer_.possible_observations(host)) {
    ProbeView v{p.component, p.probe, p.shown, {}};
    for (const Observation& o : p.observations) {
      auto c = candidates(system_.table(p.component), o);
      if (!c.empty() && std::find(v.sets.begin(), v.sets.end(), c) == v.sets.end()) v.sets.push_back(std::move(c));
    }
    views.push_back(std::move(v));
  }
  return views_.emplace(host, std::move(views)).first->second;
}

// Too many states to enumerate: the executor keeps the prediction when a probe
// allows it, else the first state the probe allows; an atom is shown if some
// answer makes that state satisfy it.
bool WaitReviewer::atom_shown_as_executor(const model::ConditionAtom& atom, const std::vector<ProbeView>& views,
                                          const Snapshot& belief) const {
  const ComponentIndex c = *system_.find(atom.component);
  for (const ProbeView& v : views)
    if (v.component == c)
      for (const auto& set : v.sets) {
        Snapshot s = belief;
        if (std::find(set.begin(), set.end(), belief[c]) == set.end()) s[c] = set.front();
        if (atom_holds(system_, atom, s)) return true;
      }
  return false;
}

UnprovableWait WaitReviewer::explain(const model::Condition& wait, const std::vector<ProbeView>& views,
                                     const Reachable& reach, const Snapshot* example,
                                     const Snapshot* per_component) const {
  UnprovableWait out;
  std::vector<std::string>& why = out.why;
  auto advise = [&](ComponentIndex c) {
    const std::string a = (system_.kind(c) == KindId::Hazelcast ? "" : "set probe ") + probe_advice(system_.kind(c));
    if (std::find(out.configure.begin(), out.configure.end(), a) == out.configure.end()) out.configure.push_back(a);
  };
  for (const model::ConditionAtom& atom : wait.atoms) {
    const ComponentIndex c = *system_.find(atom.component);
    const model::KindTable& table = system_.table(c);
    const std::string head = atom.component + (atom.negated ? " not " : " ") + atom.predicate + ": ";
    const auto view = std::find_if(views.begin(), views.end(), [&](const ProbeView& v) { return v.component == c; });
    if (view == views.end()) {
      why.push_back(head + "not probed");
      advise(c);
      continue;
    }
    std::string pair;
    if (example) {
      // The executor's picture when the wait holds: the states the sharpest answers allow together.
      const auto consistent = consistent_states(reach, sharpest(views, *example, nullptr));
      const auto yes = std::find_if(consistent.begin(), consistent.end(), [&](const Snapshot* s) { return atom_holds(system_, atom, *s); });
      const auto no = std::find_if(consistent.begin(), consistent.end(), [&](const Snapshot* s) { return !atom_holds(system_, atom, *s); });
      if (no == consistent.end()) continue;
      if (yes != consistent.end()) pair = "cannot tell " + table.name((**yes)[c]) + " from " + table.name((**no)[c]);
    }
    if (per_component) {
      if (atom_shown_as_executor(atom, views, *per_component)) continue;
      pair = "reads every answer as a state where it does not hold";
    }
    if (pair.empty()) pair = "none of its answers shows it";
    why.push_back(head + view->probe + " (" + view->shown + ") " + pair);
    advise(c);
  }
  if (why.empty()) why.push_back("each part can be shown, but no answer of the probes shows them together");
  return out;
}

WaitReview WaitReviewer::run(const model::Procedure& procedure, Snapshot belief) {
  WaitReview review;
  for (const model::Step& step : procedure.steps) {
    for (const std::string& target : command_targets(system_.topology(), step))
      if (auto next = system_.apply(belief, system_.command(step.action, target))) belief = *next;
    if (!step.wait) continue;
    ++review.waits;
    const model::Condition& wait = *step.wait;
    std::vector<ProbeView> views;
    for (const std::string& h : hosts_to_probe(system_.topology(), step))
      for (const ProbeView& v : views_of(h)) views.push_back(v);
    const Reachable reach = reachable_states(system_, belief);
    std::vector<const Snapshot*> holding;
    for (const Snapshot& s : reach.states)
      if (condition_holds(system_, wait, s)) holding.push_back(&s);
    if (holding.empty() && reach.complete) {
      review.notes.push_back("step " + step.id + ": " + condition_text(wait) +
                             " never holds after the steps before it (the verdict says why)");
      continue;
    }
    bool proven = false;
    const Snapshot* example = holding.empty() ? nullptr : holding.front();
    if (!reach.complete) {
      // Too many states to enumerate: per component, as the executor then decides.
      auto alone = [&](const model::ConditionAtom& a) { return atom_shown_as_executor(a, views, belief); };
      proven = wait.mode == model::Condition::Mode::Any ? std::any_of(wait.atoms.begin(), wait.atoms.end(), alone)
                                                        : std::all_of(wait.atoms.begin(), wait.atoms.end(), alone);
      review.notes.push_back("step " + step.id + ": more than " + std::to_string(kReachableLimit) +
                             " states reachable; its wait was judged per component");
    } else {
      // Each state where the wait holds, seen through the sharpest answer of every probe.
      std::set<std::vector<int>> tried;
      for (const Snapshot* s : holding) {
        std::vector<int> signature;
        const Allowed allowed = sharpest(views, *s, &signature);
        // A state no answer allows is never shown (the probe reads it as unknown).
        if (std::find(signature.begin(), signature.end(), -1) != signature.end()) continue;
        if (!tried.insert(signature).second) continue;
        const auto consistent = consistent_states(reach, allowed);
        if (wait_proven(system_, wait, consistent)) {
          proven = true;
          example = consistent.front();
          break;
        }
        if (tried.size() >= 256) break;
      }
    }
    if (!proven) {
      UnprovableWait u = explain(wait, views, reach, reach.complete ? example : nullptr, reach.complete ? nullptr : &belief);
      u.step = step.id;
      u.wait = condition_text(wait);
      review.unprovable.push_back(std::move(u));
    }
    if (example) belief = *example;
  }
  return review;
}

}  // namespace

WaitReview review_waits(const model::Procedure& procedure, const model::System& system, const Inventory& inventory,
                        const Snapshot& initial) {
  return WaitReviewer(system, inventory).run(procedure, initial);
}

}  // namespace acdsim::live
