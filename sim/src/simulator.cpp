#include "acdsim/sim/simulator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "simulated_run.hpp"

namespace acdsim::sim {
namespace detail {
namespace {

// How long each class may be below capacity before it is a capacity outage: its callers' median patience.
std::vector<SimTime> patience_of(const model::Topology& t) {
  std::vector<SimTime> out;
  for (const model::WorkloadClass& wc : t.params.workload) out.push_back(from_seconds(median(wc.patience)));
  return out;
}

}  // namespace

Run::Run(const Simulator::Impl& sim, std::uint64_t seed, const Options& o)
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

RunResult Run::run() {
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



double Run::peak_hour(const std::vector<model::WorkloadClass>& wl) {
  if (wl.empty() || wl[0].profile.empty()) return 0;
  return static_cast<double>(std::max_element(wl[0].profile.begin(), wl[0].profile.end()) - wl[0].profile.begin());
}

double Run::rate(std::uint32_t c, SimTime t) const {  // arrivals per second
  const model::WorkloadClass& wc = s_.system.topology().params.workload[c];
  double f = 1;
  if (!wc.profile.empty()) f = wc.profile[static_cast<std::size_t>(std::fmod(start_hour_ + (to_seconds(t) - o_.warmup_s) / 3600.0 + 48, 24.0))];
  return wc.peak_per_hour * r_.load * f / 3600.0;
}

double Run::offered_erlangs(std::uint32_t c) const {
  if (!offering_) return 0;
  return rate(c, now_) * mean(s_.system.topology().params.workload[c].handle);
}

void Run::schedule_arrival(std::uint32_t c, SimTime from) {
  if (max_rate_[c] <= 0) return;
  q_.push(from + std::max<SimTime>(1, from_seconds(rng_arrivals_.exponential(1.0 / max_rate_[c]))), kArrival, c);
}

void Run::arrival(std::uint32_t c) {
  if (!offering_) return schedule_arrival(c, now_);  // nobody calls a platform that is off (docs/simulator.md)
  // thinning: candidates at the highest rate, kept with probability rate(t)/max
  if (rng_arrivals_.uniform01() * max_rate_[c] < rate(c, now_)) stations_[c].arrive(now_, q_, rng_handle_, rng_patience_);
  if (stations_[c].queue_depth() > 0 && o_.timeline) counter(3 * c, static_cast<double>(stations_[c].queue_depth()));
  schedule_arrival(c, now_);
}

void Run::hash(const Event& e) {
  auto mix = [&](std::uint64_t v) {
    for (int i = 0; i < 8; ++i) h_ = (h_ ^ ((v >> (8 * i)) & 0xFF)) * 0x100000001b3ull;
  };
  mix(static_cast<std::uint64_t>(e.time));
  mix(e.type);
  mix(e.a);
  mix(e.b);
}

bool Run::apply(std::uint32_t m, const std::string& why, int cause) {
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

void Run::model_changed(std::uint32_t, const std::string& label) {
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

bool Run::goal_holds() const {
  return std::none_of(s_.goal.begin(), s_.goal.end(), [&](const checker::Clause& c) { return c.violated(cur_.data()); });
}

void Run::track_goal() {
  if (s_.goal.empty()) return;
  const bool holds = goal_holds();
  if (holds && !goal_held_) goal_since_ = now_, goal_rec_ = causes_.last();
  if (holds) offering_ = true;
  goal_held_ = holds;
  if (holds && commands_done_ >= 0 && goal_at_ < 0) goal_at_ = std::max(goal_since_, start_);
}

bool Run::settled() const {
  if (!procedure_over_) return false;
  if (s_.goal.empty() || goal_at_ >= 0 || !r_.completed || replaying()) return true;
  return std::none_of(env_scheduled_.begin(), env_scheduled_.end(), [](bool b) { return b; });
}

void Run::end_window() {
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

void Run::check_invariants() {
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

void Run::count_pool() {
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

void Run::finding(std::string id, std::string severity, std::string subject, std::string detail, bool accepted) {
  if (o_.timeline) r_.timeline.instants.push_back({now_, id + " " + subject});
  r_.findings.push_back(Finding{std::move(id), std::move(severity), std::move(subject), std::move(detail), since_start(now_),
                                r_.events, accepted});
}

void Run::update_tracks() {
  for (std::size_t h = 0; h < s_.hosts.size(); ++h) {
    std::string name = s_.host_status(h, cur_.data());
    if (name == track_name_[h]) continue;
    if (!track_name_[h].empty() && now_ > track_since_[h])
      r_.timeline.slices.push_back({static_cast<std::uint32_t>(h), track_since_[h], now_, track_name_[h]});
    track_name_[h] = std::move(name);
    track_since_[h] = now_;
  }
}

void Run::sample_metrics() {
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

void Run::capacity_outage(std::uint32_t c) {
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

double Run::slow_boot(std::uint32_t host) {
  bool slow = slow_next_boot_[host];
  slow_next_boot_[host] = false;
  if (o_.slow_boot_share > 0) slow |= rng_faults_.uniform01() < o_.slow_boot_share;
  if (!slow) return 1;
  if (o_.timeline) r_.timeline.instants.push_back({now_, "fault: " + s_.system.topology().hosts[host].alias + ": slow boot"});
  return o_.slow_boot_factor_fault;
}

void Run::scheduled_fault(const ScheduledFault& f) {
  if (f.what.rfind("slow_boot ", 0) == 0) {
    auto h = s_.host_index.find(f.what.substr(10));
    if (h == s_.host_index.end()) finding("fault.not-applicable", "warning", f.what, "no such host");
    else slow_next_boot_[h->second] = true;
    return;
  }
  auto m = s_.fault_move(f.what);
  if (!m || !apply(*m, "")) finding("fault.not-applicable", "warning", f.what, "no enabled fault move matches");
}

void Run::random_fault() {
  std::vector<std::uint32_t> enabled;
  for (std::uint32_t m = s_.model.environment_end(); m < s_.model.faults_end(); ++m)
    if (s_.model.apply(m, cur_.data(), scratch_.data(), s_.words)) enabled.push_back(m);
  for (const auto& [alias, m] : s_.power_off)
    if (s_.model.apply(m, cur_.data(), scratch_.data(), s_.words)) enabled.push_back(m);
  if (!enabled.empty()) apply(enabled[static_cast<std::size_t>(rng_faults_.uniform01() * static_cast<double>(enabled.size()))], "");
  q_.push(now_ + from_seconds(rng_faults_.exponential(3600.0 / o_.fault_rate_per_hour)), kRandomFault);
}

void Run::finish(SimTime end) {
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

}  // namespace detail

RunResult Simulator::run(std::uint64_t seed, const Options& options) const { return detail::Run(*impl_, seed, options).run(); }

}  // namespace acdsim::sim
