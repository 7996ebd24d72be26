// Hazelcast member inside a web or telephony application (PlatformListener).
//
// States: Down, Joining (looking for a master among the configured members),
// Member (joined an existing cluster), Founder (became master of a new
// cluster; each Founder is one cluster).
//   Down     --app_started--> Joining
//   Joining  --join-->        Member   [peer_in_cluster]          (the master answers: join it)
//   Joining  --join-->        Founder  [!peer_in_cluster]          (no master: claim mastership)
//   Founder  --merge-->       Member   [other_founder]  (split-brain merge, after 300 s)
//   any      --leave-->       Down     (application stopped or host lost)
// Hazelcast's TCP/IP join (TcpIpJoiner): a starting member asks the configured
// members who the master is and joins it; when there is none, only the master
// candidate (lowest address among the members it reached) claims mastership,
// with every reachable member's consent, and the others wait for it and join.
// So members that reach each other form one cluster even when they start
// together. The model decides at the join (not at the start): the first
// Joining member whose join completes founds (the claim that wins; which one
// is left open, as the address order is), every later one finds its cluster.
// Two Founders (two clusters) need members that cannot reach each other (not
// modelled) or a state observed so; they heal by merge. docs/simulator.md
// "Hazelcast join" has the sources.
// Names: "Down", "Joining", "Member", "Founder".
#pragma once
#include "acdsim/model/machine.hpp"

namespace acdsim::model::hazelcast {

enum class Event : EventId { AppStarted, Join, Merge, Leave, Count };

namespace fact {
inline constexpr FactBits kPeerInCluster = 1u << 0;  // some other member is Member or Founder
inline constexpr FactBits kOtherFounder = 1u << 1;   // some other member is Founder
}

enum class Pred : PredicateId { Down, Joining, InCluster /* Member or Founder */, Founder, Count };

const KindSpec& kind();

}  // namespace acdsim::model::hazelcast
