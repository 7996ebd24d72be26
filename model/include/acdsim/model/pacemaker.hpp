// One node of a two-node pacemaker/corosync cluster running the storage
// resources (DRBD promotable clone, Filesystem, Samba, virtual IP, colocated
// with the DRBD Primary and ordered promote -> Filesystem -> Samba -> IP).
// The resource group is modelled per node: where it runs, it is Active.
//
// States: Offline (stack stopped), Online, Starting (resources starting
// here), Active (resources running here), Stopping (resources stopping here).
// Attributes:
//   quorate  two_node + wait_for_all: both nodes were seen together since
//            this node's stack started (stays set when the peer leaves later)
//   banned   a resource start failed here: failcount INFINITY, node banned
//            until `pcs resource cleanup` (transient: cleared when the stack stops)
//   standby  node in standby (a CIB attribute: survives stack restarts)
//   Offline  --cluster_start-->  Online, quorate = false        (pcs cluster start)
//   not Offline --cluster_stop--> Offline, quorate = banned = false (pcs cluster stop;
//                                 resources here are stopped with it)
//   not Offline --see_peer-->    quorate = true [peer_online && !quorate]
//   Online   --start_resources-->   Starting [quorate && !banned && !standby && !peer_has_resources]
//   Starting --resources_started--> Active   [drbd_ready]
//   Starting --resources_failed-->  Online, banned = true [!drbd_ready]  (Failed Action)
//   Starting --start_failed-->      Online, banned = true                (fault)
//   Active   --standby-->  Stopping, standby = true ; Online|Offline --standby--> standby = true
//   Stopping --stop_complete--> Online
//   any      --unstandby--> standby = false
//   any      --cleanup-->   banned = false                       (pcs resource cleanup)
//   any      --host_shutdown / host_lost--> Offline, quorate = banned = false
// Names: the state, then " quorate", " banned", " standby" when set.
#pragma once
#include "acdsim/model/machine.hpp"

namespace acdsim::model::pacemaker {

enum class Event : EventId {
  ClusterStart, ClusterStop, SeePeer, StartResources, ResourcesStarted, ResourcesFailed, StartFailed,
  Standby, StopComplete, Unstandby, Cleanup, HostShutdown, HostLost, Count
};

namespace fact {
inline constexpr FactBits kPeerOnline = 1u << 0;        // peer's cluster stack is running
inline constexpr FactBits kPeerHasResources = 1u << 1;  // peer is Starting, Active or Stopping
inline constexpr FactBits kDrbdReady = 1u << 2;         // local DRBD can carry the Filesystem now
}

enum class Pred : PredicateId {
  Offline, Online /* stack running */, Quorate, Starting, Active, Stopping, Banned, Standby,
  HasResources /* Starting, Active or Stopping */, Count
};

const KindSpec& kind();

}  // namespace acdsim::model::pacemaker
