#include "acdsim/model/replication.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace acdsim::model {
namespace {

using replication::Event;
using replication::Pred;
constexpr FactBits kMasterRunning = replication::fact::kMasterRunning;
constexpr FactBits kSkip = replication::fact::kSkipSlaveStart;
constexpr FactBits kAllFacts = kMasterRunning | kSkip;

constexpr EventId id(Event e) { return static_cast<EventId>(e); }
constexpr PredicateId id(Pred p) { return static_cast<PredicateId>(p); }

using Path = std::vector<std::pair<Event, FactBits>>;

// A machine driven along a path of (event, facts) steps, each of which must be Taken.
std::unique_ptr<Machine> machine_in(const Path& path) {
  auto m = replication::kind().make_initial();
  for (auto [e, f] : path)
    EXPECT_EQ(m->process(id(e), f), Outcome::Taken) << replication::kind().events[id(e)];
  return m;
}

const Path kConnecting = {{Event::ServerUp, 0}};
const Path kStreaming = {{Event::ServerUp, 0}, {Event::Connected, kMasterRunning}};
const Path kStopped = {{Event::ServerUp, kSkip}};
const Path kStreamingSql = {{Event::ServerUp, 0}, {Event::Connected, kMasterRunning}, {Event::SqlError, 0}};
Path then(Path p, Event e, FactBits f) {
  p.emplace_back(e, f);
  return p;
}
const Path kConnectingSql = then(kStreamingSql, Event::MasterLost, 0);
const Path kStoppedSql = then(kStreamingSql, Event::StopSlave, 0);
const Path kOffSql = then(kStreamingSql, Event::ServerDown, 0);

// The predicates that hold, as a set of names, for readable failures.
std::set<std::string_view> holding(const Machine& m) {
  std::set<std::string_view> out;
  for (PredicateId q = 0; q < static_cast<PredicateId>(Pred::Count); ++q)
    if (m.holds(q)) out.insert(replication::kind().predicates[q]);
  return out;
}
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
    for (EventId e = 0; e < static_cast<EventId>(Event::Count); ++e) {
      if (c.enabled.count(static_cast<Event>(e))) continue;
      for (FactBits f = 0; f <= kAllFacts; ++f) {
        auto m = machine_in(*c.path);
        const auto before = m->key();
        EXPECT_EQ(m->process(e, f), Outcome::NotEnabled) << c.name << " / " << replication::kind().events[e];
        EXPECT_EQ(m->state_name(), c.name);
        EXPECT_EQ(m->key(), before);
      }
    }
  }
  auto m = replication::kind().make_initial();
  EXPECT_EQ(m->process(static_cast<EventId>(200), 0), Outcome::NotEnabled);
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
  const KindSpec& k = replication::kind();
  std::map<std::uint64_t, std::string> name_of;
  std::map<std::string, std::uint64_t> key_of;
  std::deque<std::unique_ptr<Machine>> todo;
  auto visit = [&](std::unique_ptr<Machine> m) {
    const auto key = m->key();
    const auto name = m->state_name();
    auto [it, fresh] = name_of.emplace(key, name);
    EXPECT_EQ(it->second, name) << "key " << key << " has two names";
    auto [jt, fresh_name] = key_of.emplace(name, key);
    EXPECT_EQ(jt->second, key) << "name " << name << " has two keys";
    if (fresh) todo.push_back(std::move(m));
  };
  visit(k.make_initial());
  while (!todo.empty()) {
    auto m = std::move(todo.front());
    todo.pop_front();
    for (EventId e = 0; e < k.events.size(); ++e)
      for (FactBits f = 0; f < (FactBits{1} << k.facts.size()); ++f) {
        auto next = m->clone();
        if (next->process(e, f) == Outcome::Taken) visit(std::move(next));
      }
  }
  // {Off, Connecting, Streaming, Stopped} x sql_running {yes, no}.
  EXPECT_EQ(name_of.size(), 8u);
  EXPECT_EQ(key_of.size(), name_of.size());
  RecordProperty("reachable_local_states", static_cast<int>(name_of.size()));
}

}  // namespace
}  // namespace acdsim::model
