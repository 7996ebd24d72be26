// Counterexample-guided planning. The first candidate runs every host at
// once; each round the checker either proves the candidate safe or returns a
// shortest counterexample, whose invariant names a component. The component's
// fact rules (System::fact_rules: what its guards read, and from which hosts)
// say what it was missing; the planner orders every component of that kind
// after (startup) or before (shutdown) what it reads, with a wait on exactly
// the terms it reads. Peers that read each other (Hazelcast members, the
// master-master pair) cannot be ordered that way: a startup serializes the
// first of them, a shutdown tries the component's own operator actions
// (e.g. STOP SLAVE) before the peers stop. A startup wait that booting never
// satisfies (a storage started by hand: procedure.stuck) gets the fewest
// catalogue commands that do, searched in the model (operator_path.hpp).
// Nothing here names a role.
// The Planner class is in planner_impl.hpp; refinement in planner_refine.cpp,
// the procedure file in planner_emit.cpp.
#include "acdsim/planner/planner.hpp"

#include <sstream>

#include "acdsim/model/procedure.hpp"
#include "planner_impl.hpp"
#include "timeouts.hpp"

namespace acdsim::planner {

std::optional<Kind> kind_by_name(std::string_view name) {
  if (name == "startup") return Kind::Startup;
  if (name == "shutdown") return Kind::Shutdown;
  return std::nullopt;
}

std::string_view to_string(Kind kind) { return kind == Kind::Startup ? "startup" : "shutdown"; }

namespace detail {

Plan Planner::run() {
  Plan out;
  for (unsigned round = 1; round <= opt_.max_rounds; ++round) {
    out.procedure = emit(out);
    out.last = check(out.procedure);
    if (out.last.verdict == checker::Verdict::Safe) {
      out.safe = true;
      note(out, "round " + std::to_string(round) + ": SAFE (" + std::to_string(out.last.states) + " states)");
      drop_unneeded_waits(out);
      add_timeouts(out);
      return out;
    }
    if (out.last.verdict == checker::Verdict::Incomplete) {
      // Too many interleavings to prove: constrain the plan step by step, as
      // the seed's priority table does, and prove that instead.
      static const char* const kStartup[] = {
          "each layer now waits until the previous layer is up",
          "each layer now waits until the previous layer's services are healthy (settled)",
          "within each layer, alike hosts now start together, each group once the previous one is up and its own services healthy",
          "within each layer, each host now starts once the previous one is up and its own services healthy"};
      static const char* const kShutdown[] = {"each layer now waits until the previous layer is off",
                                              "within each layer, each host now waits until the previous one is off"};
      const std::size_t stages = kind_ == Kind::Startup ? 4 : 2;
      if (stage_ < stages) {
        note(out, "round " + std::to_string(round) + ": not proven (" + out.last.incomplete_reason + ") -> " +
                      (kind_ == Kind::Startup ? kStartup : kShutdown)[stage_]);
        ++stage_;
        continue;
      }
      out.failure = "the checker could not finish, even with one host at a time: " + out.last.incomplete_reason;
      return out;
    }
    const checker::Violation& v = *out.last.violation;
    const std::string found = std::string(v.spec->id) + " at " + v.subject;
    std::string did = refine(v);
    note(out, "round " + std::to_string(round) + ": " + found + " -> " + (did.empty() ? "no refinement left" : did));
    if (did.empty()) {
      out.failure = "cannot remove " + found + (v.detail.empty() ? "" : " (" + v.detail + ")") +
                    ": no ordering, serialization or operator action of the component's kind removes it";
      return out;
    }
  }
  out.failure = "no safe plan within " + std::to_string(opt_.max_rounds) + " rounds";
  return out;
}

void Planner::note(Plan& plan, std::string line) const {
  if (opt_.on_round) opt_.on_round(line);
  plan.rounds.push_back(std::move(line));
}

// A host step's wait ("X off") that the proof does not need goes: the
// order of issuing is then enough. Check steps keep theirs (a check is a wait).
void Planner::drop_unneeded_waits(Plan& plan) const {
  auto& steps = plan.procedure["steps"];
  for (auto& step : steps) {
    if (!step.contains("wait") || step["action"] == "check") continue;
    nlohmann::ordered_json wait = step["wait"];
    step.erase("wait");
    checker::Result r = check(plan.procedure);
    if (r.verdict == checker::Verdict::Safe) {
      note(plan, "dropped the wait of " + step["id"].get<std::string>() + ": SAFE without it (" +
                     std::to_string(r.states) + " states)");
      plan.last = std::move(r);
    } else {
      step["wait"] = std::move(wait);
    }
  }
}

void Planner::add_timeouts(Plan& plan) const {
  note(plan, "timeouts: every wait " + timeouts_from_simulation(plan.procedure, topo_));
}

checker::Result Planner::check(const nlohmann::ordered_json& procedure) const {
  model::Procedure p = model::parse_procedure(procedure.dump(), "<planned procedure>", topo_);
  checker::Options o = opt_.check;
  for (const std::string& s : topo_.accepts)
    if (auto sev = checker::severity_by_name(s)) o.accepted.push_back(*sev);
  checker::Checker c(p, topo_, o);
  return c.run();
}

}  // namespace detail

Plan plan(const model::Topology& topology, Kind kind, const Options& options) {
  return detail::Planner(topology, kind, options).run();
}

std::string explain(const Plan& plan) {
  std::ostringstream out;
  out << "layers:\n";
  for (std::size_t l = 0; l < plan.layers.size(); ++l) {
    out << "  " << l + 1 << ":";
    for (const std::string& h : plan.layers[l]) out << " " << h;
    out << "\n";
  }
  out << "waits and orderings (each with the invariant whose counterexample asked for it):\n";
  if (plan.reasons.empty()) out << "  none: every host runs at once\n";
  for (const Reason& r : plan.reasons)
    out << "  " << r.step << ": " << r.what << "\n      needed by " << r.invariant << ": " << r.because << "\n";
  out << "rounds:\n";
  for (const std::string& r : plan.rounds) out << "  " << r << "\n";
  return out.str();
}

}  // namespace acdsim::planner
