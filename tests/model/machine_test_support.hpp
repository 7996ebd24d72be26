// Test helpers for the component machines: a printer for Outcome, ids of a
// kind's Event / Pred enumerators, machines driven along a path of events,
// the local states a kind can reach from its initial state, and the check that
// a state enables exactly the events its header lists.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "acdsim/model/machine.hpp"

namespace acdsim::model {
// So that gtest prints "guard rejected" rather than a byte.
inline void PrintTo(Outcome outcome, std::ostream* os) { *os << to_string(outcome); }
}  // namespace acdsim::model

namespace acdsim::model::test_support {

// The EventId of a kind's Event enumerator, or the PredicateId of its Pred one
// (both are enums over std::uint8_t, like EventId and PredicateId).
template <class E>
  requires std::is_enum_v<E> && std::same_as<std::underlying_type_t<E>, std::uint8_t>
constexpr std::uint8_t id(E e) {
  return static_cast<std::uint8_t>(e);
}
static_assert(std::same_as<EventId, std::uint8_t> && std::same_as<PredicateId, std::uint8_t>);

// One event of a path, with the facts it is processed under.
template <class Event>
struct Step {
  Event event;
  FactBits facts = 0;
};
template <class Event>
using Path = std::vector<Step<Event>>;

// a, then b.
template <class Event>
Path<Event> operator+(Path<Event> a, const Path<Event>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Drives m along path; records a failure for every step that is not Taken.
template <class Event>
void drive(const KindSpec& kind, Machine& m, const Path<Event>& path) {
  for (const Step<Event>& step : path) {
    const std::string from = m.state_name();
    EXPECT_EQ(m.process(id(step.event), step.facts), Outcome::Taken)
        << kind.events[id(step.event)] << " from " << from << " facts " << step.facts;
  }
}

// A machine of the kind driven from its initial state along path (every step must be Taken).
template <class Event>
std::unique_ptr<Machine> machine_in(const KindSpec& kind, const Path<Event>& path) {
  auto m = kind.make_initial();
  drive(kind, *m, path);
  return m;
}

// The same for a path of events that all see the same facts.
template <class Event>
std::unique_ptr<Machine> machine_in(const KindSpec& kind, const std::vector<Event>& events, FactBits facts) {
  Path<Event> path;
  for (Event e : events) path.push_back({e, facts});
  return machine_in(kind, path);
}

// The names of the predicates that hold in m, for readable failures.
inline std::set<std::string_view> holding(const KindSpec& kind, const Machine& m) {
  std::set<std::string_view> out;
  for (std::size_t p = 0; p < kind.predicates.size(); ++p)
    if (m.holds(static_cast<PredicateId>(p))) out.insert(kind.predicates[p]);
  return out;
}

// Which predicates hold in m, by PredicateId.
inline std::vector<bool> predicate_values(const KindSpec& kind, const Machine& m) {
  std::vector<bool> holds;
  for (std::size_t p = 0; p < kind.predicates.size(); ++p) holds.push_back(m.holds(static_cast<PredicateId>(p)));
  return holds;
}

// Every combination of the kind's facts is a FactBits below this.
inline FactBits fact_combinations(const KindSpec& kind) { return FactBits{1} << kind.facts.size(); }

// Breadth-first search from make_initial() over every event x every
// combination of the kind's facts. Records a failure in the current test if
// key <-> state_name is not one-to-one, if the predicates are not a function
// of the key, or if an event that was not taken changed the state.
// Returns one machine in each reachable local state, in breadth-first order.
inline std::vector<std::unique_ptr<Machine>> reachable_machines(const KindSpec& kind) {
  std::vector<std::unique_ptr<Machine>> states;
  std::map<std::uint64_t, std::string> name_of;
  std::map<std::string, std::uint64_t> key_of;
  std::map<std::uint64_t, std::vector<bool>> predicates_of;

  auto visit = [&](std::unique_ptr<Machine> m) {
    const std::uint64_t key = m->key();
    const std::string name = m->state_name();
    const auto [it, fresh] = name_of.emplace(key, name);
    if (!fresh) {
      EXPECT_EQ(it->second, name) << "one key, two names";
      EXPECT_EQ(predicates_of[key], predicate_values(kind, *m)) << "predicates differ within one key: " << name;
      return;
    }
    const auto [kit, fresh_name] = key_of.emplace(name, key);
    EXPECT_TRUE(fresh_name) << "two keys named '" << name << "'";
    predicates_of[key] = predicate_values(kind, *m);
    states.push_back(std::move(m));
  };

  visit(kind.make_initial());
  const FactBits combinations = fact_combinations(kind);
  for (std::size_t i = 0; i < states.size(); ++i) {
    const Machine* from = states[i].get();  // stable: states only grows
    for (std::size_t event = 0; event < kind.events.size(); ++event) {
      for (FactBits facts = 0; facts < combinations; ++facts) {
        std::unique_ptr<Machine> next = from->clone();
        if (next->process(static_cast<EventId>(event), facts) == Outcome::Taken) {
          visit(std::move(next));
        } else {
          EXPECT_EQ(next->key(), from->key()) << kind.events[event] << " not taken but changed " << from->state_name();
        }
      }
    }
  }
  return states;
}

// key -> state_name of every reachable local state (with the checks of reachable_machines).
inline std::map<std::uint64_t, std::string> reachable_states(const KindSpec& kind) {
  std::map<std::uint64_t, std::string> name_of;
  for (const auto& m : reachable_machines(kind)) name_of.emplace(m->key(), m->state_name());
  return name_of;
}

// The names of reachable_states(kind), sorted.
inline std::vector<std::string> reachable_names(const KindSpec& kind) {
  std::vector<std::string> names;
  for (const auto& [key, name] : reachable_states(kind)) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

// in_state enables exactly the events in `enabled` (Event enumerators or
// EventIds): under every combination of the kind's facts, on a clone of
// in_state, each other event, and each id past the kind's events, is
// NotEnabled and changes neither key, name nor predicates; an enabled event
// is never NotEnabled (it is Taken or GuardRejected). in_state is not changed.
template <class Event>
void expect_only_enabled(const KindSpec& kind, const Machine& in_state, const std::set<Event>& enabled,
                         std::string_view label) {
  SCOPED_TRACE(std::string(label) + " (" + in_state.state_name() + ")");
  const std::uint64_t key = in_state.key();
  const std::string name = in_state.state_name();
  const std::vector<bool> predicates = predicate_values(kind, in_state);
  std::vector<std::size_t> events;  // every EventId the kind has, then some it has not
  for (std::size_t e = 0; e < kind.events.size(); ++e) events.push_back(e);
  for (std::size_t e : {kind.events.size(), std::size_t{200}, std::size_t{255}}) events.push_back(e);

  for (const std::size_t e : events) {
    const bool known = e < kind.events.size();
    const std::string event_name = known ? std::string(kind.events[e]) : "event id " + std::to_string(e);
    const bool is_enabled = known && enabled.contains(static_cast<Event>(e));
    for (FactBits facts = 0; facts < fact_combinations(kind); ++facts) {
      std::unique_ptr<Machine> m = in_state.clone();
      const Outcome outcome = m->process(static_cast<EventId>(e), facts);
      if (is_enabled) {
        EXPECT_NE(outcome, Outcome::NotEnabled) << event_name << " facts " << facts;
        continue;
      }
      EXPECT_EQ(outcome, Outcome::NotEnabled) << event_name << " facts " << facts;
      EXPECT_EQ(m->key(), key) << event_name << " facts " << facts;
      EXPECT_EQ(m->state_name(), name) << event_name << " facts " << facts;
      EXPECT_EQ(predicate_values(kind, *m), predicates) << event_name << " facts " << facts;
    }
  }
  for (const Event e : enabled) EXPECT_LT(static_cast<std::size_t>(e), kind.events.size()) << "enabled event out of range";
}

}  // namespace acdsim::model::test_support
