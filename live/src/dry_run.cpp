#include <algorithm>
#include <map>
#include <ostream>

#include "acdsim/checker/invariants.hpp"
#include "acdsim/live/observe.hpp"
#include "plan_review.hpp"
#include "stepping.hpp"

namespace acdsim::live {

PlanReview review_plan(const model::Procedure& procedure, const model::Topology& topology, const model::System& system,
                       const Inventory& inventory, const RunOptions& options) {
  checker::Options check = options.check;
  check.initial_state = options.observed;
  check.progress = false;
  // The topology's "accepts" hold for every procedure on it, as for `acdsim check`.
  for (const std::string& s : topology.accepts) check.accepted.push_back(*checker::severity_by_name(s));
  checker::Checker checker(procedure, topology, check);
  PlanReview review;
  review.checked = {procedure.source_file, procedure, checker.run(), nlohmann::json()};
  review.from = options.observed ? "the observed snapshot " + options.observed_file
                                 : "the procedure's initial state (" + procedure.initial + ")";
  review.waits = review_waits(procedure, system, inventory, checker.initial());
  return review;
}

RunOutcome verdict_outcome(const PlanReview& review) {
  switch (review.checked.result.verdict) {
    case checker::Verdict::Safe: return RunOutcome::Done;
    case checker::Verdict::Violated: return RunOutcome::Unsafe;
    case checker::Verdict::Incomplete: return RunOutcome::Incomplete;
  }
  return RunOutcome::Incomplete;
}

namespace {

std::string verdict_line(const checker::Result& r) {
  switch (r.verdict) {
    case checker::Verdict::Safe: return "SAFE";
    case checker::Verdict::Violated:
      return "VIOLATED" + (r.violation && r.violation->spec
                               ? " (" + std::string(r.violation->spec->id) + ", " +
                                     std::string(checker::to_string(r.violation->spec->severity)) + ")"
                               : std::string());
    case checker::Verdict::Incomplete: return "INCOMPLETE (" + r.incomplete_reason + ")";
  }
  return "";
}

}  // namespace

void print_review(const PlanReview& review, std::ostream& out) {
  out << "PLAN REVIEW: every interleaving, from " << review.from << "\n" << checker::report_text(review.checked);
  const WaitReview& w = review.waits;
  if (w.unprovable.empty()) {
    out << "waits: the configured probes can prove each of the " << w.waits << " waits\n";
  } else {
    out << "UNPROVABLE WAITS: " << w.unprovable.size() << " of " << w.waits
        << " waits can never be shown by the configured probes (--execute refuses them unless --accept-unprovable-waits)\n";
    for (const UnprovableWait& u : w.unprovable) {
      out << "  step " << u.step << ": wait until " << u.wait << "\n";
      for (const std::string& why : u.why) out << "    - " << why << "\n";
      for (const std::string& c : u.configure) out << "    configure: " << c << "\n";
    }
  }
  for (const std::string& n : w.notes) out << "  note: " << n << "\n";
}

RunOutcome dry_run(const model::Procedure& procedure, const model::Topology& topology, const model::System& system,
                   const Inventory& inventory, const RunOptions& options, std::ostream& out) {
  out << "DRY RUN of " << procedure.name << " (" << procedure.steps.size()
      << " steps; nothing is executed: add --execute to act)\n\n";
  const PlanReview review = review_plan(procedure, topology, system, inventory, options);
  print_review(review, out);

  // The probes, once per host (they run before each step and while it waits).
  const Observer observer(system, inventory, Runner{});
  std::vector<std::string> probed;
  for (const model::Step& step : procedure.steps)
    for (const std::string& h : hosts_to_probe(topology, step))
      if (std::find(probed.begin(), probed.end(), h) == probed.end()) probed.push_back(h);
  out << "\nPROBES (before each step, on the hosts it involves, and while it waits):\n";
  for (const std::string& h : probed)
    for (const std::string& line : observer.describe_probes(h)) out << "  " << line << "\n";

  out << "\nSTEPS (in this order; before each: probe its hosts and re-check the rest from the observed state):\n";
  RunOutcome outcome = RunOutcome::Done;
  const model::Snapshot belief = options.observed ? *options.observed : checker::Checker(procedure, topology).initial();
  std::map<std::string, int> per_host;
  std::size_t with_commands = 0, not_mapped = 0;
  double longest_wait = 0;
  for (const model::Step& step : procedure.steps) {
    out << "step " << step.id << ": " << step.action << (step.target.empty() ? "" : " " + step.target);
    if (!step.after.empty()) {
      out << " (after";
      for (const std::string& a : step.after) out << " " << a;
      out << ")";
    }
    out << "\n  probe ";
    const auto hosts = hosts_to_probe(topology, step);
    for (std::size_t i = 0; i < hosts.size(); ++i) out << (i ? ", " : "") << hosts[i];
    out << "\n";
    const auto targets = command_targets(topology, step);
    if (!targets.empty()) ++with_commands;
    for (const std::string& target : targets) {
      const PlannedCommand p = plan_command(system, inventory, step, target, belief);
      if (!p.error.empty()) {
        out << "  NOT MAPPED " << target << ": " << p.error << "\n";
        outcome = RunOutcome::NotMapped;
        ++not_mapped;
        continue;
      }
      const bool local = p.endpoint->transport == Transport::Local;
      ++per_host[local ? std::string("local") : p.endpoint->name];
      out << "  run on "
          << (local ? std::string("local")
                    : p.endpoint->name + " (" + p.endpoint->user + "@" + p.endpoint->address + ":" +
                          std::to_string(p.endpoint->port) + ", ssh)")
          << ": " << p.shown << "\n";
    }
    if (step.wait) {
      const double timeout = step.timeout_s > 0 ? step.timeout_s : options.default_wait_s;
      longest_wait = std::max(longest_wait, timeout);
      const bool unprovable = std::any_of(review.waits.unprovable.begin(), review.waits.unprovable.end(),
                                          [&](const UnprovableWait& u) { return u.step == step.id; });
      out << "  wait until " << condition_text(*step.wait) << " (timeout " << timeout << " s)"
          << (unprovable ? "  [UNPROVABLE]" : "") << "\n";
    } else {
      out << "  then probe once: the observed state must be one the model predicts\n";
    }
    if (step.hold_s > 0)
      out << "  hold: the step completes no earlier than " << step.hold_s << " s after it began (drain interval)\n";
  }

  const checker::Result& r = review.checked.result;
  out << "\nSUMMARY\n  verdict:          " << verdict_line(r) << " from " << review.from << "\n";
  out << "  steps:            " << procedure.steps.size() << " (" << with_commands << " with commands, "
      << review.waits.waits << " waits";
  if (review.waits.waits) out << ", longest timeout " << longest_wait << " s";
  out << ")\n  commands:         ";
  if (per_host.empty()) out << "none";
  bool first = true;
  for (const auto& [host, n] : per_host) out << (first ? "" : ", ") << host << " " << n, first = false;
  if (not_mapped) out << "; " << not_mapped << " NOT MAPPED";
  out << "\n  unprovable waits: ";
  if (review.waits.unprovable.empty()) out << "none";
  for (std::size_t i = 0; i < review.waits.unprovable.size(); ++i)
    out << (i ? ", " : "") << review.waits.unprovable[i].step;
  out << "\n  --execute needs:  --journal FILE";
  if (not_mapped) out << "; commands for the NOT MAPPED actions in the inventory";
  if (r.verdict != checker::Verdict::Safe)
    out << (r.verdict == checker::Verdict::Violated ? "; --force-unsafe (or fix the procedure)"
                                                    : "; a verdict (raise --max-states) or --force-unsafe");
  if (!review.waits.unprovable.empty()) out << "; --accept-unprovable-waits (or configure the probes named above)";
  out << "\n";
  if (outcome == RunOutcome::NotMapped) return outcome;
  return verdict_outcome(review);
}

}  // namespace acdsim::live
