// Test helpers for the component machines: a printer for Outcome and the
// local states a kind can reach from its initial state.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "acdsim/model/machine.hpp"

namespace acdsim::model {
// So that gtest prints "guard rejected" rather than a byte.
inline void PrintTo(Outcome outcome, std::ostream* os) { *os << to_string(outcome); }
}  // namespace acdsim::model

namespace acdsim::model::test_support {

// Breadth-first search from make_initial() over every event x every
// combination of the kind's facts. Records a failure in the current test if
// key <-> state_name is not one-to-one, if the predicates are not a function
// of the key, or if an event that was not taken changed the state.
// Returns key -> state_name of every reachable local state.
inline std::map<std::uint64_t, std::string> reachable_states(const KindSpec& kind) {
  std::map<std::uint64_t, std::string> name_of;
  std::map<std::string, std::uint64_t> key_of;
  std::map<std::uint64_t, std::vector<bool>> predicates_of;
  std::deque<std::unique_ptr<Machine>> todo;

  auto predicates = [&](const Machine& m) {
    std::vector<bool> holds;
    for (std::size_t p = 0; p < kind.predicates.size(); ++p) holds.push_back(m.holds(static_cast<PredicateId>(p)));
    return holds;
  };
  auto visit = [&](std::unique_ptr<Machine> m) {
    const std::uint64_t key = m->key();
    const std::string name = m->state_name();
    const auto [it, fresh] = name_of.emplace(key, name);
    if (!fresh) {
      EXPECT_EQ(it->second, name) << "one key, two names";
      EXPECT_EQ(predicates_of[key], predicates(*m)) << "predicates differ within one key: " << name;
      return;
    }
    const auto [kit, fresh_name] = key_of.emplace(name, key);
    EXPECT_TRUE(fresh_name) << "two keys named '" << name << "'";
    predicates_of[key] = predicates(*m);
    todo.push_back(std::move(m));
  };

  visit(kind.make_initial());
  const FactBits combinations = FactBits{1} << kind.facts.size();
  while (!todo.empty()) {
    const std::unique_ptr<Machine> from = std::move(todo.front());
    todo.pop_front();
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
  return name_of;
}

// The names of reachable_states(kind), sorted.
inline std::vector<std::string> reachable_names(const KindSpec& kind) {
  std::vector<std::string> names;
  for (const auto& [key, name] : reachable_states(kind)) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace acdsim::model::test_support
