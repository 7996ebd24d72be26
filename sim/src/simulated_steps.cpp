// The procedure's steps in a simulated run: issued once their dependencies are complete and
// the load guard allows, held, awaited (with timeouts), and the replay of a counterexample.
#include <algorithm>
#include <cstdio>

#include "simulated_run.hpp"

namespace acdsim::sim::detail {

bool Run::deps_done(const SimStep& s) const {
  for (std::uint32_t d : s.deps)
    if (status_[d] != 2) return false;
  return true;
}

bool Run::wait_holds(const SimStep& s) const {
  if (s.wait.empty()) return true;
  if (s.mode == model::Condition::Mode::All)
    return std::all_of(s.wait.begin(), s.wait.end(), [&](const CompiledTerm& t) { return t.holds(cur_.data()); });
  return std::any_of(s.wait.begin(), s.wait.end(), [&](const CompiledTerm& t) { return t.holds(cur_.data()); });
}

void Run::tick(std::uint32_t i, SimTime at) {
  if (tick_pending_[i]) return;
  tick_pending_[i] = true;
  q_.push(at, kStepTick, i);
}

bool Run::guard_allows(std::uint32_t i) {
  const model::StepGuard& g = *s_.steps[i].guard;
  const double threshold = o_.guard_threshold ? *o_.guard_threshold : g.threshold;
  if (threshold <= 0) return true;
  const detail::GuardLoad load = s_.guard_load(g, threshold, cur_.data(), [&](std::uint32_t c) { return offered_erlangs(c); });
  if (load.offered <= threshold * load.stays) return true;
  char text[320];
  std::snprintf(text, sizeof text, "offered load %.1f exceeds %.0f%% of the capacity that stays in service (%.0f)%s",
                load.offered, threshold * 100, load.stays,
                load.whole_pool ? "; the group is the whole pool, so no load fits: take fewer servers out at once" : "");
  if (g.first) {
    r_.refused = "rollout refused at " + clock_text(since_start(now_)) + ": " + text;
    procedure_over_ = true;
    // refusing is the guard's job (accepted), unless no load could ever pass: an outage by design
    finding("rollout.refused", "outage", s_.steps[i].label, text,
            !load.whole_pool || s_.accepted[static_cast<int>(checker::Severity::Outage)]);
    return false;
  }
  if (r_.pauses.empty() || r_.pauses.back().rfind(s_.steps[i].label, 0) != 0)
    r_.pauses.push_back(s_.steps[i].label + " paused at " + clock_text(since_start(now_)) + ": " + text);
  tick(i, now_ + kGuardRetry);
  return false;
}

void Run::advance_steps() {
  for (bool changed = true; changed && !procedure_over_;) {
    changed = false;
    bool all_done = true;
    for (std::uint32_t i = 0; i < s_.steps.size() && !procedure_over_; ++i) {
      const SimStep& st = s_.steps[i];
      if (status_[i] == 2) continue;
      all_done = false;
      if (status_[i] == 0) {
        if (!deps_done(st)) continue;
        if (st.guard && !guard_allows(i)) continue;
        status_[i] = 1;
        issued_at_[i] = now_;
        changed = true;
        step_rec_[i] = issue_cause(st);
        if (st.move != kNone && !apply(st.move, st.label, step_rec_[i])) {
          finding("procedure.step-refused", "manual-fix", st.label, "the command is refused in the current state",
                  s_.accepted[static_cast<int>(checker::Severity::ManualFix)]);
          complete(i);
          continue;
        }
        if (st.move != kNone) step_rec_[i] = causes_.last();
      }
      if (now_ < issued_at_[i] + st.hold) {
        tick(i, issued_at_[i] + st.hold);
        continue;
      }
      if (wait_holds(st)) {
        complete(i);
        changed = true;
      } else if (st.timeout > 0 && !timed_out_[i]) {
        if (now_ >= issued_at_[i] + st.timeout) {
          // the operator stops waiting and escalates: the procedure ends here, not completed
          timed_out_[i] = true;
          finding("procedure.timeout", "outage", st.label, "the wait did not hold within its timeout; the procedure stops");
          procedure_over_ = true;
        } else {
          tick(i, issued_at_[i] + st.timeout);
        }
      }
    }
    if (all_done && !procedure_over_) {
      procedure_over_ = true;
      r_.completed = true;
      commands_done_ = now_;
      track_goal();
      if (o_.timeline) r_.log.push_back(clock_text(since_start(now_)) + " #" + std::to_string(r_.events) + " procedure complete");
    }
  }
}

int Run::issue_cause(const SimStep& st) const {
  int cause = CauseLog::kRoot;
  SimTime latest = -1;
  for (std::uint32_t d : st.deps)
    if (done_at_[d] >= latest) latest = done_at_[d], cause = done_cause_[d];
  return cause;
}

void Run::complete(std::uint32_t i) {
  const SimStep& st = s_.steps[i];
  status_[i] = 2;
  done_at_[i] = now_;
  int cause = step_rec_[i];
  const int last = causes_.last();
  if (!st.wait.empty() && last > step_rec_[i] && causes_.time(last) == now_ && now_ > issued_at_[i] + st.hold) cause = last;
  // a check on the chain is a milestone: it became possible when its cause happened
  if (st.move == kNone) cause = causes_.add("check", st.label, cause >= 0 ? causes_.time(cause) : issued_at_[i], now_, cause);
  done_cause_[i] = last_done_cause_ = cause;
  if (o_.timeline) r_.timeline.steps.push_back({0, issued_at_[i], now_, st.label});
}

SimTime Run::replay_ready_at(std::uint32_t i) const {
  SimTime at = 0;
  for (std::uint32_t d : s_.steps[i].deps)
    at = std::max(at, s_.steps[d].move == kNone ? replay_ready_at(d) : issued_at_[d] + s_.steps[d].hold);
  return at;
}

void Run::replay_diverged(const ReplayMove& rm, const std::string& why) {
  finding("replay.diverged", "warning", rm.what + " " + rm.label, why);
  diverged_ = true;
  procedure_over_ = true;
}

void Run::advance_replay() {
  while (next_replay_ < o_.replay.size()) {
    const ReplayMove& rm = o_.replay[next_replay_];
    std::uint32_t m = kNone;
    if (rm.what == "step") {
      auto it = s_.step_by_label.find(rm.label);
      if (it == s_.step_by_label.end() || s_.steps[it->second].move == kNone)
        return replay_diverged(rm, "the procedure has no such step");
      if (const SimTime at = replay_ready_at(it->second); now_ < at) return tick(it->second, at);
      m = s_.steps[it->second].move;
      issued_at_[it->second] = now_;
    } else if (rm.what == "environment") {
      auto it = s_.env_by_label.find(rm.label);
      if (it == s_.env_by_label.end()) return replay_diverged(rm, "the model has no such environment move");
      m = it->second;
      if (env_scheduled_[m]) return;  // its duration is still running
      if (!env_ready_[m]) return replay_diverged(rm, "the move is not enabled here");
      env_ready_[m] = false;
    } else {
      auto it = s_.fault_by_label.find(rm.label);
      if (it == s_.fault_by_label.end()) return replay_diverged(rm, "the model has no such fault");
      m = it->second;
    }
    const int cause = rm.what == "environment" ? env_cause_[m] : rm.what == "step" ? causes_.last() : CauseLog::kRoot;
    if (!apply(m, rm.label, cause)) return replay_diverged(rm, "the move is not enabled here");
    r_.replayed.push_back({to_seconds(now_) - r_.procedure_start_s, rm.what, rm.label});
    ++next_replay_;
  }
  procedure_over_ = true;
  r_.completed = true;
  commands_done_ = now_;
  last_done_cause_ = causes_.last();
  track_goal();
}

}  // namespace acdsim::sim::detail
