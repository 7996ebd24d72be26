#include "acdsim/model/vm.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "machine_test_support.hpp"

namespace acdsim::model {
namespace {

using vm::Event;
using vm::Pred;
using test_support::id;

// A machine driven along a path of events (each must be Taken, services stopped).
std::unique_ptr<Machine> machine_in(const std::vector<Event>& path) {
  return test_support::machine_in(vm::kind(), path, vm::fact::kServicesStopped);
}

TEST(VmMachine, TableSizes) {
  EXPECT_EQ(vm::kind().msm_states, 4u);
  EXPECT_EQ(vm::kind().msm_rows, 10u);
}

TEST(VmMachine, StartsOff) {
  auto m = vm::kind().make_initial();
  EXPECT_EQ(m->state_name(), "Off");
  EXPECT_TRUE(m->holds(id(Pred::Off)));
}

TEST(VmMachine, BootsThroughBootingToUp) {
  auto m = vm::kind().make_initial();
  EXPECT_EQ(m->process(id(Event::PowerOn), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Booting");
  EXPECT_EQ(m->process(id(Event::BootComplete), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Up");
  EXPECT_TRUE(m->holds(id(Pred::Up)));
}

TEST(VmMachine, CleanShutdownWaitsForServices) {
  auto m = machine_in({Event::PowerOn, Event::BootComplete, Event::Shutdown});
  EXPECT_EQ(m->state_name(), "ShuttingDown");
  EXPECT_EQ(m->process(id(Event::ShutdownComplete), 0), Outcome::GuardRejected);
  EXPECT_EQ(m->state_name(), "ShuttingDown");
  EXPECT_EQ(m->process(id(Event::ShutdownComplete), vm::fact::kServicesStopped), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Off");
}

TEST(VmMachine, HardPowerOffAndCrashFromEveryRunningState) {
  for (Event fault : {Event::PowerOff, Event::Crash}) {
    for (auto path : {std::initializer_list<Event>{Event::PowerOn},
                      std::initializer_list<Event>{Event::PowerOn, Event::BootComplete},
                      std::initializer_list<Event>{Event::PowerOn, Event::BootComplete, Event::Shutdown}}) {
      auto m = machine_in(path);
      EXPECT_EQ(m->process(id(fault), 0), Outcome::Taken);
      EXPECT_EQ(m->state_name(), "Off");
    }
  }
}

TEST(VmMachine, RejectsEventsThatAreNotEnabled) {
  struct Case {
    std::vector<Event> path;
    std::string name;
    std::set<Event> enabled;
  };
  const std::vector<Case> cases = {
      {{}, "Off", {Event::PowerOn}},
      {{Event::PowerOn}, "Booting", {Event::BootComplete, Event::PowerOff, Event::Crash}},
      {{Event::PowerOn, Event::BootComplete}, "Up", {Event::Shutdown, Event::PowerOff, Event::Crash}},
      {{Event::PowerOn, Event::BootComplete, Event::Shutdown},
       "ShuttingDown",
       {Event::ShutdownComplete, Event::PowerOff, Event::Crash}},
  };
  for (const Case& c : cases) {
    auto m = machine_in(c.path);
    EXPECT_EQ(m->state_name(), c.name);
    test_support::expect_only_enabled(vm::kind(), *m, c.enabled, c.name);
  }
}

TEST(VmMachine, CloneKeepsTheCurrentState) {
  auto m = machine_in({Event::PowerOn, Event::BootComplete});
  auto copy = m->clone();
  EXPECT_EQ(copy->state_name(), "Up");
  EXPECT_EQ(copy->key(), m->key());
  EXPECT_EQ(copy->process(id(Event::Shutdown), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Up");  // the original is independent
}

TEST(VmMachine, ReachableStates) {
  const std::vector<std::string> names = test_support::reachable_names(vm::kind());
  RecordProperty("reachable_local_states", static_cast<int>(names.size()));
  EXPECT_EQ(names, (std::vector<std::string>{"Booting", "Off", "ShuttingDown", "Up"}));
}

}  // namespace
}  // namespace acdsim::model
