// The moves of a System: what the environment does by itself (boots finish,
// services start, replication connects, DRBD handshakes, ...), which faults
// can strike, and what each operator action does.
#include <algorithm>
#include <stdexcept>

#include "acdsim/model/actions.hpp"
#include "acdsim/model/app_server.hpp"
#include "acdsim/model/drbd.hpp"
#include "acdsim/model/hazelcast.hpp"
#include "acdsim/model/pacemaker.hpp"
#include "acdsim/model/replication.hpp"
#include "acdsim/model/router.hpp"
#include "acdsim/model/service.hpp"
#include "acdsim/model/share_mount.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/vm.hpp"

namespace acdsim::model {
namespace {

template <class E>
Participant part(ComponentIndex c, E e, bool required = true) {
  return Participant{c, static_cast<EventId>(e), required, false};
}
template <class P>
Term term(ComponentIndex c, P p, bool negated = false) {
  return Term{c, static_cast<PredicateId>(p), negated};
}
}  // namespace

// Everything on a host reacting to its OS shutting down (clean) or its power
// going away (not clean), after the VM's own event.
Move System::host_cascade(MoveClass cls, std::string label, std::string_view alias, bool clean) const {
  Move m{cls, std::move(label), {}, {}};
  const ComponentIndex vm = *vm_of(alias);
  m.participants.push_back(part(vm, clean ? vm::Event::Shutdown : (cls == MoveClass::Fault ? vm::Event::Crash : vm::Event::PowerOff)));
  for (ComponentIndex i : on_host(alias)) {
    switch (components_[i].ref.kind) {
      case KindId::Hazelcast: m.participants.push_back(part(i, hazelcast::Event::Leave, false)); break;
      case KindId::Jboss:
      case KindId::Telephony:
        m.participants.push_back(part(i, clean ? app_server::Event::HostShutdown : app_server::Event::HostLost, false));
        break;
      case KindId::Service:
        m.participants.push_back(part(i, clean ? service::Event::HostShutdown : service::Event::HostLost, false));
        break;
      case KindId::Replication: m.participants.push_back(part(i, replication::Event::ServerDown, false)); break;
      case KindId::ShareMount:
        // A clean shutdown unmounts remote file systems only after the units
        // that use them stopped (remote-fs.target): see "shutdown complete".
        if (!clean) m.participants.push_back(part(i, share_mount::Event::HostLost, false));
        break;
      case KindId::Router:
        m.participants.push_back(part(i, clean ? router::Event::HostShutdown : router::Event::HostLost, false));
        break;
      case KindId::Pacemaker:
        m.participants.push_back(part(i, clean ? pacemaker::Event::HostShutdown : pacemaker::Event::HostLost, false));
        break;
      case KindId::Drbd:
        m.participants.push_back(part(i, clean ? drbd::Event::HostShutdown : drbd::Event::HostLost, false));
        break;
      case KindId::Vm:
      case KindId::Count: break;
    }
  }
  return m;
}

void System::build_moves() {
  const Topology& t = topology_;
  const bool managed = t.storage_cluster && t.storage_cluster->drbd_managed_by_pacemaker;
  auto env = [&](std::string label, std::vector<Participant> parts, std::vector<Term> requires_ = {}) {
    environment_.push_back(Move{MoveClass::Environment, std::move(label), std::move(requires_), std::move(parts)});
  };
  auto fault = [&](std::string label, std::vector<Participant> parts) {
    faults_.push_back(Move{MoveClass::Fault, std::move(label), {}, std::move(parts)});
  };
  auto local = [&](ComponentIndex near, std::string_view name) -> std::optional<ComponentIndex> {
    return find(components_[near].ref.host + "/" + std::string(name));
  };

  for (const Host& h : t.hosts) {
    const ComponentIndex vm = *vm_of(h.alias);
    Move boot{MoveClass::Environment, h.alias + ": boot complete", {}, {part(vm, vm::Event::BootComplete)}};
    Move off{MoveClass::Environment, h.alias + ": shutdown complete", {}, {part(vm, vm::Event::ShutdownComplete)}};
    // At boot the share is mounted first (remote-fs.target), then units start;
    // at shutdown it is unmounted last, once the units stopped: a host that is
    // shutting down still holds its share until it is off (DOMAIN.md 5).
    for (ComponentIndex i : on_host(h.alias))
      if (components_[i].ref.kind == KindId::ShareMount) {
        boot.participants.push_back(part(i, share_mount::Event::HostBooted, false));
        off.participants.push_back(part(i, share_mount::Event::HostShutdown, false));
      }
    for (ComponentIndex i : on_host(h.alias)) {
      switch (components_[i].ref.kind) {
        case KindId::Service: boot.participants.push_back(part(i, service::Event::HostBooted, false)); break;
        case KindId::Jboss:
        case KindId::Telephony: boot.participants.push_back(part(i, app_server::Event::HostBooted, false)); break;
        case KindId::Router: boot.participants.push_back(part(i, router::Event::HostBooted, false)); break;
        case KindId::Pacemaker:
          if (t.storage_cluster->pacemaker_autostart)
            boot.participants.push_back(part(i, pacemaker::Event::ClusterStart, false));
          break;
        default: break;
      }
    }
    environment_.push_back(std::move(boot));
    environment_.push_back(std::move(off));
    faults_.push_back(host_cascade(MoveClass::Fault, h.alias + ": VM crashes", h.alias, false));
  }

  for (ComponentIndex i = 0; i < components_.size(); ++i) {
    const std::string path = components_[i].ref.path();
    switch (components_[i].ref.kind) {
      case KindId::Service: {
        Move started{MoveClass::Environment, path + ": start complete", {}, {part(i, service::Event::StartComplete)}};
        // Replication threads start with the server (no START SLAVE needed).
        for (ComponentIndex r : on_host(components_[i].ref.host))
          if (components_[r].ref.kind == KindId::Replication)
            started.participants.push_back(part(r, replication::Event::ServerUp, false));
        environment_.push_back(std::move(started));
        env(path + ": stop complete", {part(i, service::Event::StopComplete)});
        fault(path + ": start fails", {part(i, service::Event::StartFailed)});
        break;
      }
      case KindId::Replication:
        env(path + ": IO thread connects", {part(i, replication::Event::Connected)});
        env(path + ": master lost", {part(i, replication::Event::MasterLost)});
        fault(path + ": SQL thread error", {part(i, replication::Event::SqlError)});
        break;
      case KindId::ShareMount:
        env(path + ": storage lost", {part(i, share_mount::Event::StorageLost)});
        env(path + ": storage back", {part(i, share_mount::Event::StorageBack)});
        break;
      case KindId::Jboss:
      case KindId::Telephony: {
        auto hz = local(i, "hazelcast");
        std::vector<Participant> started{part(i, app_server::Event::StartComplete)};
        std::vector<Participant> failed{part(i, app_server::Event::StartFailed)};
        if (hz) {
          started.push_back(part(*hz, hazelcast::Event::AppStarted, false));
          failed.push_back(part(*hz, hazelcast::Event::Leave, false));
        }
        env(path + ": start complete", std::move(started));
        env(path + ": deployment complete", {part(i, app_server::Event::DeployComplete)});
        env(path + ": dependency lost", {part(i, app_server::Event::DepsLost)});
        env(path + ": dependencies back", {part(i, app_server::Event::DepsBack)});
        env(path + ": stop complete", {part(i, app_server::Event::StopComplete)});
        fault(path + ": start fails", std::move(failed));
        break;
      }
      case KindId::Hazelcast:
        env(path + ": join completes", {part(i, hazelcast::Event::Join)});
        env(path + ": clusters merge", {part(i, hazelcast::Event::Merge)});
        break;
      case KindId::Router:
        env(path + ": backends in service", {part(i, router::Event::BackendsUp)});
        env(path + ": no backend in service", {part(i, router::Event::BackendsGone)});
        break;
      case KindId::Drbd: {
        const auto& nodes = t.storage_cluster->nodes;
        const bool first = components_[i].ref.host == nodes[0];
        const ComponentIndex peer = *find(nodes[first ? 1 : 0] + "/drbd");
        if (first) {
          // No handshake across a network partition (the pacemaker nodes keep the partition).
          env("DRBD " + t.storage_cluster->resource + ": handshake",
              {part(i, drbd::Event::Handshake), part(peer, drbd::Event::Handshake)},
              {term(*local(i, "pacemaker"), pacemaker::Pred::Partitioned, true)});
          env("DRBD " + t.storage_cluster->resource + ": resync finished",
              {part(i, drbd::Event::SyncDone), part(peer, drbd::Event::SyncDone)});
          fault("DRBD " + t.storage_cluster->resource + ": replication link lost",
                {part(i, drbd::Event::LinkLoss), part(peer, drbd::Event::LinkLoss)});
        }
        env(path + ": notices peer gone", {part(i, drbd::Event::PeerGone)});
        const ComponentIndex pcmk = *local(i, "pacemaker");
        if (managed) {
          // The clone runs only on a node that is online, not in standby and has quorum (or
          // no-quorum-policy=ignore): measured, DOMAIN.md 3a.
          std::vector<Term> may_run{term(pcmk, pacemaker::Pred::Online), term(pcmk, pacemaker::Pred::Standby, true),
                                    term(i, drbd::Pred::Unconfigured)};
          if (t.storage_cluster->no_quorum_policy != NoQuorumPolicy::Ignore)
            may_run.push_back(term(pcmk, pacemaker::Pred::Quorate));
          env(path + ": pacemaker starts the DRBD clone", {part(i, drbd::Event::Up)}, std::move(may_run));
          // Standby stops the instance too ("due to node availability"), once the Filesystem
          // is stopped there: the agent's stop demotes and runs drbdadm down.
          env(path + ": pacemaker stops the DRBD clone (node in standby)", {part(i, drbd::Event::Down)},
              {term(pcmk, pacemaker::Pred::Online), term(pcmk, pacemaker::Pred::Standby),
               term(pcmk, pacemaker::Pred::HasResources, true), term(i, drbd::Pred::Unconfigured, true)});
        }
        if (t.storage_cluster->stonith) {
          // fencing resource-and-stonith: with the corosync link up, crm-fence-peer places a
          // constraint against the peer's promotion (read here: the peer is Outdated) and I/O resumes.
          env(path + ": fence-peer handler outdates the peer", {part(i, drbd::Event::Resume), part(peer, drbd::Event::Outdate, false)},
              {term(pcmk, pacemaker::Pred::Online), term(pcmk, pacemaker::Pred::Partitioned, true)});
        }
        break;
      }
      case KindId::Pacemaker: {
        const ComponentIndex d = *local(i, "drbd");
        const auto& nodes = t.storage_cluster->nodes;
        const bool first = components_[i].ref.host == nodes[0];
        const std::string& peer_host = nodes[first ? 1 : 0];
        const ComponentIndex peer = *find(peer_host + "/pacemaker");
        if (first) {
          // A partition between the two nodes cuts corosync and the DRBD link (one network).
          fault("network between " + nodes[0] + " and " + nodes[1] + " lost (corosync and DRBD)",
                {part(i, pacemaker::Event::Partition, false), part(peer, pacemaker::Event::Partition, false),
                 part(d, drbd::Event::LinkLoss, false), part(*find(peer_host + "/drbd"), drbd::Event::LinkLoss, false)});
          env("network between " + nodes[0] + " and " + nodes[1] + " back",
              {part(i, pacemaker::Event::Heal, false), part(peer, pacemaker::Event::Heal, false)});
        }
        if (t.storage_cluster->stonith) {
          // STONITH: a node that lost sight of its (quorate) peer fences it before it runs
          // anything the peer may hold; whichever is faster wins, the other is powered off.
          std::vector<Term> can_fence{term(i, pacemaker::Pred::Online), term(i, pacemaker::Pred::Partitioned),
                                      term(peer, pacemaker::Pred::Quorate)};
          if (t.storage_cluster->no_quorum_policy != NoQuorumPolicy::Ignore) can_fence.push_back(term(i, pacemaker::Pred::Quorate));
          Move fence = host_cascade(MoveClass::Environment, components_[i].ref.host + " fences " + peer_host + " (STONITH)",
                                    peer_host, false);
          fence.requires_ = std::move(can_fence);
          fence.participants.push_back(part(d, drbd::Event::Resume, false));  // the handler returns
          // ... having barred the fenced node from promotion until it resynced (crm-fence-peer).
          fence.participants.push_back(part(*find(peer_host + "/drbd"), drbd::Event::Outdate, false));
          environment_.push_back(std::move(fence));
        }
        env(path + ": sees peer (quorum)", {part(i, pacemaker::Event::SeePeer)});
        env(path + ": starts storage resources", {part(i, pacemaker::Event::StartResources)});
        std::vector<Participant> up{part(i, pacemaker::Event::ResourcesStarted)};
        if (managed) up.push_back(part(d, drbd::Event::Primary));
        up.push_back(part(d, drbd::Event::Mount));
        // fencing resource-and-stonith: promoted while the peer's disk is unknown (not linked),
        // the fence-peer handler (crm-fence-peer) bars the peer from promotion until it resynced:
        // read as outdating it (outdate applies only to a disconnected Secondary).
        if (managed && t.storage_cluster->stonith)
          up.push_back(part(*find(peer_host + "/drbd"), drbd::Event::Outdate, false));
        env(path + ": storage resources started (Filesystem, Samba, IP)", std::move(up));
        // By hand, a Filesystem start on a non-Primary device fails (failed action,
        // ban). Managed, the DRBD agent gives no master score without UpToDate
        // data, so pacemaker does not try to promote: it waits instead.
        if (!managed) env(path + ": storage resource start failed", {part(i, pacemaker::Event::ResourcesFailed)});
        std::vector<Participant> down{part(i, pacemaker::Event::StopComplete), part(d, drbd::Event::Unmount, false)};
        if (managed) down.push_back(part(d, drbd::Event::Secondary, false));
        env(path + ": storage resources stopped", std::move(down));
        fault(path + ": resource start fails", {part(i, pacemaker::Event::StartFailed)});
        break;
      }
      case KindId::Vm:
      case KindId::Count: break;
    }
  }
}

Move System::command(std::string_view action, std::string_view target) const {
  const ActionSpec* spec = find_action(action);
  if (!spec) throw std::invalid_argument("unknown action " + std::string(action));
  const std::string label = std::string(action) + " " + std::string(target);
  auto reach = [](Participant p) {
    p.needs_host_up = true;
    return p;
  };
  if (spec->target == TargetType::None) return Move{MoveClass::Command, label, {}, {}};
  if (spec->target == TargetType::Host) {
    auto vm = vm_of(target);
    if (!vm) throw std::invalid_argument("no host " + std::string(target));
    if (action == "power_on") return Move{MoveClass::Command, label, {}, {part(*vm, vm::Event::PowerOn)}};
    Move m = host_cascade(MoveClass::Command, label, target, action == "shutdown");
    m.move_class = MoveClass::Command;
    return m;
  }
  const auto& cluster = topology_.storage_cluster;
  if (spec->target == TargetType::Cluster) {
    std::vector<std::string> nodes;
    if (cluster && target == "cluster:" + cluster->name) nodes = cluster->nodes;
    else nodes.emplace_back(target.substr(0, target.find('/')));
    const bool managed = cluster && cluster->drbd_managed_by_pacemaker;
    Move m{MoveClass::Command, label, {}, {}};
    for (const std::string& node : nodes) {
      auto p = find(node + "/pacemaker");
      if (!p) throw std::invalid_argument(node + " is not a pacemaker node");
      const ComponentIndex d = *find(node + "/drbd");
      const bool required = nodes.size() == 1;  // --all skips nodes it cannot reach
      if (action == "pcs_cluster_start") {
        m.participants.push_back(reach(part(*p, pacemaker::Event::ClusterStart, required)));
      } else if (action == "pcs_cluster_stop") {
        m.participants.push_back(reach(part(*p, pacemaker::Event::ClusterStop, required)));
        m.participants.push_back(reach(part(d, drbd::Event::Unmount, false)));
        if (managed) {
          m.participants.push_back(reach(part(d, drbd::Event::Secondary, false)));
          m.participants.push_back(reach(part(d, drbd::Event::Down, false)));
        }
      } else {
        m.participants.push_back(reach(part(*p, pacemaker::Event::Cleanup, required)));
      }
    }
    return m;
  }
  // Component actions.
  std::optional<ComponentIndex> c = find(target);
  if (!c) {
    for (ComponentIndex i : on_host(target))
      if (components_[i].ref.kind == spec->kind) c = i;
  }
  if (!c || components_[*c].ref.kind != spec->kind)
    throw std::invalid_argument("action " + std::string(action) + " needs a " + std::string(kind_spec(spec->kind).name) +
                                " component, target " + std::string(target) + " has none");
  const ComponentIndex i = *c;
  Move m{MoveClass::Command, label, {}, {}};
  auto add = [&](auto event, bool required = true) { m.participants.push_back(reach(part(i, event, required))); };
  auto also = [&](std::optional<ComponentIndex> other, auto event) {
    if (other) m.participants.push_back(reach(part(*other, event, false)));
  };
  const std::string_view a = action;
  if (a == "systemctl_start") add(service::Event::Start);
  else if (a == "systemctl_stop") {
    add(service::Event::Stop);
    for (ComponentIndex r : on_host(components_[i].ref.host))
      if (components_[r].ref.kind == KindId::Replication) also(r, replication::Event::ServerDown);
  }
  else if (a == "stop_slave") add(replication::Event::StopSlave);
  else if (a == "start_slave") add(replication::Event::StartSlave);
  else if (a == "mount_share") add(share_mount::Event::Remount);
  else if (a == "app_start" || a == "telephony_start") add(app_server::Event::Start);
  else if (a == "app_stop" || a == "telephony_stop") {
    add(app_server::Event::Stop);
    also(find(components_[i].ref.host + "/hazelcast"), hazelcast::Event::Leave);
  }
  else if (a == "app_drain") add(app_server::Event::Drain);
  else if (a == "app_resume") add(app_server::Event::Resume);
  else if (a == "app_update_edition") add(app_server::Event::UpdateEdition);
  else if (a == "router_switch_edition") add(router::Event::SwitchEdition);
  else if (a == "router_manual_mode") add(router::Event::ManualMode);
  else if (a == "router_auto_mode") add(router::Event::AutoMode);
  else if (a == "drbdadm_up") add(drbd::Event::Up);
  else if (a == "drbdadm_down") add(drbd::Event::Down);
  else if (a == "drbdadm_primary") add(drbd::Event::Primary);
  else if (a == "drbdadm_secondary") add(drbd::Event::Secondary);
  else if (a == "drbdadm_connect") add(drbd::Event::Connect);
  else if (a == "drbdadm_connect_discard") add(drbd::Event::ConnectDiscard);
  else if (a == "drbdadm_disconnect") add(drbd::Event::Disconnect);
  else if (a == "pcs_node_standby") add(pacemaker::Event::Standby);
  else if (a == "pcs_node_unstandby") add(pacemaker::Event::Unstandby);
  else throw std::logic_error("action " + std::string(action) + " has no model mapping");
  return m;
}

}  // namespace acdsim::model
