// Parsers on recorded outputs (data/outputs/README.md says which are verbatim
// from DOMAIN.md and which are reconstructed).
#include "acdsim/live/probes.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace acdsim::live;

namespace {
std::string sample(const std::string& name) {
  std::ifstream in(ACDSIM_SOURCE_DIR "/tests/live/data/outputs/" + name);
  EXPECT_TRUE(in) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST(ProcDrbd, ReadsEachMinorOf84) {
  const DrbdStatus c = parse_proc_drbd(sample("proc-drbd-84-connected.txt"), 0);
  ASSERT_TRUE(c.known);
  EXPECT_TRUE(c.configured);
  EXPECT_EQ(c.connection, "Connected");
  EXPECT_EQ(c.role, "Secondary");
  EXPECT_EQ(c.peer_role, "Secondary");
  EXPECT_EQ(c.disk, "UpToDate");
  const std::string s = sample("proc-drbd-84-sync.txt");
  EXPECT_EQ(parse_proc_drbd(s, 0).role, "Primary");
  const DrbdStatus sync = parse_proc_drbd(s, 1);
  EXPECT_EQ(sync.connection, "SyncSource");
  EXPECT_EQ(sync.peer_disk, "Inconsistent");
  EXPECT_EQ(parse_proc_drbd(s, 2).connection, "StandAlone");
  EXPECT_EQ(parse_proc_drbd(s, 2).peer_role, "Unknown");
  EXPECT_EQ(parse_proc_drbd(s, 3).connection, "WFConnection");
  EXPECT_TRUE(parse_proc_drbd(s, 4).known);
  EXPECT_FALSE(parse_proc_drbd(s, 4).configured);  // cs:Unconfigured
  EXPECT_FALSE(parse_proc_drbd(s, 9).configured);  // not listed: down
}

TEST(ProcDrbd, Drbd9AndGarbageAreUnknown) {
  EXPECT_FALSE(parse_proc_drbd("version: 9.2.4 (api:2/proto:86-122)\n", 0).known);
  EXPECT_FALSE(parse_proc_drbd(" 0: cs:Connected ro:Prim", 0).known);
  EXPECT_FALSE(parse_proc_drbd("hello", 0).known);
  EXPECT_TRUE(parse_proc_drbd("cat: /proc/drbd: No such file or directory\n", 0).known);
}

TEST(DrbdadmStatus, ReadsDrbd9Layouts) {
  const DrbdStatus d = parse_drbdadm_status(sample("drbdadm-status-9-sync.txt"), "wwwdata", 0);
  ASSERT_TRUE(d.known) << d.why;
  EXPECT_EQ(d.role, "Primary");
  EXPECT_EQ(d.peer_role, "Secondary");
  EXPECT_EQ(d.connection, "SyncSource");
  EXPECT_EQ(d.peer_disk, "Inconsistent");
  const DrbdStatus w = parse_drbdadm_status(sample("drbdadm-status-9-connecting.txt"), "jtelshared", 0);
  EXPECT_EQ(w.connection, "WFConnection");
  EXPECT_EQ(w.peer_role, "Unknown");
  EXPECT_EQ(parse_drbdadm_status(sample("drbdadm-status-9-established.txt"), "jtelshared", 0).connection, "Connected");
  EXPECT_FALSE(parse_drbdadm_status(sample("drbdadm-status-9-sync.txt"), "jtelshared", 0).known);
  const DrbdStatus down = parse_drbdadm_status("jtelshared: No such resource\n", "jtelshared", 10);
  EXPECT_TRUE(down.known);
  EXPECT_FALSE(down.configured);
  EXPECT_EQ(parse_drbd_any(sample("proc-drbd-84-connected.txt"), "jtelshared", 0, 0).connection, "Connected");
}

TEST(PcsStatus, Pacemaker11ActiveNodeAndFailedAction) {
  const std::string s = sample("pcs-11-active.txt");
  const PcsNodeStatus a = parse_pcs_status(s, "acd-lb1", 0);
  ASSERT_TRUE(a.known) << a.why;
  EXPECT_TRUE(a.online);
  EXPECT_TRUE(a.quorate);
  EXPECT_EQ(a.resources_started, 4);  // master + fs + samba + vip
  EXPECT_FALSE(a.failed_start);
  const PcsNodeStatus b = parse_pcs_status(s, "acd-lb2", 0);
  EXPECT_TRUE(b.online);
  EXPECT_EQ(b.resources_started, 0);
  EXPECT_TRUE(b.failed_start);
}

TEST(PcsStatus, Pacemaker2xStandbyOfflineAndNoQuorum) {
  const std::string s = sample("pcs-2x-standby.txt");
  EXPECT_TRUE(parse_pcs_status(s, "acd-lb1", 0).standby);
  EXPECT_EQ(parse_pcs_status(s, "acd-lb1", 0).resources_started, 0);
  EXPECT_EQ(parse_pcs_status(s, "acd-lb2", 0).resources_started, 4);
  const std::string q = sample("pcs-2x-no-quorum.txt");
  const PcsNodeStatus one = parse_pcs_status(q, "acd-lb1", 0);
  EXPECT_FALSE(one.quorate);
  EXPECT_TRUE(one.failed_start);  // 2.1 "start on NODE returned 'error'"
  EXPECT_TRUE(parse_pcs_status(q, "acd-lb2", 0).offline);
  const PcsNodeStatus off = parse_pcs_status(sample("pcs-not-running.txt"), "acd-lb1", 1);
  EXPECT_TRUE(off.known);
  EXPECT_FALSE(off.cluster_running);
  EXPECT_FALSE(parse_pcs_status("Error: unable to connect to pcsd\n", "acd-lb1", 1).known);
  EXPECT_FALSE(parse_pcs_status(s, "acd-lb9", 0).known);  // a node pcs does not list
}

TEST(ReplicaStatus, MariadbAndMysql8Layouts) {
  const ReplicaStatus c = parse_replica_status(sample("slave-status-connecting.txt"), 0);
  ASSERT_EQ(c.result, ReplicaStatus::Result::Status);
  EXPECT_EQ(c.io_running, "Connecting");
  EXPECT_EQ(c.sql_running, "Yes");
  EXPECT_EQ(c.io_state, "Connecting to master");
  const ReplicaStatus h = parse_replica_status(sample("slave-status-healthy.txt"), 0);
  EXPECT_EQ(h.io_running, "Yes");
  const ReplicaStatus m = parse_replica_status(sample("replica-status-mysql8-sql-error.txt"), 0);
  EXPECT_EQ(m.sql_running, "No");
  EXPECT_NE(m.last_sql_error.find("Duplicate"), std::string::npos);
  EXPECT_EQ(parse_replica_status("", 0).result, ReplicaStatus::Result::NotConfigured);
  EXPECT_EQ(parse_replica_status("ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)\n", 1).result,
            ReplicaStatus::Result::ServerDown);
  EXPECT_EQ(parse_replica_status("ERROR 1045 (28000): Access denied for user 'x'@'localhost'\n", 1).result,
            ReplicaStatus::Result::Unknown);
  EXPECT_EQ(parse_replica_status("Slave_IO_Running: Maybe\nSlave_SQL_Running: Yes\n", 0).result, ReplicaStatus::Result::Unknown);
}

TEST(ServiceStatus, SystemctlWordsAndMysqladminPing) {
  using S = ServiceStatus::State;
  EXPECT_EQ(parse_service_status("active\n", 0).state, S::Active);
  EXPECT_EQ(parse_service_status("inactive\n", 3).state, S::Inactive);
  EXPECT_EQ(parse_service_status("activating\n", 3).state, S::Activating);
  EXPECT_EQ(parse_service_status("deactivating\n", 3).state, S::Deactivating);
  EXPECT_EQ(parse_service_status("failed\n", 3).state, S::Failed);
  EXPECT_EQ(parse_service_status("mysqld is alive\n", 0).state, S::Active);
  EXPECT_EQ(parse_service_status("mysqladmin: connect to server at 'localhost' failed\nerror: 'Can't connect to local server "
                                 "through socket '/run/mysqld/mysqld.sock' (2)'\nCheck that mariadbd is running\n", 1).state,
            S::Inactive);
  EXPECT_EQ(parse_service_status("System has not been booted with systemd as init system (PID 1). Can't operate.\n", 1).state,
            S::Unknown);
  EXPECT_EQ(parse_service_status("", 0).state, S::Unknown);
}

TEST(MountStatus, MountpointAndFindmnt) {
  using S = MountStatus::State;
  EXPECT_EQ(parse_mount_status("/home/jtel/shared is a mountpoint\n", 0).state, S::Mounted);
  EXPECT_EQ(parse_mount_status("/home/jtel/shared is not a mountpoint\n", 32).state, S::NotMounted);
  const MountStatus f = parse_mount_status(
      "TARGET            SOURCE              FSTYPE OPTIONS\n/home/jtel/shared //acd-store/shared cifs   rw,relatime,vers=3.0\n", 0);
  EXPECT_EQ(f.state, S::Mounted);
  EXPECT_EQ(f.fstype, "cifs");
  EXPECT_EQ(parse_mount_status("", 1).state, S::NotMounted);
  EXPECT_EQ(parse_mount_status("mountpoint: /home/jtel/shared: No such file or directory\n", 32).state, S::Unknown);
}

TEST(HttpStatus, CurlExitAndCode) {
  using S = HttpStatus::State;
  EXPECT_EQ(parse_http_status("200", 0).state, S::Ok);
  EXPECT_EQ(parse_http_status("302", 0).state, S::Ok);
  EXPECT_EQ(parse_http_status("503", 0).state, S::Unavailable);
  EXPECT_EQ(parse_http_status("000", 7).state, S::Refused);
  EXPECT_EQ(parse_http_status("000", 28).state, S::Unknown);
  EXPECT_EQ(parse_http_status("404", 0).state, S::Unknown);
  EXPECT_EQ(parse_http_status("<html>", 0).state, S::Unknown);
}

TEST(VirshDomstate, PowerStates) {
  using S = VmPower::State;
  EXPECT_EQ(parse_virsh_domstate("running\n\n", 0).state, S::Running);
  EXPECT_EQ(parse_virsh_domstate("shut off\n\n", 0).state, S::ShutOff);
  EXPECT_EQ(parse_virsh_domstate("in shutdown\n", 0).state, S::ShuttingDown);
  EXPECT_EQ(parse_virsh_domstate("paused\n", 0).state, S::Other);
  EXPECT_EQ(parse_virsh_domstate("error: failed to get domain 'jtel-x'\n", 1).state, S::Unknown);
}

TEST(SystemRunning, BootStatesAndAnythingElseUnknown) {
  using S = SystemState::State;
  EXPECT_EQ(parse_system_running("starting\n", 1).state, S::Booting);
  EXPECT_EQ(parse_system_running("initializing\n", 1).state, S::Booting);
  EXPECT_EQ(parse_system_running("running\n", 0).state, S::Up);
  EXPECT_EQ(parse_system_running("degraded\n", 1).state, S::Up);
  EXPECT_EQ(parse_system_running("stopping\n", 1).state, S::Stopping);
  EXPECT_EQ(parse_system_running("offline\n", 1).state, S::Unknown);  // no systemd as PID 1
  EXPECT_EQ(parse_system_running("maintenance\n", 1).state, S::Unknown);
  EXPECT_EQ(parse_system_running("", 0).state, S::Unknown);
  EXPECT_TRUE(ssh_refused("Host key verification failed.\r\n"));
  EXPECT_TRUE(ssh_refused("root@10.0.0.3: Permission denied (publickey).\n"));
  EXPECT_FALSE(ssh_refused("ssh: connect to host 10.0.0.3 port 22: Connection refused\n"));
}

TEST(PcsStatus, NodeStatesOutsideTheModelAreUnknown) {
  const std::string head = "Cluster name: jtelcluster\nCluster Summary:\n  * Current DC: acd-lb2 - partition with quorum\nNode List:\n";
  EXPECT_FALSE(parse_pcs_status(head + "  * Node acd-lb1: pending\n  * Online: [ acd-lb2 ]\n", "acd-lb1", 0).known);
  EXPECT_FALSE(parse_pcs_status(head + "  * Node acd-lb1: UNCLEAN (online)\n", "acd-lb1", 0).known);
  EXPECT_FALSE(parse_pcs_status(head + "  * Node acd-lb1: maintenance\n", "acd-lb1", 0).known);
  EXPECT_TRUE(parse_pcs_status(head + "  * Node acd-lb1: UNCLEAN (offline)\n", "acd-lb1", 0).offline);
  // A node's activity is read only from a resource list (here: an empty one).
  const PcsNodeStatus standby = parse_pcs_status(
      head + "  * Node acd-lb1: standby (with active resources)\n\nFull List of Resources:\n  * No resources\n", "acd-lb1", 0);
  EXPECT_TRUE(standby.known && standby.standby);
}

TEST(ReplicaStatus, SeveralChannelsAreUnknownNotTheFirstOne) {
  const std::string one = sample("slave-status-healthy.txt");
  std::string two = one + one;
  two.replace(two.rfind("1. row"), 6, "2. row");
  EXPECT_EQ(parse_replica_status(two, 0).result, ReplicaStatus::Result::Unknown);
  EXPECT_NE(parse_replica_status(two, 0).why.find("more than one replication channel"), std::string::npos);
}

TEST(ServiceStatus, MysqladminAccessDeniedMeansTheServerAnswers) {
  // mysqladmin's exit status is 0 whenever the server runs, even when the login fails.
  const std::string denied =
      "mysqladmin: connect to server at 'localhost' failed\nerror: 'Access denied for user 'root'@'localhost' (using password: NO)'\n";
  EXPECT_EQ(parse_service_status(denied, 0).state, ServiceStatus::State::Active);
  EXPECT_EQ(parse_service_status(denied, 1).state, ServiceStatus::State::Unknown);
}

// ---- Issue 13: real outputs of the versions operators run (tests/live/corpus) ----
namespace {
std::string corpus_file(const std::string& name) {
  std::ifstream in(ACDSIM_SOURCE_DIR "/tests/live/corpus/" + name);
  EXPECT_TRUE(in) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST(PcsStatusVersions, Pacemaker10And11FailedActionsWithNodeEqualsBanTheNode) {
  // "Failed actions:" (lower case), "p_mysql:1_start_0 (node=host-02, call=87, ...)": host-02 is banned.
  const PcsNodeStatus h = parse_pcs_status(corpus_file("pacemaker/doc-1.1.7-ms-mysql-failed-start-timeout.txt"), "host-02", 0);
  ASSERT_TRUE(h.known) << h.why;
  EXPECT_TRUE(h.failed_start);
  EXPECT_EQ(h.resources_started, 0);
  // 1.0.9: the failed start and the partly started group both keep ha-node01 from reading usable.
  EXPECT_FALSE(parse_pcs_status(corpus_file("pacemaker/blog-1.0.9-standby-group-partial-failed.txt"), "ha-node01", 0).known);
}

TEST(PcsStatusVersions, APartlyStartedGroupDoesNotMakeTheNodeActive) {
  const PcsNodeStatus g = parse_pcs_status(corpus_file("pacemaker/doc-2.0.5-group-partly-started-failed-resource-action.txt"),
                                           "@CENTRAL_MASTER_NAME@", 0);
  EXPECT_FALSE(g.known);
  EXPECT_NE(g.why.find("partly started"), std::string::npos) << g.why;
  EXPECT_FALSE(parse_pcs_status(corpus_file("pacemaker/sched-1.1.10-group-fail.txt"), "node1", 0).known);
}

TEST(PcsStatusVersions, FailedAndUnmanagedFailedResourcesAreUnknown) {
  const PcsNodeStatus f = parse_pcs_status(corpus_file("pacemaker/sched-1.1.10-1484.txt"), "hb2", 0);  // Started hb2 FAILED
  EXPECT_FALSE(f.known);
  const PcsNodeStatus u = parse_pcs_status(corpus_file("pacemaker/blog-1.0.9-unmanaged-failed-slaves.txt"), "ha-node01", 0);
  EXPECT_FALSE(u.known);  // drbd_nfs:1 Slave ha-node01 (unmanaged) FAILED
  EXPECT_NE(u.why.find("FAILED"), std::string::npos) << u.why;
}

TEST(PcsStatusVersions, ManagementDisabledAndMaintenanceMarkersAreUnknown) {
  const PcsNodeStatus d =
      parse_pcs_status(corpus_file("pacemaker/cts-2.1.5-text-output-of-active-unmanaged-resource-on-offline-node.txt"), "cluster01", 0);
  EXPECT_FALSE(d.known);
  EXPECT_NE(d.why.find("disabled"), std::string::npos) << d.why;
  // "rsc2 ... Started node2 (unmanaged)" on a node in maintenance; node1 runs beside it.
  EXPECT_FALSE(parse_pcs_status(corpus_file("pacemaker/sched-1.1.18-node-maintenance-1.txt"), "node2", 0).known);
}

TEST(PcsStatusVersions, NodeAttributesAndMigrationSummaryAreNoNodeLines) {
  // pacemaker 1.1.22 `crm_mon -1 -Af` (PR 1919), constructed variant: its "Active resources:" list
  // given as the full list that `crm_mon -r` (and pcs) print, so that the nodes' activity is provable.
  std::string s = corpus_file("pacemaker/issue-1.1.22-offline-node-attributes-migration.txt");
  s.replace(s.find("Active resources:"), 17, "Full list of resources:");
  const PcsNodeStatus p = parse_pcs_status(s, "rh77hv-02", 0);
  ASSERT_TRUE(p.known) << p.why;  // "* Node rh77hv-02:" under Node Attributes is not its status line
  EXPECT_TRUE(p.online);
  EXPECT_EQ(p.resources_started, 1);
  EXPECT_TRUE(parse_pcs_status(s, "rh77hv-03", 0).offline);
}

TEST(PcsStatusVersions, OfflineListSpelling) {
  // Constructed: the 2.x node list with the "Offline:" spelling.
  const std::string s =
      "Cluster Summary:\n  * Current DC: acd-lb1 (version 2.1.5) - partition WITHOUT quorum\n  * 2 nodes configured\n"
      "  * 1 resource instance configured\n\nNode List:\n  * Online: [ acd-lb1 ]\n  * Offline: [ acd-lb2 ]\n\n"
      "Full List of Resources:\n  * vip\t(ocf:heartbeat:IPaddr2):\t Stopped\n";
  const PcsNodeStatus p = parse_pcs_status(s, "acd-lb2", 0);
  ASSERT_TRUE(p.known) << p.why;
  EXPECT_TRUE(p.offline);
}

TEST(PcsStatusVersions, Pcs010ErrorRunningCrmMonIsAStoppedCluster) {
  for (const char* f : {"pacemaker/cfs-2.1.5-active-passive-150.txt", "pacemaker/cfs-2.1.2-active-passive-149.txt"}) {
    const PcsNodeStatus p = parse_pcs_status(corpus_file(f), "pcmk-1", 1);
    ASSERT_TRUE(p.known) << f << ": " << p.why;
    EXPECT_FALSE(p.cluster_running) << f;
  }
  // The same words with exit status 0 are not pcs's error.
  EXPECT_FALSE(parse_pcs_status(corpus_file("pacemaker/cfs-2.1.5-active-passive-150.txt"), "pcmk-1", 0).known);
}

TEST(DrbdadmStatus, OlderPeerDiskSpellingDoesNotOverwriteTheLocalDisk) {
  // Constructed (tests/live/corpus/README.md): local Inconsistent, peer "    disk:UpToDate".
  const DrbdStatus d = parse_drbdadm_status(corpus_file("drbd/constructed-drbdadm-old-peer-disk-spelling.txt"), "r0", 0);
  ASSERT_TRUE(d.known) << d.why;
  EXPECT_EQ(d.disk, "Inconsistent");
  EXPECT_EQ(d.peer_disk, "UpToDate");
  const DrbdStatus real = parse_drbdadm_status(corpus_file("drbd/linbit-drbd-configure-706-6f92.txt"), "r0", 0);
  EXPECT_EQ(real.peer_disk, "Inconsistent");
}

TEST(PcsStatusVersions, MigrationSummaryFailCountsMakeThatNodeUnknown) {
  // Constructed from the 1.1.22 output of PR 1919 (full list, see above) with a fail-count line
  // in the 1.1 and in the 2.x spelling of the migration summary.
  std::string s = corpus_file("pacemaker/issue-1.1.22-offline-node-attributes-migration.txt");
  s.replace(s.find("Active resources:"), 17, "Full list of resources:");
  const std::string one = s + "   prmPrimitive01: migration-threshold=1 fail-count=1 last-failure='Wed Oct 23 10:16:10 2019'\n";
  EXPECT_FALSE(parse_pcs_status(one, "rh77hv-02", 0).known);
  EXPECT_TRUE(parse_pcs_status(one, "rh77hv-01", 0).known);
  std::string two = s;
  two.replace(two.find("* Node rh77hv-02:\n", two.find("Migration Summary:")), 18,
              "* Node: rh77hv-02:\n  * prmPrimitive01: migration-threshold=1000000 fail-count=1\n");
  const PcsNodeStatus p = parse_pcs_status(two, "rh77hv-02", 0);
  EXPECT_FALSE(p.known);
  EXPECT_NE(p.why.find("fail-count"), std::string::npos) << p.why;
}
