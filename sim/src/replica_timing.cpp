#include "replica_timing.hpp"

#include <algorithm>

#include "acdsim/model/replication.hpp"
#include "acdsim/model/service.hpp"

namespace acdsim::sim::detail {

namespace replication = model::replication;

ReplicaTiming::ReplicaTiming(const Simulator::Impl& sim) : by_move_(sim.model.environment_end(), -1) {
  const model::System& system = sim.system;
  const model::Topology& t = system.topology();
  for (std::uint32_t m = 0; m < sim.model.environment_end(); ++m) {
    const model::Participant& p = sim.model.moves()[m].move->participants.front();
    if (system.kind(p.component) != model::KindId::Replication ||
        p.event != static_cast<model::EventId>(replication::Event::Connected))
      continue;
    const model::ComponentRef& ref = system.component(p.component);
    Replica r;
    r.move = m;
    auto pred = [&](replication::Pred q) { return sim.pred(p.component, static_cast<model::PredicateId>(q)); };
    r.connecting = pred(replication::Pred::Connecting);
    r.streaming = pred(replication::Pred::IoRunning);
    // The same rule the model's master_running fact reads (the master's mysql Running).
    const model::FactRule& rule = system.fact_rules(p.component)[0];
    static_assert(replication::fact::kMasterRunning == 1u);
    for (const model::Term& term : rule.terms) r.master_running.push_back(sim.model.term(term));
    const std::string master = ref.name.substr(ref.name.find(':') + 1);
    for (const model::ReplicationLink& link : t.replication)
      if (link.master == master && link.replica == ref.host) {
        r.retry = std::max<SimTime>(1, from_seconds(link.connect_retry_s));
        r.catch_up_ratio = link.catch_up_ratio;
      }
    by_move_[m] = static_cast<std::int32_t>(replicas_.size());
    replicas_.push_back(std::move(r));
  }
}

bool ReplicaTiming::master_running(const Replica& r, const Word* state) const {
  return std::any_of(r.master_running.begin(), r.master_running.end(), [&](const CompiledTerm& c) { return c.holds(state); });
}

void ReplicaTiming::observe(SimTime now, const Word* state) {
  const double elapsed = to_seconds(now - last_);
  last_ = now;
  for (Replica& r : replicas_) {
    // The interval just past, in the previous state: the master wrote, this replica missed it.
    if (!r.was_streaming && r.master_was_running) r.behind_s += elapsed;
    const bool connecting = r.connecting.holds(state), streaming = r.streaming.holds(state);
    const bool master = master_running(r, state);
    if (connecting && !r.was_connecting) {
      // The IO thread (re)starts now: server start, START SLAVE, or a lost master
      // noticed (its immediate reconnect fails; the next ones follow the new phase).
      r.anchor = now;
      r.attempt_at.reset();
    } else if (connecting && !master) {
      // Connected and catching up when the master went: noticed at once, a new phase.
      if (r.attempt_at && *r.attempt_at <= now && r.master_was_running) r.anchor = now;
      r.attempt_at.reset();
    }
    if (streaming) r.behind_s = 0;
    if (!connecting) r.attempt_at.reset();
    r.was_connecting = connecting;
    r.was_streaming = streaming;
    r.master_was_running = master;
  }
}

SimTime ReplicaTiming::next_attempt(SimTime anchor, SimTime retry, SimTime now) {
  if (now <= anchor) return anchor;
  const SimTime k = (now - anchor + retry - 1) / retry;  // the first attempt not before now
  return anchor + k * retry;
}

double ReplicaTiming::delay(std::uint32_t m, SimTime now, double base) {
  if (m >= by_move_.size() || by_move_[m] < 0) return base;
  Replica& r = replicas_[static_cast<std::size_t>(by_move_[m])];
  const SimTime attempt = next_attempt(r.anchor, r.retry, now);
  r.attempt_at = attempt;
  const double wait = to_seconds(attempt - now);
  // Behind at the attempt: so far, plus the wait (the master runs: the move is enabled).
  const double behind = r.behind_s + wait;
  return wait + base + r.catch_up_ratio * behind;
}

}  // namespace acdsim::sim::detail
