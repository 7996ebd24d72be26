// Probe output mapped onto the states of the model's kind tables.
#include "acdsim/live/observe.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "acdsim/model/kind_table.hpp"

using namespace acdsim;
using namespace acdsim::live;
using model::KindId;
using model::KindTable;

namespace {
std::string sample(const std::string& name) {
  std::ifstream in(ACDSIM_SOURCE_DIR "/tests/live/data/outputs/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
std::vector<std::string> names(KindId kind, const Observation& o) {
  std::vector<std::string> out;
  const KindTable& t = KindTable::of(kind);
  for (auto c : candidates(t, o)) out.push_back(t.name(c));
  return out;
}
}  // namespace

TEST(Observe, ReplicaConnectingIsTheModelsConnectingState) {
  const Observation o = observe_output(KindId::Replication, "replication_status", sample("slave-status-connecting.txt"), 0);
  ASSERT_TRUE(o.known);
  EXPECT_EQ(names(KindId::Replication, o), (std::vector<std::string>{"Connecting"}));
  EXPECT_EQ(names(KindId::Replication, observe_output(KindId::Replication, "replication_status", sample("slave-status-healthy.txt"), 0)),
            (std::vector<std::string>{"Streaming"}));
  EXPECT_EQ(names(KindId::Replication, observe_output(KindId::Replication, "replication_status",
                                                      sample("replica-status-mysql8-sql-error.txt"), 0)),
            (std::vector<std::string>{"Streaming sql-stopped"}));
  EXPECT_EQ(names(KindId::Replication, observe_output(KindId::Replication, "replication_status",
                                                      "ERROR 2002 (HY000): Can't connect to local server through socket", 1)),
            (std::vector<std::string>{"Off", "Off sql-stopped"}));
}

TEST(Observe, UnknownOutputGivesNoCandidates) {
  const Observation o = observe_output(KindId::Replication, "replication_status", "", 0);  // not configured
  EXPECT_FALSE(o.known);
  EXPECT_TRUE(candidates(KindTable::of(KindId::Replication), o).empty());
  EXPECT_FALSE(observe_output(KindId::Service, "service_state", "garbage", 0).known);
  EXPECT_FALSE(observe_output(KindId::Drbd, "drbd_status", "version: 9.2.4\n", 0).known);
}

TEST(Observe, ServiceStatesAndPingAmbiguity) {
  EXPECT_EQ(names(KindId::Service, observe_output(KindId::Service, "service_state", "active\n", 0)),
            (std::vector<std::string>{"Running"}));
  EXPECT_EQ(names(KindId::Service, observe_output(KindId::Service, "service_state", "failed\n", 3)),
            (std::vector<std::string>{"Failed"}));
  // mysqladmin cannot tell Stopped from Starting: both stay candidates.
  const auto ping = names(KindId::Service, observe_output(KindId::Service, "service_state",
                                                          "mysqladmin: connect to server at 'localhost' failed\n", 1));
  EXPECT_NE(std::find(ping.begin(), ping.end(), "Stopped"), ping.end());
  EXPECT_NE(std::find(ping.begin(), ping.end(), "Starting"), ping.end());
  EXPECT_EQ(std::find(ping.begin(), ping.end(), "Running"), ping.end());
}

TEST(Observe, DrbdLinesMapOntoDrbdStates) {
  const std::string s = sample("proc-drbd-84-sync.txt");
  for (int minor : {0, 1, 2, 3, 4}) {
    const Observation o = observe_output(KindId::Drbd, "drbd_status", s, 0, "jtelshared", minor);
    ASSERT_TRUE(o.known) << minor << ": " << o.seen;
    const auto n = names(KindId::Drbd, o);
    ASSERT_FALSE(n.empty()) << minor << ": " << o.seen;
    const std::string expected_prefix[] = {"Connected Primary UpToDate", "SyncSource Primary UpToDate",
                                           "StandAlone Secondary UpToDate", "WFConnection Primary UpToDate", "Unconfigured"};
    for (const std::string& name : n) EXPECT_TRUE(name.starts_with(expected_prefix[minor])) << name;
  }
}

TEST(Observe, PacemakerNodesMapOntoPacemakerStates) {
  const std::string s = sample("pcs-11-active.txt");
  auto lb1 = names(KindId::Pacemaker, observe_output(KindId::Pacemaker, "pcs_status", s, 0, "", 0, "acd-lb1"));
  // The observer does not read the corosync partition (pacemaker's new "partitioned" attribute,
  // issue 12): both candidates remain.
  EXPECT_EQ(lb1, (std::vector<std::string>{"Active quorate", "Active quorate partitioned"}));
  auto lb2 = names(KindId::Pacemaker, observe_output(KindId::Pacemaker, "pcs_status", s, 0, "", 0, "acd-lb2"));
  ASSERT_FALSE(lb2.empty());
  for (const auto& n : lb2) EXPECT_NE(n.find("banned"), std::string::npos) << n;
  EXPECT_EQ(names(KindId::Pacemaker, observe_output(KindId::Pacemaker, "pcs_status", sample("pcs-not-running.txt"), 1, "", 0, "acd-lb1")),
            (std::vector<std::string>{"Offline", "Offline standby", "Offline partitioned", "Offline standby partitioned"}));
  auto standby = names(KindId::Pacemaker, observe_output(KindId::Pacemaker, "pcs_status", sample("pcs-2x-standby.txt"), 0, "", 0, "acd-lb1"));
  ASSERT_FALSE(standby.empty());
  for (const auto& n : standby) EXPECT_NE(n.find("standby"), std::string::npos) << n;
}

TEST(Observe, VmShareRouterAndApps) {
  EXPECT_EQ(names(KindId::Vm, observe_output(KindId::Vm, "reachable", "", 0)), (std::vector<std::string>{"Booting", "Up"}));
  EXPECT_EQ(names(KindId::Vm, observe_output(KindId::Vm, "vm_state", "shut off\n", 0)), (std::vector<std::string>{"Off"}));
  const auto unreachable = names(KindId::Vm, observe_output(KindId::Vm, "reachable", "ssh: connect to host x port 22: Connection refused", 255));
  EXPECT_EQ(std::find(unreachable.begin(), unreachable.end(), "Up"), unreachable.end());
  EXPECT_EQ(names(KindId::ShareMount, observe_output(KindId::ShareMount, "share_mounted", "/home/jtel/shared is not a mountpoint\n", 32)),
            (std::vector<std::string>{"Unmounted", "MountFailed"}));
  const auto routing = names(KindId::Router, observe_output(KindId::Router, "router_http", "200", 0));
  ASSERT_FALSE(routing.empty());
  for (const auto& n : routing) EXPECT_TRUE(n.starts_with("Routing")) << n;
  const auto jboss = names(KindId::Jboss, observe_output(KindId::Jboss, "app_state", "active\n", 0));
  ASSERT_FALSE(jboss.empty());
  for (const auto& n : jboss) EXPECT_FALSE(n.starts_with("Stopped")) << n;
}

TEST(Observe, ReachableTellsBootFromUpOnlyWithSystemd) {
  EXPECT_EQ(names(KindId::Vm, observe_output(KindId::Vm, "reachable", "running\n", 0)), (std::vector<std::string>{"Up"}));
  EXPECT_EQ(names(KindId::Vm, observe_output(KindId::Vm, "reachable", "starting\n", 1)), (std::vector<std::string>{"Booting"}));
  EXPECT_EQ(names(KindId::Vm, observe_output(KindId::Vm, "reachable", "stopping\n", 1)),
            (std::vector<std::string>{"ShuttingDown"}));
  // A bare `true` cannot tell: both stay candidates, the executor decides with the whole picture.
  EXPECT_EQ(names(KindId::Vm, observe_output(KindId::Vm, "reachable", "", 0)), (std::vector<std::string>{"Booting", "Up"}));
  const auto down = names(KindId::Vm, observe_output(KindId::Vm, "reachable", "ssh: connect to host x port 22: Connection refused\n", 255));
  EXPECT_EQ(std::find(down.begin(), down.end(), "Up"), down.end());
  // ssh refusing the host key or the login is a configuration problem, not a VM that is down.
  EXPECT_FALSE(observe_output(KindId::Vm, "reachable", "Host key verification failed.\n", 255).known);
  EXPECT_FALSE(observe_output(KindId::Vm, "reachable", "offline\n", 1).known);
}

TEST(Observe, ApplicationOverHttp) {
  const auto up = names(KindId::Jboss, observe_output(KindId::Jboss, "app_state", "200", 0));
  ASSERT_FALSE(up.empty());
  for (const std::string& n : up) EXPECT_TRUE(n.starts_with("Running") || n.starts_with("Degraded") || n.starts_with("Draining")) << n;
  const auto refused = names(KindId::Telephony, observe_output(KindId::Telephony, "app_state", "000", 7));
  EXPECT_NE(std::find(refused.begin(), refused.end(), "Starting"), refused.end());
  EXPECT_EQ(std::find(refused.begin(), refused.end(), "Running"), refused.end());
  EXPECT_FALSE(observe_output(KindId::Jboss, "app_state", "404", 0).known);
}
