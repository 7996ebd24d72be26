// One simulated run of a procedure (private to the simulator): its event loop, model changes,
// metrics and findings in simulator.cpp; the procedure's steps (dependencies, holds, waits,
// timeouts, the load guard) and the replay of a counterexample in simulated_steps.cpp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "acdsim/sim/engine.hpp"
#include "acdsim/sim/simulator.hpp"
#include "acdsim/sim/station.hpp"
#include "capacity.hpp"
#include "chain.hpp"
#include "compiled_procedure.hpp"
#include "replica_timing.hpp"

namespace acdsim::sim::detail {

enum EventType : std::uint32_t {
  kArrival, kDepart, kAbandon, kEnvMove, kStepTick, kSample, kRandomFault, kScheduledFault, kStart, kCapacity
};

inline constexpr SimTime kSamplePeriod = 10 * kSecond;
inline constexpr SimTime kGuardRetry = 10 * kSecond;

// The state of one run.
class Run {
 public:
  Run(const Simulator::Impl& sim, std::uint64_t seed, const Options& o);
  RunResult run();

 private:
  static double peak_hour(const std::vector<model::WorkloadClass>& wl);
  double rate(std::uint32_t c, SimTime t) const;  // arrivals per second
  // One clock for every time a run reports: seconds after the procedure start (negative in the warm-up).
  double since_start(SimTime t) const { return to_seconds(t - start_); }
  double offered_erlangs(std::uint32_t c) const;
  void schedule_arrival(std::uint32_t c, SimTime from);
  void arrival(std::uint32_t c);
  void hash(const Event& e);
  // Applies compiled move m to the current state; false if not enabled.
  // cause: the record that made it possible (critical chain).
  bool apply(std::uint32_t m, const std::string& why, int cause = CauseLog::kRoot);
  void model_changed(std::uint32_t, const std::string& label);
  bool goal_holds() const;
  // The goal's latest holding interval; once the commands are done, its start ends the window.
  void track_goal();
  // The run can end: the procedure is over and its goal reached (or it cannot
  // be any more: nothing left to happen on its own).
  bool settled() const;
  // The window's end and the chain of moves that decided it.
  void end_window();
  void check_invariants();
  // The rollout invariants of a pool the checker has no clauses for (docs/simulator.md).
  void count_pool();
  void finding(std::string id, std::string severity, std::string subject, std::string detail, bool accepted = false);
  void update_tracks();
  void counter(std::uint32_t series, double value) { r_.timeline.samples.push_back({now_, series, value}); }
  void sample_metrics();
  // A capacity outage is the finding of any procedure but a shutdown (whose
  // purpose is to take the service away). Guard on or off alike.
  bool watch_outages() const { return s_.procedure.kind != "shutdown"; }
  void capacity_outage(std::uint32_t c);
  bool deps_done(const SimStep& s) const;
  bool wait_holds(const SimStep& s) const;
  void tick(std::uint32_t i, SimTime at);
  // The guard: true if the step may go (else it paused or refused).
  bool guard_allows(std::uint32_t i);
  void advance_steps();
  // A step may be issued once the step it waits for last is complete: that completion caused it.
  int issue_cause(const SimStep& st) const;
  // Step i is complete now. Its cause: the move that made its wait hold just
  // now, else the step itself (no wait, or its hold ran out).
  void complete(std::uint32_t i);
  // A boot's duration factor: slow when a scheduled slow_boot waits for this
  // host, or with probability slow_boot_share (the fault stream).
  double slow_boot(std::uint32_t host);
  void scheduled_fault(const ScheduledFault& f);
  void random_fault();
  bool replaying() const { return !o_.replay.empty(); }
  // When a step of the procedure may be issued in a replay: after the holds
  // (drains, server restarts) of the steps it comes after.
  SimTime replay_ready_at(std::uint32_t i) const;
  void replay_diverged(const ReplayMove& rm, const std::string& why);
  void advance_replay();
  void finish(SimTime end);

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

}  // namespace acdsim::sim::detail
