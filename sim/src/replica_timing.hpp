// When a MySQL replica's IO thread connects and catches up, as MariaDB does
// it (shared/DOMAIN.md 4, measured on MariaDB 10.11; tests/live/
// replica_retry_test.sh checks it against two real servers):
// - the IO thread tries at once when it starts (server start or START SLAVE),
//   then every connect-retry seconds from there: start + k x retry, phase-locked;
// - a master that stops under a connected replica is noticed at once (one
//   immediate failed reconnect), then retries at loss + k x retry;
// - connected is not healthy: the replica then applies what it missed. The
//   model's "IO thread connects" move happens when it is caught up
//   (Seconds_Behind_Master 0): the connect attempt + the `replication.connected`
//   duration + catch_up_ratio x the seconds the master ran without this replica.
// One object per run; the simulator calls observe() on every model change and
// delay() when a replica's connect move becomes enabled. docs/simulator.md.
#pragma once
#include <optional>
#include <vector>

#include "compiled_procedure.hpp"

namespace acdsim::sim::detail {

class ReplicaTiming {
 public:
  explicit ReplicaTiming(const Simulator::Impl& sim);

  // Notes what changed since the last call (now: the time of this state).
  void observe(SimTime now, const Word* state);
  // The delay of environment move m, enabled now, whose drawn duration is
  // base: unchanged unless m is a replica's connect move.
  double delay(std::uint32_t m, SimTime now, double base);

  // The next connect attempt at or after now of a thread whose retries are
  // anchored at anchor (phase-locked; exposed for the unit tests).
  static SimTime next_attempt(SimTime anchor, SimTime retry, SimTime now);

 private:
  struct Replica {
    std::uint32_t move;  // the compiled "IO thread connects" move
    CompiledTerm connecting, streaming;
    std::vector<CompiledTerm> master_running;  // any holds: the master's server runs
    SimTime retry = 60 * kSecond;
    double catch_up_ratio = 0;
    // run state
    bool was_connecting = false, was_streaming = false, master_was_running = false;
    SimTime anchor = 0;                 // retries at anchor + k x retry
    std::optional<SimTime> attempt_at;  // the attempt that succeeds (the move is scheduled)
    double behind_s = 0;                // master running while this replica was not streaming
  };
  bool master_running(const Replica& r, const Word* state) const;

  std::vector<Replica> replicas_;
  std::vector<std::int32_t> by_move_;  // environment move -> index in replicas_, or -1
  SimTime last_ = 0;
};

}  // namespace acdsim::sim::detail
