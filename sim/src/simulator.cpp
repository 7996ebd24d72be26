#include "acdsim/sim/simulator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "acdsim/sim/station.hpp"
#include "capacity.hpp"
#include "chain.hpp"
#include "compiled_procedure.hpp"
#include "replica_timing.hpp"

namespace acdsim::sim {
namespace {

using checker::CompiledTerm;
using checker::Word;
using detail::HostView;
using detail::kNone;
using detail::ServerRef;
using detail::SimStep;

enum EventType : std::uint32_t {
  kArrival, kDepart, kAbandon, kEnvMove, kStepTick, kSample, kRandomFault, kScheduledFault, kStart, kCapacity
};

constexpr SimTime kSamplePeriod = 10 * kSecond;
constexpr SimTime kGuardRetry = 10 * kSecond;

// How long each class may be below capacity before it is a capacity outage: its callers' median patience.
std::vector<SimTime> patience_of(const model::Topology& t) {
  std::vector<SimTime> out;
  for (const model::WorkloadClass& wc : t.params.workload) out.push_back(from_seconds(median(wc.patience)));
  return out;
}

}  // namespace

namespace {

// The state of one run.
class Run {
 public:
  Run(const Simulator::Impl& sim, std::uint64_t seed, const Options& o)
      : s_(sim), o_(o), cur_(sim.initial), next_(sim.words), scratch_(sim.words),
        rng_env_(stream(seed, "environment")), rng_faults_(stream(seed, "faults")),
        rng_arrivals_(stream(seed, "arrivals")), rng_handle_(stream(seed, "handle")),
        rng_patience_(stream(seed, "patience")), replicas_(sim), capacity_(patience_of(sim.system.topology())) {
    r_.seed = seed;
    start_ = from_seconds(o.warmup_s);
    const auto& wl = sim.system.topology().params.workload;
    r_.load = o.load ? *o.load : sim.procedure.load.value_or(1.0);
    start_hour_ = o.start_hour ? *o.start_hour : peak_hour(wl);
    for (std::size_t c = 0; c < wl.size(); ++c) {
      stations_.emplace_back(static_cast<std::uint32_t>(c), sim.class_capacity[c], wl[c].handle, wl[c].patience, kDepart,
                             true);
      const double top = wl[c].profile.empty() ? 1.0 : *std::max_element(wl[c].profile.begin(), wl[c].profile.end());
      max_rate_.push_back(wl[c].peak_per_hour * r_.load * top / 3600.0);
      ClassMetrics m;
      m.name = wl[c].name;
      m.offered_erlangs_peak = max_rate_.back() * mean(wl[c].handle);
      r_.classes.push_back(m);
    }
    env_gen_.assign(sim.env_duration.size(), 0);
    env_scheduled_.assign(sim.env_duration.size(), false);
    env_ready_.assign(sim.env_duration.size(), false);
    typical_.assign(sim.env_duration.size(), o.typical_all);
    slow_next_boot_.assign(sim.hosts.size(), false);
    status_.assign(sim.steps.size(), 0);
    issued_at_.assign(sim.steps.size(), 0);
    tick_pending_.assign(sim.steps.size(), false);
    timed_out_.assign(sim.steps.size(), false);
    seen_.assign(sim.properties.always.size(), false);
    env_cause_.assign(sim.env_duration.size(), CauseLog::kRoot);
    env_ready_at_.assign(sim.env_duration.size(), 0);
    step_rec_.assign(sim.steps.size(), CauseLog::kRoot);
    done_cause_.assign(sim.steps.size(), CauseLog::kRoot);
    done_at_.assign(sim.steps.size(), 0);
    r_.goal = sim.goal_name;
    if (o.initial_state) sim.model.pack(*o.initial_state, cur_.data());
    // A cold start (no server of any class in service at first, and a goal
    // that says when service should exist): no load until the goal holds.
    bool any_in_service = false;
    for (const auto& servers : sim.class_servers)
      for (const ServerRef& sv : servers) any_in_service |= sv.in_service.holds(cur_.data());
    offering_ = any_in_service || sim.goal.empty() || sim.class_servers.empty();
    if (o.timeline) {
      for (const model::Host& h : sim.system.topology().hosts) r_.timeline.tracks.push_back(h.alias);
      track_name_.assign(sim.hosts.size(), "");
      track_since_.assign(sim.hosts.size(), 0);
      for (const auto& m : r_.classes) {
        r_.timeline.series.push_back("queue " + m.name);
        r_.timeline.series.push_back("capacity " + m.name);
        r_.timeline.series.push_back("load " + m.name);
      }
    }
  }

  RunResult run() {
    const SimTime start = from_seconds(o_.warmup_s);
    r_.procedure_start_s = o_.warmup_s;
    for (std::uint32_t c = 0; c < stations_.size(); ++c) schedule_arrival(c, 0);
    q_.push(0, kSample);
    q_.push(start, kStart);
    if (o_.fault_rate_per_hour > 0) q_.push(start + from_seconds(rng_faults_.exponential(3600.0 / o_.fault_rate_per_hour)), kRandomFault);
    for (std::uint32_t i = 0; i < o_.faults.size(); ++i) q_.push(start + from_seconds(o_.faults[i].at_s), kScheduledFault, i);
    for (const std::string& label : o_.typical) {
      if (auto it = s_.env_by_label.find(label); it != s_.env_by_label.end()) typical_[it->second] = true;
      else finding("duration.not-applicable", "warning", label, "no environment move has this label");
    }
    model_changed(0, "initial state");
    const SimTime horizon = start + from_seconds(o_.horizon_s);
    const SimTime give_up = start + from_seconds(o_.max_procedure_s);
    while (!q_.empty()) {
      const Event e = q_.pop();
      now_ = e.time;
      if (now_ > horizon && (settled() || now_ > give_up)) break;
      ++r_.events;
      hash(e);
      switch (e.type) {
        case kArrival: arrival(e.a); break;
        case kDepart: stations_[e.a].depart(now_, e.b, q_, rng_handle_); break;
        case kAbandon: stations_[e.a].abandon(e.b); break;
        case kEnvMove:
          if (e.b == env_gen_[e.a] && env_scheduled_[e.a]) {
            env_scheduled_[e.a] = false;
            if (replaying()) env_ready_[e.a] = true;  // happens when the trace says so
            else apply(e.a, "", env_cause_[e.a]);
          }
          break;
        case kStepTick: tick_pending_[e.a] = false; break;
        case kSample: sample_metrics(), q_.push(now_ + kSamplePeriod, kSample); break;
        case kRandomFault: random_fault(); break;
        case kScheduledFault: scheduled_fault(o_.faults[e.a]); break;
        case kStart: started_ = true; break;
        case kCapacity: capacity_outage(e.a); break;
      }
      if (started_ && !procedure_over_) replaying() ? advance_replay() : advance_steps();
      if (replaying() && procedure_over_) break;  // a replay ends with its trace
    }
    finish(replaying() ? now_ : std::min(now_, std::max(horizon, give_up)));
    end_window();
    return std::move(r_);
  }

 private:
  static double peak_hour(const std::vector<model::WorkloadClass>& wl) {
    if (wl.empty() || wl[0].profile.empty()) return 0;
    return static_cast<double>(std::max_element(wl[0].profile.begin(), wl[0].profile.end()) - wl[0].profile.begin());
  }
  double rate(std::uint32_t c, SimTime t) const {  // arrivals per second
    const model::WorkloadClass& wc = s_.system.topology().params.workload[c];
    double f = 1;
    if (!wc.profile.empty()) f = wc.profile[static_cast<std::size_t>(std::fmod(start_hour_ + (to_seconds(t) - o_.warmup_s) / 3600.0 + 48, 24.0))];
    return wc.peak_per_hour * r_.load * f / 3600.0;
  }
  // One clock for every time a run reports: seconds after the procedure start (negative in the warm-up).
  double since_start(SimTime t) const { return to_seconds(t - start_); }
  double offered_erlangs(std::uint32_t c) const {
    if (!offering_) return 0;
    return rate(c, now_) * mean(s_.system.topology().params.workload[c].handle);
  }
  void schedule_arrival(std::uint32_t c, SimTime from) {
    if (max_rate_[c] <= 0) return;
    q_.push(from + std::max<SimTime>(1, from_seconds(rng_arrivals_.exponential(1.0 / max_rate_[c]))), kArrival, c);
  }
  void arrival(std::uint32_t c) {
    if (!offering_) return schedule_arrival(c, now_);  // nobody calls a platform that is off (docs/simulator.md)
    // thinning: candidates at the highest rate, kept with probability rate(t)/max
    if (rng_arrivals_.uniform01() * max_rate_[c] < rate(c, now_)) stations_[c].arrive(now_, q_, rng_handle_, rng_patience_);
    if (stations_[c].queue_depth() > 0 && o_.timeline) counter(3 * c, static_cast<double>(stations_[c].queue_depth()));
    schedule_arrival(c, now_);
  }

  void hash(const Event& e) {
    auto mix = [&](std::uint64_t v) {
      for (int i = 0; i < 8; ++i) h_ = (h_ ^ ((v >> (8 * i)) & 0xFF)) * 0x100000001b3ull;
    };
    mix(static_cast<std::uint64_t>(e.time));
    mix(e.type);
    mix(e.a);
    mix(e.b);
  }

  // Applies compiled move m to the current state; false if not enabled.
  // cause: the record that made it possible (critical chain).
  bool apply(std::uint32_t m, const std::string& why, int cause = CauseLog::kRoot) {
    if (!s_.model.apply(m, cur_.data(), next_.data(), s_.words)) return false;
    cur_.swap(next_);
    const model::Move& mv = *s_.model.moves()[m].move;
    const bool env = m < s_.model.environment_end();
    const char* what = env ? "environment" : mv.move_class == model::MoveClass::Fault ? "fault" : "step";
    causes_.add(what, why.empty() ? mv.label : why, env ? env_ready_at_[m] : now_, now_, cause);
    model_changed(m, why.empty() ? mv.label : why);
    if (mv.move_class == model::MoveClass::Fault && o_.timeline) r_.timeline.instants.push_back({now_, "fault: " + mv.label});
    return true;
  }

  void model_changed(std::uint32_t, const std::string& label) {
    if (o_.timeline) r_.log.push_back(clock_text(since_start(now_)) + " #" + std::to_string(r_.events) + " " + label);
    for (const char c : label) h_ = (h_ ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    replicas_.observe(now_, cur_.data());
    // environment timers: start for newly enabled moves, cancel for disabled ones
    for (std::uint32_t m = 0; m < s_.env_duration.size(); ++m) {
      const bool enabled = s_.model.apply(m, cur_.data(), scratch_.data(), s_.words);
      if (enabled && !env_scheduled_[m] && !env_ready_[m]) {
        double d = sample(s_.env_duration[m], rng_env_);
        if (typical_[m]) d = median(s_.env_duration[m]);
        d = replicas_.delay(m, now_, d);  // a replica connects on its retry phase, then catches up
        if (s_.env_is_boot[m]) d *= o_.slow_boot_factor * slow_boot(s_.env_host[m]);
        env_scheduled_[m] = true;
        env_cause_[m] = causes_.last();
        env_ready_at_[m] = now_;
        q_.push(now_ + std::max<SimTime>(1, from_seconds(d)), kEnvMove, m, ++env_gen_[m]);
      } else if (!enabled) {
        if (env_scheduled_[m]) ++env_gen_[m];
        env_scheduled_[m] = false;
        env_ready_[m] = false;
      }
    }
    // servers in and out of service
    for (std::uint32_t c = 0; c < stations_.size(); ++c) {
      const auto& servers = s_.class_servers[c];
      for (std::uint32_t i = 0; i < servers.size(); ++i) {
        const ServerRef& sv = servers[i];
        bool in = sv.in_service.holds(cur_.data());
        if (sv.router_down && sv.router_down->holds(cur_.data())) in = false;
        if (s_.pinned && sv.router_new && sv.router_new->holds(cur_.data()) != sv.new_edition.holds(cur_.data())) in = false;
        stations_[c].set_server(i, in, sv.up.holds(cur_.data()), now_, q_, rng_handle_);
      }
    }
    sample_metrics();
    check_invariants();
    track_goal();
    if (o_.timeline) update_tracks();
  }

  bool goal_holds() const {
    return std::none_of(s_.goal.begin(), s_.goal.end(), [&](const checker::Clause& c) { return c.violated(cur_.data()); });
  }
  // The goal's latest holding interval; once the commands are done, its start ends the window.
  void track_goal() {
    if (s_.goal.empty()) return;
    const bool holds = goal_holds();
    if (holds && !goal_held_) goal_since_ = now_, goal_rec_ = causes_.last();
    if (holds) offering_ = true;
    goal_held_ = holds;
    if (holds && commands_done_ >= 0 && goal_at_ < 0) goal_at_ = std::max(goal_since_, start_);
  }
  // The run can end: the procedure is over and its goal reached (or it cannot
  // be any more: nothing left to happen on its own).
  bool settled() const {
    if (!procedure_over_) return false;
    if (s_.goal.empty() || goal_at_ >= 0 || !r_.completed || replaying()) return true;
    return std::none_of(env_scheduled_.begin(), env_scheduled_.end(), [](bool b) { return b; });
  }
  // The window's end and the chain of moves that decided it.
  void end_window() {
    if (commands_done_ < 0) return;
    r_.commands_done_s = to_seconds(commands_done_ - start_);
    SimTime end = commands_done_;
    int last = last_done_cause_;
    if (goal_at_ >= 0) {
      r_.goal_s = to_seconds(goal_at_ - start_);
      if (goal_at_ > commands_done_) end = goal_at_, last = goal_rec_;
    }
    r_.procedure_end_s = to_seconds(end);
    r_.window_s = to_seconds(end - start_);
    r_.critical_chain = causes_.chain(last, start_);
  }

  void check_invariants() {
    const auto& always = s_.properties.always;
    for (std::size_t i = 0; i < always.size(); ++i) {
      if (seen_[i] || !always[i].violated(cur_.data())) continue;
      seen_[i] = true;
      const checker::InvariantSpec& spec = *always[i].spec;
      finding(std::string(spec.id), std::string(checker::to_string(spec.severity)), always[i].subject, std::string(spec.reason),
              s_.accepted[static_cast<int>(spec.severity)]);
    }
    if (s_.count_pool) count_pool();
  }

  // The rollout invariants of a pool the checker has no clauses for (docs/simulator.md).
  void count_pool() {
    std::string out;
    unsigned n_out = 0;
    for (std::size_t i = 0; i < s_.pool_in_service.size(); ++i)
      if (!s_.pool_in_service[i].holds(cur_.data())) {
        ++n_out;
        out += (out.empty() ? "" : " + ") + s_.procedure.rollout->servers[i];
      }
    const auto in = static_cast<unsigned>(s_.pool_in_service.size()) - n_out;
    auto report = [&](bool& seen, const char* id) {
      if (seen) return;
      seen = true;
      const checker::InvariantSpec& spec = checker::invariant(id);
      finding(id, std::string(checker::to_string(spec.severity)), out, std::string(spec.reason),
              s_.accepted[static_cast<int>(spec.severity)]);
    };
    if (n_out > s_.pool_max_out) report(pool_too_many_seen_, "rollout.too-many-out");
    if (s_.pool_floor && in < s_.pool_floor) report(pool_floor_seen_, "rollout.below-floor");
  }

  void finding(std::string id, std::string severity, std::string subject, std::string detail, bool accepted = false) {
    if (o_.timeline) r_.timeline.instants.push_back({now_, id + " " + subject});
    r_.findings.push_back(Finding{std::move(id), std::move(severity), std::move(subject), std::move(detail), since_start(now_),
                                  r_.events, accepted});
  }

  void update_tracks() {
    for (std::size_t h = 0; h < s_.hosts.size(); ++h) {
      std::string name = s_.host_status(h, cur_.data());
      if (name == track_name_[h]) continue;
      if (!track_name_[h].empty() && now_ > track_since_[h])
        r_.timeline.slices.push_back({static_cast<std::uint32_t>(h), track_since_[h], now_, track_name_[h]});
      track_name_[h] = std::move(name);
      track_since_[h] = now_;
    }
  }

  void counter(std::uint32_t series, double value) { r_.timeline.samples.push_back({now_, series, value}); }

  void sample_metrics() {
    for (std::uint32_t c = 0; c < stations_.size(); ++c) {
      const double cap = static_cast<double>(stations_[c].capacity_in_service());
      const double load = offered_erlangs(c);
      const double last_cap = capacity_.capacity(c), last_load = capacity_.load(c);
      if (const auto due = capacity_.update(c, now_, cap, load); due && watch_outages()) q_.push(*due, kCapacity, c);
      if (o_.timeline) {
        counter(3 * c, static_cast<double>(stations_[c].queue_depth()));
        if (cap != last_cap || r_.timeline.samples.size() < 4 * stations_.size()) counter(3 * c + 1, cap);
        if (load != last_load || r_.timeline.samples.size() < 4 * stations_.size()) counter(3 * c + 2, load);
      }
    }
  }

  // A capacity outage is the finding of any procedure but a shutdown (whose
  // purpose is to take the service away). Guard on or off alike.
  bool watch_outages() const { return s_.procedure.kind != "shutdown"; }
  void capacity_outage(std::uint32_t c) {
    if (now_ < start_) return q_.push(start_, kCapacity, c);  // the warm-up is not the procedure's doing
    if (!capacity_.outage_due(c, now_)) return;
    char text[256];
    std::snprintf(text, sizeof text,
                  "capacity in service %.0f below the offered load of %.1f Erlangs since %s, longer than the callers' "
                  "patience (median %s): callers abandon",
                  capacity_.capacity(c), capacity_.load(c), clock_text(since_start(*capacity_.below_since(c))).c_str(),
                  duration_text(to_seconds(capacity_.patience(c))).c_str());
    finding("workload.capacity-outage", "outage", r_.classes[c].name, text,
            s_.accepted[static_cast<int>(checker::Severity::Outage)]);
  }

  bool deps_done(const SimStep& s) const {
    for (std::uint32_t d : s.deps)
      if (status_[d] != 2) return false;
    return true;
  }
  bool wait_holds(const SimStep& s) const {
    if (s.wait.empty()) return true;
    if (s.mode == model::Condition::Mode::All)
      return std::all_of(s.wait.begin(), s.wait.end(), [&](const CompiledTerm& t) { return t.holds(cur_.data()); });
    return std::any_of(s.wait.begin(), s.wait.end(), [&](const CompiledTerm& t) { return t.holds(cur_.data()); });
  }
  void tick(std::uint32_t i, SimTime at) {
    if (tick_pending_[i]) return;
    tick_pending_[i] = true;
    q_.push(at, kStepTick, i);
  }

  // The guard: true if the step may go (else it paused or refused).
  bool guard_allows(std::uint32_t i) {
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

  void advance_steps() {
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

  // A step may be issued once the step it waits for last is complete: that completion caused it.
  int issue_cause(const SimStep& st) const {
    int cause = CauseLog::kRoot;
    SimTime latest = -1;
    for (std::uint32_t d : st.deps)
      if (done_at_[d] >= latest) latest = done_at_[d], cause = done_cause_[d];
    return cause;
  }
  // Step i is complete now. Its cause: the move that made its wait hold just
  // now, else the step itself (no wait, or its hold ran out).
  void complete(std::uint32_t i) {
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

  // A boot's duration factor: slow when a scheduled slow_boot waits for this
  // host, or with probability slow_boot_share (the fault stream).
  double slow_boot(std::uint32_t host) {
    bool slow = slow_next_boot_[host];
    slow_next_boot_[host] = false;
    if (o_.slow_boot_share > 0) slow |= rng_faults_.uniform01() < o_.slow_boot_share;
    if (!slow) return 1;
    if (o_.timeline) r_.timeline.instants.push_back({now_, "fault: " + s_.system.topology().hosts[host].alias + ": slow boot"});
    return o_.slow_boot_factor_fault;
  }

  void scheduled_fault(const ScheduledFault& f) {
    if (f.what.rfind("slow_boot ", 0) == 0) {
      auto h = s_.host_index.find(f.what.substr(10));
      if (h == s_.host_index.end()) finding("fault.not-applicable", "warning", f.what, "no such host");
      else slow_next_boot_[h->second] = true;
      return;
    }
    auto m = s_.fault_move(f.what);
    if (!m || !apply(*m, "")) finding("fault.not-applicable", "warning", f.what, "no enabled fault move matches");
  }
  void random_fault() {
    std::vector<std::uint32_t> enabled;
    for (std::uint32_t m = s_.model.environment_end(); m < s_.model.faults_end(); ++m)
      if (s_.model.apply(m, cur_.data(), scratch_.data(), s_.words)) enabled.push_back(m);
    for (const auto& [alias, m] : s_.power_off)
      if (s_.model.apply(m, cur_.data(), scratch_.data(), s_.words)) enabled.push_back(m);
    if (!enabled.empty()) apply(enabled[static_cast<std::size_t>(rng_faults_.uniform01() * static_cast<double>(enabled.size()))], "");
    q_.push(now_ + from_seconds(rng_faults_.exponential(3600.0 / o_.fault_rate_per_hour)), kRandomFault);
  }

  bool replaying() const { return !o_.replay.empty(); }

  // When a step of the procedure may be issued in a replay: after the holds
  // (drains, server restarts) of the steps it comes after.
  SimTime replay_ready_at(std::uint32_t i) const {
    SimTime at = 0;
    for (std::uint32_t d : s_.steps[i].deps)
      at = std::max(at, s_.steps[d].move == kNone ? replay_ready_at(d) : issued_at_[d] + s_.steps[d].hold);
    return at;
  }

  void replay_diverged(const ReplayMove& rm, const std::string& why) {
    finding("replay.diverged", "warning", rm.what + " " + rm.label, why);
    diverged_ = true;
    procedure_over_ = true;
  }

  void advance_replay() {
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

  void finish(SimTime end) {
    now_ = end;
    sample_metrics();
    const bool timed_out = std::find(timed_out_.begin(), timed_out_.end(), true) != timed_out_.end();
    if (!r_.completed && r_.refused.empty() && !diverged_ && !timed_out)
      finding("procedure.stuck", "outage", "", "the procedure did not complete within the simulated time");
    capacity_.finish(end);
    for (const CapacityWatch::Interval& i : capacity_.intervals())
      r_.outages.push_back({r_.classes[i.cls].name, since_start(i.start), since_start(i.end)});
    for (std::uint32_t c = 0; c < stations_.size(); ++c) {
      r_.classes[c].below_capacity_s = capacity_.below_seconds(c);
      fill_metrics(r_.classes[c], stations_[c].stats());
    }
    if (o_.timeline) {
      for (std::size_t h = 0; h < s_.hosts.size(); ++h)
      {
        if (!track_name_[h].empty() && end > track_since_[h])
          r_.timeline.slices.push_back({static_cast<std::uint32_t>(h), track_since_[h], end, track_name_[h]});
        r_.timeline.last.push_back({static_cast<std::uint32_t>(h), track_since_[h], end, track_name_[h]});
      }
    }
    if (o_.timeline)
      for (std::uint32_t i = 0; i < s_.steps.size(); ++i)
        if (status_[i] == 1) r_.timeline.steps.push_back({0, issued_at_[i], end, s_.steps[i].label + " (not complete)"});
    r_.log_hash = h_;
  }

  const Simulator::Impl& s_;
  const Options& o_;
  RunResult r_;
  EventQueue q_;
  SimTime now_ = 0;
  std::vector<Word> cur_, next_, scratch_;
  Rng rng_env_, rng_faults_, rng_arrivals_, rng_handle_, rng_patience_;
  detail::ReplicaTiming replicas_;
  double start_hour_ = 0;
  std::vector<Station> stations_;
  CapacityWatch capacity_;
  std::vector<double> max_rate_;
  std::vector<std::uint64_t> env_gen_;
  std::vector<bool> env_scheduled_, env_ready_, slow_next_boot_;
  std::vector<bool> typical_;  // per environment move: its median instead of its draw
  std::size_t next_replay_ = 0;
  bool diverged_ = false, pool_too_many_seen_ = false, pool_floor_seen_ = false;
  std::vector<std::uint8_t> status_;  // 0 pending, 1 issued, 2 complete
  std::vector<SimTime> issued_at_;
  std::vector<bool> tick_pending_, timed_out_, seen_;
  std::vector<std::string> track_name_;
  std::vector<SimTime> track_since_;
  bool started_ = false, procedure_over_ = false;
  // time to service and the critical chain
  CauseLog causes_;
  std::vector<int> env_cause_, step_rec_, done_cause_;  // records: what enabled / issued / completed it
  std::vector<SimTime> env_ready_at_, done_at_;
  int last_done_cause_ = CauseLog::kRoot, goal_rec_ = CauseLog::kRoot;
  SimTime start_ = 0, commands_done_ = -1, goal_since_ = 0, goal_at_ = -1;
  bool goal_held_ = false;
  bool offering_ = true;  // the workload is offered (a cold start: from the moment service is back)
  std::uint64_t h_ = 0xcbf29ce484222325ull;
};

}  // namespace

RunResult Simulator::run(std::uint64_t seed, const Options& options) const { return Run(*impl_, seed, options).run(); }

}  // namespace acdsim::sim
