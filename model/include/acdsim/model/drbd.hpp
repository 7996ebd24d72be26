// One node's view of a DRBD resource (8.4 semantics, DOMAIN.md section 2).
//
// Connection states (MSM states): Unconfigured (down: not attached, not
// connected), StandAlone, WFConnection, Connected, SyncSource, SyncTarget.
// Attributes:
//   role        Secondary | Primary
//   disk        UpToDate | Outdated | Inconsistent | Consistent   (metadata, kept across down/up;
//               shown as the disk state; "Diskless" is implied by Unconfigured)
//   mounted     the device is held open (filesystem mounted)
//   diverged    this node wrote as Primary while not connected to its peer
//   split_brain detected at the last handshake (node is StandAlone)
//   discard     `connect --discard-my-data` is pending
//   lost_writes this node's own writes were thrown away (sticky: data loss happened)
//   frozen      I/O suspended: the link broke while Primary under `fencing resource-and-stonith`
//               (fact fencing) and the fence-peer handler has not returned yet
//
// Outdated: a Secondary that leaves a Linked Primary gracefully (down, disconnect, clean host
// shutdown, all [peer_primary]; down and shutdown demote first, so a Primary leaving a
// dual-primary peer counts) marks its own good disk Outdated (DOMAIN.md 3a); primary is
// refused on it and pacemaker sees no master score. Consistent is never produced: DRBD 8.4
// attaches a consistent disk as UpToDate unless DRBD fencing is on and the peer is not known
// Outdated, a distinction the model does not keep.
//
// Linked = Connected | SyncSource | SyncTarget.
//   Unconfigured --up-->        WFConnection, role Secondary            (drbdadm up)
//   configured   --down-->      Unconfigured, role Secondary [!mounted]  (drbdadm down; clears split_brain, discard,
//                               frozen; Outdated when leaving a Linked Primary as Secondary)
//   configured   --primary-->   role Primary  [disk UpToDate && state != SyncTarget &&
//                                              (!(peer_primary && Linked) || allow_two_primaries)]
//                               and diverged = true when not Linked; discard = false
//                               (DRBD 8.4 drbd_set_role drops a pending --discard-my-data)
//   configured   --secondary--> role Secondary [!mounted]
//   StandAlone   --connect-->   WFConnection (split_brain cleared)
//   StandAlone   --connect_discard--> WFConnection, discard = true [role Secondary] (split_brain cleared)
//   WFConnection|Linked --disconnect--> StandAlone (diverged = true if Primary; discard = false:
//                               the flag is a net option of the connection that is torn down;
//                               frozen = false; Outdated when leaving a Linked Primary as Secondary)
//   WFConnection --handshake--> (fired together on both nodes; guards exclusive; every outcome
//                               clears discard: the flag belongs to one connection attempt)
//       diverged && peer_diverged (split brain detected):
//         discard && !peer_discard      -> SyncTarget, disk Inconsistent, lost_writes = true,
//                                          diverged = false                 (the victim)
//         peer_discard && !discard      -> SyncSource, diverged = false     (the survivor)
//         otherwise (neither or both)   -> StandAlone, split_brain = true
//       diverged                        -> SyncSource, diverged = false
//       peer_diverged                   -> SyncTarget, disk Inconsistent
//       disk UpToDate && peer_uptodate  -> Connected
//       disk UpToDate && !peer_uptodate -> SyncSource
//       !UpToDate && peer_uptodate      -> SyncTarget, disk Inconsistent
//       neither UpToDate                -> Connected (nothing to sync from)
//     As in DRBD 8.4, --discard-my-data matters only when a split brain is detected.
//     handshake is only enabled with [peer_waiting].
//   SyncSource   --sync_done--> Connected                    (fired together with the SyncTarget)
//   SyncTarget   --sync_done--> Connected, disk UpToDate
//   Linked       --peer_gone--> WFConnection [!peer_linked]  (peer went down; diverged = true if Primary)
//   Linked       --link_loss--> WFConnection                 (fault; if Primary: frozen = true with
//                               [fencing], else diverged = true)
//   StandAlone|WFConnection --resume--> frozen = false, diverged = true if Primary [frozen]
//                               (the fence-peer handler returned: the peer was fenced or outdated)
//   Unconfigured|WFConnection --outdate--> disk Outdated [Secondary, disk UpToDate|Consistent,
//                               !diverged, !discard] (the peer's fence-peer handler outdated this node)
//   secondary is also refused while frozen; for the handshake a frozen node counts as diverged.
//   configured   --mount-->     mounted [role Primary]
//   configured   --unmount-->   not mounted [mounted]
//   any          --host_shutdown / host_lost--> Unconfigured, Secondary, not mounted
//                               (clears split_brain, discard, frozen; disk, diverged, lost_writes kept;
//                               a clean shutdown outdates like down)
//   Every handshake outcome also clears frozen (the connection is back).
// Names: "<State> <Role> <Disk>" then, when set, " mounted", " diverged",
// " split-brain", " discard", " lost-writes", " frozen". E.g. "WFConnection Primary UpToDate mounted diverged".
// Predicates uptodate / inconsistent read the disk attribute (the metadata), also while Unconfigured.
#pragma once
#include "acdsim/model/machine.hpp"

namespace acdsim::model::drbd {

enum class Event : EventId {
  Up, Down, Primary, Secondary, Connect, ConnectDiscard, Disconnect, Handshake, SyncDone,
  PeerGone, LinkLoss, Mount, Unmount, HostShutdown, HostLost, Resume, Outdate, Count
};

namespace fact {
inline constexpr FactBits kPeerPrimary = 1u << 0;
inline constexpr FactBits kPeerLinked = 1u << 1;     // peer is Connected, SyncSource or SyncTarget
inline constexpr FactBits kPeerWaiting = 1u << 2;    // peer is in WFConnection
inline constexpr FactBits kPeerDiverged = 1u << 3;
inline constexpr FactBits kPeerUpToDate = 1u << 4;   // peer's disk is UpToDate
inline constexpr FactBits kPeerDiscard = 1u << 5;    // peer has discard pending
inline constexpr FactBits kAllowTwoPrimaries = 1u << 6;  // resource option (topology parameter)
inline constexpr FactBits kFencing = 1u << 7;  // `fencing resource-and-stonith` (topology: stonith)
}

enum class Pred : PredicateId {
  Unconfigured, StandAlone, WFConnection, Connected, SyncSource, SyncTarget, Linked,
  Primary, Secondary, UpToDate, Inconsistent, Mounted, Diverged, SplitBrain, LostWrites,
  Promotable,  // configured, disk UpToDate, not SyncTarget: the linbit agent publishes a master
               // score (1000 or 10000); Inconsistent, Outdated and SyncTarget get none
  Discard,     // connect --discard-my-data pending (a peer's kPeerDiscard is computed from it)
  Outdated,    // disk Outdated (metadata, also while Unconfigured)
  Frozen,      // I/O suspended until the fence-peer handler returns
  Count
};

const KindSpec& kind();

}  // namespace acdsim::model::drbd
