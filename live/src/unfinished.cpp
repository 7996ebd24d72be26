#include "unfinished.hpp"

#include <set>

#include "stepping.hpp"

namespace acdsim::live {

using model::ComponentIndex;
using model::Snapshot;

namespace {

// "Starting or Running": the states of component i among the snapshots.
std::string states_of(const model::System& system, ComponentIndex i, const std::vector<const Snapshot*>& states) {
  std::set<std::string> names;
  std::string out;
  for (const Snapshot* s : states)
    if (names.insert(system.table(i).name((*s)[i])).second) out += (out.empty() ? "" : " or ") + system.table(i).name((*s)[i]);
  return out.empty() ? "none" : out;
}

}  // namespace

UnfinishedJudgement judge_unfinished(const model::System& system, const Snapshot& before, const model::Move& move,
                                     const Observed& seen) {
  UnfinishedJudgement j;
  const Reachable without = reachable_states(system, before);
  const auto started = system.apply(before, move);
  if (!started) {
    j.lines.push_back("the model says the command does nothing in the state before it, so no probe can show whether it ran");
    return j;
  }
  const Reachable with = reachable_states(system, *started);
  if (!without.complete || !with.complete) {
    j.lines.push_back("more than " + std::to_string(kReachableLimit) +
                      " states reachable: the probes cannot be compared with every state the command may have led to");
    return j;
  }
  const std::set<Snapshot> reachable_without(without.states.begin(), without.states.end());
  const std::vector<const Snapshot*> as_before = consistent_states(without, seen.allowed);
  std::vector<const Snapshot*> changed;  // consistent with the command having run, and only with that
  for (const Snapshot* s : consistent_states(with, seen.allowed))
    if (!reachable_without.contains(*s)) changed.push_back(s);
  j.no_effect = !as_before.empty() && changed.empty();

  // Per probed component: what it shows, against the state before and what the command leads to.
  std::vector<const Snapshot*> with_all;
  for (const Snapshot& s : with.states) with_all.push_back(&s);
  for (const auto& [i, allowed] : seen.allowed) {
    const std::string after = states_of(system, i, with_all);
    const std::string name = system.component(i).path();
    bool differs = false;
    for (const Snapshot& s : with.states) differs = differs || s[i] != before[i];
    if (!differs) continue;  // the command does not touch it
    std::string line;
    for (const std::string& l : seen.lines)
      if (l.starts_with(name + ":")) line = l;
    j.lines.push_back((line.empty() ? name + ": " + system.table(i).name(seen.state[i]) : line) + "; before the command " +
                      system.table(i).name(before[i]) + ", with it " + after);
  }
  if (j.no_effect) return j;
  if (j.lines.empty()) j.lines.push_back("no probe sees a component the command changes");
  if (as_before.empty() && changed.empty())
    j.lines.push_back("the probes show a state the model predicts neither with nor without the command");
  else if (as_before.empty())
    j.lines.push_back("the probes show its effect: it ran, wholly or in part");
  else
    j.lines.push_back("the probes cannot tell whether it had an effect");
  return j;
}

}  // namespace acdsim::live
