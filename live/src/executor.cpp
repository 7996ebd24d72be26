#include "acdsim/live/executor.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "acdsim/checker/invariants.hpp"
#include "acdsim/checker/report.hpp"
#include "acdsim/live/journal.hpp"
#include "acdsim/live/observe.hpp"
#include "acdsim/model/actions.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/kinds.hpp"
#include "acdsim/model/step_targets.hpp"
#include "acdsim/model/system.hpp"
#include "plan_review.hpp"
#include "progress.hpp"
#include "stepping.hpp"
#include "unfinished.hpp"

namespace acdsim::live {

using model::ComponentIndex;
using model::KindId;
using model::Snapshot;

int exit_code(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::Done: return 0;
    case RunOutcome::NotMapped: return 2;
    case RunOutcome::Incomplete: return 3;
    default: return 1;
  }
}

namespace {

using Planned = PlannedCommand;

class Run {
 public:
  Run(const model::Procedure& p, const model::Topology& t, const Inventory& inv, const Runner& runner,
      const RunOptions& o, std::ostream& out, std::istream& in)
      : procedure_(p), topology_(t), inventory_(inv), runner_(runner), options_(o), out_(out), in_(in),
        system_(t), observer_(system_, inv, runner), progress_(out, o.live_status) {}

  RunOutcome run();

 private:
  Planned plan_command(const model::Step& step, const std::string& target, const Snapshot& belief) const {
    return live::plan_command(system_, inventory_, step, target, belief);
  }
  std::vector<std::string> hosts_of(const model::Step& step) const { return hosts_to_probe(topology_, step); }
  bool condition_holds(const model::Condition& c, const Snapshot& s) const { return live::condition_holds(system_, c, s); }
  RunOutcome check_rest(std::size_t from, const Snapshot& belief);
  RunOutcome review_before_acting(Journal& journal);
  RunOutcome execute_steps(Journal& journal, Snapshot belief);
  bool await_leftover(Journal& journal, const UnfinishedCommand& u);
  void await_remote(const UnfinishedCommand& u, const Endpoint& endpoint);
  bool resolve_unfinished(Journal& journal, const model::Step& step, const std::vector<std::string>& targets,
                          Snapshot before, const Observed& seen);
  std::string fix_for(ComponentIndex c, model::LocalCode code) const;

  const model::Procedure& procedure_;
  const model::Topology& topology_;
  const Inventory& inventory_;
  const Runner& runner_;
  const RunOptions& options_;
  std::ostream& out_;
  std::istream& in_;
  model::System system_;
  Observer observer_;
  std::set<std::string> completed_;
  std::set<std::string> commands_done_;  // "step|target" run to the end before a resume
  std::map<std::string, UnfinishedCommand> unfinished_;  // "step|target" begun before a resume, no result
  Progress progress_;
};

// The checker on the steps not yet completed, from the observed state.
RunOutcome Run::check_rest(std::size_t from, const Snapshot& belief) {
  model::Procedure rest = procedure_;
  rest.steps.clear();
  for (std::size_t i = from; i < procedure_.steps.size(); ++i) {
    model::Step s = procedure_.steps[i];
    if (completed_.contains(s.id)) continue;
    std::erase_if(s.after, [&](const std::string& id) { return completed_.contains(id); });
    rest.steps.push_back(std::move(s));
  }
  if (rest.steps.empty()) return RunOutcome::Done;
  checker::Options options = options_.check;
  options.initial_state = belief;
  options.progress = false;
  // Warnings (self-healing delays) are reported, not refused.
  options.accepted.push_back(checker::Severity::Warning);
  checker::Checker checker(rest, topology_, options);
  const checker::Result result = checker.run();
  for (const std::string& id : result.accepted) {
    const checker::InvariantSpec& spec = checker::invariant(id);
    out_ << "  warning (model): " << spec.id << ": " << spec.reason << "\n";
  }
  if (result.verdict == checker::Verdict::Safe) {
    out_ << "  check: the rest of the procedure (" << rest.steps.size() << " steps) is safe from the observed state ("
         << result.states << " states)\n";
    return RunOutcome::Done;
  }
  out_ << "REFUSED before step " << procedure_.steps[from].id
       << ": the rest of the procedure is not safe from the observed state\n";
  checker::Checked checked{procedure_.source_file, rest, result, nlohmann::json()};
  out_ << checker::report_text(checked);
  return RunOutcome::Refused;
}

std::string Run::fix_for(ComponentIndex c, model::LocalCode code) const {
  const model::KindTable& t = system_.table(c);
  auto has = [&](std::string_view pred) {
    const auto& preds = t.spec().predicates;
    auto it = std::find(preds.begin(), preds.end(), pred);
    return it != preds.end() && t.holds(code, static_cast<model::PredicateId>(it - preds.begin()));
  };
  const char* id = nullptr;
  if (has("mount_failed")) id = "share.mount-failed";
  else if (has("share_broken")) id = "app.started-without-share";
  else if (has("split_brain")) id = "drbd.split-brain";
  else if (has("banned")) id = "pacemaker.failed-action";
  else if (system_.kind(c) == KindId::Replication && !has("off") && !has("sql_running")) id = "replication.sql-thread-stopped";
  else if (has("connecting")) id = "replication.slave-before-master";
  if (!id) return "no documented fix: inspect the host, bring it to the state the model expects, then acdsim run --resume";
  const checker::InvariantSpec& spec = checker::invariant(id);
  return std::string(spec.id) + ": " + std::string(spec.fix.empty() ? spec.reason : spec.fix);
}

const char* outcome_word(RunOutcome o) {
  switch (o) {
    case RunOutcome::Done: return "DONE";
    case RunOutcome::Unsafe: return "REFUSED (unsafe plan)";
    case RunOutcome::Incomplete: return "REFUSED (no verdict)";
    case RunOutcome::Unprovable: return "REFUSED (unprovable waits)";
    case RunOutcome::Refused: return "REFUSED";
    case RunOutcome::Deviation: return "STOPPED";
    case RunOutcome::NotMapped: return "NOT MAPPED";
    case RunOutcome::Declined: return "DECLINED";
  }
  return "";
}

// The plan review before the first command: refuse an unsafe plan unless
// forced, and unprovable waits unless accepted; the journal records both.
RunOutcome Run::review_before_acting(Journal& journal) {
  const PlanReview review = review_plan(procedure_, topology_, system_, inventory_, options_);
  print_review(review, out_);
  const checker::Result& r = review.checked.result;
  const RunOutcome verdict = verdict_outcome(review);
  std::vector<std::string> unprovable;
  for (const UnprovableWait& u : review.waits.unprovable) unprovable.push_back(u.step);
  nlohmann::json record = {{"type", "plan_review"},
                           {"from", review.from},
                           {"verdict", r.verdict == checker::Verdict::Safe       ? "safe"
                                       : r.verdict == checker::Verdict::Violated ? "violated"
                                                                                 : "incomplete"},
                           {"unprovable_waits", unprovable},
                           {"force_unsafe", options_.force_unsafe},
                           {"accept_unprovable_waits", options_.accept_unprovable_waits}};
  if (r.violation && r.violation->spec) record["invariant"] = std::string(r.violation->spec->id);
  journal.append(record);
  if (verdict != RunOutcome::Done) {
    if (!options_.force_unsafe) {
      out_ << "REFUSED: the checker does not call this procedure safe; fix it, or act anyway with --force-unsafe "
              "(recorded in the journal)\n";
      journal.append({{"type", "refused"}, {"reason", "plan not safe"}});
      return verdict;
    }
    out_ << "FORCED: acting on a procedure the checker does not call safe (--force-unsafe, recorded in the journal)\n";
  }
  if (!unprovable.empty()) {
    if (!options_.accept_unprovable_waits) {
      out_ << "REFUSED: " << unprovable.size()
           << " waits can never be shown by the configured probes (they would time out mid-run); configure the probes "
              "named above, or accept them with --accept-unprovable-waits\n";
      journal.append({{"type", "refused"}, {"reason", "unprovable waits"}, {"steps", unprovable}});
      return RunOutcome::Unprovable;
    }
    out_ << "ACCEPTED: " << unprovable.size()
         << " unprovable waits (--accept-unprovable-waits); each runs to its timeout unless the probes can tell\n";
  }
  return RunOutcome::Done;
}

RunOutcome Run::run() {
  if (!options_.execute) return dry_run(procedure_, topology_, system_, inventory_, options_, out_);
  Journal journal(options_.journal);
  Snapshot belief = options_.observed ? *options_.observed : checker::Checker(procedure_, topology_).initial();
  if (options_.resume) {
    const JournalState state = read_journal(options_.journal);
    if (state.start.value("procedure", "") != procedure_.name)
      throw model::InputError(options_.journal, "", 1, "the journal is of procedure \"" + state.start.value("procedure", "") +
                                                           "\", not \"" + procedure_.name + "\"");
    completed_ = state.completed;
    commands_done_ = state.commands_done;
    unfinished_ = state.unfinished;
    if (state.finished) {
      out_ << "the journal says the run finished: nothing to do\n";
      return RunOutcome::Done;
    }
    // The last recorded belief; probes below replace what they can see.
    std::ifstream in(options_.journal);
    std::string line;
    while (std::getline(in, line)) {
      try {
        auto r = nlohmann::json::parse(line);
        if (r.value("type", "") == "step_done" && r.contains("state"))
          belief = model::snapshot_from_json(system_, r["state"], options_.journal);
      } catch (const nlohmann::json::exception&) {
      }
    }
    out_ << "RESUME " << procedure_.name << ": " << completed_.size() << " of " << procedure_.steps.size()
         << " steps completed before\n";
    journal.append({{"type", "resume"}, {"completed", completed_}, {"rerun_unfinished", options_.rerun_unfinished},
                    {"accept_unfinished", options_.accept_unfinished}});
  } else {
    journal.append({{"type", "start"}, {"format", "acdsim-journal/1"}, {"procedure", procedure_.name},
                    {"procedure_file", options_.procedure_file}, {"inventory_file", options_.inventory_file},
                    {"topology", topology_.name}});
    if (const RunOutcome o = review_before_acting(journal); o != RunOutcome::Done) return o;
  }
  const RunOutcome outcome = execute_steps(journal, belief);
  if (outcome != RunOutcome::Done) progress_.step_failed(outcome_word(outcome));
  progress_.summary(outcome_word(outcome), procedure_.steps.size());
  return outcome;
}

RunOutcome Run::execute_steps(Journal& journal, Snapshot belief) {
  for (std::size_t index = 0; index < procedure_.steps.size(); ++index) {
    const model::Step& step = procedure_.steps[index];
    if (completed_.contains(step.id)) {
      progress_.skipped(step.id);
      continue;
    }
    progress_.step_begins(step.id, step.action + (step.target.empty() ? "" : " " + step.target));
    const Snapshot before_step = belief;
    // A command the interrupted run left running (it should have died with it),
    // or that may still run remotely: await its end before the probes judge it.
    for (const auto& [key, u] : unfinished_) {
      if (u.step != step.id) continue;
      if (u.group && !await_leftover(journal, u)) return RunOutcome::Refused;
      const Planned p = plan_command(step, u.target, belief);
      if (p.endpoint && p.endpoint->transport == Transport::Ssh && !options_.rerun_unfinished && !options_.accept_unfinished)
        await_remote(u, *p.endpoint);
    }
    const auto hosts = hosts_of(step);
    Observed seen = observer_.observe(belief, hosts);
    for (const std::string& l : seen.lines) out_ << "  observed " << l << "\n";
    if (!seen.unknown.empty()) {
      out_ << "REFUSED before step " << step.id << ": state unknown (never act on an unknown state)\n";
      for (const std::string& u : seen.unknown) out_ << "  unknown: " << u << "\n";
      journal.append({{"type", "refused"}, {"step", step.id}, {"unknown", seen.unknown}});
      return RunOutcome::Refused;
    }
    for (const std::string& d : seen.deviating) out_ << "  note: " << d << "\n";
    belief = seen.state;
    const auto targets = step.action == "check" ? std::vector<std::string>{} : model::expand_target(topology_, step);
    if (!resolve_unfinished(journal, step, targets, before_step, seen)) return RunOutcome::Refused;
    const bool half_done = !targets.empty() && std::all_of(targets.begin(), targets.end(), [&](const std::string& t) {
      return commands_done_.contains(step.id + "|" + t);
    });
    if (half_done)
      out_ << "  the journal shows this step's commands finished before the interruption: not run again, only awaited\n";
    else if (RunOutcome o = check_rest(index, belief); o != RunOutcome::Done) {
      journal.append({{"type", "refused"}, {"step", step.id}, {"state", model::snapshot_to_json(system_, belief)}});
      return o;
    }
    std::vector<Planned> commands;
    for (const std::string& target : targets) {
        if (commands_done_.contains(step.id + "|" + target)) continue;
        commands.push_back(plan_command(step, target, belief));
        if (!commands.back().error.empty()) {
          out_ << "NOT MAPPED " << target << ": " << commands.back().error << "\n";
          return RunOutcome::NotMapped;
        }
      }
    if (options_.confirm_each) {
      out_ << "  run step " << step.id << "?";
      for (const Planned& p : commands) out_ << " [" << p.target << ": " << p.shown << "]";
      out_ << " [y/N] " << std::flush;
      std::string answer;
      if (!std::getline(in_, answer) || (answer != "y" && answer != "yes")) {
        out_ << "\ndeclined: stopping before step " << step.id << " (acdsim run --resume continues)\n";
        return RunOutcome::Declined;
      }
    }
    journal.append({{"type", "step_begin"}, {"step", step.id}});
    // A hold (a rollout's drain interval) counts from here, as in the simulator; a resume
    // begins the step again and so holds the whole interval again (never less).
    const auto began = std::chrono::steady_clock::now();
    for (const std::string& target : targets)
      if (commands_done_.contains(step.id + "|" + target))
        if (auto next = system_.apply(belief, system_.command(step.action, target))) belief = *next;
    for (const Planned& p : commands) {
      journal.append({{"type", "command_begin"}, {"step", step.id}, {"target", p.target}, {"command", p.shown}});
      out_ << "  run " << p.target << ": " << p.shown << "\n";
      // The command's process group, so that a resume can tell whether it still runs.
      const SpawnHook record_group = [&](const ProcessIdentity& id) {
        journal.append({{"type", "command_pid"}, {"step", step.id}, {"target", p.target}, {"pid", id.pid},
                        {"start_ticks", id.start_ticks}});
      };
      const SpawnHookScope scope(record_group);
      const RunResult r = runner_(*p.endpoint, p.argv, inventory_.command_timeout_s);
      journal.append({{"type", "command"}, {"step", step.id}, {"target", p.target}, {"command", p.shown},
                      {"exit", r.exit_status}, {"timed_out", r.timed_out}, {"output_digest", sha256_digest(r.output)},
                      {"output_bytes", r.output.size()}, {"seconds", r.seconds}});
      if (r.timed_out || r.exit_status != 0) {
        out_ << "STOPPED at step " << step.id << ": " << p.shown << " on " << p.target
             << (r.timed_out ? " timed out (killed)" : " failed with exit " + std::to_string(r.exit_status))
             << " (output " << r.output.size() << " bytes, " << sha256_digest(r.output)
             << "; run it by hand to see it)\n";
        return RunOutcome::Deviation;
      }
      const model::Move move = system_.command(step.action, p.target);
      if (auto next = system_.apply(belief, move)) belief = *next;
      else out_ << "  note: the model says " << step.action << " " << p.target << " does nothing in this state\n";
    }

    // Wait until the probes show what the model predicts. A probe may allow
    // several states (ssh answers while Booting and Up): the wait holds only
    // when every reachable state that all probes allow satisfies it.
    const Reachable reach = reachable_states(system_, belief);
    if (!reach.complete)  // nothing can be called a deviation (said, not hidden)
      out_ << "  note: more than " << kReachableLimit
           << " states reachable from here; deviations are not checked for this step\n";
    std::vector<std::vector<bool>> codes(system_.size());
    for (ComponentIndex i = 0; i < system_.size(); ++i) codes[i].assign(system_.table(i).size(), !reach.complete);
    for (const Snapshot& s : reach.states)
      for (ComponentIndex i = 0; i < system_.size(); ++i) codes[i][s[i]] = true;
    const double timeout = step.wait ? (step.timeout_s > 0 ? step.timeout_s : options_.default_wait_s) : 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout);
    progress_.waiting(step.wait ? condition_text(*step.wait) : "", timeout);
    Observed after;
    std::vector<const Snapshot*> consistent;
    std::vector<Observation> observations;
    for (;;) {
      observations = observer_.probe_hosts(hosts);
      after = observer_.apply(belief, observations);
      progress_.seen(after.lines);
      std::vector<std::string> deviations;
      for (ComponentIndex i = 0; i < system_.size(); ++i)
        if (!codes[i][after.state[i]])
          deviations.push_back(system_.component(i).path() + ": observed " + system_.table(i).name(after.state[i]) +
                               ", the model predicts one of its reachable states from " +
                               system_.table(i).name(belief[i]) + "; fix: " + fix_for(i, after.state[i]));
      consistent.clear();
      if (reach.complete) consistent = consistent_states(reach, after.allowed);
      if (deviations.empty() && reach.complete && consistent.empty())
        deviations.push_back("each component is in a state the model predicts, but no reachable state of the whole "
                             "system shows them together; fix: no documented fix: inspect the hosts, then acdsim run --resume");
      if (!deviations.empty()) {
        out_ << "DEVIATION after step " << step.id << ":\n";
        for (const std::string& l : after.lines) out_ << "  observed " << l << "\n";
        for (const std::string& d : deviations) out_ << "  " << d << "\n";
        journal.append({{"type", "deviation"}, {"step", step.id}, {"deviations", deviations},
                        {"state", model::snapshot_to_json(system_, after.state)}});
        return RunOutcome::Deviation;
      }
      bool done = after.unknown.empty();
      if (done && step.wait) {
        if (reach.complete)
          done = wait_proven(system_, *step.wait, consistent);
        else
          done = condition_holds(*step.wait, after.state);
      }
      if (done) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        out_ << "TIMEOUT at step " << step.id << " after " << timeout << " s: "
             << (after.unknown.empty() ? "the wait condition is not shown to hold" : "the state is unknown") << "\n";
        for (const std::string& l : after.lines) out_ << "  observed " << l << "\n";
        if (step.wait)
          for (const auto& a : step.wait->atoms) {
            const model::Condition one{model::Condition::Mode::All, {a}};
            const ComponentIndex i = *system_.find(a.component);
            const auto fails = std::find_if(consistent.begin(), consistent.end(),
                                            [&](const Snapshot* s) { return !condition_holds(one, *s); });
            const auto holds = std::find_if(consistent.begin(), consistent.end(),
                                            [&](const Snapshot* s) { return condition_holds(one, *s); });
            if (fails != consistent.end() && holds != consistent.end()) {
              out_ << "  expected " << a.text << ": the probes cannot tell " << system_.table(i).name((**holds)[i])
                   << " from " << system_.table(i).name((**fails)[i])
                   << "; configure a probe that can (docs/live.md, probes)\n";
            } else if (!condition_holds(one, after.state)) {
              out_ << "  expected " << a.text << "; fix: " << fix_for(i, after.state[i]) << "\n";
            }
          }
        journal.append({{"type", "timeout"}, {"step", step.id}, {"state", model::snapshot_to_json(system_, after.state)}});
        return RunOutcome::Deviation;
      }
      std::this_thread::sleep_for(std::chrono::duration<double>(inventory_.poll_interval_s));
    }
    // The least advanced state that agrees with every probe (and with the wait).
    if (!consistent.empty()) after = observer_.apply(*consistent.front(), observations);
    belief = after.state;
    for (const std::string& l : after.lines) out_ << "  now " << l << "\n";
    if (step.hold_s > 0) {
      const auto until = began + std::chrono::duration<double>(step.hold_s);
      const double left = std::chrono::duration<double>(until - std::chrono::steady_clock::now()).count();
      if (left > 0) {
        out_ << "  hold: " << left << " s more (the step completes no earlier than " << step.hold_s
             << " s after it began: drain interval)\n" << std::flush;
        std::this_thread::sleep_until(until);
      }
    }
    journal.append({{"type", "step_done"}, {"step", step.id}, {"state", model::snapshot_to_json(system_, belief)}});
    completed_.insert(step.id);
    progress_.step_done();
  }
  journal.append({{"type", "finish"}});
  out_ << "\nDONE " << procedure_.name << ": " << procedure_.steps.size() << " steps\n";
  return RunOutcome::Done;
}

// A command of the interrupted run whose process group still has members (the
// guard kills it when acdsim dies; a member that left the group, a guard killed
// on its own, or another acdsim build may leave one): adopted and awaited up to
// the command timeout, never run beside it.
bool Run::await_leftover(Journal& journal, const UnfinishedCommand& u) {
  if (!process_group_alive(*u.group)) return true;
  out_ << "  the command " << u.command << " on " << u.target << " of the interrupted run still runs (process group "
       << u.group->pid << "): waiting for it to end (at most " << inventory_.command_timeout_s << " s)\n";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(inventory_.command_timeout_s);
  while (process_group_alive(*u.group)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      out_ << "STOPPED before step " << u.step << ": the command " << u.command << " on " << u.target
           << " of the interrupted run still runs after " << inventory_.command_timeout_s
           << " s (process group " << u.group->pid << "); wait for it or end it (kill -- -" << u.group->pid
           << "), then acdsim run --resume " << options_.journal << "\n";
      journal.append({{"type", "refused"}, {"step", u.step}, {"reason", "command of the interrupted run still runs"},
                      {"target", u.target}, {"pid", u.group->pid}});
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  out_ << "  it ended; its result is not known: the probes decide\n";
  return true;
}

// Over ssh, the command may outlive the ssh client killed with acdsim (sshd
// does not stop a command without a terminal when the connection drops): the
// probes judge it only once it has had the command timeout since it began, as
// long as any run would have given it.
void Run::await_remote(const UnfinishedCommand& u, const Endpoint& endpoint) {
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const double left = u.begun + inventory_.command_timeout_s - now;
  if (u.begun <= 0 || left <= 0) return;
  out_ << "  it ran over ssh on " << endpoint.name << ", where it may still run (the ssh client died with acdsim; the "
       << "remote command does not): waiting " << static_cast<long>(std::ceil(left))
       << " s, until the command timeout since it began, before the probes judge it\n" << std::flush;
  std::this_thread::sleep_for(std::chrono::duration<double>(left));
}

// Commands of this step that began before the interruption and have no result:
// run again only when the probes show they had no effect, or as the operator says.
bool Run::resolve_unfinished(Journal& journal, const model::Step& step, const std::vector<std::string>& targets,
                             Snapshot before, const Observed& seen) {
  for (const std::string& target : targets) {
    const std::string key = step.id + "|" + target;
    if (commands_done_.contains(key)) {
      if (auto next = system_.apply(before, system_.command(step.action, target))) before = *next;
      continue;
    }
    const auto it = unfinished_.find(key);
    if (it == unfinished_.end()) continue;
    const UnfinishedCommand u = it->second;
    unfinished_.erase(it);
    out_ << "  " << u.command << " on " << target << " began before the interruption and has no result in the journal\n";
    const model::Move move = system_.command(step.action, target);
    std::string decision;
    if (options_.rerun_unfinished) {
      out_ << "  running it again (--rerun-unfinished)\n";
      decision = "rerun (--rerun-unfinished)";
    } else if (options_.accept_unfinished) {
      out_ << "  taken as done (--accept-unfinished): not run again, only awaited\n";
      commands_done_.insert(key);
      decision = "accepted (--accept-unfinished)";
    } else {
      const UnfinishedJudgement j = judge_unfinished(system_, before, move, seen);
      for (const std::string& l : j.lines) out_ << "    " << l << "\n";
      if (!j.no_effect) {
        const Planned p = plan_command(step, target, before);
        out_ << "STOPPED before step " << step.id << ": " << u.command << " on " << target
             << " may have taken effect; it is not run twice\n"
             << "  check on " << (p.endpoint ? p.endpoint->name : p.host) << " whether " << u.command
             << " completed (its effect, the host's logs), then:\n"
             << "    acdsim run --resume " << options_.journal
             << " --accept-unfinished   it took effect: do not run it again, await its result\n"
             << "    acdsim run --resume " << options_.journal
             << " --rerun-unfinished    it had no effect, or running it twice is harmless\n";
        journal.append({{"type", "refused"}, {"step", step.id}, {"target", target},
                        {"reason", "unfinished command may have taken effect"}, {"why", j.lines}});
        return false;
      }
      out_ << "  the probes show it had no effect: running it again\n";
      decision = "rerun (no effect observed)";
    }
    journal.append({{"type", "unfinished"}, {"step", step.id}, {"target", target}, {"command", u.command},
                    {"decision", decision}});
  }
  return true;
}

}  // namespace

RunOutcome run_procedure(const model::Procedure& procedure, const model::Topology& topology, const Inventory& inventory,
                         const Runner& runner, const RunOptions& options, std::ostream& out, std::istream& in) {
  // A secret echoed by a command never reaches a parser's message, the output or a digest.
  const Runner redacting = [&](const Endpoint& e, const Argv& argv, double timeout_s) {
    RunResult r = runner(e, argv, timeout_s);
    for (const auto& [name, value] : inventory.secrets)
      for (std::size_t at = r.output.find(value); at != std::string::npos; at = r.output.find(value, at + 3))
        r.output.replace(at, value.size(), "***");
    return r;
  };
  Run run(procedure, topology, inventory, redacting, options, out, in);
  return run.run();
}

}  // namespace acdsim::live
