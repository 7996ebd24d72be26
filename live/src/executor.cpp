#include "acdsim/live/executor.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
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

namespace acdsim::live {

using model::ComponentIndex;
using model::KindId;
using model::Snapshot;

int exit_code(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::Done: return 0;
    case RunOutcome::NotMapped: return 2;
    default: return 1;
  }
}

namespace {

// One command of a step: which component, where it runs, what it runs.
struct Planned {
  std::string target;        // as expanded ("acd-dbm", "acd-dbs/replication:acd-dbm", "cluster:storage")
  std::string host;          // where the component is
  const Endpoint* endpoint = nullptr;
  Argv argv;
  std::string shown;         // argv for output and journal: secrets masked
  std::string error;         // not mapped / value refused
};

class Run {
 public:
  Run(const model::Procedure& p, const model::Topology& t, const Inventory& inv, const Runner& runner,
      const RunOptions& o, std::ostream& out, std::istream& in)
      : procedure_(p), topology_(t), inventory_(inv), runner_(runner), options_(o), out_(out), in_(in),
        system_(t), observer_(system_, inv, runner) {}

  RunOutcome run();

 private:
  Planned plan_command(const model::Step& step, const std::string& target, const Snapshot& belief) const;
  std::vector<std::string> hosts_of(const model::Step& step) const;
  bool condition_holds(const model::Condition& c, const Snapshot& s) const;
  RunOutcome check_rest(std::size_t from, const Snapshot& belief);
  struct Reachable {
    std::vector<Snapshot> states;  // breadth-first: fewest environment moves first
    bool complete = true;          // false: too many to enumerate
  };
  Reachable reachable_states(const Snapshot& from);
  std::string fix_for(ComponentIndex c, model::LocalCode code) const;
  RunOutcome dry_run();

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
};

Planned Run::plan_command(const model::Step& step, const std::string& target, const Snapshot& belief) const {
  Planned p;
  p.target = target;
  const model::ActionSpec* spec = model::find_action(step.action);
  std::string action = step.action;
  std::optional<ComponentIndex> component;
  if (target.starts_with("cluster:")) {
    // pcs ... --all runs on one node of the cluster: the first the model believes up.
    action += action == "pcs_resource_cleanup" ? "" : "_all";
    const auto& nodes = topology_.storage_cluster->nodes;
    p.host = nodes.front();
    for (const std::string& n : nodes)
      if (auto vm = system_.vm_of(n); vm && system_.table(*vm).name(belief[*vm]) == "Up") {
        p.host = n;
        break;
      }
    component = system_.find(p.host + "/pacemaker");
  } else if (target.find('/') != std::string::npos) {
    component = system_.find(target);
    p.host = target.substr(0, target.find('/'));
  } else {
    p.host = target;
    for (ComponentIndex i : system_.on_host(target))
      if (system_.kind(i) == spec->kind) {
        component = i;
        break;
      }
  }
  if (!component) {
    p.error = "no component for " + step.action + " on " + target;
    return p;
  }
  const bool on_hypervisor = step.action == "power_on" || step.action == "power_off";
  p.endpoint = on_hypervisor ? &*inventory_.hypervisor : &inventory_.hosts.at(p.host);
  const CommandTemplate* t = inventory_.action(p.host, action);
  if (!t) {
    p.error = "no command for action " + action + " (no jtel default: set \"actions\": {\"" + action +
              "\": ...} in the inventory)";
    return p;
  }
  try {
    const auto values = template_values(system_, inventory_, system_.component(*component));
    p.argv = t->render(values);
    p.shown = display(t->render(values, true));
  } catch (const UnsafeValue& e) {
    p.error = e.what();
  }
  return p;
}

std::vector<std::string> Run::hosts_of(const model::Step& step) const {
  std::vector<std::string> hosts;
  auto add = [&](const std::string& h) {
    if (std::find(hosts.begin(), hosts.end(), h) == hosts.end()) hosts.push_back(h);
  };
  for (const std::string& t : model::expand_target(topology_, step)) {
    if (t.starts_with("cluster:")) {
      for (const std::string& n : topology_.storage_cluster->nodes) add(n);
    } else {
      add(t.substr(0, t.find('/')));
    }
  }
  if (step.wait)
    for (const auto& a : step.wait->atoms) add(a.component.substr(0, a.component.find('/')));
  // A replica's channel depends on its master: probe the replicas of a master too.
  for (const std::string& h : std::vector<std::string>(hosts))
    for (const auto& link : topology_.replication)
      if (link.master == h) add(link.replica);
  return hosts;
}

bool Run::condition_holds(const model::Condition& c, const Snapshot& s) const {
  auto holds = [&](const model::ConditionAtom& a) {
    const ComponentIndex i = *system_.find(a.component);
    const auto& preds = system_.table(i).spec().predicates;
    const auto p = static_cast<model::PredicateId>(std::find(preds.begin(), preds.end(), a.predicate) - preds.begin());
    return system_.holds(s, model::Term{i, p, a.negated});
  };
  if (c.mode == model::Condition::Mode::Any) return std::any_of(c.atoms.begin(), c.atoms.end(), holds);
  return std::all_of(c.atoms.begin(), c.atoms.end(), holds);
}

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

// The states the environment can reach from `from` (no faults): the model's
// prediction of what the probes may show after a step.
Run::Reachable Run::reachable_states(const Snapshot& from) {
  Reachable r;
  std::set<Snapshot> seen{from};
  r.states.push_back(from);
  constexpr std::size_t kLimit = 200000;
  for (std::size_t next = 0; next < r.states.size(); ++next) {
    for (const model::Move& m : system_.environment_moves()) {
      auto s = system_.apply(r.states[next], m);
      if (!s || !seen.insert(*s).second) continue;
      r.states.push_back(std::move(*s));
      if (r.states.size() > kLimit) {
        // Too many to enumerate: nothing can be called a deviation (said, not hidden).
        out_ << "  note: more than " << kLimit << " states reachable from here; deviations are not checked for this step\n";
        r.complete = false;
        return r;
      }
    }
  }
  return r;
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

RunOutcome Run::dry_run() {
  out_ << "DRY RUN of " << procedure_.name << " (" << procedure_.steps.size()
       << " steps; nothing is executed: add --execute to act)\n";
  RunOutcome outcome = RunOutcome::Done;
  const Snapshot belief = checker::Checker(procedure_, topology_).initial();
  for (const model::Step& step : procedure_.steps) {
    out_ << "\nstep " << step.id << ": " << step.action << (step.target.empty() ? "" : " " + step.target);
    if (!step.after.empty()) {
      out_ << " (after";
      for (const std::string& a : step.after) out_ << " " << a;
      out_ << ")";
    }
    out_ << "\n  before: probe ";
    const auto hosts = hosts_of(step);
    for (std::size_t i = 0; i < hosts.size(); ++i) out_ << (i ? ", " : "") << hosts[i];
    out_ << "; check the rest of the procedure from the observed state\n";
    for (const std::string& h : hosts)
      for (const std::string& line : observer_.describe_probes(h)) out_ << "    " << line << "\n";
    if (step.action != "check")
      for (const std::string& target : model::expand_target(topology_, step)) {
        const Planned p = plan_command(step, target, belief);
        if (!p.error.empty()) {
          out_ << "  NOT MAPPED " << target << ": " << p.error << "\n";
          outcome = RunOutcome::NotMapped;
          continue;
        }
        const bool local = p.endpoint->transport == Transport::Local;
        out_ << "  run on " << (local ? std::string("local") : p.endpoint->name + " (" + p.endpoint->user + "@" + p.endpoint->address + ":" + std::to_string(p.endpoint->port) + ", ssh)")
             << ": " << p.shown << "\n";
      }
    if (step.wait) {
      out_ << "  after: wait until";
      for (std::size_t i = 0; i < step.wait->atoms.size(); ++i)
        out_ << (i ? (step.wait->mode == model::Condition::Mode::Any ? " or" : " and") : "") << " "
             << step.wait->atoms[i].component << (step.wait->atoms[i].negated ? " not " : " ") << step.wait->atoms[i].predicate;
      out_ << " (timeout " << (step.timeout_s > 0 ? step.timeout_s : options_.default_wait_s) << " s)\n";
    } else {
      out_ << "  after: probe once; the observed state must be one the model predicts\n";
    }
  }
  return outcome;
}

RunOutcome Run::run() {
  if (!options_.execute) return dry_run();
  Journal journal(options_.journal);
  Snapshot belief = checker::Checker(procedure_, topology_).initial();
  if (options_.resume) {
    const JournalState state = read_journal(options_.journal);
    if (state.start.value("procedure", "") != procedure_.name)
      throw model::InputError(options_.journal, "", 1, "the journal is of procedure \"" + state.start.value("procedure", "") +
                                                           "\", not \"" + procedure_.name + "\"");
    completed_ = state.completed;
    commands_done_ = state.commands_done;
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
    journal.append({{"type", "resume"}, {"completed", completed_}});
  } else {
    journal.append({{"type", "start"}, {"format", "acdsim-journal/1"}, {"procedure", procedure_.name},
                    {"procedure_file", options_.procedure_file}, {"inventory_file", options_.inventory_file},
                    {"topology", topology_.name}});
  }

  for (std::size_t index = 0; index < procedure_.steps.size(); ++index) {
    const model::Step& step = procedure_.steps[index];
    if (completed_.contains(step.id)) continue;
    out_ << "\nstep " << step.id << ": " << step.action << (step.target.empty() ? "" : " " + step.target) << "\n";
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
    for (const std::string& target : targets)
      if (commands_done_.contains(step.id + "|" + target))
        if (auto next = system_.apply(belief, system_.command(step.action, target))) belief = *next;
    for (const Planned& p : commands) {
      journal.append({{"type", "command_begin"}, {"step", step.id}, {"target", p.target}, {"command", p.shown}});
      out_ << "  run " << p.target << ": " << p.shown << "\n";
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
    const Reachable reach = reachable_states(belief);
    std::vector<std::vector<bool>> codes(system_.size());
    for (ComponentIndex i = 0; i < system_.size(); ++i) codes[i].assign(system_.table(i).size(), !reach.complete);
    for (const Snapshot& s : reach.states)
      for (ComponentIndex i = 0; i < system_.size(); ++i) codes[i][s[i]] = true;
    const double timeout = step.wait ? (step.timeout_s > 0 ? step.timeout_s : options_.default_wait_s) : 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout);
    Observed after;
    std::vector<const Snapshot*> consistent;
    std::vector<Observation> observations;
    for (;;) {
      observations = observer_.probe_hosts(hosts);
      after = observer_.apply(belief, observations);
      std::vector<std::string> deviations;
      for (ComponentIndex i = 0; i < system_.size(); ++i)
        if (!codes[i][after.state[i]])
          deviations.push_back(system_.component(i).path() + ": observed " + system_.table(i).name(after.state[i]) +
                               ", the model predicts one of its reachable states from " +
                               system_.table(i).name(belief[i]) + "; fix: " + fix_for(i, after.state[i]));
      consistent.clear();
      if (reach.complete)
        for (const Snapshot& s : reach.states)
          if (std::all_of(after.allowed.begin(), after.allowed.end(), [&](const auto& a) {
                return std::find(a.second.begin(), a.second.end(), s[a.first]) != a.second.end();
              }))
            consistent.push_back(&s);
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
          done = std::all_of(consistent.begin(), consistent.end(), [&](const Snapshot* s) { return condition_holds(*step.wait, *s); });
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
    journal.append({{"type", "step_done"}, {"step", step.id}, {"state", model::snapshot_to_json(system_, belief)}});
    completed_.insert(step.id);
    out_ << "  done " << step.id << "\n";
  }
  journal.append({{"type", "finish"}});
  out_ << "\nDONE " << procedure_.name << ": " << procedure_.steps.size() << " steps\n";
  return RunOutcome::Done;
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
