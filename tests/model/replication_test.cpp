#include "acdsim/model/replication.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "machine_test_support.hpp"

namespace acdsim::model {
namespace {

using replication::Event;
using replication::Pred;
using test_support::id;
using Path = test_support::Path<Event>;
constexpr FactBits kMasterRunning = replication::fact::kMasterRunning;
constexpr FactBits kSkip = replication::fact::kSkipSlaveStart;
constexpr FactBits kAllFacts = kMasterRunning | kSkip;

// A machine driven along a path of (event, facts) steps, each of which must be Taken.
std::unique_ptr<Machine> machine_in(const Path& path) { return test_support::machine_in(replication::kind(), path); }

const Path kConnecting = {{Event::ServerUp, 0}};
const Path kStreaming = {{Event::ServerUp, 0}, {Event::Connected, kMasterRunning}};
const Path kStopped = {{Event::ServerUp, kSkip}};
const Path kStreamingSql = {{Event::ServerUp, 0}, {Event::Connected, kMasterRunning}, {Event::SqlError, 0}};
const Path kConnectingSql = kStreamingSql + Path{{Event::MasterLost, 0}};
const Path kStoppedSql = kStreamingSql + Path{{Event::StopSlave, 0}};
const Path kOffSql = kStreamingSql + Path{{Event::ServerDown, 0}};

// The predicates that hold, as a set of names, for readable failures.
std::set<std::string_view> holding(const Machine& m) { return test_support::holding(replication::kind(), m); }
using Names = std::set<std::string_view>;

TEST(ReplicationMachine, SpecNamesAndTableSizes) {
  const KindSpec& k = replication::kind();
  EXPECT_EQ(k.name, "replication");
  EXPECT_EQ(std::vector<std::string_view>(k.events.begin(), k.events.end()),
            (std::vector<std::string_view>{"server_up", "connected", "master_lost", "stop_slave", "start_slave",
                                           "server_down", "sql_error"}));
  EXPECT_EQ(std::vector<std::string_view>(k.facts.begin(), k.facts.end()),
            (std::vector<std::string_view>{"master_running", "skip_slave_start"}));
  EXPECT_EQ(std::vector<std::string_view>(k.predicates.begin(), k.predicates.end()),
            (std::vector<std::string_view>{"off", "connecting", "io_running", "stopped", "sql_running", "healthy"}));
  EXPECT_EQ(k.msm_states, 4u);
  EXPECT_EQ(k.msm_rows, 11u);
}

TEST(ReplicationMachine, StartsOffWithSqlThreadClean) {
  auto m = replication::kind().make_initial();
  EXPECT_EQ(m->state_name(), "Off");
  EXPECT_EQ(holding(*m), (Names{"off", "sql_running"}));
}

TEST(ReplicationMachine, ServerUpStartsThreadsUnlessSkipSlaveStart) {
  for (FactBits master : {FactBits{0}, kMasterRunning}) {
    auto m = replication::kind().make_initial();
    EXPECT_EQ(m->process(id(Event::ServerUp), master), Outcome::Taken);
    EXPECT_EQ(m->state_name(), "Connecting");
    EXPECT_EQ(holding(*m), (Names{"connecting", "sql_running"}));

    auto s = replication::kind().make_initial();
    EXPECT_EQ(s->process(id(Event::ServerUp), master | kSkip), Outcome::Taken);
    EXPECT_EQ(s->state_name(), "Stopped");
    EXPECT_EQ(holding(*s), (Names{"stopped", "sql_running"}));
  }
}

TEST(ReplicationMachine, ConnectsOnlyWhileTheMasterRuns) {
  auto m = machine_in(kConnecting);
  EXPECT_EQ(m->process(id(Event::Connected), 0), Outcome::GuardRejected);
  EXPECT_EQ(m->process(id(Event::Connected), kSkip), Outcome::GuardRejected);
  EXPECT_EQ(m->state_name(), "Connecting");
  EXPECT_EQ(m->process(id(Event::Connected), kMasterRunning), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Streaming");
  EXPECT_EQ(holding(*m), (Names{"io_running", "sql_running", "healthy"}));
}

TEST(ReplicationMachine, MasterLostOnlyWhenTheMasterIsNotRunning) {
  auto m = machine_in(kStreaming);
  EXPECT_EQ(m->process(id(Event::MasterLost), kMasterRunning), Outcome::GuardRejected);
  EXPECT_EQ(m->state_name(), "Streaming");
  EXPECT_EQ(m->process(id(Event::MasterLost), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Connecting");
  EXPECT_EQ(holding(*m), (Names{"connecting", "sql_running"}));
}

TEST(ReplicationMachine, StopSlaveFromConnectingAndStreaming) {
  for (const Path* p : {&kConnecting, &kStreaming}) {
    auto m = machine_in(*p);
    EXPECT_EQ(m->process(id(Event::StopSlave), 0), Outcome::Taken);
    EXPECT_EQ(m->state_name(), "Stopped");
    EXPECT_EQ(holding(*m), (Names{"stopped", "sql_running"}));
  }
  auto broken = machine_in(kStreamingSql);
  EXPECT_EQ(broken->process(id(Event::StopSlave), 0), Outcome::Taken);
  EXPECT_EQ(broken->state_name(), "Stopped sql-stopped");
  EXPECT_EQ(holding(*broken), (Names{"stopped"}));
}

TEST(ReplicationMachine, StartSlaveReconnectsAndRestartsTheSqlThread) {
  auto m = machine_in(kStopped);
  EXPECT_EQ(m->process(id(Event::StartSlave), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Connecting");
  auto broken = machine_in(kStoppedSql);
  EXPECT_EQ(broken->state_name(), "Stopped sql-stopped");
  EXPECT_EQ(broken->process(id(Event::StartSlave), kAllFacts), Outcome::Taken);
  EXPECT_EQ(broken->state_name(), "Connecting");
  EXPECT_EQ(holding(*broken), (Names{"connecting", "sql_running"}));
}

TEST(ReplicationMachine, ServerDownFromEveryStateButOff) {
  const std::vector<std::pair<const Path*, std::string>> cases = {
      {&kConnecting, "Off"},       {&kStreaming, "Off"},       {&kStopped, "Off"},
      {&kConnectingSql, "Off sql-stopped"}, {&kStreamingSql, "Off sql-stopped"}, {&kStoppedSql, "Off sql-stopped"}};
  for (const auto& [path, expected] : cases) {
    auto m = machine_in(*path);
    EXPECT_EQ(m->process(id(Event::ServerDown), 0), Outcome::Taken) << m->state_name();
    EXPECT_EQ(m->state_name(), expected);
    EXPECT_TRUE(m->holds(id(Pred::Off)));
  }
  const Path initial;
  for (const Path* off : {&initial, &kOffSql}) {
    auto m = machine_in(*off);
    const std::string before = m->state_name();
    EXPECT_EQ(m->process(id(Event::ServerDown), 0), Outcome::NotEnabled);
    EXPECT_EQ(m->state_name(), before);
  }
}

TEST(ReplicationMachine, SqlErrorStopsTheSqlThreadWhileStreaming) {
  auto m = machine_in(kStreaming);
  EXPECT_EQ(m->process(id(Event::SqlError), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Streaming sql-stopped");
  EXPECT_EQ(holding(*m), (Names{"io_running"}));
  EXPECT_EQ(m->process(id(Event::SqlError), 0), Outcome::Taken);  // again: same state
  EXPECT_EQ(m->state_name(), "Streaming sql-stopped");
}

TEST(ReplicationMachine, SqlStoppedSurvivesReconnectsAndServerRestarts) {
  auto m = machine_in(kConnectingSql);
  EXPECT_EQ(m->state_name(), "Connecting sql-stopped");
  EXPECT_EQ(holding(*m), (Names{"connecting"}));
  EXPECT_EQ(m->process(id(Event::Connected), kMasterRunning), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Streaming sql-stopped");
  EXPECT_FALSE(m->holds(id(Pred::Healthy)));

  auto off = machine_in(kOffSql);
  EXPECT_EQ(off->state_name(), "Off sql-stopped");
  EXPECT_EQ(holding(*off), (Names{"off"}));
  EXPECT_EQ(off->process(id(Event::ServerUp), 0), Outcome::Taken);
  EXPECT_EQ(off->state_name(), "Connecting sql-stopped");
  auto skip = machine_in(kOffSql);
  EXPECT_EQ(skip->process(id(Event::ServerUp), kSkip), Outcome::Taken);
  EXPECT_EQ(skip->state_name(), "Stopped sql-stopped");
}

TEST(ReplicationMachine, RejectsEventsThatAreNotEnabled) {
  struct Case {
    const Path* path;
    std::string name;
    std::set<Event> enabled;
  };
  const Path off;
  const std::vector<Case> cases = {
      {&off, "Off", {Event::ServerUp}},
      {&kOffSql, "Off sql-stopped", {Event::ServerUp}},
      {&kConnecting, "Connecting", {Event::Connected, Event::StopSlave, Event::ServerDown}},
      {&kConnectingSql, "Connecting sql-stopped", {Event::Connected, Event::StopSlave, Event::ServerDown}},
      {&kStreaming, "Streaming", {Event::MasterLost, Event::StopSlave, Event::ServerDown, Event::SqlError}},
      {&kStreamingSql, "Streaming sql-stopped",
       {Event::MasterLost, Event::StopSlave, Event::ServerDown, Event::SqlError}},
      {&kStopped, "Stopped", {Event::StartSlave, Event::ServerDown}},
      {&kStoppedSql, "Stopped sql-stopped", {Event::StartSlave, Event::ServerDown}},
  };
  for (const Case& c : cases) {
    auto m = machine_in(*c.path);
    EXPECT_EQ(m->state_name(), c.name);
    test_support::expect_only_enabled(replication::kind(), *m, c.enabled, c.name);
  }
}

TEST(ReplicationMachine, CloneKeepsTheCurrentStateAndAttribute) {
  auto m = machine_in(kStreamingSql);
  auto copy = m->clone();
  EXPECT_EQ(copy->state_name(), "Streaming sql-stopped");
  EXPECT_EQ(copy->key(), m->key());
  EXPECT_EQ(copy->process(id(Event::StopSlave), 0), Outcome::Taken);
  EXPECT_EQ(copy->process(id(Event::StartSlave), 0), Outcome::Taken);
  EXPECT_EQ(copy->state_name(), "Connecting");
  EXPECT_EQ(m->state_name(), "Streaming sql-stopped");  // the original is independent
}

TEST(ReplicationMachine, ReachableStatesHaveUniqueNames) {
  const std::vector<std::string> names = test_support::reachable_names(replication::kind());
  // {Off, Connecting, Streaming, Stopped} x sql_running {yes, no}.
  EXPECT_EQ(names.size(), 8u);
  EXPECT_EQ(names, (std::vector<std::string>{"Connecting", "Connecting sql-stopped", "Off", "Off sql-stopped",
                                             "Stopped", "Stopped sql-stopped", "Streaming",
                                             "Streaming sql-stopped"}));
  RecordProperty("reachable_local_states", static_cast<int>(names.size()));
}

}  // namespace
}  // namespace acdsim::model
