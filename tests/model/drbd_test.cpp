// The DRBD machine one event at a time: each event from the states it is taken in, and
// refused elsewhere (the machine as a whole, and a pair: drbd_states_test.cpp).
#include "acdsim/model/drbd.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "drbd_test_common.hpp"

namespace acdsim::model {
namespace {

using namespace drbd_test;

constexpr std::size_t kEventCount = static_cast<std::size_t>(Event::Count);

// A path and the state one event leads to from its end.
struct After {
  Path path;
  std::string after;
};

// From the end of each path, event (under facts) is taken and leads to the case's state, where pred holds.
void expect_each_leads(Event event, FactBits facts, const std::vector<After>& cases, std::optional<Pred> pred) {
  for (const After& c : cases) {
    auto m = reach(c.path);
    const std::string before = m->state_name();
    EXPECT_EQ(m->process(id(event), facts), Outcome::Taken) << event_name(event) << " from " << before;
    EXPECT_EQ(m->state_name(), c.after) << event_name(event) << " from " << before;
    if (pred) {
      EXPECT_TRUE(m->holds(id(*pred))) << c.after;
    }
  }
}

// ---------------------------------------------------------------------------
TEST(DrbdMachine, TableSizes) {
  EXPECT_EQ(drbd::kind().name, "drbd");
  EXPECT_EQ(drbd::kind().msm_states, 6u);
  EXPECT_EQ(drbd::kind().msm_rows, 65u);
  EXPECT_EQ(drbd::kind().events.size(), kEventCount);
  EXPECT_EQ(drbd::kind().facts.size(), 8u);
  EXPECT_EQ(drbd::kind().predicates.size(), static_cast<std::size_t>(Pred::Count));
}

TEST(DrbdMachine, NamesFollowTheConvention) {
  const auto& k = drbd::kind();
  EXPECT_EQ(k.events[id(Event::ConnectDiscard)], "connect_discard");
  EXPECT_EQ(k.events[id(Event::HostLost)], "host_lost");
  EXPECT_EQ(k.facts[4], "peer_uptodate");
  EXPECT_EQ(k.facts[6], "allow_two_primaries");
  EXPECT_EQ(k.predicates[id(Pred::WFConnection)], "wfconnection");
  EXPECT_EQ(k.predicates[id(Pred::StandAlone)], "standalone");
  EXPECT_EQ(k.predicates[id(Pred::SyncSource)], "sync_source");
  EXPECT_EQ(k.predicates[id(Pred::UpToDate)], "uptodate");
  EXPECT_EQ(k.predicates[id(Pred::SplitBrain)], "split_brain");
  EXPECT_EQ(k.predicates[id(Pred::LostWrites)], "lost_writes");
  EXPECT_EQ(k.predicates[id(Pred::Discard)], "discard");
  EXPECT_EQ(k.facts[7], "fencing");
  EXPECT_EQ(k.events[id(Event::Resume)], "resume");
  EXPECT_EQ(k.events[id(Event::Outdate)], "outdate");
  EXPECT_EQ(k.predicates[id(Pred::Outdated)], "outdated");
  EXPECT_EQ(k.predicates[id(Pred::Frozen)], "frozen");
}

TEST(DrbdMachine, StartsUnconfiguredSecondaryUpToDate) {
  auto m = drbd::kind().make_initial();
  EXPECT_EQ(m->state_name(), "Unconfigured Secondary UpToDate");
  EXPECT_TRUE(m->holds(id(Pred::Unconfigured)));
  EXPECT_TRUE(m->holds(id(Pred::Secondary)));
  EXPECT_TRUE(m->holds(id(Pred::UpToDate)));
  EXPECT_FALSE(m->holds(id(Pred::Primary)));
  EXPECT_FALSE(m->holds(id(Pred::Linked)));
  EXPECT_FALSE(m->holds(id(Pred::Promotable)));
  EXPECT_FALSE(m->holds(id(Pred::WFConnection)));
}

TEST(DrbdMachine, UpWaitsForThePeer) {
  auto m = drbd::kind().make_initial();
  EXPECT_EQ(m->process(id(Event::Up), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "WFConnection Secondary UpToDate");
  EXPECT_TRUE(m->holds(id(Pred::WFConnection)));
  EXPECT_TRUE(m->holds(id(Pred::Promotable)));
  EXPECT_FALSE(m->holds(id(Pred::Linked)));
}

TEST(DrbdMachine, DownFromEveryConfiguredState) {
  expect_each_leads(Event::Down, 0, {
      {kStandAlone, "Unconfigured Secondary UpToDate"},
      {kWF, "Unconfigured Secondary UpToDate"},
      {kConnected, "Unconfigured Secondary UpToDate"},
      {kSyncSource, "Unconfigured Secondary UpToDate"},
      {kSyncTarget, "Unconfigured Secondary Inconsistent"},
      // A Primary (not mounted) is demoted by down; diverged is kept.
      {kConnected + Path{{Event::Primary}}, "Unconfigured Secondary UpToDate"},
      {kWF + Path{{Event::Primary}}, "Unconfigured Secondary UpToDate diverged"},
      // down clears split-brain and a pending discard.
      {kWF + Path{{Event::Primary}, {Event::Handshake, kWaiting | kPeerDiverged}},
       "Unconfigured Secondary UpToDate diverged"},
      {kStandAlone + Path{{Event::ConnectDiscard}}, "Unconfigured Secondary UpToDate"},
  }, Pred::Unconfigured);
}

TEST(DrbdMachine, DownIsRefusedWhileMounted) {
  for (const Path& base : {kStandAlone, kWF, kConnected, kSyncSource}) {
    auto m = reach(base + kPromoteMount);
    const std::string before = m->state_name();
    EXPECT_EQ(m->process(id(Event::Down), 0), Outcome::GuardRejected) << before;
    EXPECT_EQ(m->state_name(), before);
  }
}

TEST(DrbdMachine, PrimaryInEveryConfiguredState) {
  struct Case {
    Path path;
    std::string after;
  };
  const std::vector<Case> cases = {
      {kStandAlone, "StandAlone Primary UpToDate diverged"},
      {kWF, "WFConnection Primary UpToDate diverged"},
      {kConnected, "Connected Primary UpToDate"},
      {kSyncSource, "SyncSource Primary UpToDate"},
      // Already Primary: a no-op promotion.
      {kConnected + Path{{Event::Primary}}, "Connected Primary UpToDate"},
  };
  for (const Case& c : cases) {
    auto m = reach(c.path);
    EXPECT_EQ(m->process(id(Event::Primary), 0), Outcome::Taken) << c.after;
    EXPECT_EQ(m->state_name(), c.after);
    EXPECT_TRUE(m->holds(id(Pred::Primary)));
    EXPECT_FALSE(m->holds(id(Pred::Secondary)));
  }
}

TEST(DrbdMachine, PrimaryIsRefusedWithoutUpToDateData) {
  const std::vector<Path> paths = {
      kSyncTarget,                                                     // SyncTarget Inconsistent
      kSyncTarget + Path{{Event::LinkLoss}},                          // WFConnection Inconsistent
      kSyncTarget + Path{{Event::Disconnect}},                        // StandAlone Inconsistent
      kSyncTarget + Path{{Event::LinkLoss}, {Event::Handshake, kWaiting}},  // Connected, neither UpToDate
      kSyncTarget + Path{{Event::LinkLoss}, {Event::Handshake, kWaiting | kPeerDiscard}},  // SyncSource
  };
  for (const Path& p : paths) {
    auto m = reach(p);
    const std::string before = m->state_name();
    EXPECT_FALSE(m->holds(id(Pred::Promotable))) << before;
    for (FactBits f : {FactBits{0}, kAllowTwo, kAllFacts}) {
      EXPECT_EQ(m->process(id(Event::Primary), f), Outcome::GuardRejected) << before;
      EXPECT_EQ(m->state_name(), before);
    }
  }
}

TEST(DrbdMachine, PrimaryWhilePeerPrimaryNeedsAllowTwoPrimariesOnlyWhenLinked) {
  for (const Path& linked : {kConnected, kSyncSource}) {
    auto m = reach(linked);
    const std::string before = m->state_name();
    EXPECT_EQ(m->process(id(Event::Primary), kPeerPrimary | kPeerLinked), Outcome::GuardRejected) << before;
    EXPECT_EQ(m->state_name(), before);
    EXPECT_EQ(m->process(id(Event::Primary), kPeerPrimary | kAllowTwo), Outcome::Taken) << before;
    EXPECT_TRUE(m->holds(id(Pred::Primary)));
    EXPECT_FALSE(m->holds(id(Pred::Diverged)));
  }
  // Not linked: the peer's role is unknown to DRBD, promotion is allowed (and diverges).
  for (const Path& alone : {kWF, kStandAlone}) {
    auto m = reach(alone);
    EXPECT_EQ(m->process(id(Event::Primary), kPeerPrimary), Outcome::Taken);
    EXPECT_TRUE(m->holds(id(Pred::Diverged)));
  }
}

TEST(DrbdMachine, PrimaryDropsAPendingDiscard) {
  auto m = reach(kStandAlone + Path{{Event::ConnectDiscard}});
  EXPECT_EQ(m->state_name(), "WFConnection Secondary UpToDate discard");
  EXPECT_TRUE(m->holds(id(Pred::Discard)));
  EXPECT_EQ(m->process(id(Event::Primary), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "WFConnection Primary UpToDate diverged");
  EXPECT_FALSE(m->holds(id(Pred::Discard)));
}

TEST(DrbdMachine, SecondaryInEveryConfiguredStateUnlessMounted) {
  expect_each_leads(Event::Secondary, 0, {
      {kStandAlone + Path{{Event::Primary}}, "StandAlone Secondary UpToDate diverged"},
      {kWF + Path{{Event::Primary}}, "WFConnection Secondary UpToDate diverged"},
      {kConnected + Path{{Event::Primary}}, "Connected Secondary UpToDate"},
      {kSyncSource + Path{{Event::Primary}}, "SyncSource Secondary UpToDate"},
      {kSyncTarget, "SyncTarget Secondary Inconsistent"},  // already Secondary: no-op
  }, Pred::Secondary);
  for (const Path& base : {kStandAlone, kWF, kConnected, kSyncSource}) {
    auto m = reach(base + kPromoteMount);
    const std::string before = m->state_name();
    EXPECT_EQ(m->process(id(Event::Secondary), 0), Outcome::GuardRejected) << before;
    EXPECT_EQ(m->state_name(), before);
  }
}

TEST(DrbdMachine, ConnectFromStandAloneClearsSplitBrain) {
  auto m = reach(kWF + Path{{Event::Primary}, {Event::Handshake, kWaiting | kPeerDiverged}});
  EXPECT_EQ(m->state_name(), "StandAlone Primary UpToDate diverged split-brain");
  EXPECT_TRUE(m->holds(id(Pred::SplitBrain)));
  EXPECT_EQ(m->process(id(Event::Connect), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "WFConnection Primary UpToDate diverged");
  EXPECT_FALSE(m->holds(id(Pred::SplitBrain)));
}

TEST(DrbdMachine, ConnectDiscardNeedsSecondary) {
  auto m = reach(kWF + Path{{Event::Primary}, {Event::Handshake, kWaiting | kPeerDiverged}});
  EXPECT_EQ(m->process(id(Event::ConnectDiscard), 0), Outcome::GuardRejected);
  EXPECT_EQ(m->state_name(), "StandAlone Primary UpToDate diverged split-brain");
  EXPECT_EQ(m->process(id(Event::Secondary), 0), Outcome::Taken);
  EXPECT_EQ(m->process(id(Event::ConnectDiscard), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "WFConnection Secondary UpToDate diverged discard");
}

TEST(DrbdMachine, DisconnectFromWFConnectionAndLinkedStates) {
  expect_each_leads(Event::Disconnect, 0, {
      {kWF, "StandAlone Secondary UpToDate"},
      {kConnected, "StandAlone Secondary UpToDate"},
      {kSyncSource, "StandAlone Secondary UpToDate"},
      {kSyncTarget, "StandAlone Secondary Inconsistent"},
      {kConnected + kPromoteMount, "StandAlone Primary UpToDate mounted diverged"},
      {kSyncSource + Path{{Event::Primary}}, "StandAlone Primary UpToDate diverged"},
      {kWF + Path{{Event::Primary}}, "StandAlone Primary UpToDate diverged"},
      // The pending discard belongs to the torn-down connection.
      {kStandAlone + Path{{Event::ConnectDiscard}}, "StandAlone Secondary UpToDate"},
  }, Pred::StandAlone);
}

// --- handshake ---------------------------------------------------------------

// Every outcome of the handshake list.
TEST(DrbdMachine, HandshakeOutcomes) {
  const Path discard = kWF + Path{{Event::Primary}, {Event::Secondary}, {Event::Disconnect}, {Event::ConnectDiscard}};
  const Path diverged = kWF + Path{{Event::Primary}};
  const Path inconsistent = kSyncTarget + Path{{Event::LinkLoss}};
  struct Case {
    Path path;
    FactBits facts;
    std::string after;
  };
  const std::vector<Case> cases = {
      // a split brain with this node discarding: it becomes the SyncTarget and loses its writes
      {discard, kWaiting | kPeerDiverged | kPeerUpToDate, "SyncTarget Secondary Inconsistent lost-writes"},
      // both discarding: DRBD keeps them split
      {discard, kWaiting | kPeerDiscard | kPeerDiverged | kPeerUpToDate,
       "StandAlone Secondary UpToDate diverged split-brain"},
      // the survivor of a split brain whose peer discards
      {diverged, kWaiting | kPeerDiscard | kPeerDiverged, "SyncSource Primary UpToDate"},
      // without a split brain a peer's discard changes nothing
      {kWF, kWaiting | kPeerDiscard | kPeerUpToDate, "Connected Secondary UpToDate"},
      {diverged, kWaiting | kPeerDiverged | kPeerUpToDate, "StandAlone Primary UpToDate diverged split-brain"},
      {diverged, kWaiting | kPeerUpToDate, "SyncSource Primary UpToDate"},
      {kWF, kWaiting | kPeerDiverged | kPeerUpToDate, "SyncTarget Secondary Inconsistent"},
      {kWF, kWaiting | kPeerUpToDate, "Connected Secondary UpToDate"},
      {kWF, kWaiting, "SyncSource Secondary UpToDate"},
      {inconsistent, kWaiting | kPeerUpToDate, "SyncTarget Secondary Inconsistent"},
      {inconsistent, kWaiting, "Connected Secondary Inconsistent"},
      // a discard without a split brain is dropped and loses nothing
      {kStandAlone + Path{{Event::ConnectDiscard}}, kWaiting | kPeerUpToDate, "Connected Secondary UpToDate"},
  };
  for (const Case& c : cases) {
    auto m = reach(c.path);
    const std::string before = m->state_name();
    EXPECT_EQ(m->process(id(Event::Handshake), c.facts), Outcome::Taken) << before;
    EXPECT_EQ(m->state_name(), c.after) << before << " facts " << c.facts;
  }
}

TEST(DrbdMachine, HandshakeNeedsAWaitingPeer) {
  for (const Path& p : {kWF, kWF + Path{{Event::Primary}}, kStandAlone + Path{{Event::ConnectDiscard}}}) {
    auto m = reach(p);
    const std::string before = m->state_name();
    EXPECT_EQ(m->process(id(Event::Handshake), kAllFacts & ~kWaiting), Outcome::GuardRejected) << before;
    EXPECT_EQ(m->process(id(Event::Handshake), 0), Outcome::GuardRejected) << before;
    EXPECT_EQ(m->state_name(), before);
  }
}

// --- sync, peer loss, mount ---------------------------------------------------

TEST(DrbdMachine, SyncDoneConnectsAndMakesTheTargetUpToDate) {
  auto source = reach(kSyncSource + Path{{Event::Primary}});
  EXPECT_EQ(source->process(id(Event::SyncDone), 0), Outcome::Taken);
  EXPECT_EQ(source->state_name(), "Connected Primary UpToDate");

  auto target = reach(kSyncTarget);
  EXPECT_FALSE(target->holds(id(Pred::Promotable)));
  EXPECT_EQ(target->process(id(Event::SyncDone), 0), Outcome::Taken);
  EXPECT_EQ(target->state_name(), "Connected Secondary UpToDate");
  EXPECT_TRUE(target->holds(id(Pred::Promotable)));

  // Inconsistent data is never a sync source: with a peer that has no good data
  // either (its discard without a split brain is dropped), nothing syncs.
  auto stale = reach(kSyncTarget + Path{{Event::LinkLoss}, {Event::Handshake, kWaiting | kPeerDiscard}});
  EXPECT_EQ(stale->state_name(), "Connected Secondary Inconsistent");
  EXPECT_EQ(stale->process(id(Event::SyncDone), 0), Outcome::NotEnabled);
}

TEST(DrbdMachine, PeerGoneOnlyWhenThePeerIsNotLinked) {
  struct Case {
    Path path;
    std::string after;
  };
  const std::vector<Case> cases = {
      {kConnected, "WFConnection Secondary UpToDate"},
      {kSyncSource, "WFConnection Secondary UpToDate"},
      {kSyncTarget, "WFConnection Secondary Inconsistent"},
      {kConnected + kPromoteMount, "WFConnection Primary UpToDate mounted diverged"},
      {kSyncSource + Path{{Event::Primary}}, "WFConnection Primary UpToDate diverged"},
  };
  for (const Case& c : cases) {
    auto m = reach(c.path);
    const std::string before = m->state_name();
    EXPECT_EQ(m->process(id(Event::PeerGone), kPeerLinked), Outcome::GuardRejected) << before;
    EXPECT_EQ(m->state_name(), before);
    EXPECT_EQ(m->process(id(Event::PeerGone), kAllFacts & ~kPeerLinked), Outcome::Taken) << before;
    EXPECT_EQ(m->state_name(), c.after);
  }
}

TEST(DrbdMachine, LinkLossFromEveryLinkedState) {
  // Without fencing (a Primary freezes with it: drbd_outdated_test.cpp).
  expect_each_leads(Event::LinkLoss, kAllFacts & ~kFencing, {
      {kConnected, "WFConnection Secondary UpToDate"},
      {kSyncSource, "WFConnection Secondary UpToDate"},
      {kSyncTarget, "WFConnection Secondary Inconsistent"},
      {kConnected + kPromoteMount, "WFConnection Primary UpToDate mounted diverged"},
      {kSyncSource + kPromoteMount, "WFConnection Primary UpToDate mounted diverged"},
  }, std::nullopt);
}

TEST(DrbdMachine, MountNeedsPrimaryAndUnmountNeedsMounted) {
  for (const Path* base : {&kStandAlone, &kWF, &kConnected, &kSyncSource, &kSyncTarget}) {
    auto m = reach(*base);
    const std::string secondary = m->state_name();
    EXPECT_EQ(m->process(id(Event::Mount), kAllFacts), Outcome::GuardRejected) << secondary;
    EXPECT_EQ(m->process(id(Event::Unmount), kAllFacts), Outcome::GuardRejected) << secondary;
    EXPECT_EQ(m->state_name(), secondary);
    if (base == &kSyncTarget) continue;  // cannot be promoted
    ASSERT_EQ(m->process(id(Event::Primary), 0), Outcome::Taken);
    const std::string primary = m->state_name();
    EXPECT_EQ(m->process(id(Event::Mount), 0), Outcome::Taken);
    Parsed expected = Parsed::of(primary);
    expected.mounted = true;
    EXPECT_EQ(m->state_name(), expected.render());
    EXPECT_TRUE(m->holds(id(Pred::Mounted)));
    EXPECT_EQ(m->process(id(Event::Unmount), 0), Outcome::Taken);
    EXPECT_EQ(m->state_name(), primary);
    EXPECT_FALSE(m->holds(id(Pred::Mounted)));
  }
  auto m = reach(kConnected + kPromoteMount);
  EXPECT_EQ(m->state_name(), "Connected Primary UpToDate mounted");
}

TEST(DrbdMachine, HostShutdownAndHostLostFromEveryState) {
  struct Case {
    Path path;
    std::string after;
  };
  const Path split = kWF + Path{{Event::Primary}, {Event::Mount}, {Event::Handshake, kWaiting | kPeerDiverged}};
  const Path lost = kWF + Path{{Event::Primary}, {Event::Secondary}, {Event::Disconnect}, {Event::ConnectDiscard},
                               {Event::Handshake, kWaiting | kPeerDiverged}};
  const std::vector<Case> cases = {
      {{}, "Unconfigured Secondary UpToDate"},
      {kStandAlone, "Unconfigured Secondary UpToDate"},
      {kWF, "Unconfigured Secondary UpToDate"},
      {kConnected + kPromoteMount, "Unconfigured Secondary UpToDate"},
      {kSyncSource + kPromoteMount, "Unconfigured Secondary UpToDate"},
      {kSyncTarget, "Unconfigured Secondary Inconsistent"},
      // split-brain and discard cleared, diverged and lost-writes kept
      {split, "Unconfigured Secondary UpToDate diverged"},
      {kStandAlone + Path{{Event::ConnectDiscard}}, "Unconfigured Secondary UpToDate"},
      {lost, "Unconfigured Secondary Inconsistent lost-writes"},
      {kWF + kPromoteMount, "Unconfigured Secondary UpToDate diverged"},
  };
  for (Event fault : {Event::HostShutdown, Event::HostLost}) {
    for (const Case& c : cases) {
      auto m = reach(c.path);
      const std::string before = m->state_name();
      // Peer not Primary: a clean shutdown that leaves a Primary outdates (drbd_outdated_test.cpp).
      EXPECT_EQ(m->process(id(fault), kAllFacts & ~kPeerPrimary), Outcome::Taken) << before;
      EXPECT_EQ(m->state_name(), c.after) << event_name(fault) << " from " << before;
    }
  }
}

TEST(DrbdMachine, RejectsEventsThatAreNotEnabled) {
  struct Case {
    Path path;
    std::set<Event> enabled;
  };
  const std::set<Event> configured = {Event::Down,  Event::Primary,      Event::Secondary, Event::Mount,
                                      Event::Unmount, Event::HostShutdown, Event::HostLost};
  auto with = [](std::set<Event> events, std::initializer_list<Event> more) {
    events.insert(more);
    return events;
  };
  const std::set<Event> linked = with(configured, {Event::Disconnect, Event::PeerGone, Event::LinkLoss});
  const std::vector<Case> cases = {
      {{}, {Event::Up, Event::HostShutdown, Event::HostLost, Event::Outdate}},
      {kStandAlone, with(configured, {Event::Connect, Event::ConnectDiscard, Event::Resume})},
      {kWF, with(configured, {Event::Disconnect, Event::Handshake, Event::Resume, Event::Outdate})},
      {kConnected, linked},
      {kSyncSource, with(linked, {Event::SyncDone})},
      {kSyncTarget, with(linked, {Event::SyncDone})},
  };
  for (const Case& c : cases) {
    auto m = reach(c.path);
    test_support::expect_only_enabled(drbd::kind(), *m, c.enabled, m->state_name());
  }
}

TEST(DrbdMachine, CloneKeepsTheCurrentState) {
  auto m = reach(kConnected + kPromoteMount);
  auto copy = m->clone();
  EXPECT_EQ(copy->state_name(), "Connected Primary UpToDate mounted");
  EXPECT_EQ(copy->key(), m->key());
  EXPECT_EQ(copy->process(id(Event::LinkLoss), 0), Outcome::Taken);
  EXPECT_EQ(copy->state_name(), "WFConnection Primary UpToDate mounted diverged");
  EXPECT_EQ(m->state_name(), "Connected Primary UpToDate mounted");  // the original is independent
  auto copy_of_copy = copy->clone();
  EXPECT_EQ(copy_of_copy->key(), copy->key());
}

}  // namespace
}  // namespace acdsim::model
