// Exhaustive, breadth-first exploration of a procedure's steps interleaved
// with every environment move (and up to K faults), over packed states.
// Breadth-first: the first violation found is one with a shortest trace.
// With Options::all_violations the search goes on past a violation (a
// violating state is not expanded) and keeps the first, hence shortest, trace
// of every distinct (invariant, component kind).
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acdsim/checker/compiled.hpp"
#include "acdsim/checker/invariants.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/snapshot.hpp"

namespace acdsim::checker {

struct Options {
  std::uint64_t max_states = 200'000'000;
  std::uint64_t max_memory_bytes = std::uint64_t{16} << 30;
  // Memory for keeping every level with parent links, so a counterexample's
  // path needs no second search; beyond it (or 1/8 of max_memory_bytes) the
  // levels are dropped and the path is searched again when needed.
  std::uint64_t trace_history_bytes = std::uint64_t{64} << 20;
  unsigned faults = 0;             // explore up to this many faults anywhere
  bool progress = false;           // states, states/s, queue on stderr
  // Search threads; 0: every core this process may run on. Any number gives
  // the same states, verdict, violations and traces (docs/checker.md, "Threads").
  unsigned threads = 0;
  // Parents per wave of the parallel search (0: 8,192). Results do not depend
  // on it; tests make it small.
  std::uint32_t wave_parents = 0;
  bool symmetry = true;            // identify states that differ only by interchangeable hosts
  bool partial_order = true;       // explore one order of independent, invisible moves
  // Go on after a violation and report one shortest trace per distinct
  // (invariant id, component kind); false: stop at the first (fast).
  bool all_violations = false;
  // With all_violations: how many more states to look at for further
  // violations once one is found (the documented redundant startups have tens
  // of millions past their first; the verdict is already VIOLATED).
  std::uint64_t states_after_violation = UINT64_MAX;
  std::vector<Severity> accepted;  // severities that do not fail the verdict (besides the procedure's own)
  // Start from this state instead of the procedure's "initial" (e.g. a state
  // observed on real hosts, with the steps already done removed from the procedure).
  std::optional<model::Snapshot> initial_state;
};

// One line of a counterexample.
struct TraceLine {
  std::string what;  // "step", "environment", "fault"
  std::string label;
  std::vector<std::string> changes;  // "acd-jb1/share: Unmounted -> MountFailed"
};

// The specs of a procedure's own invariants (Violation::spec may point here).
struct UserInvariantSpecs {
  std::deque<std::string> strings;
  std::deque<InvariantSpec> specs;
};

struct Violation {
  const InvariantSpec* spec = nullptr;
  std::string subject;
  std::string kind;               // component kind of the subject ("jboss", "replication"); "" if none
  std::string detail;             // e.g. which step waits for what
  std::vector<TraceLine> trace;   // from the initial state
  bool trace_maybe_longer = false;  // partial-order reduction's trace; no shortest one found within the effort bound
};

enum class Verdict : std::uint8_t { Safe, Violated, Incomplete };

struct Result {
  Verdict verdict = Verdict::Safe;
  // Distinct violations, in the order the search met them (shortest first);
  // one unless Options::all_violations.
  std::vector<Violation> violations;
  std::optional<Violation> violation;  // the first of violations (for callers that need one)
  // Which limit stopped the search: with verdict Incomplete, or Violated when
  // a limit stopped the search for more violations.
  std::string incomplete_reason;
  std::vector<std::string> accepted; // accepted invariant ids seen (first few)
  std::vector<std::string> not_checked;  // invariants left out of the search, and why
  std::uint64_t states = 0, transitions = 0;
  std::uint32_t depth = 0;
  std::size_t words_per_state = 0;
  std::uint64_t bytes = 0;           // state storage + hash table at the end
  double seconds = 0;
  bool trace_maybe_longer = false;  // some violation's trace_maybe_longer
  std::string symmetry;  // interchangeable host groups used, "web1 web2; tel1 tel2"; empty: none
  std::shared_ptr<const UserInvariantSpecs> user_specs;  // keeps violation->spec valid
};

// A procedure, compiled against its topology, ready to be checked.
class Checker {
 public:
  Checker(const model::Procedure& procedure, const model::Topology& topology, Options options = {});
  ~Checker();
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  Result run();

  // The initial snapshot (all off, all up, or the procedure's snapshot file).
  const model::Snapshot& initial() const;
  std::size_t step_count() const;

 private:
  struct Impl;
  friend struct PromelaAccess;  // the Promela export reads the compiled problem (promela.cpp)
  std::unique_ptr<Impl> impl_;
};

}  // namespace acdsim::checker
