// Shared by the input-format tests (topology, procedure): a small valid
// topology and procedure, text edits that keep line numbers, and a check
// of an InputError's file, JSON pointer, line and message.
#pragma once
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "acdsim/model/input_error.hpp"

namespace acdsim::model::test {

// Line numbers are part of the tests: the text starts with "{" on line 1.
inline constexpr std::string_view kTopology = R"({
  "format": "acdsim-topology/1",
  "name": "test",
  "hosts": [
    {"alias": "acd-lb1", "roles": ["store", "lb"]},
    {"alias": "acd-lb2", "roles": ["store", "lb"]},
    {"alias": "acd-dbm", "roles": ["dbm"]},
    {"alias": "acd-dbs", "roles": ["dbs"]},
    {"alias": "acd-jb1", "roles": ["jb"]},
    {"alias": "acd-jb2", "roles": ["jb"]},
    {"alias": "acd-tel1", "roles": ["tel"], "vm": "tel-vm-1"},
    {"alias": "acd-nas", "roles": ["store"]}
  ],
  "share_server": "storage",
  "storage_cluster": {
    "name": "storage",
    "nodes": ["acd-lb1", "acd-lb2"],
    "construction": "primary_secondary",
    "allow_two_primaries": false
  },
  "replication": [
    {"master": "acd-dbm", "replica": "acd-dbs"}
  ],
  "hazelcast": [
    {"name": "platform", "members": ["acd-jb1", "acd-jb2", "acd-tel1"]}
  ],
  "pools": [
    {"name": "web", "router": "acd-lb1", "backends": ["acd-jb1", "acd-jb2"]}
  ],
  "parameters": {
    "app_heals_after_share": false,
    "durations": {
      "vm.boot_complete": "70s",
      "acd-dbm/mysql.start_complete": {"lognormal": {"median": "20s", "sigma": 0.5}},
      "service.stop_complete": {"uniform": ["2s", "30s"]}
    },
    "capacities": {"jb": 200, "acd-jb1": 150}
  }
})";

inline constexpr std::string_view kProcedure = R"({
  "format": "acdsim-procedure/1",
  "name": "test startup",
  "kind": "startup",
  "topology": "t.json",
  "steps": [
    {"id": "on-lb1", "action": "power_on", "target": "acd-lb1"},
    {"id": "on-lb2", "action": "power_on", "target": "acd-lb2"},
    {"id": "pcs", "action": "pcs_cluster_start", "target": "cluster:storage", "after": ["on-lb1", "on-lb2"]},
    {"id": "primary", "action": "drbdadm_primary", "target": "acd-lb1", "after": ["pcs"], "wait": "acd-lb1/drbd primary", "timeout": "5m"},
    {"id": "on-dbm", "action": "power_on", "target": "acd-dbm", "wait": "acd-dbm/mysql running"},
    {"id": "on-dbs", "action": "power_on", "target": "acd-dbs", "after": ["on-dbm"]},
    {"id": "repl", "action": "start_slave", "target": "acd-dbs", "after": ["on-dbs"]},
    {"id": "on-jb", "action": "power_on", "target": "role:jb", "after": ["primary", "on-dbm"]},
    {"id": "app", "action": "app_start", "target": "acd-jb1/jboss", "after": ["on-jb"]},
    {"id": "tel", "action": "telephony_start", "target": "acd-tel1", "after": ["on-jb"]},
    {"id": "ready", "action": "check", "after": ["app", "tel"], "wait": {"all": ["role:jb/jboss running", "acd-tel1/telephony not failed", "acd-dbs/replication:acd-dbm healthy"]}, "timeout": 600, "note": "all up"}
  ]
})";

// text with the single occurrence of from replaced by to.
inline std::string edit(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  const std::size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << "edit: " << from << " not in the text";
  if (at == std::string::npos) return s;
  EXPECT_EQ(s.find(from, at + 1), std::string::npos) << "edit: " << from << " occurs more than once";
  return s.replace(at, from.size(), to);
}

// The InputError that f throws (a failed expectation if it throws none).
inline InputError error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an InputError, none was thrown";
  return InputError("", "", -1, "");
}

inline void expect_error(const InputError& e, std::string_view file, std::string_view pointer, int line,
                         std::string_view fragment) {
  EXPECT_EQ(e.file(), file) << e.what();
  EXPECT_EQ(e.json_path(), pointer) << e.what();
  EXPECT_EQ(e.line(), line) << e.what();
  EXPECT_THAT(e.message(), ::testing::HasSubstr(std::string(fragment))) << e.what();
}

// text after the edits (op, where, c): op % 3 deletes, duplicates or replaces (by c) the
// character at where % size; for the parsers' property tests (RapidCheck draws the edits).
inline std::string mutate(std::string text, const std::vector<std::tuple<int, std::size_t, char>>& edits) {
  for (const auto& [op, where, c] : edits) {
    if (text.empty()) break;
    const std::size_t at = where % text.size();
    switch (op % 3) {
      case 0: text.erase(at, 1); break;
      case 1: text.insert(at, 1, text[at]); break;
      default: text[at] = c; break;
    }
  }
  return text;
}

}  // namespace acdsim::model::test
