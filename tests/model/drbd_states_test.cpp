// The DRBD machine as a whole: the handshake list and the invariants in every reachable
// state, the reachable states' names, and two machines driven by hand as a pair (the
// single events: drbd_test.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "acdsim/model/drbd.hpp"
#include "drbd_test_common.hpp"

namespace acdsim::model {
namespace {

using namespace drbd_test;

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
