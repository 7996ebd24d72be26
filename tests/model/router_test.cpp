#include "acdsim/model/router.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "machine_test_support.hpp"

namespace acdsim::model {
namespace {

using router::Event;
using router::Pred;
using test_support::id;
namespace fact = router::fact;

constexpr FactBits kBoth = fact::kOldInService | fact::kNewInService;

// A local state: the MSM state and both attributes.
struct Local {
  Pred state;
  bool new_edition;
  bool manual;
};

std::string label(const Local& s) {
  static constexpr std::array<const char*, 3> names = {"Down", "Queuing", "Routing"};
  std::string out = names[static_cast<std::size_t>(s.state)];
  if (s.new_edition) out += " edition=new";
  if (s.manual) out += " manual";
  return out;
}

// The name and the exact set of predicates that hold.
void expect_in(const Machine& m, const Local& s) {
  EXPECT_EQ(m.state_name(), label(s));
  std::set<Pred> holding = {s.state};
  if (s.new_edition) holding.insert(Pred::NewEditionRouted);
  if (s.manual) holding.insert(Pred::ManualMode);
  for (std::size_t p = 0; p < static_cast<std::size_t>(Pred::Count); ++p)
    EXPECT_EQ(m.holds(static_cast<PredicateId>(p)), holding.count(static_cast<Pred>(p)) == 1)
        << "predicate " << router::kind().predicates[p] << " in " << m.state_name();
}

void take(Machine& m, Event e, FactBits facts = 0) {
  EXPECT_EQ(m.process(id(e), facts), Outcome::Taken) << router::kind().events[id(e)] << " in " << m.state_name();
}

// A machine in local state s, driven there from the initial state.
std::unique_ptr<Machine> machine_in(const Local& s) {
  auto m = router::kind().make_initial();
  take(*m, Event::HostBooted, 0);  // nothing in service: Queuing
  if (s.new_edition) take(*m, Event::SwitchEdition);
  if (s.manual) take(*m, Event::ManualMode);
  if (s.state == Pred::Routing) take(*m, Event::BackendsUp, kBoth);
  if (s.state == Pred::Down) take(*m, Event::HostShutdown);
  expect_in(*m, s);
  return m;
}

// All 12 local states.
std::vector<Local> all_locals() {
  std::vector<Local> out;
  for (Pred state : {Pred::Down, Pred::Queuing, Pred::Routing})
    for (bool new_edition : {false, true})
      for (bool manual : {false, true}) out.push_back({state, new_edition, manual});
  return out;
}

// The fact that says "a backend of the routed edition is in service".
FactBits routed_fact(const Local& s) { return s.new_edition ? fact::kNewInService : fact::kOldInService; }

std::set<Event> enabled_in(Pred state) {
  switch (state) {
    case Pred::Down: return {Event::HostBooted, Event::HostShutdown, Event::HostLost};
    case Pred::Queuing:
      return {Event::BackendsUp, Event::SwitchEdition, Event::ManualMode,
              Event::AutoMode,   Event::HostShutdown,  Event::HostLost};
    case Pred::Routing:
      return {Event::BackendsGone, Event::SwitchEdition, Event::ManualMode,
              Event::AutoMode,     Event::HostShutdown,  Event::HostLost};
    default: return {};
  }
}

TEST(RouterMachine, Vocabulary) {
  const KindSpec& k = router::kind();
  EXPECT_EQ(k.name, "router");
  EXPECT_EQ(k.msm_states, 3u);
  EXPECT_EQ(k.msm_rows, 16u);
  EXPECT_EQ(std::vector<std::string_view>(k.events.begin(), k.events.end()),
            (std::vector<std::string_view>{"host_booted", "backends_up", "backends_gone", "switch_edition",
                                           "manual_mode", "auto_mode", "host_shutdown", "host_lost"}));
  EXPECT_EQ(std::vector<std::string_view>(k.facts.begin(), k.facts.end()),
            (std::vector<std::string_view>{"old_in_service", "new_in_service"}));
  EXPECT_EQ(std::vector<std::string_view>(k.predicates.begin(), k.predicates.end()),
            (std::vector<std::string_view>{"down", "queuing", "routing", "new_edition_routed", "manual_mode"}));
}

TEST(RouterMachine, StartsDownOnTheOldEditionInAutoMode) {
  expect_in(*router::kind().make_initial(), {Pred::Down, false, false});
}

TEST(RouterMachine, HostBootedRoutesOrQueuesByTheRoutedEdition) {
  for (const Local& from : all_locals()) {
    if (from.state != Pred::Down) continue;
    for (FactBits facts = 0; facts <= kBoth; ++facts) {
      SCOPED_TRACE(label(from) + " facts " + std::to_string(facts));
      auto m = machine_in(from);
      take(*m, Event::HostBooted, facts);
      const bool served = (facts & routed_fact(from)) != 0;
      expect_in(*m, {served ? Pred::Routing : Pred::Queuing, from.new_edition, from.manual});
    }
  }
}

TEST(RouterMachine, BackendsUpRoutesOnlyWhenTheRoutedEditionIsInService) {
  for (const Local& from : all_locals()) {
    if (from.state != Pred::Queuing) continue;
    for (FactBits facts = 0; facts <= kBoth; ++facts) {
      SCOPED_TRACE(label(from) + " facts " + std::to_string(facts));
      auto m = machine_in(from);
      const bool served = (facts & routed_fact(from)) != 0;
      EXPECT_EQ(m->process(id(Event::BackendsUp), facts), served ? Outcome::Taken : Outcome::GuardRejected);
      expect_in(*m, {served ? Pred::Routing : Pred::Queuing, from.new_edition, from.manual});
    }
  }
}

TEST(RouterMachine, BackendsGoneQueuesOnlyWhenTheRoutedEditionIsOutOfService) {
  for (const Local& from : all_locals()) {
    if (from.state != Pred::Routing) continue;
    for (FactBits facts = 0; facts <= kBoth; ++facts) {
      SCOPED_TRACE(label(from) + " facts " + std::to_string(facts));
      auto m = machine_in(from);
      const bool served = (facts & routed_fact(from)) != 0;
      EXPECT_EQ(m->process(id(Event::BackendsGone), facts), served ? Outcome::GuardRejected : Outcome::Taken);
      expect_in(*m, {served ? Pred::Routing : Pred::Queuing, from.new_edition, from.manual});
    }
  }
}

TEST(RouterMachine, SwitchEditionKeepsTheStateAndRetargetsTheGuards) {
  for (const Local& from : all_locals()) {
    if (from.state == Pred::Down) continue;
    SCOPED_TRACE(label(from));
    auto m = machine_in(from);
    take(*m, Event::SwitchEdition, kBoth);
    expect_in(*m, {from.state, true, from.manual});
  }
  // After the switch only new-edition backends count: old ones alone do not keep it routing.
  auto m = machine_in({Pred::Routing, false, false});
  take(*m, Event::SwitchEdition);
  EXPECT_EQ(m->process(id(Event::BackendsGone), fact::kNewInService), Outcome::GuardRejected);
  take(*m, Event::BackendsGone, fact::kOldInService);
  expect_in(*m, {Pred::Queuing, true, false});
  EXPECT_EQ(m->process(id(Event::BackendsUp), fact::kOldInService), Outcome::GuardRejected);
  take(*m, Event::BackendsUp, fact::kNewInService);
  expect_in(*m, {Pred::Routing, true, false});
}

TEST(RouterMachine, ManualAndAutoMode) {
  for (const Local& from : all_locals()) {
    if (from.state == Pred::Down) continue;
    SCOPED_TRACE(label(from));
    auto m = machine_in(from);
    take(*m, Event::ManualMode, kBoth);
    expect_in(*m, {from.state, from.new_edition, true});
    take(*m, Event::AutoMode, kBoth);
    expect_in(*m, {from.state, from.new_edition, false});
  }
}

TEST(RouterMachine, HostShutdownAndHostLostGoDownKeepingTheConfiguration) {
  for (Event down : {Event::HostShutdown, Event::HostLost}) {
    for (const Local& from : all_locals()) {
      SCOPED_TRACE(label(from) + " " + std::string(router::kind().events[id(down)]));
      auto m = machine_in(from);
      take(*m, down, kBoth);
      expect_in(*m, {Pred::Down, from.new_edition, from.manual});
    }
  }
}

TEST(RouterMachine, RejectsEventsThatAreNotEnabled) {
  for (const Local& from : all_locals()) {
    auto m = machine_in(from);  // checks that m is in from
    test_support::expect_only_enabled(router::kind(), *m, enabled_in(from.state), label(from));
  }
}

TEST(RouterMachine, CloneKeepsTheCurrentState) {
  for (const Local& from : all_locals()) {
    SCOPED_TRACE(label(from));
    auto m = machine_in(from);
    const auto copy = m->clone();
    EXPECT_EQ(copy->key(), m->key());
    expect_in(*copy, from);
    take(*copy, Event::HostLost);
    take(*copy, Event::HostBooted, 0);
    take(*copy, Event::AutoMode);
    expect_in(*copy, {Pred::Queuing, from.new_edition, false});
    expect_in(*m, from);  // the original is independent
  }
}

TEST(RouterMachine, ReachableStates) {
  const std::vector<std::string> names = test_support::reachable_names(router::kind());
  RecordProperty("reachable_local_states", static_cast<int>(names.size()));
  // 3 states x routed_edition x manual_mode: the attributes survive Down.
  EXPECT_EQ(names.size(), 12u);
  std::vector<std::string> expected;
  for (const Local& s : all_locals()) expected.push_back(label(s));
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(names, expected);
}

}  // namespace
}  // namespace acdsim::model
