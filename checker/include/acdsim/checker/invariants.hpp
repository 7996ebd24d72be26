// The catalogue of named properties the checker proves (docs/invariants.md),
// and their instantiation for one topology as clauses over packed states:
// a clause is violated when all of its terms hold.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "acdsim/checker/compiled.hpp"
#include "acdsim/model/procedure.hpp"

namespace acdsim::checker {

enum class Severity : std::uint8_t { DataLoss, Outage, ManualFix, Warning };
std::string_view to_string(Severity severity);
std::optional<Severity> severity_by_name(std::string_view name);

struct InvariantSpec {
  std::string_view id;      // "share.mount-failed"
  Severity severity;
  std::string_view reason;  // one line: why this breaks things
  std::string_view fix;     // the manual fix, "" if none
};

// Every invariant, in a stable order.
std::span<const InvariantSpec> catalogue();
const InvariantSpec& invariant(std::string_view id);

// One instance of an invariant: "subject" names the component(s) concerned.
struct Clause {
  const InvariantSpec* spec;
  std::string subject;
  std::vector<CompiledTerm> terms;  // violated when all hold
  bool violated(const Word* s) const {
    for (const CompiledTerm& t : terms)
      if (!t.holds(s)) return false;
    return true;
  }
};

enum class Goal : std::uint8_t { None, Healthy, AllOff };

struct Properties {
  std::vector<Clause> always;  // checked in every reachable state
  std::vector<Clause> goal;    // checked where the procedure is complete and nothing else can happen
  std::vector<std::string> not_checked;  // invariants left out, and why (reported with the verdict)
};

// Instantiates the catalogue for a topology.
Properties compile_properties(const CompiledModel& model, Goal goal);

// Adds a rollout's invariants (rollout.*): at most max_out() servers of the
// pool out of service, at least a floor in service, one edition serving in
// an atomic rollout.
void add_rollout_properties(Properties& properties, const CompiledModel& model, const model::Rollout& rollout);

}  // namespace acdsim::checker
