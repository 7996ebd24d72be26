// DRBD's Outdated disk state and `fencing resource-and-stonith` (I/O frozen until the
// fence-peer handler returns): DOMAIN.md 2 and 3a.
#include <gtest/gtest.h>

#include <string>

#include "acdsim/model/drbd.hpp"
#include "drbd_test_common.hpp"

namespace acdsim::model {
namespace {

using namespace drbd_test;

const Path kConnectedPrimary = kConnected + Path{{Event::Primary}};
// Left a connected Primary with drbdadm down: Outdated on disk.
const Path kOutdated = kConnected + Path{{Event::Down, kPeerPrimary}};

TEST(DrbdOutdated, ASecondaryLeavingAConnectedPrimaryGracefullyOutdatesItself) {
  for (Event leave : {Event::Down, Event::HostShutdown, Event::Disconnect}) {
    auto m = reach(kConnected);
    ASSERT_EQ(m->process(id(leave), kPeerPrimary), Outcome::Taken);
    EXPECT_TRUE(m->holds(id(Pred::Outdated))) << m->state_name();
    EXPECT_FALSE(m->holds(id(Pred::UpToDate)));
  }
  auto down = reach(kConnected);
  ASSERT_EQ(down->process(id(Event::Down), kPeerPrimary), Outcome::Taken);
  EXPECT_EQ(down->state_name(), "Unconfigured Secondary Outdated");
  auto disconnected = reach(kConnected);
  ASSERT_EQ(disconnected->process(id(Event::Disconnect), kPeerPrimary), Outcome::Taken);
  EXPECT_EQ(disconnected->state_name(), "StandAlone Secondary Outdated");
}

TEST(DrbdOutdated, LeavingASecondaryPeerOrCrashingKeepsTheDiskUpToDate) {
  for (Event leave : {Event::Down, Event::HostShutdown, Event::Disconnect}) {
    auto m = reach(kConnected);
    ASSERT_EQ(m->process(id(leave), 0), Outcome::Taken);
    EXPECT_TRUE(m->holds(id(Pred::UpToDate))) << m->state_name();
  }
  // A crash is not graceful: nothing is written to the metadata.
  auto crash = reach(kConnected);
  ASSERT_EQ(crash->process(id(Event::HostLost), kPeerPrimary), Outcome::Taken);
  EXPECT_EQ(crash->state_name(), "Unconfigured Secondary UpToDate");
  // Not linked (the peer is unknown): nothing to outdate against.
  auto waiting = reach({{Event::Up}});
  ASSERT_EQ(waiting->process(id(Event::Down), kPeerPrimary), Outcome::Taken);
  EXPECT_EQ(waiting->state_name(), "Unconfigured Secondary UpToDate");
}

TEST(DrbdOutdated, ThePrimaryLeavingASecondaryStaysUpToDateButADualPrimaryPeerOutdates) {
  auto primary = reach(kConnectedPrimary);
  ASSERT_EQ(primary->process(id(Event::Down), 0), Outcome::Taken);
  EXPECT_EQ(primary->state_name(), "Unconfigured Secondary UpToDate");
  // drbdadm down demotes first: it then leaves a Primary peer like any Secondary.
  auto dual = reach(kConnected + Path{{Event::Primary, kPeerPrimary | kAllowTwo}});
  ASSERT_EQ(dual->state_name(), "Connected Primary UpToDate");
  ASSERT_EQ(dual->process(id(Event::Down), kPeerPrimary | kAllowTwo), Outcome::Taken);
  EXPECT_EQ(dual->state_name(), "Unconfigured Secondary Outdated");
}

TEST(DrbdOutdated, AnOutdatedNodeIsRefusedPrimaryAndHasNoMasterScore) {
  auto m = reach(kOutdated + Path{{Event::Up}});
  EXPECT_EQ(m->state_name(), "WFConnection Secondary Outdated");
  EXPECT_FALSE(m->holds(id(Pred::Promotable)));
  for (FactBits f : {FactBits{0}, kAllowTwo, kPeerUpToDate})
    EXPECT_EQ(m->process(id(Event::Primary), f), Outcome::GuardRejected);
  EXPECT_EQ(m->state_name(), "WFConnection Secondary Outdated");
}

TEST(DrbdOutdated, AnOutdatedNodeResyncsFromItsPeer) {
  auto m = reach(kOutdated + Path{{Event::Up}});
  ASSERT_EQ(m->process(id(Event::Handshake), kWaiting | kPeerUpToDate | kPeerDiverged), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "SyncTarget Secondary Inconsistent");
  ASSERT_EQ(m->process(id(Event::SyncDone), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Connected Secondary UpToDate");
  EXPECT_TRUE(m->holds(id(Pred::Promotable)));
}

TEST(DrbdOutdated, BothOutdatedConnectWithoutASyncSource) {
  auto m = reach(kOutdated + Path{{Event::Up}});
  ASSERT_EQ(m->process(id(Event::Handshake), kWaiting), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Connected Secondary Outdated");
  EXPECT_FALSE(m->holds(id(Pred::Promotable)));
}

TEST(DrbdOutdated, OutdateNeedsAGoodSecondaryDisk) {
  auto m = reach({{Event::Up}});
  ASSERT_EQ(m->process(id(Event::Outdate), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "WFConnection Secondary Outdated");
  EXPECT_EQ(m->process(id(Event::Outdate), 0), Outcome::GuardRejected);  // already Outdated
  auto primary = reach({{Event::Up}, {Event::Primary}});
  EXPECT_EQ(primary->process(id(Event::Outdate), 0), Outcome::GuardRejected);
  auto linked = reach(kConnected);
  EXPECT_NE(linked->process(id(Event::Outdate), 0), Outcome::Taken);  // only while disconnected
  auto down = reach({});
  ASSERT_EQ(down->process(id(Event::Outdate), 0), Outcome::Taken);
  EXPECT_EQ(down->state_name(), "Unconfigured Secondary Outdated");
}

TEST(DrbdFencing, APrimaryLosingTheLinkFreezesInsteadOfDiverging) {
  auto m = reach(kConnectedPrimary);
  ASSERT_EQ(m->process(id(Event::LinkLoss), kFencing), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "WFConnection Primary UpToDate frozen");
  EXPECT_TRUE(m->holds(id(Pred::Frozen)));
  EXPECT_FALSE(m->holds(id(Pred::Diverged)));
  // The fence-peer handler returns: I/O resumes unreplicated.
  ASSERT_EQ(m->process(id(Event::Resume), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "WFConnection Primary UpToDate diverged");
  EXPECT_EQ(m->process(id(Event::Resume), 0), Outcome::GuardRejected);
  // Without fencing the link loss diverges at once; a Secondary never freezes.
  auto plain = reach(kConnectedPrimary);
  ASSERT_EQ(plain->process(id(Event::LinkLoss), 0), Outcome::Taken);
  EXPECT_EQ(plain->state_name(), "WFConnection Primary UpToDate diverged");
  auto secondary = reach(kConnected);
  ASSERT_EQ(secondary->process(id(Event::LinkLoss), kFencing), Outcome::Taken);
  EXPECT_EQ(secondary->state_name(), "WFConnection Secondary UpToDate");
}

TEST(DrbdFencing, ReconnectingOrGoingDownEndsTheFreezeWithoutDivergence) {
  auto reconnect = reach(kConnectedPrimary + Path{{Event::LinkLoss, kFencing}});
  // Its pending writes go to the peer: it is the resync source, nothing is lost.
  ASSERT_EQ(reconnect->process(id(Event::Handshake), kWaiting | kPeerUpToDate), Outcome::Taken);
  EXPECT_EQ(reconnect->state_name(), "SyncSource Primary UpToDate");
  auto fenced = reach(kConnectedPrimary + Path{{Event::LinkLoss, kFencing}});
  ASSERT_EQ(fenced->process(id(Event::HostLost), 0), Outcome::Taken);
  EXPECT_EQ(fenced->state_name(), "Unconfigured Secondary UpToDate");
}

}  // namespace
}  // namespace acdsim::model
