// A procedure: a partial order of steps over a topology. See docs/formats.md.
#pragma once
#include <cstdint>
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

// The simulator's load-aware guard before a rollout group leaves service: it
// holds the step while the offered load exceeds threshold x the capacity of
// the servers that stay. The checker ignores it (untimed).
struct StepGuard {
  std::vector<std::string> leaving;  // host aliases going out of service
  double threshold = 1.0;            // fraction of the remaining capacity
  bool first = false;                // the rollout's first group: refuse instead of pausing
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
  double hold_s = 0;               // simulator: complete no earlier than this long after issue (drain interval)
  std::optional<StepGuard> guard;  // simulator: load-aware guard (rollouts)
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

// A rollout block (second seed): new edition onto the backends of a router pool.
struct Rollout {
  enum class Strategy : std::uint8_t { Group, Atomic } strategy = Strategy::Group;
  enum class Restart : std::uint8_t { Application, Server } restart = Restart::Application;
  std::string pool;                  // router pool name
  std::string router;                // its router host
  std::vector<std::string> servers;  // the pool's backends, in order
  unsigned group_size = 1;           // group: servers per group, 1 to N (N: an outage, never clamped)
  double drain_s = 30;               // quiesce interval before a stop
  double server_restart_s = 60;      // restart=server: the JVM's stop+start, on top of the application's
  double guard_threshold = 1.0;      // 0: no load-aware guard
  unsigned floor = 0;                // fewest servers in service; 0: N - max_out() (set to 1 when that is 0)
  // Servers out of service at once: group size, or the first half in atomic (ceil(N/2), at most N-1).
  unsigned max_out() const;
  unsigned min_in_service() const { return floor ? floor : static_cast<unsigned>(servers.size()) - max_out(); }
};
std::string_view to_string(Rollout::Strategy strategy);

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
  std::optional<Rollout> rollout;  // when written with "rollout" (steps are its expansion)
  std::optional<double> load;      // simulator: offered load as a fraction of the workload's peak
};

// "low" 0.3, "peak" 1.0, "over-peak" 1.3, or a number >= 0; nullopt otherwise.
std::optional<double> load_by_name(std::string_view text);

// Reads and validates a procedure against its topology (loaded from
// topology_file unless given); throws InputError on any problem.
Procedure load_procedure(const std::string& path, Topology* topology_out = nullptr);
Procedure parse_procedure(const std::string& text, const std::string& file_name, const Topology& topology);

}  // namespace acdsim::model
