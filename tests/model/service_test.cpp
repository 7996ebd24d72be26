#include "acdsim/model/service.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "machine_test_support.hpp"

namespace acdsim::model {
namespace {

using service::Event;
using service::Pred;
using test_support::id;
constexpr FactBits kAutostart = service::fact::kAutostart;

const std::vector<Event> kToStarting = {Event::Start};
const std::vector<Event> kToRunning = {Event::Start, Event::StartComplete};
const std::vector<Event> kToStopping = {Event::Start, Event::StartComplete, Event::Stop};
const std::vector<Event> kToFailed = {Event::Start, Event::StartFailed};

// A machine driven along a path of events (each must be Taken, autostart set).
std::unique_ptr<Machine> machine_in(const std::vector<Event>& path) {
  return test_support::machine_in(service::kind(), path, kAutostart);
}

// p is the only predicate that holds in m.
void expect_only(const Machine& m, Pred p) {
  EXPECT_EQ(test_support::holding(service::kind(), m), std::set<std::string_view>{service::kind().predicates[id(p)]})
      << m.state_name();
}

TEST(ServiceMachine, SpecNamesAndTableSizes) {
  const KindSpec& k = service::kind();
  EXPECT_EQ(k.name, "service");
  EXPECT_EQ(std::vector<std::string_view>(k.events.begin(), k.events.end()),
            (std::vector<std::string_view>{"host_booted", "start", "start_complete", "start_failed", "stop",
                                           "host_shutdown", "stop_complete", "host_lost"}));
  EXPECT_EQ(std::vector<std::string_view>(k.facts.begin(), k.facts.end()),
            (std::vector<std::string_view>{"autostart"}));
  EXPECT_EQ(std::vector<std::string_view>(k.predicates.begin(), k.predicates.end()),
            (std::vector<std::string_view>{"stopped", "starting", "running", "stopping", "failed"}));
  EXPECT_EQ(k.msm_states, 5u);
  EXPECT_EQ(k.msm_rows, 15u);
}

TEST(ServiceMachine, StartsStopped) {
  auto m = service::kind().make_initial();
  EXPECT_EQ(m->state_name(), "Stopped");
  expect_only(*m, Pred::Stopped);
}

TEST(ServiceMachine, HostBootedStartsOnlyWithAutostart) {
  auto m = service::kind().make_initial();
  EXPECT_EQ(m->process(id(Event::HostBooted), 0), Outcome::GuardRejected);
  EXPECT_EQ(m->state_name(), "Stopped");
  EXPECT_EQ(m->process(id(Event::HostBooted), kAutostart), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Starting");
  expect_only(*m, Pred::Starting);
}

TEST(ServiceMachine, ManualStartFromStoppedAndFailed) {
  for (FactBits f : {FactBits{0}, kAutostart}) {
    auto m = service::kind().make_initial();
    EXPECT_EQ(m->process(id(Event::Start), f), Outcome::Taken);
    EXPECT_EQ(m->state_name(), "Starting");
    auto failed = machine_in(kToFailed);
    EXPECT_EQ(failed->state_name(), "Failed");
    expect_only(*failed, Pred::Failed);
    EXPECT_EQ(failed->process(id(Event::Start), f), Outcome::Taken);
    EXPECT_EQ(failed->state_name(), "Starting");
  }
}

TEST(ServiceMachine, StartCompletesOrFails) {
  auto m = machine_in(kToStarting);
  EXPECT_EQ(m->process(id(Event::StartComplete), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Running");
  expect_only(*m, Pred::Running);
  auto f = machine_in(kToStarting);
  EXPECT_EQ(f->process(id(Event::StartFailed), 0), Outcome::Taken);
  EXPECT_EQ(f->state_name(), "Failed");
  expect_only(*f, Pred::Failed);
}

TEST(ServiceMachine, StopAndHostShutdownFromRunningAndStarting) {
  for (Event e : {Event::Stop, Event::HostShutdown}) {
    for (const auto* path : {&kToRunning, &kToStarting}) {
      auto m = machine_in(*path);
      EXPECT_EQ(m->process(id(e), 0), Outcome::Taken);
      EXPECT_EQ(m->state_name(), "Stopping");
      expect_only(*m, Pred::Stopping);
    }
  }
}

TEST(ServiceMachine, StopCompletes) {
  auto m = machine_in(kToStopping);
  EXPECT_EQ(m->process(id(Event::StopComplete), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Stopped");
  expect_only(*m, Pred::Stopped);
}

TEST(ServiceMachine, HostLostStopsFromEveryStateIncludingStopped) {
  for (const std::vector<Event>& path :
       {std::vector<Event>{}, kToStarting, kToRunning, kToStopping, kToFailed}) {
    auto m = machine_in(path);
    EXPECT_EQ(m->process(id(Event::HostLost), 0), Outcome::Taken) << m->state_name();
    EXPECT_EQ(m->state_name(), "Stopped");
    expect_only(*m, Pred::Stopped);
  }
}

TEST(ServiceMachine, RejectsEventsThatAreNotEnabled) {
  struct Case {
    std::vector<Event> path;
    std::string name;
    std::set<Event> enabled;
  };
  const std::vector<Case> cases = {
      {{}, "Stopped", {Event::HostBooted, Event::Start, Event::HostLost}},
      {kToStarting, "Starting",
       {Event::StartComplete, Event::StartFailed, Event::Stop, Event::HostShutdown, Event::HostLost}},
      {kToRunning, "Running", {Event::Stop, Event::HostShutdown, Event::HostLost}},
      {kToStopping, "Stopping", {Event::StopComplete, Event::HostLost}},
      {kToFailed, "Failed", {Event::Start, Event::HostLost}},
  };
  for (const Case& c : cases) {
    auto m = machine_in(c.path);
    EXPECT_EQ(m->state_name(), c.name);
    test_support::expect_only_enabled(service::kind(), *m, c.enabled, c.name);
  }
}

TEST(ServiceMachine, CloneKeepsTheCurrentState) {
  auto m = machine_in(kToRunning);
  auto copy = m->clone();
  EXPECT_EQ(copy->state_name(), "Running");
  EXPECT_EQ(copy->key(), m->key());
  EXPECT_EQ(copy->process(id(Event::Stop), 0), Outcome::Taken);
  EXPECT_EQ(copy->state_name(), "Stopping");
  EXPECT_EQ(m->state_name(), "Running");  // the original is independent
}

TEST(ServiceMachine, ReachableStatesHaveUniqueNames) {
  const std::vector<std::string> names = test_support::reachable_names(service::kind());
  EXPECT_EQ(names.size(), 5u);
  EXPECT_EQ(names, (std::vector<std::string>{"Failed", "Running", "Starting", "Stopped", "Stopping"}));
  RecordProperty("reachable_local_states", static_cast<int>(names.size()));
}

}  // namespace
}  // namespace acdsim::model
