// A procedure: a partial order of steps over a topology. See docs/formats.md.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "acdsim/model/topology.hpp"

namespace acdsim::model {

// One test of a component's state, e.g. "acd-dbm/mysql running" or
// "acd-lb1/drbd not syncing". A bare host ("acd-dbm up") means its vm.
struct ConditionAtom {
  std::string component;  // "acd-dbm/mysql"
  std::string predicate;  // a predicate name of that component's kind
  bool negated = false;
  std::string text;       // as written, for messages
};

// A wait condition: all (default) or any of the atoms hold.
struct Condition {
  enum class Mode : std::uint8_t { All, Any } mode = Mode::All;
  std::vector<ConditionAtom> atoms;
};

struct Step {
  std::string id;
  std::string action;          // from the action catalogue (actions.hpp)
  std::string target;          // host alias, "role:<role>", "cluster:<name>", or "<alias>/<component>"
  std::vector<std::string> after;  // ids of steps that must be complete first
  std::optional<Condition> wait;   // the step is complete only when this holds
  double timeout_s = 0;            // 0: no timeout given
  std::string phase;               // phase id when written inside "phases"
  std::string note;                // free text, e.g. the seed sentence it comes from
  std::string json_path;           // where it was written, for messages
};

// A property declared by the procedure's author: whenever `when` holds, `then`
// must hold too (checked in every reachable state, like the catalogue's).
struct UserInvariant {
  std::string id;        // "web-needs-storage"; reported as "user.<id>"
  std::string severity;  // data-loss | outage | manual-fix | warning
  std::string reason;    // one line for the operator
  std::string fix;       // may be empty
  Condition when, then;
  std::string json_path;
};

struct Procedure {
  std::string name;
  std::string source_file;
  std::string description;
  std::string kind;            // startup | shutdown | failover | failback | maintenance | rollout
  std::string topology_file;   // as written (relative to the procedure file)
  std::string initial;         // "all_off" | "all_up" | "<snapshot file>"; default from kind
  std::vector<std::string> accepts;  // severities accepted, e.g. ["warning"]
  std::vector<std::string> readings; // seed ambiguities and how they were read
  std::vector<UserInvariant> invariants;  // besides the catalogue's
  std::vector<Step> steps;     // phases already flattened into steps with dependencies
  struct Phase {
    std::string id, name;
  };
  std::vector<Phase> phases;   // in file order, when written with "phases"
};

// Reads and validates a procedure against its topology (loaded from
// topology_file unless given); throws InputError on any problem.
Procedure load_procedure(const std::string& path, Topology* topology_out = nullptr);
Procedure parse_procedure(const std::string& text, const std::string& file_name, const Topology& topology);

}  // namespace acdsim::model
