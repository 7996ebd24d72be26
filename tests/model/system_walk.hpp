// Test helpers that walk a System by hand: settle the environment, run one command, play one
// environment move, read a component's state name (system_test, storage_system_test).
#pragma once
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>

#include "acdsim/model/system.hpp"

namespace acdsim::model::testing {

// Applies enabled environment moves (first in list order) until none is left.
inline Snapshot settle(const System& s, Snapshot state) {
  for (int guard = 0; guard < 10000; ++guard) {
    bool moved = false;
    for (const Move& m : s.environment_moves()) {
      if (auto next = s.apply(state, m)) {
        state = *next;
        moved = true;
        break;
      }
    }
    if (!moved) return state;
  }
  ADD_FAILURE() << "environment never settles";
  return state;
}

// The state after the command (a test failure, and the state unchanged, if it is not enabled).
inline Snapshot run(const System& s, const Snapshot& state, std::string_view action, std::string_view target) {
  auto next = s.apply(state, s.command(action, target));
  EXPECT_TRUE(next.has_value()) << action << " " << target << " is not enabled";
  return next ? *next : state;
}

inline const Move& env_move(const System& s, std::string_view label) {
  for (const Move& m : s.environment_moves())
    if (m.label == label) return m;
  throw std::runtime_error("no environment move " + std::string(label));
}

// The state after the environment move (a test failure, and the state unchanged, if it is not enabled).
inline Snapshot env(const System& s, const Snapshot& state, std::string_view label) {
  auto next = s.apply(state, env_move(s, label));
  EXPECT_TRUE(next.has_value()) << label << " is not enabled";
  return next ? *next : state;
}

inline std::string state_of(const System& s, const Snapshot& state, std::string_view path) {
  auto c = s.find(path);
  if (!c) return "<no component " + std::string(path) + ">";
  return s.table(*c).name(state[*c]);
}

}  // namespace acdsim::model::testing
