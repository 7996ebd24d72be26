// The compiled tables must agree with the MSM machines they come from.
#include "acdsim/model/kind_table.hpp"

#include <gtest/gtest.h>

#include <set>

namespace acdsim::model {
namespace {

TEST(KindTable, EveryKindCompilesWithUniqueNames) {
  for (KindId kind : all_kinds()) {
    const KindTable& t = KindTable::of(kind);
    SCOPED_TRACE(std::string(t.spec().name));
    EXPECT_GE(t.size(), 2u);
    std::set<std::string> names;
    for (LocalCode c = 0; c < t.size(); ++c) {
      EXPECT_TRUE(names.insert(t.name(c)).second) << t.name(c);
      EXPECT_EQ(t.code_of(t.name(c)), c);
    }
    EXPECT_EQ(t.name(KindTable::initial()), t.spec().make_initial()->state_name());
    EXPECT_LE(t.size(), std::size_t{1} << t.bits());
  }
}

TEST(KindTable, KnowsNothingOfUnreachableNames) {
  EXPECT_FALSE(KindTable::of(KindId::Vm).code_of("Exploded").has_value());
}

TEST(KindTable, PrototypesAreLiveMachinesInTheirState) {
  // Also guards the MSM copy pitfall: a prototype clone must keep its state.
  for (KindId kind : all_kinds()) {
    const KindTable& t = KindTable::of(kind);
    for (LocalCode c = 0; c < t.size(); ++c) {
      auto m = t.machine(c);
      ASSERT_EQ(m->state_name(), t.name(c));
      ASSERT_EQ(t.code_of(*m), c);
      auto again = m->clone();
      ASSERT_EQ(again->state_name(), t.name(c));
    }
  }
}

TEST(KindTable, VmTableMatchesItsTransitionList) {
  const KindTable& t = KindTable::of(KindId::Vm);
  ASSERT_EQ(t.size(), 4u);
  const LocalCode off = *t.code_of("Off"), booting = *t.code_of("Booting"), up = *t.code_of("Up"),
                  down = *t.code_of("ShuttingDown");
  EXPECT_EQ(t.next(off, 0 /*power_on*/, 0), booting);
  EXPECT_EQ(t.next(booting, 1 /*boot_complete*/, 0), up);
  EXPECT_EQ(t.next(up, 2 /*shutdown*/, 0), down);
  EXPECT_EQ(t.next(down, 3 /*shutdown_complete*/, 0), KindTable::kGuardRejected);
  EXPECT_EQ(t.next(down, 3, 1), off);
  EXPECT_EQ(t.next(off, 1, 0), KindTable::kNotEnabled);
  EXPECT_TRUE(t.holds(up, 2 /*up*/));
  EXPECT_FALSE(t.holds(up, 0 /*off*/));
  EXPECT_EQ(t.transition_count(), 19u);  // 10 rows x 2 fact combos, shutdown_complete only with services_stopped
}

// Every (state, event, facts) of every compiled table equals what the MSM
// machine itself does from that state: exhaustive, the tables are small.
TEST(KindTable, AgreesWithTheMsmMachineEverywhere) {
  std::size_t checked = 0;
  for (KindId kind : all_kinds()) {
    const KindTable& t = KindTable::of(kind);
    const KindSpec& spec = t.spec();
    for (LocalCode code = 0; code < t.size(); ++code) {
      for (EventId event = 0; event < spec.events.size(); ++event) {
        for (FactBits facts = 0; facts < (FactBits{1} << spec.facts.size()); ++facts) {
          auto m = t.machine(code);
          const Outcome outcome = m->process(event, facts);
          const LocalCode next = t.next(code, event, facts);
          ++checked;
          switch (outcome) {
            case Outcome::NotEnabled: ASSERT_EQ(next, KindTable::kNotEnabled); break;
            case Outcome::GuardRejected: ASSERT_EQ(next, KindTable::kGuardRejected); break;
            case Outcome::Taken:
              ASSERT_LT(next, KindTable::kGuardRejected);
              ASSERT_EQ(t.name(next), m->state_name()) << spec.name << " " << t.name(code) << " " << spec.events[event];
              break;
          }
        }
      }
      for (PredicateId p = 0; p < spec.predicates.size(); ++p) ASSERT_EQ(t.holds(code, p), t.machine(code)->holds(p));
    }
  }
  EXPECT_GT(checked, 100000u);
}

}  // namespace
}  // namespace acdsim::model
