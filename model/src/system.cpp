#include "acdsim/model/system.hpp"

#include <algorithm>
#include <bit>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "acdsim/model/actions.hpp"
#include "acdsim/model/app_server.hpp"
#include "acdsim/model/drbd.hpp"
#include "acdsim/model/hazelcast.hpp"
#include "acdsim/model/pacemaker.hpp"
#include "acdsim/model/replication.hpp"
#include "acdsim/model/router.hpp"
#include "acdsim/model/service.hpp"
#include "acdsim/model/share_mount.hpp"
#include "acdsim/model/vm.hpp"

namespace acdsim::model {
namespace {

template <class E>
constexpr EventId ev(E e) {
  return static_cast<EventId>(e);
}
template <class P>
Term term(ComponentIndex c, P p, bool negated = false) {
  return Term{c, static_cast<PredicateId>(p), negated};
}
constexpr std::size_t bit(FactBits f) { return static_cast<std::size_t>(std::countr_zero(f)); }

FactRule constant(bool value) { return FactRule{value ? FactRule::Mode::True : FactRule::Mode::False, {}}; }
FactRule any(std::vector<Term> t) { return FactRule{FactRule::Mode::Any, std::move(t)}; }
FactRule none(std::vector<Term> t) { return FactRule{FactRule::Mode::None, std::move(t)}; }

bool is_app(KindId k) { return k == KindId::Jboss || k == KindId::Telephony; }

}  // namespace

std::string_view to_string(MoveClass move_class) {
  switch (move_class) {
    case MoveClass::Command: return "step";
    case MoveClass::Environment: return "environment";
    case MoveClass::Fault: return "fault";
  }
  return "?";
}

System::System(Topology topology) : topology_(std::move(topology)) {
  std::vector<unsigned> bits;
  for (ComponentRef& ref : components_of(topology_)) {
    const KindTable* table = &KindTable::of(ref.kind);
    bits.push_back(table->bits());
    components_.push_back(Instance{std::move(ref), table, {}, 0});
  }
  for (ComponentIndex i = 0; i < components_.size(); ++i) {
    by_path_.emplace(components_[i].ref.path(), i);
    by_host_[components_[i].ref.host].push_back(i);
  }
  for (Instance& c : components_) c.vm = *vm_of(c.ref.host);
  layout_ = SnapshotLayout(std::move(bits));
  wire_facts();
  build_moves();
}

std::optional<ComponentIndex> System::find(std::string_view path) const {
  const auto it = by_path_.find(path);
  if (it == by_path_.end()) return std::nullopt;
  return it->second;
}

std::vector<ComponentIndex> System::on_host(std::string_view alias) const {
  const auto it = by_host_.find(alias);
  return it == by_host_.end() ? std::vector<ComponentIndex>{} : it->second;
}

std::optional<ComponentIndex> System::vm_of(std::string_view alias) const {
  const auto it = by_host_.find(alias);
  if (it != by_host_.end())
    for (ComponentIndex i : it->second)
      if (components_[i].ref.kind == KindId::Vm) return i;
  return std::nullopt;
}

void System::wire_facts() {
  const Topology& t = topology_;
  auto component = [&](std::string_view host, std::string_view name) -> std::optional<ComponentIndex> {
    return find(std::string(host) + "/" + std::string(name));
  };
  auto mysql_running = [&](std::string_view host) {
    std::vector<Term> terms;
    if (auto m = component(host, "mysql")) terms.push_back(term(*m, service::Pred::Running));
    return terms;
  };
  // Storage serving the share: samba on a plain store host, or an Active pacemaker node.
  std::vector<Term> serving;
  if (t.storage_cluster && t.share_server == t.storage_cluster->name) {
    for (const std::string& node : t.storage_cluster->nodes)
      if (auto p = component(node, "pacemaker")) serving.push_back(term(*p, pacemaker::Pred::Active));
  } else if (auto samba = component(t.share_server, "samba")) {
    serving.push_back(term(*samba, service::Pred::Running));
  }
  std::vector<Term> masters_running;
  for (const Host& h : t.hosts)
    if (t.has_role(h.alias, Role::Dbm))
      for (Term term : mysql_running(h.alias)) masters_running.push_back(term);
  // Hazelcast: each group's members' components, found once (per member and
  // peer it was a lookup by name: 25 M of them for a group of 5,000).
  std::vector<std::vector<std::optional<ComponentIndex>>> hazelcast_of_group(t.hazelcast.size());
  std::unordered_map<std::string_view, std::vector<std::size_t>> groups_of_host;  // ascending
  for (std::size_t g = 0; g < t.hazelcast.size(); ++g)
    for (const std::string& member : t.hazelcast[g].members) {
      hazelcast_of_group[g].push_back(component(member, "hazelcast"));
      auto& groups = groups_of_host[member];
      if (groups.empty() || groups.back() != g) groups.push_back(g);
    }
  auto peer_of = [&](std::string_view alias) -> std::string {
    const auto& nodes = t.storage_cluster->nodes;
    return nodes[0] == alias ? nodes[1] : nodes[0];
  };

  for (ComponentIndex i = 0; i < components_.size(); ++i) {
    Instance& c = components_[i];
    std::vector<FactRule>& f = c.facts;
    f.assign(c.table->spec().facts.size(), constant(false));
    const std::string& host = c.ref.host;
    switch (c.ref.kind) {
      case KindId::Vm: {
        std::vector<Term> busy;
        for (ComponentIndex j : on_host(host)) {
          if (components_[j].ref.kind == KindId::Service) {
            for (auto p : {service::Pred::Starting, service::Pred::Running, service::Pred::Stopping})
              busy.push_back(term(j, p));
          } else if (is_app(components_[j].ref.kind)) {
            for (auto p : {app_server::Pred::Starting, app_server::Pred::Deploying, app_server::Pred::Up,
                           app_server::Pred::Stopping})
              busy.push_back(term(j, p));
          }
        }
        f[bit(vm::fact::kServicesStopped)] = none(std::move(busy));
        break;
      }
      case KindId::Service: f[bit(service::fact::kAutostart)] = constant(t.params.services_autostart); break;
      case KindId::Replication: {
        const std::string master = c.ref.name.substr(std::string("replication:").size());
        const auto link = std::find_if(t.replication.begin(), t.replication.end(),
                                       [&](const ReplicationLink& l) { return l.master == master && l.replica == host; });
        f[bit(replication::fact::kMasterRunning)] = any(mysql_running(master));
        f[bit(replication::fact::kSkipSlaveStart)] = constant(link != t.replication.end() && link->skip_slave_start);
        break;
      }
      case KindId::ShareMount: f[bit(share_mount::fact::kStorageServing)] = any(serving); break;
      case KindId::Jboss:
      case KindId::Telephony: {
        using namespace app_server::fact;
        f[bit(kAutostart)] = constant(t.params.services_autostart);
        auto share = component(host, "share");
        f[bit(kShareOk)] = share ? any({term(*share, share_mount::Pred::Mounted)}) : constant(true);
        f[bit(kDbOk)] = masters_running.empty() ? constant(true) : any(masters_running);
        f[bit(kHealsAfterShare)] = constant(t.params.app_heals_after_share);
        f[bit(kHealsAfterDb)] = constant(t.params.app_heals_after_db);
        break;
      }
      case KindId::Hazelcast: {
        std::vector<Term> in_cluster, founders;
        const auto mine = groups_of_host.find(host);
        if (mine != groups_of_host.end())
          for (std::size_t g : mine->second) {  // each group the host is in, once, in file order
            const auto& members = t.hazelcast[g].members;
            for (std::size_t m = 0; m < members.size(); ++m) {
              const auto hz = hazelcast_of_group[g][m];
              if (!hz || members[m] == host) continue;
              in_cluster.push_back(term(*hz, hazelcast::Pred::InCluster));
              founders.push_back(term(*hz, hazelcast::Pred::Founder));
            }
          }
        f[bit(hazelcast::fact::kPeerInCluster)] = any(std::move(in_cluster));
        f[bit(hazelcast::fact::kOtherFounder)] = any(std::move(founders));
        break;
      }
      case KindId::Router: {
        std::vector<Term> old_edition, new_edition;
        for (const RouterPool& pool : t.pools) {
          if (pool.router != host) continue;
          for (const std::string& backend : pool.backends) {
            if (auto app = component(backend, "jboss")) {
              old_edition.push_back(term(*app, app_server::Pred::ServingOld));
              new_edition.push_back(term(*app, app_server::Pred::ServingNew));
            }
          }
        }
        f[bit(router::fact::kOldInService)] = any(std::move(old_edition));
        f[bit(router::fact::kNewInService)] = any(std::move(new_edition));
        break;
      }
      case KindId::Drbd: {
        using namespace drbd::fact;
        const ComponentIndex peer = *component(peer_of(host), "drbd");
        f[bit(kPeerPrimary)] = any({term(peer, drbd::Pred::Primary)});
        f[bit(kPeerLinked)] = any({term(peer, drbd::Pred::Linked)});
        f[bit(kPeerWaiting)] = any({term(peer, drbd::Pred::WFConnection)});
        f[bit(kPeerDiverged)] = any({term(peer, drbd::Pred::Diverged)});
        f[bit(kPeerUpToDate)] = any({term(peer, drbd::Pred::UpToDate)});
        f[bit(kPeerDiscard)] = any({term(peer, drbd::Pred::Discard)});
        f[bit(kAllowTwoPrimaries)] = constant(t.storage_cluster->allow_two_primaries);
        f[bit(kFencing)] = constant(t.storage_cluster->stonith);
        break;
      }
      case KindId::Pacemaker: {
        using namespace pacemaker::fact;
        const std::string peer_host = peer_of(host);
        const ComponentIndex peer = *component(peer_host, "pacemaker");
        const ComponentIndex local_drbd = *component(host, "drbd");
        const ComponentIndex peer_drbd = *component(peer_host, "drbd");
        f[bit(kPeerOnline)] = any({term(peer, pacemaker::Pred::Online)});
        f[bit(kPeerHasResources)] = any({term(peer, pacemaker::Pred::HasResources)});
        // Managed: the linbit agent's master score decides promotion (none for Inconsistent,
        // Outdated, SyncTarget); pacemaker promotes one instance unless two Primaries are allowed.
        if (t.storage_cluster->drbd_managed_by_pacemaker) {
          f[bit(kDrbdReady)] = any({term(local_drbd, drbd::Pred::Promotable)});
          if (!t.storage_cluster->allow_two_primaries) f[bit(kPeerDrbdPrimary)] = any({term(peer_drbd, drbd::Pred::Primary)});
        } else {
          f[bit(kDrbdReady)] = any({term(local_drbd, drbd::Pred::Primary)});
        }
        f[bit(kStonith)] = constant(t.storage_cluster->stonith);
        f[bit(kIgnoreQuorum)] = constant(t.storage_cluster->no_quorum_policy == NoQuorumPolicy::Ignore);
        break;
      }
      case KindId::Count: break;
    }
  }
}

bool System::holds(const Snapshot& state, const Term& t) const {
  return components_[t.component].table->holds(state[t.component], t.predicate) != t.negated;
}

FactBits System::facts(const Snapshot& state, ComponentIndex component) const {
  FactBits out = 0;
  const auto& rules = components_[component].facts;
  for (std::size_t b = 0; b < rules.size(); ++b) {
    const FactRule& r = rules[b];
    bool value = false;
    switch (r.mode) {
      case FactRule::Mode::False: value = false; break;
      case FactRule::Mode::True: value = true; break;
      case FactRule::Mode::Any:
        value = std::any_of(r.terms.begin(), r.terms.end(), [&](const Term& t) { return holds(state, t); });
        break;
      case FactRule::Mode::All:
        value = std::all_of(r.terms.begin(), r.terms.end(), [&](const Term& t) { return holds(state, t); });
        break;
      case FactRule::Mode::None:
        value = std::none_of(r.terms.begin(), r.terms.end(), [&](const Term& t) { return holds(state, t); });
        break;
    }
    if (value) out |= FactBits{1} << b;
  }
  return out;
}

std::optional<Snapshot> System::apply(const Snapshot& state, const Move& move, std::vector<Change>* changes) const {
  for (const Term& t : move.requires_)
    if (!holds(state, t)) return std::nullopt;
  Snapshot next = state;
  bool fired = false;
  const std::size_t first_change = changes ? changes->size() : 0;
  for (const Participant& p : move.participants) {
    const Instance& c = components_[p.component];
    const bool reachable =
        !p.needs_host_up || components_[c.vm].table->holds(state[c.vm], static_cast<PredicateId>(vm::Pred::Up));
    LocalCode to = KindTable::kNotEnabled;
    if (reachable) to = c.table->next(next[p.component], p.event, facts(state, p.component));
    if (to >= KindTable::kGuardRejected) {
      if (!p.required) continue;
      if (changes) changes->resize(first_change);
      return std::nullopt;
    }
    if (changes) changes->push_back(Change{p.component, next[p.component], to});
    next[p.component] = to;
    fired = true;
  }
  if (!fired) return std::nullopt;
  return next;
}

Snapshot System::all_off() const { return Snapshot(components_.size(), KindTable::initial()); }

Snapshot System::all_up() const {
  Snapshot s = all_off();
  const auto& cluster = topology_.storage_cluster;
  std::set<std::string_view> founders_done;  // one Founder per Hazelcast group (by name)
  std::unordered_map<std::string_view, std::vector<std::size_t>> groups_of_host;  // in group order
  for (std::size_t g = 0; g < topology_.hazelcast.size(); ++g)
    for (const std::string& member : topology_.hazelcast[g].members) {
      auto& groups = groups_of_host[member];
      if (groups.empty() || groups.back() != g) groups.push_back(g);
    }
  for (ComponentIndex i = 0; i < components_.size(); ++i) {
    const Instance& c = components_[i];
    std::string name;
    switch (c.ref.kind) {
      case KindId::Vm: name = "Up"; break;
      case KindId::Service: name = "Running"; break;
      case KindId::Replication: name = "Streaming"; break;
      case KindId::ShareMount: name = "Mounted"; break;
      case KindId::Jboss:
      case KindId::Telephony: name = "Running"; break;
      case KindId::Router: {
        // A router with no backend pool has nothing to route to.
        const bool has_backends = std::any_of(topology_.pools.begin(), topology_.pools.end(), [&](const RouterPool& p) {
          return p.router == c.ref.host && !p.backends.empty();
        });
        name = has_backends ? "Routing" : "Queuing";
        break;
      }
      case KindId::Hazelcast: {
        name = "Member";
        const auto mine = groups_of_host.find(c.ref.host);
        if (mine == groups_of_host.end()) break;
        for (std::size_t g : mine->second)
          if (founders_done.insert(topology_.hazelcast[g].name).second) name = "Founder";
        break;
      }
      case KindId::Drbd: {
        const bool first = cluster->nodes[0] == c.ref.host;
        const bool primary = first || cluster->construction == DrbdConstruction::PrimaryPrimary;
        name = std::string("Connected ") + (primary ? "Primary" : "Secondary") + " UpToDate" + (first ? " mounted" : "");
        break;
      }
      case KindId::Pacemaker: name = cluster->nodes[0] == c.ref.host ? "Active quorate" : "Online quorate"; break;
      case KindId::Count: break;
    }
    auto code = c.table->code_of(name);
    if (!code) throw std::logic_error("all_up: " + c.ref.path() + " has no reachable state \"" + name + "\"");
    s[i] = *code;
  }
  return s;
}

std::string System::describe(const Snapshot& state, ComponentIndex component) const {
  return components_[component].ref.path() + " " + components_[component].table->name(state[component]);
}

}  // namespace acdsim::model
