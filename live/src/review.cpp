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
      return "probe \"reachable\": `systemctl is-system-running` (systemd on the host) tells a boot from its end";
    case KindId::Service: return "probe \"service_state\": `systemctl is-active {unit}`";
    case KindId::Replication: return "probe \"replication_status\": `mysql -e 'SHOW SLAVE STATUS\\G'`";
    case KindId::ShareMount: return "probe \"share_mounted\": `mountpoint /home/jtel/shared`";
    case KindId::Jboss:
    case KindId::Telephony:
      return "probe \"app_state\": an HTTP probe, e.g. \"curl -s -o /dev/null -w '%{{http_code}}' --max-time 5 "
             "http://localhost:8080/\" (`systemctl is-active` cannot tell deploying from in service)";
    case KindId::Router: return "probe \"router_http\": `curl -s -o /dev/null -w '%{{http_code}}' http://{address}/`";
    case KindId::Drbd: return "probe \"drbd_status\": `cat /proc/drbd` or `drbdadm status {resource}`";
    case KindId::Pacemaker: return "probe \"pcs_status\": `pcs status`";
    case KindId::Hazelcast:
      return "none: acdsim has no Hazelcast probe (check the members in the server log by hand, then accept the wait)";
    default: return "none known";
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
  bool atom_shown_alone(const model::ConditionAtom& atom, const std::vector<ProbeView>& views, const Snapshot& at) const;
  std::vector<std::string> explain(const model::Condition& wait, const std::vector<ProbeView>& views,
                                   const Reachable& reach, const Snapshot* example) const;

  const model::System& system_;
  Observer observer_;
  std::map<std::string, std::vector<ProbeView>> views_;
};

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

// Some answer of the component's probe allows only states where the atom holds.
bool WaitReviewer::atom_shown_alone(const model::ConditionAtom& atom, const std::vector<ProbeView>& views,
                                    const Snapshot& at) const {
  const ComponentIndex c = *system_.find(atom.component);
  for (const ProbeView& v : views)
    if (v.component == c)
      for (const auto& set : v.sets)
        if (std::all_of(set.begin(), set.end(), [&](LocalCode code) {
              Snapshot s = at;
              s[c] = code;
              return atom_holds(system_, atom, s);
            }))
          return true;
  return false;
}

std::vector<std::string> WaitReviewer::explain(const model::Condition& wait, const std::vector<ProbeView>& views,
                                               const Reachable& reach, const Snapshot* example) const {
  std::vector<std::string> why;
  for (const model::ConditionAtom& atom : wait.atoms) {
    const ComponentIndex c = *system_.find(atom.component);
    const model::KindTable& table = system_.table(c);
    const std::string head = atom.component + (atom.negated ? " not " : " ") + atom.predicate + ": ";
    const auto view = std::find_if(views.begin(), views.end(), [&](const ProbeView& v) { return v.component == c; });
    if (view == views.end()) {
      why.push_back(head + "not probed; configure " + probe_advice(system_.kind(c)));
      continue;
    }
    if (example && atom_shown_alone(atom, views, *example)) continue;
    // A state where the atom holds and one where it fails that one answer of the probe allows together.
    std::string pair;
    for (const auto& set : view->sets) {
      const std::string* yes = nullptr;
      const std::string* no = nullptr;
      std::string yes_name, no_name;
      for (const Snapshot& s : reach.states) {
        if (std::find(set.begin(), set.end(), s[c]) == set.end()) continue;
        if (atom_holds(system_, atom, s)) yes_name = table.name(s[c]), yes = &yes_name;
        else no_name = table.name(s[c]), no = &no_name;
        if (yes && no) break;
      }
      if (yes && no) {
        pair = "cannot tell " + *yes + " from " + *no;
        break;
      }
    }
    if (pair.empty()) pair = "no answer shows it";
    why.push_back(head + view->probe + " `" + view->shown + "` " + pair + "; configure " + probe_advice(system_.kind(c)));
  }
  if (why.empty()) why.push_back("each part can be shown, but no answer of the probes shows them together");
  return why;
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
      // Too many states to enumerate: each part must be shown by its own probe (stricter than the run).
      auto alone = [&](const model::ConditionAtom& a) { return atom_shown_alone(a, views, example ? *example : belief); };
      proven = wait.mode == model::Condition::Mode::Any ? std::any_of(wait.atoms.begin(), wait.atoms.end(), alone)
                                                        : std::all_of(wait.atoms.begin(), wait.atoms.end(), alone);
      review.notes.push_back("step " + step.id + ": more than " + std::to_string(kReachableLimit) +
                             " states reachable; its wait was judged per component");
    } else {
      // Each state where the wait holds, seen through the sharpest answer of every probe.
      std::set<std::vector<int>> tried;
      for (const Snapshot* s : holding) {
        std::vector<int> signature;
        Allowed allowed;
        for (const ProbeView& v : views) {
          int best = -1;
          for (std::size_t k = 0; k < v.sets.size(); ++k)
            if (std::find(v.sets[k].begin(), v.sets[k].end(), (*s)[v.component]) != v.sets[k].end() &&
                (best < 0 || v.sets[k].size() < v.sets[best].size()))
              best = static_cast<int>(k);
          signature.push_back(best);
          if (best >= 0) allowed.emplace_back(v.component, v.sets[best]);
        }
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
    if (!proven) review.unprovable.push_back({step.id, condition_text(wait), explain(wait, views, reach, example)});
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
