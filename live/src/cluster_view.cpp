// acdsim observe: every host probed once, the cluster as the model sees it.
#include <algorithm>

#include "acdsim/live/observe.hpp"
#include "acdsim/model/kinds.hpp"

namespace acdsim::live {

using model::ComponentIndex;
using model::KindId;

namespace {
bool holds(const model::System& system, const model::Snapshot& s, ComponentIndex c, std::string_view predicate) {
  const auto& preds = system.table(c).spec().predicates;
  const auto it = std::find(preds.begin(), preds.end(), predicate);
  return it != preds.end() && system.table(c).holds(s[c], static_cast<model::PredicateId>(it - preds.begin()));
}
}  // namespace

ClusterView observe_cluster(const model::System& system, const Inventory& inventory, const Runner& runner) {
  const Observer observer(system, inventory, runner);
  std::vector<std::string> hosts;
  for (const model::Host& h : system.topology().hosts) hosts.push_back(h.alias);
  ClusterView view;
  const model::Snapshot up = system.all_up(), off = system.all_off();
  view.observations = observer.probe_hosts(hosts);
  view.observed = observer.apply(up, view.observations);
  view.unknown = view.observed.unknown;
  model::Snapshot& state = view.observed.state;
  for (ComponentIndex c = 0; c < system.size(); ++c) {
    const std::string path = system.component(c).path();
    if (std::any_of(view.observations.begin(), view.observations.end(),
                    [&](const Observation& o) { return o.component == path; }))
      continue;
    const auto vm = system.vm_of(system.component(c).host);
    if (vm && system.table(*vm).name(state[*vm]) == "Off") continue;  // the crash cascade took it down
    if (vm && !holds(system, state, *vm, "up")) {
      view.unknown.push_back(path + ": not probed (its host does not answer)");
      continue;
    }
    // Not probed at all (hazelcast): up if the host's application serves, down otherwise.
    bool app_up = false;
    for (ComponentIndex i : system.on_host(system.component(c).host))
      if ((system.kind(i) == KindId::Jboss || system.kind(i) == KindId::Telephony) && holds(system, state, i, "up"))
        app_up = true;
    state[c] = app_up ? up[c] : off[c];
    view.assumed.push_back(path + ": " + system.table(c).name(state[c]) + " (not probed: no probe for a " +
                           std::string(system.table(c).spec().name) + "; taken as " +
                           (app_up ? "all up, since the host's application is up)" : "down, since the host's application is not up)"));
  }
  return view;
}

}  // namespace acdsim::live
