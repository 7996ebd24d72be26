#include "acdsim/model/vm.hpp"

#include <gtest/gtest.h>

namespace acdsim::model {
namespace {

using vm::Event;
using vm::Pred;

constexpr EventId id(Event e) { return static_cast<EventId>(e); }
constexpr PredicateId id(Pred p) { return static_cast<PredicateId>(p); }

std::unique_ptr<Machine> machine_in(std::initializer_list<Event> path) {
  auto m = vm::kind().make_initial();
  for (Event e : path) EXPECT_EQ(m->process(id(e), vm::fact::kServicesStopped), Outcome::Taken);
  return m;
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
  auto m = vm::kind().make_initial();
  for (Event e : {Event::BootComplete, Event::Shutdown, Event::ShutdownComplete, Event::PowerOff, Event::Crash}) {
    EXPECT_EQ(m->process(id(e), vm::fact::kServicesStopped), Outcome::NotEnabled) << vm::kind().events[id(e)];
    EXPECT_EQ(m->state_name(), "Off");
  }
  auto up = machine_in({Event::PowerOn, Event::BootComplete});
  EXPECT_EQ(up->process(id(Event::PowerOn), 0), Outcome::NotEnabled);
  EXPECT_EQ(up->process(static_cast<EventId>(200), 0), Outcome::NotEnabled);
}

TEST(VmMachine, CloneKeepsTheCurrentState) {
  auto m = machine_in({Event::PowerOn, Event::BootComplete});
  auto copy = m->clone();
  EXPECT_EQ(copy->state_name(), "Up");
  EXPECT_EQ(copy->key(), m->key());
  EXPECT_EQ(copy->process(id(Event::Shutdown), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Up");  // the original is independent
}

}  // namespace
}  // namespace acdsim::model
