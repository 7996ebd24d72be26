#include "acdsim/model/drbd.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "drbd_test_common.hpp"

namespace acdsim::model {
namespace {

using namespace drbd_test;

constexpr FactBits kAllFacts = (1u << 8) - 1;

constexpr std::size_t kEventCount = static_cast<std::size_t>(Event::Count);

std::string event_name(Event e) { return std::string(drbd::kind().events[id(e)]); }

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

// An independent reading of the header's handshake list, applied to parsed state names.
struct Parsed {
  std::string conn, role, disk;
  bool mounted = false, diverged = false, split_brain = false, discard = false, lost_writes = false, frozen = false;

  static Parsed of(const std::string& name) {
    Parsed p;
    std::istringstream in(name);
    in >> p.conn >> p.role >> p.disk;
    for (std::string w; in >> w;) {
      if (w == "mounted") p.mounted = true;
      else if (w == "diverged") p.diverged = true;
      else if (w == "split-brain") p.split_brain = true;
      else if (w == "discard") p.discard = true;
      else if (w == "lost-writes") p.lost_writes = true;
      else if (w == "frozen") p.frozen = true;
      else ADD_FAILURE() << "unknown word " << w << " in " << name;
    }
    return p;
  }
  std::string render() const {
    std::string s = conn + " " + role + " " + disk;
    if (mounted) s += " mounted";
    if (diverged) s += " diverged";
    if (split_brain) s += " split-brain";
    if (discard) s += " discard";
    if (lost_writes) s += " lost-writes";
    if (frozen) s += " frozen";
    return s;
  }
};

std::string expected_handshake(const std::string& before, FactBits f) {
  Parsed p = Parsed::of(before);
  const bool up = p.disk == "UpToDate";
  const bool peer_discard = (f & kPeerDiscard) != 0;
  const bool discard = p.discard;
  // A frozen node counts as diverged; every outcome ends the freeze.
  const bool diverged = p.diverged || p.frozen;
  const bool split = diverged && (f & kPeerDiverged);
  p.discard = false;
  p.frozen = false;
  if (split && discard && !peer_discard) {
    p.conn = "SyncTarget", p.disk = "Inconsistent", p.lost_writes = true, p.diverged = false;
  } else if (split && peer_discard && !discard) {
    p.conn = "SyncSource", p.diverged = false;
  } else if (split) {
    p.conn = "StandAlone", p.split_brain = true, p.diverged = true;
  } else if (diverged) {
    p.conn = "SyncSource", p.diverged = false;
  } else if (f & kPeerDiverged) {
    p.conn = "SyncTarget", p.disk = "Inconsistent";
  } else if (up && (f & kPeerUpToDate)) {
    p.conn = "Connected";
  } else if (up) {
    p.conn = "SyncSource";
  } else if (f & kPeerUpToDate) {
    p.conn = "SyncTarget", p.disk = "Inconsistent";
  } else {
    p.conn = "Connected";
  }
  return p.render();
}

TEST(DrbdMachine, HandshakeMatchesTheHeaderListInEveryReachableState) {
  int checked = 0;
  for (const auto& m : test_support::reachable_machines(drbd::kind())) {
    if (!m->holds(id(Pred::WFConnection))) continue;
    const std::string before = m->state_name();
    for (FactBits f = 0; f <= kAllFacts; ++f) {
      auto next = m->clone();
      if (!(f & kWaiting)) {
        EXPECT_EQ(next->process(id(Event::Handshake), f), Outcome::GuardRejected) << before << " " << f;
        continue;
      }
      ASSERT_EQ(next->process(id(Event::Handshake), f), Outcome::Taken) << before << " " << f;
      EXPECT_EQ(next->state_name(), expected_handshake(before, f)) << before << " facts " << f;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 28 * 128);  // 28 reachable WFConnection states x 128 fact sets with peer_waiting
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

TEST(DrbdMachine, ReachableStatesAreNamedOneToOne) {
  const std::vector<std::string> names = test_support::reachable_names(drbd::kind());
  // 36 local states without lost-writes, each also reachable with the sticky lost-writes: the 27
  // below, plus 5 with an Outdated disk (a Secondary that left a Primary: Unconfigured,
  // StandAlone, WFConnection (also with discard), Connected) and 4 frozen Primaries in
  // WFConnection (mounted or not; diverged when promoted again while frozen).
  EXPECT_EQ(names.size(), 72u);
  std::map<std::string, int> per_conn;
  for (const std::string& name : names) ++per_conn[Parsed::of(name).conn];
  EXPECT_EQ(per_conn["Unconfigured"], 8);
  EXPECT_EQ(per_conn["StandAlone"], 18);
  EXPECT_EQ(per_conn["WFConnection"], 28);
  EXPECT_EQ(per_conn["Connected"], 10);
  EXPECT_EQ(per_conn["SyncSource"], 6);
  EXPECT_EQ(per_conn["SyncTarget"], 2);
  // Secondary whenever Unconfigured; Primary only with UpToDate data, and diverged whenever not
  // linked; mounted only as Primary; split-brain only StandAlone; discard only WFConnection
  // Secondary; never diverged with Inconsistent data, nor while linked.
  const std::vector<std::string> without_lost_writes = {
      "Unconfigured Secondary Inconsistent",
      "Unconfigured Secondary UpToDate",
      "Unconfigured Secondary UpToDate diverged",
      "StandAlone Primary UpToDate diverged",
      "StandAlone Primary UpToDate diverged split-brain",
      "StandAlone Primary UpToDate mounted diverged",
      "StandAlone Primary UpToDate mounted diverged split-brain",
      "StandAlone Secondary Inconsistent",
      "StandAlone Secondary UpToDate",
      "StandAlone Secondary UpToDate diverged",
      "StandAlone Secondary UpToDate diverged split-brain",
      "WFConnection Primary UpToDate diverged",
      "WFConnection Primary UpToDate mounted diverged",
      "WFConnection Secondary Inconsistent",
      "WFConnection Secondary Inconsistent discard",
      "WFConnection Secondary UpToDate",
      "WFConnection Secondary UpToDate discard",
      "WFConnection Secondary UpToDate diverged",
      "WFConnection Secondary UpToDate diverged discard",
      "Connected Primary UpToDate",
      "Connected Primary UpToDate mounted",
      "Connected Secondary Inconsistent",
      "Connected Secondary UpToDate",
      "SyncSource Primary UpToDate",
      "SyncSource Primary UpToDate mounted",
      "SyncSource Secondary UpToDate",
      "SyncTarget Secondary Inconsistent",
  };
  ASSERT_EQ(without_lost_writes.size(), 27u);
  std::vector<std::string> expected;
  for (const std::string& name : without_lost_writes) {
    expected.push_back(name);
    expected.push_back(name + " lost-writes");
  }
  std::sort(expected.begin(), expected.end());
  std::vector<std::string> old_names, new_names;
  for (const std::string& n : names)
    (std::binary_search(expected.begin(), expected.end(), n) ? old_names : new_names).push_back(n);
  EXPECT_EQ(old_names, expected);
  for (const std::string& n : new_names) {
    const Parsed p = Parsed::of(n);
    EXPECT_TRUE((p.disk == "Outdated" && p.role == "Secondary" && !p.diverged) ||
                (p.frozen && p.conn == "WFConnection" && p.role == "Primary"))
        << n;
  }
  EXPECT_EQ(new_names.size(), 18u);
  std::cout << "drbd: " << names.size() << " reachable local states\n";
}

TEST(DrbdMachine, InvariantsHoldInEveryReachableState) {
  for (const auto& m : test_support::reachable_machines(drbd::kind())) {
    const std::string n = m->state_name();
    auto h = [&m](Pred p) { return m->holds(id(p)); };
    EXPECT_TRUE(!h(Pred::Mounted) || h(Pred::Primary)) << n;
    EXPECT_TRUE(!h(Pred::Primary) || h(Pred::UpToDate)) << n;
    EXPECT_TRUE(!h(Pred::SplitBrain) || h(Pred::StandAlone)) << n;
    EXPECT_TRUE(!h(Pred::Discard) || (h(Pred::WFConnection) && h(Pred::Secondary))) << n;
    EXPECT_TRUE(!h(Pred::Linked) || !h(Pred::Diverged)) << n;
    // Primary and not linked: diverged, or frozen (I/O suspended, nothing written yet).
    EXPECT_TRUE(!(h(Pred::Primary) && !h(Pred::Linked)) || h(Pred::Diverged) || h(Pred::Frozen)) << n;
    EXPECT_TRUE(!h(Pred::Frozen) || (h(Pred::WFConnection) && h(Pred::Primary))) << n;
    EXPECT_TRUE(!h(Pred::Outdated) || h(Pred::Secondary)) << n;
    EXPECT_TRUE(!h(Pred::Unconfigured) || h(Pred::Secondary)) << n;
    EXPECT_NE(m->holds(id(Pred::Primary)), m->holds(id(Pred::Secondary))) << n;
    EXPECT_EQ(m->holds(id(Pred::Linked)), m->holds(id(Pred::Connected)) || m->holds(id(Pred::SyncSource)) ||
                                              m->holds(id(Pred::SyncTarget)))
        << n;
    EXPECT_EQ(m->holds(id(Pred::Promotable)), !m->holds(id(Pred::Unconfigured)) &&
                                                  !m->holds(id(Pred::SyncTarget)) && m->holds(id(Pred::UpToDate)))
        << n;
  }
}

// --- two nodes driven by hand ------------------------------------------------

// The facts one node sees, computed from its peer's state.
FactBits seen_from(const Machine& peer, bool allow_two_primaries) {
  FactBits f = allow_two_primaries ? kAllowTwo : 0;
  if (peer.holds(id(Pred::Primary))) f |= kPeerPrimary;
  if (peer.holds(id(Pred::Linked))) f |= kPeerLinked;
  if (peer.holds(id(Pred::WFConnection))) f |= kWaiting;
  if (peer.holds(id(Pred::Diverged))) f |= kPeerDiverged;
  if (peer.holds(id(Pred::UpToDate))) f |= kPeerUpToDate;
  if (peer.holds(id(Pred::Discard))) f |= kPeerDiscard;
  return f;
}

struct Pair {
  explicit Pair(bool allow_two = false) : allow_two_primaries(allow_two) {}
  std::unique_ptr<Machine> a = drbd::kind().make_initial();
  std::unique_ptr<Machine> b = drbd::kind().make_initial();
  bool allow_two_primaries;

  Outcome on_a(Event e) { return a->process(id(e), seen_from(*b, allow_two_primaries)); }
  Outcome on_b(Event e) { return b->process(id(e), seen_from(*a, allow_two_primaries)); }
  // Events both nodes see at once (handshake, sync_done, a network partition): facts from before.
  void together(Event e) {
    const FactBits fa = seen_from(*b, allow_two_primaries);
    const FactBits fb = seen_from(*a, allow_two_primaries);
    EXPECT_EQ(a->process(id(e), fa), Outcome::Taken) << event_name(e) << " on a " << a->state_name();
    EXPECT_EQ(b->process(id(e), fb), Outcome::Taken) << event_name(e) << " on b " << b->state_name();
  }
  void expect(const std::string& name_a, const std::string& name_b) const {
    EXPECT_EQ(a->state_name(), name_a);
    EXPECT_EQ(b->state_name(), name_b);
  }
  // Both up, handshake: both Connected Secondary UpToDate.
  void clean_start() {
    EXPECT_EQ(on_a(Event::Up), Outcome::Taken);
    EXPECT_EQ(on_a(Event::Handshake), Outcome::GuardRejected);  // b is still down
    EXPECT_EQ(on_b(Event::Up), Outcome::Taken);
    expect("WFConnection Secondary UpToDate", "WFConnection Secondary UpToDate");
    together(Event::Handshake);
    expect("Connected Secondary UpToDate", "Connected Secondary UpToDate");
  }
};

TEST(DrbdMachine, PairCleanStartPromoteAndMount) {
  Pair p;
  p.clean_start();
  EXPECT_EQ(p.on_a(Event::Mount), Outcome::GuardRejected);  // Secondary
  EXPECT_EQ(p.on_a(Event::Primary), Outcome::Taken);
  EXPECT_EQ(p.on_a(Event::Mount), Outcome::Taken);
  p.expect("Connected Primary UpToDate mounted", "Connected Secondary UpToDate");
  EXPECT_EQ(p.on_b(Event::Primary), Outcome::GuardRejected);  // peer Primary, no allow-two-primaries
  EXPECT_EQ(p.on_b(Event::Mount), Outcome::GuardRejected);
  EXPECT_EQ(p.on_a(Event::Secondary), Outcome::GuardRejected);  // mounted
  EXPECT_EQ(p.on_a(Event::Down), Outcome::GuardRejected);       // mounted
  p.expect("Connected Primary UpToDate mounted", "Connected Secondary UpToDate");
}

TEST(DrbdMachine, PairPeerReturnsAfterDownAndResyncsBeforeItCanBePromoted) {
  Pair p;
  p.clean_start();
  ASSERT_EQ(p.on_a(Event::Primary), Outcome::Taken);
  ASSERT_EQ(p.on_a(Event::Mount), Outcome::Taken);
  // b is taken down (drbdadm down, then the host shuts down); a notices its peer is gone.
  EXPECT_EQ(p.on_b(Event::Down), Outcome::Taken);
  EXPECT_EQ(p.on_b(Event::HostShutdown), Outcome::Taken);
  EXPECT_EQ(p.on_a(Event::PeerGone), Outcome::Taken);
  // b left the Primary gracefully: Outdated (DOMAIN.md 3a), it cannot be promoted alone.
  p.expect("WFConnection Primary UpToDate mounted diverged", "Unconfigured Secondary Outdated");
  // b returns.
  EXPECT_EQ(p.on_b(Event::Up), Outcome::Taken);
  p.together(Event::Handshake);
  p.expect("SyncSource Primary UpToDate mounted", "SyncTarget Secondary Inconsistent");
  EXPECT_FALSE(p.b->holds(id(Pred::Promotable)));
  EXPECT_EQ(p.on_b(Event::Primary), Outcome::GuardRejected);
  EXPECT_EQ(p.b->process(id(Event::Primary), seen_from(*p.a, true)), Outcome::GuardRejected);
  p.together(Event::SyncDone);
  p.expect("Connected Primary UpToDate mounted", "Connected Secondary UpToDate");
  EXPECT_TRUE(p.b->holds(id(Pred::Promotable)));
  // Controlled failover: a lets go, b takes over.
  EXPECT_EQ(p.on_a(Event::Unmount), Outcome::Taken);
  EXPECT_EQ(p.on_a(Event::Secondary), Outcome::Taken);
  EXPECT_EQ(p.on_b(Event::Primary), Outcome::Taken);
  EXPECT_EQ(p.on_b(Event::Mount), Outcome::Taken);
  p.expect("Connected Secondary UpToDate", "Connected Primary UpToDate mounted");
}

TEST(DrbdMachine, PairBothPromotedWhileDisconnectedIsASplitBrainFixedByDiscardingTheVictim) {
  Pair p;
  p.clean_start();
  p.together(Event::LinkLoss);  // network partition
  p.expect("WFConnection Secondary UpToDate", "WFConnection Secondary UpToDate");
  for (Machine* m : {p.a.get(), p.b.get()}) {
    EXPECT_EQ(m->process(id(Event::Primary), 0), Outcome::Taken);
    EXPECT_EQ(m->process(id(Event::Mount), 0), Outcome::Taken);
  }
  p.expect("WFConnection Primary UpToDate mounted diverged", "WFConnection Primary UpToDate mounted diverged");
  // The network returns: split brain detected, both drop the connection.
  p.together(Event::Handshake);
  p.expect("StandAlone Primary UpToDate mounted diverged split-brain",
           "StandAlone Primary UpToDate mounted diverged split-brain");
  // Manual fix: b is the victim.
  EXPECT_EQ(p.on_b(Event::ConnectDiscard), Outcome::GuardRejected);  // still Primary
  EXPECT_EQ(p.on_b(Event::Unmount), Outcome::Taken);
  EXPECT_EQ(p.on_b(Event::Secondary), Outcome::Taken);
  EXPECT_EQ(p.on_b(Event::ConnectDiscard), Outcome::Taken);
  p.expect("StandAlone Primary UpToDate mounted diverged split-brain", "WFConnection Secondary UpToDate diverged discard");
  EXPECT_EQ(p.on_b(Event::Handshake), Outcome::GuardRejected);  // a is StandAlone
  EXPECT_EQ(p.on_a(Event::Connect), Outcome::Taken);
  p.expect("WFConnection Primary UpToDate mounted diverged", "WFConnection Secondary UpToDate diverged discard");
  p.together(Event::Handshake);
  p.expect("SyncSource Primary UpToDate mounted", "SyncTarget Secondary Inconsistent lost-writes");
  EXPECT_TRUE(p.b->holds(id(Pred::LostWrites)));
  EXPECT_EQ(p.on_b(Event::Primary), Outcome::GuardRejected);
  p.together(Event::SyncDone);
  p.expect("Connected Primary UpToDate mounted", "Connected Secondary UpToDate lost-writes");
}

TEST(DrbdMachine, PairDualPrimaryDivergesOnAnyLinkLoss) {
  Pair p(true);
  p.clean_start();
  EXPECT_EQ(p.on_a(Event::Primary), Outcome::Taken);
  EXPECT_EQ(p.on_b(Event::Primary), Outcome::Taken);  // allowed: allow-two-primaries
  p.expect("Connected Primary UpToDate", "Connected Primary UpToDate");
  EXPECT_EQ(p.on_a(Event::Mount), Outcome::Taken);
  EXPECT_EQ(p.on_b(Event::Mount), Outcome::Taken);
  p.together(Event::LinkLoss);
  p.expect("WFConnection Primary UpToDate mounted diverged", "WFConnection Primary UpToDate mounted diverged");
  p.together(Event::Handshake);
  p.expect("StandAlone Primary UpToDate mounted diverged split-brain",
           "StandAlone Primary UpToDate mounted diverged split-brain");
  EXPECT_TRUE(p.a->holds(id(Pred::SplitBrain)));
  EXPECT_TRUE(p.b->holds(id(Pred::SplitBrain)));

  // The same pair without allow-two-primaries refuses the second promotion.
  Pair single(false);
  single.clean_start();
  EXPECT_EQ(single.on_a(Event::Primary), Outcome::Taken);
  EXPECT_EQ(single.on_b(Event::Primary), Outcome::GuardRejected);
}

}  // namespace
}  // namespace acdsim::model
