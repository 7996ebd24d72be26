// Hazelcast member inside a web or telephony application (PlatformListener).
//
// States: Down, Joining (attribute saw_cluster: a peer was in a cluster when
// joining began), Member (joined an existing cluster), Founder (formed a
// cluster because no peer was reachable; each Founder is one cluster).
//   Down     --app_started--> Joining, saw_cluster = peer_in_cluster
//   Joining  --join-->        Member   [saw_cluster]
//   Joining  --join-->        Founder  [!saw_cluster]
//   Founder  --merge-->       Member   [other_founder]  (split-brain merge, after 300 s)
//   any      --leave-->       Down     (application stopped or host lost)
// Two Founders at once = two clusters (separate clusters heal by merge).
// Names: "Down", "Joining", "Joining saw-cluster", "Member", "Founder".
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
