#include "acdsim/model/pacemaker.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "machine_test_support.hpp"

namespace acdsim::model {
namespace {

using pacemaker::Event;
using pacemaker::Pred;
using test_support::id;
using Step = test_support::Step<Event>;
using Path = test_support::Path<Event>;

constexpr FactBits kPeerOnline = pacemaker::fact::kPeerOnline;
constexpr FactBits kPeerHasResources = pacemaker::fact::kPeerHasResources;
constexpr FactBits kDrbdReady = pacemaker::fact::kDrbdReady;
constexpr FactBits kPeerDrbdPrimary = pacemaker::fact::kPeerDrbdPrimary;
constexpr FactBits kStonith = pacemaker::fact::kStonith;
constexpr FactBits kIgnoreQuorum = pacemaker::fact::kIgnoreQuorum;
constexpr FactBits kAllFacts = (1u << 6) - 1;

constexpr std::size_t kEventCount = static_cast<std::size_t>(Event::Count);

std::string event_name(Event e) { return std::string(pacemaker::kind().events[id(e)]); }

// A machine driven along path from the initial state (every step must be Taken).
std::unique_ptr<Machine> reach(const Path& path) { return test_support::machine_in(pacemaker::kind(), path); }

const Path kOnline = {{Event::ClusterStart}};
const Path kQuorate = kOnline + Path{{Event::SeePeer, kPeerOnline}};
const Path kStarting = kQuorate + Path{{Event::StartResources}};
const Path kActive = kStarting + Path{{Event::ResourcesStarted, kDrbdReady}};
const Path kStopping = kActive + Path{{Event::Standby}};
const Path kBanned = kStarting + Path{{Event::StartFailed}};
const Path kPartitioned = kQuorate + Path{{Event::Partition}};

TEST(PacemakerMachine, TableSizes) {
  EXPECT_EQ(pacemaker::kind().name, "pacemaker");
  EXPECT_EQ(pacemaker::kind().msm_states, 5u);
  EXPECT_EQ(pacemaker::kind().msm_rows, 47u);
  EXPECT_EQ(pacemaker::kind().events.size(), kEventCount);
  EXPECT_EQ(pacemaker::kind().facts.size(), 6u);
  EXPECT_EQ(pacemaker::kind().predicates.size(), static_cast<std::size_t>(Pred::Count));
}

TEST(PacemakerMachine, NamesFollowTheConvention) {
  const auto& k = pacemaker::kind();
  EXPECT_EQ(k.events[id(Event::ClusterStart)], "cluster_start");
  EXPECT_EQ(k.events[id(Event::ResourcesFailed)], "resources_failed");
  EXPECT_EQ(k.events[id(Event::HostLost)], "host_lost");
  EXPECT_EQ(k.facts[1], "peer_has_resources");
  EXPECT_EQ(k.facts[2], "drbd_ready");
  EXPECT_EQ(k.predicates[id(Pred::HasResources)], "has_resources");
  EXPECT_EQ(k.predicates[id(Pred::Quorate)], "quorate");
}

TEST(PacemakerMachine, StartsOffline) {
  auto m = pacemaker::kind().make_initial();
  EXPECT_EQ(m->state_name(), "Offline");
  EXPECT_TRUE(m->holds(id(Pred::Offline)));
  EXPECT_FALSE(m->holds(id(Pred::Online)));
  EXPECT_FALSE(m->holds(id(Pred::Quorate)));
  EXPECT_FALSE(m->holds(id(Pred::HasResources)));
}

TEST(PacemakerMachine, WaitForAllKeepsANodeStartedAloneWithoutQuorum) {
  auto m = pacemaker::kind().make_initial();
  EXPECT_EQ(m->process(id(Event::ClusterStart), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Online");
  EXPECT_TRUE(m->holds(id(Pred::Online)));
  // The peer never shows up.
  for (FactBits f : {FactBits{0}, kPeerHasResources | kDrbdReady}) {
    EXPECT_EQ(m->process(id(Event::SeePeer), f), Outcome::GuardRejected);
    EXPECT_EQ(m->process(id(Event::StartResources), f), Outcome::GuardRejected);
  }
  EXPECT_EQ(m->state_name(), "Online");
  EXPECT_FALSE(m->holds(id(Pred::Quorate)));
  // Both online at once: quorate, and it stays so when the peer leaves later.
  EXPECT_EQ(m->process(id(Event::SeePeer), kPeerOnline), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Online quorate");
  EXPECT_TRUE(m->holds(id(Pred::Quorate)));
  EXPECT_EQ(m->process(id(Event::SeePeer), kPeerOnline), Outcome::GuardRejected);  // already quorate
  EXPECT_EQ(m->process(id(Event::StartResources), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Starting quorate");
}

TEST(PacemakerMachine, SeePeerInEveryRunningState) {
  // Quorum cannot be missing in Starting/Active/Stopping (they need it), so there the guard only
  // rejects; in Online it is taken once.
  for (const Path& p : {kStarting, kActive, kStopping}) {
    auto m = reach(p);
    const std::string before = m->state_name();
    EXPECT_EQ(m->process(id(Event::SeePeer), kAllFacts), Outcome::GuardRejected) << before;
    EXPECT_EQ(m->state_name(), before);
  }
  // After a restart of the stack, quorum must be regained.
  auto m = reach(kActive + Path{{Event::ClusterStop}, {Event::ClusterStart}});
  EXPECT_EQ(m->state_name(), "Online");
  EXPECT_EQ(m->process(id(Event::SeePeer), kPeerOnline), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Online quorate");
}

TEST(PacemakerMachine, StartResourcesGuards) {
  struct Case {
    Path path;
    FactBits facts;
    Outcome outcome;
  };
  const std::vector<Case> cases = {
      {kQuorate, 0, Outcome::Taken},
      {kQuorate, kPeerOnline | kDrbdReady, Outcome::Taken},
      {kOnline, 0, Outcome::GuardRejected},                         // not quorate
      {kQuorate, kPeerHasResources, Outcome::GuardRejected},        // runs on the peer
      {kBanned, 0, Outcome::GuardRejected},                         // failcount INFINITY here
      {kQuorate + Path{{Event::Standby}}, 0, Outcome::GuardRejected},  // standby
      {kBanned + Path{{Event::Cleanup}}, 0, Outcome::Taken},
      {kQuorate + Path{{Event::Standby}, {Event::Unstandby}}, 0, Outcome::Taken},
  };
  for (const Case& c : cases) {
    auto m = reach(c.path);
    const std::string before = m->state_name();
    EXPECT_EQ(m->process(id(Event::StartResources), c.facts), c.outcome) << before << " facts " << c.facts;
    if (c.outcome == Outcome::Taken) {
      EXPECT_TRUE(m->holds(id(Pred::Starting)));
      EXPECT_TRUE(m->holds(id(Pred::HasResources)));
    } else {
      EXPECT_EQ(m->state_name(), before);
    }
  }
}

TEST(PacemakerMachine, ResourcesStartOnlyWithDrbdReady) {
  auto m = reach(kStarting);
  EXPECT_EQ(m->process(id(Event::ResourcesStarted), kPeerOnline), Outcome::GuardRejected);
  EXPECT_EQ(m->state_name(), "Starting quorate");
  EXPECT_EQ(m->process(id(Event::ResourcesFailed), kDrbdReady), Outcome::GuardRejected);
  EXPECT_EQ(m->state_name(), "Starting quorate");
  EXPECT_EQ(m->process(id(Event::ResourcesStarted), kDrbdReady), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Active quorate");
  EXPECT_TRUE(m->holds(id(Pred::Active)));
  EXPECT_TRUE(m->holds(id(Pred::HasResources)));
}

TEST(PacemakerMachine, AFailedStartBansTheNodeUntilCleanup) {
  for (Step failure : {Step{Event::ResourcesFailed, 0}, Step{Event::StartFailed, kDrbdReady}}) {
    auto m = reach(kStarting);
    EXPECT_EQ(m->process(id(failure.event), failure.facts), Outcome::Taken);
    EXPECT_EQ(m->state_name(), "Online quorate banned");
    EXPECT_TRUE(m->holds(id(Pred::Banned)));
    EXPECT_FALSE(m->holds(id(Pred::HasResources)));
    EXPECT_EQ(m->process(id(Event::StartResources), 0), Outcome::GuardRejected);
    EXPECT_EQ(m->process(id(Event::Cleanup), 0), Outcome::Taken);
    EXPECT_EQ(m->state_name(), "Online quorate");
    EXPECT_EQ(m->process(id(Event::StartResources), 0), Outcome::Taken);
  }
}

TEST(PacemakerMachine, ClusterStopFromEveryRunningStateClearsQuorumAndBan) {
  struct Case {
    Path path;
    std::string after;
  };
  const std::vector<Case> cases = {
      {kOnline, "Offline"},
      {kQuorate, "Offline"},
      {kBanned, "Offline"},
      {kStarting, "Offline"},
      {kActive, "Offline"},
      {kStopping, "Offline standby"},  // standby is a CIB attribute: kept
      {kBanned + Path{{Event::Standby}}, "Offline standby"},
  };
  for (const Case& c : cases) {
    auto m = reach(c.path);
    const std::string before = m->state_name();
    EXPECT_EQ(m->process(id(Event::ClusterStop), kAllFacts), Outcome::Taken) << before;
    EXPECT_EQ(m->state_name(), c.after) << before;
    EXPECT_FALSE(m->holds(id(Pred::Quorate)));
    EXPECT_FALSE(m->holds(id(Pred::Banned)));
  }
}

TEST(PacemakerMachine, ClusterStartStartsWithoutQuorumAndKeepsStandby) {
  auto m = reach(kStopping + Path{{Event::ClusterStop}});
  EXPECT_EQ(m->process(id(Event::ClusterStart), kAllFacts), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Online standby");
}

TEST(PacemakerMachine, StandbyMovesResourcesAway) {
  auto m = reach(kActive);
  EXPECT_EQ(m->process(id(Event::Standby), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Stopping quorate standby");
  EXPECT_TRUE(m->holds(id(Pred::Stopping)));
  EXPECT_TRUE(m->holds(id(Pred::HasResources)));
  EXPECT_EQ(m->process(id(Event::StopComplete), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Online quorate standby");
  EXPECT_FALSE(m->holds(id(Pred::HasResources)));
  EXPECT_EQ(m->process(id(Event::StartResources), 0), Outcome::GuardRejected);

  // Standby in Online and Offline only sets the attribute (a no-op when already set).
  for (const Path& p : {Path{}, kOnline, kQuorate, kOnline + Path{{Event::Standby}}}) {
    auto n = reach(p);
    const std::string before = n->state_name();
    EXPECT_EQ(n->process(id(Event::Standby), 0), Outcome::Taken) << before;
    EXPECT_TRUE(n->holds(id(Pred::Standby)));
    EXPECT_EQ(n->state_name(), before.find(" standby") == std::string::npos ? before + " standby" : before);
  }
  // A stop can be cancelled back to no standby but still completes.
  auto s = reach(kStopping);
  EXPECT_EQ(s->process(id(Event::Unstandby), 0), Outcome::Taken);
  EXPECT_EQ(s->state_name(), "Stopping quorate");
  EXPECT_EQ(s->process(id(Event::StopComplete), 0), Outcome::Taken);
  EXPECT_EQ(s->state_name(), "Online quorate");
}

TEST(PacemakerMachine, UnstandbyAndCleanupFromEveryState) {
  struct Case {
    Path path;
    std::string after_unstandby;
    std::string after_cleanup;
  };
  const std::vector<Case> cases = {
      {{}, "Offline", "Offline"},
      {Path{{Event::Standby}}, "Offline", "Offline standby"},
      {kOnline, "Online", "Online"},
      {kBanned + Path{{Event::Standby}}, "Online quorate banned", "Online quorate standby"},
      {kStarting, "Starting quorate", "Starting quorate"},
      {kActive, "Active quorate", "Active quorate"},
      {kStopping, "Stopping quorate", "Stopping quorate standby"},
  };
  for (const Case& c : cases) {
    auto m = reach(c.path);
    auto n = m->clone();
    EXPECT_EQ(m->process(id(Event::Unstandby), kAllFacts), Outcome::Taken);
    EXPECT_EQ(m->state_name(), c.after_unstandby);
    EXPECT_FALSE(m->holds(id(Pred::Standby)));
    EXPECT_EQ(n->process(id(Event::Cleanup), kAllFacts), Outcome::Taken);
    EXPECT_EQ(n->state_name(), c.after_cleanup);
    EXPECT_FALSE(n->holds(id(Pred::Banned)));
  }
}

TEST(PacemakerMachine, HostShutdownAndHostLostFromEveryState) {
  struct Case {
    Path path;
    std::string after;
  };
  const std::vector<Case> cases = {
      {{}, "Offline"},
      {Path{{Event::Standby}}, "Offline standby"},
      {kOnline, "Offline"},
      {kBanned + Path{{Event::Standby}}, "Offline standby"},
      {kStarting, "Offline"},
      {kActive, "Offline"},
      {kStopping, "Offline standby"},
  };
  for (Event fault : {Event::HostShutdown, Event::HostLost}) {
    for (const Case& c : cases) {
      auto m = reach(c.path);
      const std::string before = m->state_name();
      EXPECT_EQ(m->process(id(fault), kAllFacts), Outcome::Taken) << before;
      EXPECT_EQ(m->state_name(), c.after) << event_name(fault) << " from " << before;
    }
  }
}

TEST(PacemakerMachine, RejectsEventsThatAreNotEnabled) {
  struct Case {
    Path path;
    std::set<Event> enabled;
  };
  // unstandby, cleanup, host_shutdown and host_lost in any state; standby in Offline, Online, Active.
  // partition and heal have rows in every state (guarded by the partitioned attribute).
  const std::vector<Case> cases = {
      {{},
       {Event::ClusterStart, Event::Standby, Event::Unstandby, Event::Cleanup, Event::HostShutdown, Event::HostLost,
        Event::Partition, Event::Heal}},
      {kQuorate,
       {Event::ClusterStop, Event::SeePeer, Event::StartResources, Event::Standby, Event::Unstandby, Event::Cleanup,
        Event::HostShutdown, Event::HostLost, Event::Partition, Event::Heal}},
      {kStarting,
       {Event::ClusterStop, Event::SeePeer, Event::ResourcesStarted, Event::ResourcesFailed, Event::StartFailed,
        Event::Unstandby, Event::Cleanup, Event::HostShutdown, Event::HostLost, Event::Partition, Event::Heal}},
      {kActive,
       {Event::ClusterStop, Event::SeePeer, Event::Standby, Event::Unstandby, Event::Cleanup, Event::HostShutdown,
        Event::HostLost, Event::Partition, Event::Heal}},
      {kStopping,
       {Event::ClusterStop, Event::SeePeer, Event::StopComplete, Event::Unstandby, Event::Cleanup,
        Event::HostShutdown, Event::HostLost, Event::Partition, Event::Heal}},
      {kPartitioned,
       {Event::ClusterStop, Event::SeePeer, Event::StartResources, Event::Standby, Event::Unstandby, Event::Cleanup,
        Event::HostShutdown, Event::HostLost, Event::Partition, Event::Heal}},
  };
  for (const Case& c : cases) {
    auto m = reach(c.path);
    test_support::expect_only_enabled(pacemaker::kind(), *m, c.enabled, m->state_name());
  }
}

TEST(PacemakerMachine, CloneKeepsTheCurrentState) {
  auto m = reach(kActive);
  auto copy = m->clone();
  EXPECT_EQ(copy->state_name(), "Active quorate");
  EXPECT_EQ(copy->key(), m->key());
  EXPECT_EQ(copy->process(id(Event::Standby), 0), Outcome::Taken);
  EXPECT_EQ(copy->state_name(), "Stopping quorate standby");
  EXPECT_EQ(m->state_name(), "Active quorate");  // the original is independent
}

TEST(PacemakerMachine, ReachableStatesAreNamedOneToOne) {
  const auto states = test_support::reachable_machines(pacemaker::kind());
  const std::vector<std::string> names = test_support::reachable_names(pacemaker::kind());
  // Offline x standby (2); Online x {-, quorate, banned, quorate banned} x standby (8); Starting,
  // Active x quorate (4); Stopping x quorate x standby (4): 18, quorum not needed with
  // no-quorum-policy=ignore; each also partitioned (the network, independent of the rest).
  const std::vector<std::string> base = {
      "Active",         "Active quorate",          "Offline",          "Offline standby",
      "Online",         "Online banned",           "Online banned standby", "Online quorate",
      "Online quorate banned", "Online quorate banned standby", "Online quorate standby", "Online standby",
      "Starting",       "Starting quorate",        "Stopping",         "Stopping quorate",
      "Stopping quorate standby", "Stopping standby"};
  std::vector<std::string> expected;
  for (const std::string& b : base) expected.insert(expected.end(), {b, b + " partitioned"});
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(names, expected);
  EXPECT_EQ(states.size(), 36u);
  std::cout << "pacemaker: " << states.size() << " reachable local states\n";
  for (const auto& m : states) {
    // A ban needs a start, a start needs quorum or policy ignore: banned only when it could start.
    EXPECT_TRUE(!m->holds(id(Pred::Banned)) || m->holds(id(Pred::Online))) << m->state_name();
    EXPECT_TRUE(!m->holds(id(Pred::HasResources)) || !m->holds(id(Pred::Offline))) << m->state_name();
    EXPECT_NE(m->holds(id(Pred::Offline)), m->holds(id(Pred::Online))) << m->state_name();
  }
}

TEST(PacemakerQuorum, OnlyPolicyIgnoreStartsResourcesWithoutQuorum) {
  auto stop = reach(kOnline);
  EXPECT_EQ(stop->process(id(Event::StartResources), 0), Outcome::GuardRejected);
  auto ignore = reach(kOnline);
  EXPECT_EQ(ignore->process(id(Event::StartResources), kIgnoreQuorum), Outcome::Taken);
  EXPECT_EQ(ignore->state_name(), "Starting");
  EXPECT_EQ(ignore->process(id(Event::ResourcesStarted), kDrbdReady | kIgnoreQuorum), Outcome::Taken);
  EXPECT_EQ(ignore->state_name(), "Active");
}

TEST(PacemakerPartition, APartitionedNodeCannotGainQuorumFromThePeerUntilTheNetworkHeals) {
  auto m = reach(kOnline + Path{{Event::Partition}});
  EXPECT_EQ(m->state_name(), "Online partitioned");
  EXPECT_TRUE(m->holds(id(Pred::Partitioned)));
  EXPECT_EQ(m->process(id(Event::SeePeer), kPeerOnline), Outcome::GuardRejected);
  EXPECT_EQ(m->process(id(Event::Partition), 0), Outcome::GuardRejected);  // already cut
  EXPECT_EQ(m->process(id(Event::Heal), 0), Outcome::Taken);
  EXPECT_EQ(m->process(id(Event::Heal), 0), Outcome::GuardRejected);
  EXPECT_EQ(m->process(id(Event::SeePeer), kPeerOnline), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Online quorate");
}

TEST(PacemakerPartition, TwoNodeQuorumAndThePartitionSurviveTheStackButNotQuorum) {
  auto m = reach(kPartitioned);
  EXPECT_EQ(m->state_name(), "Online quorate partitioned");  // two_node: quorum kept alone
  EXPECT_EQ(m->process(id(Event::HostLost), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Offline partitioned");  // the network is still cut
  EXPECT_EQ(m->process(id(Event::ClusterStart), 0), Outcome::Taken);
  EXPECT_EQ(m->process(id(Event::SeePeer), kPeerOnline), Outcome::GuardRejected);  // wait_for_all unmet
  EXPECT_EQ(m->process(id(Event::StartResources), 0), Outcome::GuardRejected);
}

TEST(PacemakerPartition, WithoutStonithAPartitionedNodeTakesOverWhatThePeerStillRuns) {
  auto m = reach(kPartitioned);
  EXPECT_EQ(m->process(id(Event::StartResources), kPeerOnline | kPeerHasResources), Outcome::Taken);
  // It cannot see that the peer's DRBD is Primary: it promotes its own.
  EXPECT_EQ(m->process(id(Event::ResourcesStarted), kDrbdReady | kPeerDrbdPrimary | kPeerHasResources), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Active quorate partitioned");
}

TEST(PacemakerPartition, WithStonithItWaitsUntilThePeerIsFenced) {
  auto m = reach(kPartitioned);
  EXPECT_EQ(m->process(id(Event::StartResources), kStonith | kPeerOnline | kPeerHasResources), Outcome::GuardRejected);
  // Unclean even if it seemed to hold nothing when the link broke.
  EXPECT_EQ(m->process(id(Event::StartResources), kStonith | kPeerOnline), Outcome::GuardRejected);
  // The peer was fenced (powered off): its stack is down.
  EXPECT_EQ(m->process(id(Event::StartResources), kStonith), Outcome::Taken);
  EXPECT_EQ(m->process(id(Event::ResourcesStarted), kStonith | kDrbdReady), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Active quorate partitioned");
}

TEST(PacemakerPartition, ConnectedNodesPromoteOneInstanceOnly) {
  auto m = reach(kStarting);
  EXPECT_EQ(m->process(id(Event::ResourcesStarted), kDrbdReady | kPeerDrbdPrimary), Outcome::GuardRejected);
  EXPECT_EQ(m->state_name(), "Starting quorate");
  EXPECT_EQ(m->process(id(Event::StartResources), kPeerHasResources), Outcome::NotEnabled);
}

// Two nodes driven by hand: the facts one node sees come from the other.
struct Cluster {
  std::unique_ptr<Machine> a = pacemaker::kind().make_initial();
  std::unique_ptr<Machine> b = pacemaker::kind().make_initial();

  static FactBits seen_from(const Machine& peer, bool drbd_ready) {
    FactBits f = drbd_ready ? kDrbdReady : 0;
    if (peer.holds(id(Pred::Online))) f |= kPeerOnline;
    if (peer.holds(id(Pred::HasResources))) f |= kPeerHasResources;
    return f;
  }
  Outcome on_a(Event e, bool drbd_ready = true) { return a->process(id(e), seen_from(*b, drbd_ready)); }
  Outcome on_b(Event e, bool drbd_ready = true) { return b->process(id(e), seen_from(*a, drbd_ready)); }
  void expect(const std::string& name_a, const std::string& name_b) const {
    EXPECT_EQ(a->state_name(), name_a);
    EXPECT_EQ(b->state_name(), name_b);
  }
};

TEST(PacemakerMachine, PairStartAllThenFailoverByStandby) {
  Cluster c;
  // pcs cluster start --all
  EXPECT_EQ(c.on_a(Event::ClusterStart), Outcome::Taken);
  EXPECT_EQ(c.on_a(Event::SeePeer), Outcome::GuardRejected);  // b not up yet
  EXPECT_EQ(c.on_b(Event::ClusterStart), Outcome::Taken);
  EXPECT_EQ(c.on_a(Event::SeePeer), Outcome::Taken);
  EXPECT_EQ(c.on_b(Event::SeePeer), Outcome::Taken);
  c.expect("Online quorate", "Online quorate");
  // The group starts on a only.
  EXPECT_EQ(c.on_a(Event::StartResources), Outcome::Taken);
  EXPECT_EQ(c.on_b(Event::StartResources), Outcome::GuardRejected);
  EXPECT_EQ(c.on_a(Event::ResourcesStarted), Outcome::Taken);
  c.expect("Active quorate", "Online quorate");
  // Standby a: the group moves to b.
  EXPECT_EQ(c.on_a(Event::Standby), Outcome::Taken);
  EXPECT_EQ(c.on_b(Event::StartResources), Outcome::GuardRejected);  // still stopping on a
  EXPECT_EQ(c.on_a(Event::StopComplete), Outcome::Taken);
  EXPECT_EQ(c.on_b(Event::StartResources), Outcome::Taken);
  EXPECT_EQ(c.on_b(Event::ResourcesStarted), Outcome::Taken);
  c.expect("Online quorate standby", "Active quorate");
  // b keeps quorum when a's stack stops (two_node).
  EXPECT_EQ(c.on_a(Event::ClusterStop), Outcome::Taken);
  c.expect("Offline standby", "Active quorate");
}

TEST(PacemakerMachine, PairNodeBootedAloneRunsNothing) {
  Cluster c;
  EXPECT_EQ(c.on_a(Event::ClusterStart), Outcome::Taken);
  EXPECT_EQ(c.on_a(Event::SeePeer), Outcome::GuardRejected);
  EXPECT_EQ(c.on_a(Event::StartResources), Outcome::GuardRejected);
  c.expect("Online", "Offline");
  // A failed start (DRBD not Primary-capable here) bans a until cleanup.
  EXPECT_EQ(c.on_b(Event::ClusterStart), Outcome::Taken);
  EXPECT_EQ(c.on_a(Event::SeePeer), Outcome::Taken);
  EXPECT_EQ(c.on_a(Event::StartResources), Outcome::Taken);
  EXPECT_EQ(c.on_a(Event::ResourcesStarted, false), Outcome::GuardRejected);
  EXPECT_EQ(c.on_a(Event::ResourcesFailed, false), Outcome::Taken);
  c.expect("Online quorate banned", "Online");
  EXPECT_EQ(c.on_a(Event::StartResources), Outcome::GuardRejected);
  EXPECT_EQ(c.on_a(Event::Cleanup), Outcome::Taken);
  EXPECT_EQ(c.on_a(Event::StartResources), Outcome::Taken);
  EXPECT_EQ(c.on_a(Event::ResourcesStarted), Outcome::Taken);
  c.expect("Active quorate", "Online");
}

}  // namespace
}  // namespace acdsim::model
