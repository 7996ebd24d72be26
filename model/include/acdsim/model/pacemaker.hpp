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
//   partitioned  the corosync link to the peer is lost (a property of the network: survives
//            stack and host restarts; cleared when the network heals). The node no longer sees
//            the peer: it cannot gain quorum from it, and it starts the resources although the
//            peer holds them when STONITH is off (the peer counts as gone), or only once the
//            peer has been fenced (its stack is down) when STONITH is on.
//   Offline  --cluster_start-->  Online, quorate = false        (pcs cluster start)
//   not Offline --cluster_stop--> Offline, quorate = banned = false (pcs cluster stop;
//                                 resources here are stopped with it)
//   not Offline --see_peer-->    quorate = true [peer_online && !quorate && !partitioned]
//   Online   --start_resources-->   Starting [(quorate || ignore_quorum) && !banned && !standby && clear]
//            clear = partitioned ? (!stonith || !peer_online) : !peer_has_resources
//            (behind a partition the peer is unclean: with STONITH it must be fenced first)
//   Starting --resources_started--> Active   [ready], ready = drbd_ready && (!peer_drbd_primary || partitioned)
//   Starting --resources_failed-->  Online, banned = true [!ready]  (Failed Action)
//   Starting --start_failed-->      Online, banned = true                (fault)
//   Active   --standby-->  Stopping, standby = true ; Online|Offline --standby--> standby = true
//   Stopping --stop_complete--> Online
//   any      --unstandby--> standby = false
//   any      --cleanup-->   banned = false                       (pcs resource cleanup)
//   any      --host_shutdown / host_lost--> Offline, quorate = banned = false
//   any      --partition--> partitioned = true [!partitioned]   (corosync link lost: fault)
//   any      --heal-->      partitioned = false [partitioned]   (the network is back)
// no-quorum-policy: only `ignore` (fact ignore_quorum) changes a two_node cluster's behaviour:
// a node that had quorum keeps it alone (votequorum two_node), so quorum is only ever missing
// before wait_for_all was met, where stop, demote and freeze all start nothing (measured,
// DOMAIN.md 3a). The DRBD clone itself is started and stopped by System moves (system_moves.cpp).
// Names: the state, then " quorate", " banned", " standby" when set.
#pragma once
#include "acdsim/model/machine.hpp"

namespace acdsim::model::pacemaker {

enum class Event : EventId {
  ClusterStart, ClusterStop, SeePeer, StartResources, ResourcesStarted, ResourcesFailed, StartFailed,
  Standby, StopComplete, Unstandby, Cleanup, HostShutdown, HostLost, Partition, Heal, Count
};

namespace fact {
inline constexpr FactBits kPeerOnline = 1u << 0;        // peer's cluster stack is running
inline constexpr FactBits kPeerHasResources = 1u << 1;  // peer is Starting, Active or Stopping
inline constexpr FactBits kDrbdReady = 1u << 2;         // local DRBD can carry the Filesystem now
                                                        // (managed: has a master score; by hand: Primary)
inline constexpr FactBits kPeerDrbdPrimary = 1u << 3;   // peer's DRBD is Primary (managed, one Primary only)
inline constexpr FactBits kStonith = 1u << 4;           // stonith-enabled (topology parameter)
inline constexpr FactBits kIgnoreQuorum = 1u << 5;      // no-quorum-policy=ignore (topology parameter)
}

enum class Pred : PredicateId {
  Offline, Online /* stack running */, Quorate, Starting, Active, Stopping, Banned, Standby,
  HasResources /* Starting, Active or Stopping */, Partitioned, Count
};

const KindSpec& kind();

}  // namespace acdsim::model::pacemaker
