#include "acdsim/model/system.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>

#include "acdsim/model/input_error.hpp"
#include "acdsim/model/share_mount.hpp"
#include "system_walk.hpp"
#include "test_topologies.hpp"

namespace acdsim::model {
namespace {

using testing::env_move;
using testing::plain_topology;
using testing::redundant_topology;
using testing::run;
using testing::settle;
using testing::state_of;

TEST(System, ComponentsFollowRolesAndLinks) {
  System s(plain_topology());
  std::vector<std::string> paths;
  for (ComponentIndex i = 0; i < s.size(); ++i) paths.push_back(s.component(i).path());
  EXPECT_EQ(paths, (std::vector<std::string>{
                       "acd-store/vm", "acd-store/samba", "acd-lb/vm", "acd-lb/router", "acd-dbm/vm", "acd-dbm/mysql",
                       "acd-dbs/vm", "acd-dbs/mysql", "acd-dbs/replication:acd-dbm", "acd-jb1/vm", "acd-jb1/jboss",
                       "acd-jb1/share", "acd-jb1/hazelcast", "acd-tel1/vm", "acd-tel1/telephony", "acd-tel1/share",
                       "acd-tel1/hazelcast"}));
}

TEST(System, RedundantStorageNodesCarryDrbdAndPacemaker) {
  System s(redundant_topology());
  EXPECT_TRUE(s.find("acd-lb1/drbd"));
  EXPECT_TRUE(s.find("acd-lb2/pacemaker"));
  EXPECT_FALSE(s.find("acd-lb1/samba"));
}

TEST(System, HostCannotCarryTwoDatabaseRoles) {
  Topology t = plain_topology();
  t.hosts[2].roles = {Role::Dbm, Role::Dbs};
  try {
    System s(t);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.json_path(), "/hosts/2/roles");
    EXPECT_NE(e.message().find("cannot carry role dbs"), std::string::npos) << e.message();
  }
}

TEST(System, DocumentedStartupOrderEndsHealthy) {
  System s(plain_topology());
  Snapshot st = s.all_off();
  for (const char* host : {"acd-store", "acd-lb", "acd-dbm", "acd-dbs"}) st = settle(s, run(s, st, "power_on", host));
  st = run(s, st, "power_on", "acd-jb1");
  st = settle(s, run(s, st, "power_on", "acd-tel1"));
  EXPECT_EQ(state_of(s, st, "acd-jb1/share"), "Mounted");
  EXPECT_EQ(state_of(s, st, "acd-jb1/jboss"), "Running");
  EXPECT_EQ(state_of(s, st, "acd-tel1/telephony"), "Running");
  EXPECT_EQ(state_of(s, st, "acd-dbs/replication:acd-dbm"), "Streaming");
  EXPECT_EQ(state_of(s, st, "acd-lb/router"), "Routing");
  const std::string a = state_of(s, st, "acd-jb1/hazelcast"), b = state_of(s, st, "acd-tel1/hazelcast");
  EXPECT_TRUE((a == "Founder" && b == "Member") || (a == "Member" && b == "Founder")) << a << ", " << b;
}

TEST(System, WebServerBootedBeforeStorageRunsWithoutTheShareUntilRemountAndRestart) {
  System s(plain_topology());
  Snapshot st = settle(s, run(s, s.all_off(), "power_on", "acd-jb1"));
  EXPECT_EQ(state_of(s, st, "acd-jb1/share"), "MountFailed");
  EXPECT_EQ(state_of(s, st, "acd-jb1/jboss"), "Degraded share-broken");
  EXPECT_FALSE(s.apply(st, s.command("mount_share", "acd-jb1")).has_value()) << "storage is not serving yet";
  st = settle(s, run(s, st, "power_on", "acd-store"));
  st = settle(s, run(s, st, "power_on", "acd-dbm"));
  EXPECT_EQ(state_of(s, st, "acd-jb1/share"), "MountFailed") << "no retry after boot";
  st = settle(s, run(s, st, "mount_share", "acd-jb1"));
  EXPECT_EQ(state_of(s, st, "acd-jb1/share"), "Mounted");
  EXPECT_EQ(state_of(s, st, "acd-jb1/jboss"), "Degraded share-broken") << "the app needs a restart";
  st = settle(s, run(s, st, "app_stop", "acd-jb1"));
  st = settle(s, run(s, st, "app_start", "acd-jb1"));
  EXPECT_EQ(state_of(s, st, "acd-jb1/jboss"), "Running");
}

TEST(System, ReplicaStartedBeforeMasterConnectsOnceTheMasterRuns) {
  System s(plain_topology());
  Snapshot st = settle(s, run(s, s.all_off(), "power_on", "acd-dbs"));
  EXPECT_EQ(state_of(s, st, "acd-dbs/replication:acd-dbm"), "Connecting");
  st = settle(s, run(s, st, "power_on", "acd-dbm"));
  EXPECT_EQ(state_of(s, st, "acd-dbs/replication:acd-dbm"), "Streaming");
}

TEST(System, CommandsReachOnlyHostsThatAreUp) {
  System s(plain_topology());
  EXPECT_FALSE(s.apply(s.all_off(), s.command("systemctl_start", "acd-dbm/mysql")).has_value());
  Snapshot up = s.all_up();
  EXPECT_TRUE(s.apply(up, s.command("systemctl_stop", "acd-dbm/mysql")).has_value());
}

TEST(System, CleanShutdownCompletesOnlyAfterServicesStopped) {
  System s(plain_topology());
  Snapshot st = run(s, s.all_up(), "shutdown", "acd-dbm");
  EXPECT_EQ(state_of(s, st, "acd-dbm/vm"), "ShuttingDown");
  EXPECT_EQ(state_of(s, st, "acd-dbm/mysql"), "Stopping");
  EXPECT_FALSE(s.apply(st, env_move(s, "acd-dbm: shutdown complete")).has_value());
  EXPECT_TRUE(s.apply(st, env_move(s, "acd-dbs/replication:acd-dbm: master lost")).has_value())
      << "the replica notices its master going away";
  st = *s.apply(st, env_move(s, "acd-dbm/mysql: stop complete"));
  st = *s.apply(st, env_move(s, "acd-dbm: shutdown complete"));
  EXPECT_EQ(state_of(s, st, "acd-dbm/vm"), "Off");
}

// Issue 12 (seed, shutdown step 1): a host that is shutting down unmounts its
// share last, once its units stopped, so it still holds the share (and a
// storage going away under it is seen) until it is off.
TEST(System, CleanShutdownUnmountsTheShareOnlyWhenTheHostIsOff) {
  System s(plain_topology());
  Snapshot st = run(s, s.all_up(), "shutdown", "acd-jb1");
  EXPECT_EQ(state_of(s, st, "acd-jb1/vm"), "ShuttingDown");
  EXPECT_EQ(state_of(s, st, "acd-jb1/jboss"), "Stopping");
  EXPECT_EQ(state_of(s, st, "acd-jb1/share"), "Mounted") << "still mounted while the host shuts down";
  // The storage goes away while acd-jb1 is still shutting down: the share goes stale.
  st = run(s, st, "shutdown", "acd-store");
  st = *s.apply(st, env_move(s, "acd-store/samba: stop complete"));
  st = *s.apply(st, env_move(s, "acd-jb1/share: storage lost"));
  EXPECT_EQ(state_of(s, st, "acd-jb1/share"), "Stale");
  st = *s.apply(st, env_move(s, "acd-jb1/jboss: stop complete"));
  st = *s.apply(st, env_move(s, "acd-jb1: shutdown complete"));
  EXPECT_EQ(state_of(s, st, "acd-jb1/vm"), "Off");
  EXPECT_EQ(state_of(s, st, "acd-jb1/share"), "Unmounted") << "unmounted with the host's shutdown";
}

TEST(System, HardPowerOffDropsEverythingOnTheHost) {
  System s(plain_topology());
  std::vector<Change> changes;
  auto st = s.apply(s.all_up(), s.command("power_off", "acd-jb1"), &changes);
  ASSERT_TRUE(st);
  EXPECT_EQ(state_of(s, *st, "acd-jb1/vm"), "Off");
  EXPECT_EQ(state_of(s, *st, "acd-jb1/jboss"), "Stopped");
  EXPECT_EQ(state_of(s, *st, "acd-jb1/share"), "Unmounted");
  EXPECT_EQ(state_of(s, *st, "acd-jb1/hazelcast"), "Down");
  EXPECT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].component, *s.find("acd-jb1/vm"));
}

TEST(System, AllUpServesTheShareFromTheActiveClusterNode) {
  for (auto construction : {DrbdConstruction::PrimarySecondary, DrbdConstruction::PrimaryPrimary}) {
    System s(redundant_topology(construction));
    Snapshot up = s.all_up();
    EXPECT_EQ(state_of(s, up, "acd-lb1/drbd"), "Connected Primary UpToDate mounted");
    EXPECT_EQ(state_of(s, up, "acd-lb2/drbd"), construction == DrbdConstruction::PrimaryPrimary
                                                   ? "Connected Primary UpToDate"
                                                   : "Connected Secondary UpToDate");
    // Nothing in the environment would change a healthy system.
    EXPECT_EQ(settle(s, up), up);
  }
}

// Golden: on every shipped topology, all-up is healthy and nothing in the
// environment would change it, and all-off has no environment move at all.
TEST(System, ShippedTopologiesAllUpIsStableAndAllOffIsQuiet) {
  for (const char* name : {"jtel-small", "jtel-medium", "jtel-large", "jtel-large-redundant", "jtel-large-redundant-pp"}) {
    SCOPED_TRACE(name);
    System s(load_topology(std::string(ACDSIM_SOURCE_DIR) + "/scenarios/topologies/" + name + ".json"));
    const Snapshot up = s.all_up();
    for (const Move& m : s.environment_moves()) EXPECT_FALSE(s.apply(up, m).has_value()) << m.label;
    for (const Move& m : s.environment_moves()) EXPECT_FALSE(s.apply(s.all_off(), m).has_value()) << m.label;
    for (ComponentIndex i = 0; i < s.size(); ++i) {
      if (s.kind(i) != KindId::ShareMount) continue;
      EXPECT_EQ(s.facts(up, i), share_mount::fact::kStorageServing) << s.component(i).path();
    }
  }
}

TEST(System, PcsClusterStartWithOneNodeAbsentNeverServes) {
  System s(redundant_topology());
  Snapshot st = settle(s, run(s, s.all_off(), "power_on", "acd-lb1"));
  st = run(s, st, "drbdadm_up", "acd-lb1");
  st = run(s, st, "drbdadm_primary", "acd-lb1");
  st = settle(s, run(s, st, "pcs_cluster_start", "cluster:storage"));
  EXPECT_EQ(state_of(s, st, "acd-lb1/pacemaker"), "Online") << "wait_for_all: never quorate alone";
  EXPECT_EQ(state_of(s, st, "acd-lb2/pacemaker"), "Offline");
  // The second node arrives: quorum, resources start on the Primary.
  st = settle(s, run(s, st, "power_on", "acd-lb2"));
  st = settle(s, run(s, st, "drbdadm_up", "acd-lb2"));
  st = settle(s, run(s, st, "pcs_cluster_start", "acd-lb2"));
  EXPECT_EQ(state_of(s, st, "acd-lb1/pacemaker"), "Active quorate");
  EXPECT_EQ(state_of(s, st, "acd-lb1/drbd"), "Connected Primary UpToDate mounted");
  EXPECT_EQ(state_of(s, st, "acd-lb2/drbd"), "Connected Secondary UpToDate");
}

TEST(System, HandshakeUsesBothNodesStatesBeforeTheMove) {
  System s(redundant_topology());
  Snapshot st = settle(s, run(s, s.all_off(), "power_on", "acd-lb1"));
  st = settle(s, run(s, st, "power_on", "acd-lb2"));
  st = run(s, st, "drbdadm_up", "acd-lb1");
  st = run(s, st, "drbdadm_up", "acd-lb2");
  std::vector<Change> changes;
  auto next = s.apply(st, env_move(s, "DRBD jtelshared: handshake"), &changes);
  ASSERT_TRUE(next);
  EXPECT_EQ(changes.size(), 2u);
  EXPECT_EQ(state_of(s, *next, "acd-lb1/drbd"), "Connected Secondary UpToDate");
  EXPECT_EQ(state_of(s, *next, "acd-lb2/drbd"), "Connected Secondary UpToDate");
}

TEST(System, ManagedDrbdWaitsForPromotableDataInsteadOfFailing) {
  System s(redundant_topology(DrbdConstruction::PrimarySecondary, /*managed=*/true));
  Snapshot st = settle(s, run(s, s.all_off(), "power_on", "acd-lb1"));
  st = settle(s, run(s, st, "power_on", "acd-lb2"));
  st = run(s, st, "pcs_cluster_start", "cluster:storage");
  // Quorum first, before the clone has started DRBD anywhere.
  for (const char* label : {"acd-lb1/pacemaker: sees peer (quorum)", "acd-lb2/pacemaker: sees peer (quorum)",
                            "acd-lb1/pacemaker: starts storage resources"})
    st = *s.apply(st, env_move(s, label));
  EXPECT_EQ(state_of(s, st, "acd-lb1/pacemaker"), "Starting quorate");
  EXPECT_EQ(state_of(s, st, "acd-lb1/drbd"), "Unconfigured Secondary UpToDate");
  // No environment move bans the node; the DRBD clone starting is one of them.
  bool clone_starts = false;
  for (const Move& m : s.environment_moves()) {
    auto next = s.apply(st, m);
    if (!next) continue;
    EXPECT_EQ(state_of(s, *next, "acd-lb1/pacemaker").find("banned"), std::string::npos) << m.label;
    clone_starts |= m.label == "acd-lb1/drbd: pacemaker starts the DRBD clone";
  }
  EXPECT_TRUE(clone_starts);
  st = settle(s, st);
  EXPECT_EQ(state_of(s, st, "acd-lb1/pacemaker"), "Active quorate");
}

TEST(System, ManagedDrbdIsStartedAndPromotedByPacemaker) {
  System s(redundant_topology(DrbdConstruction::PrimarySecondary, /*managed=*/true));
  Snapshot st = settle(s, run(s, s.all_off(), "power_on", "acd-lb1"));
  st = settle(s, run(s, st, "power_on", "acd-lb2"));
  st = settle(s, run(s, st, "pcs_cluster_start", "cluster:storage"));
  const std::string a = state_of(s, st, "acd-lb1/drbd"), b = state_of(s, st, "acd-lb2/drbd");
  EXPECT_TRUE((a == "Connected Primary UpToDate mounted" && b == "Connected Secondary UpToDate") ||
              (b == "Connected Primary UpToDate mounted" && a == "Connected Secondary UpToDate"))
      << a << " / " << b;
}

RC_GTEST_PROP(Snapshot, PackUnpackRoundTrips, ()) {
  static const System s(redundant_topology());
  Snapshot state(s.size());
  for (ComponentIndex i = 0; i < s.size(); ++i)
    state[i] = *rc::gen::inRange<LocalCode>(0, static_cast<LocalCode>(s.table(i).size()));
  const PackedSnapshot packed = s.layout().pack(state);
  RC_ASSERT(packed.words.size() == s.layout().words());
  RC_ASSERT(s.layout().unpack(packed) == state);
  RC_ASSERT(hash_value(packed) == hash_value(s.layout().pack(state)));
  RC_ASSERT(snapshot_from_json(s, snapshot_to_json(s, state), "t.json") == state);
}

TEST(Snapshot, PackedFormIsCompact) {
  System s(plain_topology());
  EXPECT_LE(s.layout().words(), 1u) << s.layout().bits() << " bits";
}

TEST(Snapshot, JsonNamesUnknownComponentsAndStates) {
  System s(plain_topology());
  nlohmann::json j = {{"format", "acdsim-snapshot/1"}, {"states", {{"acd-nope/vm", "Up"}}}};
  EXPECT_THROW(snapshot_from_json(s, j, "snap.json"), InputError);
  j["states"] = {{"acd-dbm/vm", "Levitating"}};
  try {
    snapshot_from_json(s, j, "snap.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.json_path(), "/states/acd-dbm~1vm");  // RFC 6901 escapes "/"
    EXPECT_EQ(e.file(), "snap.json");
  }
  j = {{"format", "acdsim-snapshot/1"}, {"base", "all_up"}, {"states", {{"acd-dbm/vm", "Off"}}}};
  Snapshot st = snapshot_from_json(s, j, "snap.json");
  EXPECT_EQ(state_of(s, st, "acd-dbm/vm"), "Off");
  EXPECT_EQ(state_of(s, st, "acd-dbs/vm"), "Up");
}

}  // namespace
}  // namespace acdsim::model
