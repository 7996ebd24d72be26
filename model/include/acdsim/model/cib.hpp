// The storage cluster as Pacemaker's CIB sees it (docs/fidelity.md).
//
// `acdsim export cib` writes the configuration (nodes, the DRBD promotable clone with the
// linbit agent, Filesystem, Samba + virtual IP group, the constraints of shared/cib/cib-jtel.xml,
// no-quorum-policy, stonith-enabled, resource-stickiness) and a <status> section for one model
// state, so Pacemaker's own scheduler (crm_simulate) can say what it would do from there.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/topology.hpp"

namespace acdsim::model::cib {

enum class InstanceRole { Stopped, Unpromoted, Promoted };
std::string_view to_string(InstanceRole role);

// One DRBD instance as the linbit agent reads it (`drbdadm` connection state, role, disk).
struct DrbdView {
  bool configured = false;  // not Unconfigured (the agent's instance is running)
  std::string connection;   // StandAlone, WFConnection, Connected, SyncSource, SyncTarget
  bool primary = false;
  std::string disk;         // UpToDate, Consistent, Outdated, Inconsistent
};
// Reads "<State> <Role> <Disk> ..." (the drbd kind's state names).
DrbdView drbd_view(std::string_view state_name);

// The agent's master score, adjust_master_score "0 10 1000 10000" (shared/DOMAIN.md 3a):
// Consistent alone 0; Consistent with a connected peer 10; UpToDate Secondary with the peer
// unknown 1000; UpToDate and Primary or connected 10000. None (not promotable) while stopped,
// Inconsistent, Outdated or SyncTarget.
std::optional<int> master_score(const DrbdView& drbd);

struct NodeStatus {
  std::string name;
  bool online = false;                // cluster member (VM up and the stack running)
  bool standby = false;               // node attribute standby=on
  InstanceRole drbd = InstanceRole::Stopped;
  std::optional<int> master_score;    // transient attribute master-<resource>
  bool share_running = false;         // Filesystem, Samba and the virtual IP run here
  bool start_failed = false;          // a Filesystem start failed here: fail-count INFINITY (banned)
};

struct ClusterStatus {
  bool quorum = true;                 // have-quorum on <cib>
  std::array<NodeStatus, 2> nodes;
};

// The status of the topology's storage cluster in a model state. Throws std::invalid_argument
// when the topology has no storage cluster.
ClusterStatus status_of(const System& system, const Snapshot& state);

// The whole CIB (configuration and status) as XML text.
std::string cib_xml(const StorageCluster& cluster, const ClusterStatus& status);

}  // namespace acdsim::model::cib
