// Timed runs of a procedure over the model: the same System moves the
// checker explores, each environment move taking a duration drawn from the
// topology, with a workload of calls and web sessions queued at the router,
// faults from their own stream, the checker's invariants monitored on every
// state, and metrics plus a timeline for Chrome traces. See docs/simulator.md.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acdsim/model/procedure.hpp"
#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/sim/engine.hpp"

namespace acdsim::sim {

struct ScheduledFault {
  double at_s = 0;    // after the procedure starts
  std::string what;   // a fault move whose label contains this ("acd-jb1: VM crashes"), or "power_off <host>"
};

// One move of a checker counterexample, as its trace names it.
struct ReplayMove {
  std::string what;   // "step", "environment" or "fault"
  std::string label;  // "boot-jb: power_on acd-jb1", "acd-jb1: boot complete"
};

struct Options {
  std::optional<double> load;        // fraction of the workload's peak; default: the procedure's, else 1.0
  std::optional<double> start_hour;  // hour of day at the procedure start; default: the first class's peak hour
  double warmup_s = 600;             // workload alone before the procedure starts
  double horizon_s = 3600;           // workload after the procedure starts (runs longer while the procedure does)
  double max_procedure_s = 6 * 3600; // give up (procedure.stuck) after this long
  double fault_rate_per_hour = 0;    // random faults among the enabled fault moves
  std::vector<ScheduledFault> faults;
  double slow_boot_factor = 1;       // VM boots take this many times longer (all of them)
  double slow_boot_share = 0;        // each VM boot is slow (x slow_boot_factor_fault) with this probability (fault stream)
  double slow_boot_factor_fault = 5; // how much longer a slow boot (fault) takes
  std::optional<double> guard_threshold;  // overrides the rollout's load-aware guard; 0 turns it off
  bool timeline = true;              // record slices, counters, instants and the model event log
  std::optional<model::Snapshot> initial_state;
  // Non-empty: replay these moves in order instead of running the procedure's
  // steps; each environment move completes when its drawn duration is over,
  // a step waits for the holds (drains) of the steps it comes after. The run
  // ends with the last move (or where the trace no longer applies: replay.diverged).
  std::vector<ReplayMove> replay;
  // Timing made plain: every environment move (typical_all) or those with
  // these labels takes its distribution's median instead of its draw (drawn
  // anyway, so the other moves keep theirs). acdsim fuzz shrinks timing so.
  bool typical_all = false;
  std::vector<std::string> typical;
};

struct ReplayedMove {
  double time_s;  // after the procedure (replay) started
  std::string what, label;
};

struct ClassMetrics {
  std::string name;
  double offered_erlangs_peak = 0;  // mean concurrent work at the run's highest rate
  std::uint64_t offered = 0, served = 0, queued = 0, abandoned = 0, dropped = 0;
  std::size_t max_queue = 0;
  double wait_mean_s = 0, wait_p50_s = 0, wait_p95_s = 0, wait_p99_s = 0;
  double below_capacity_s = 0;  // in-service capacity below the offered load
};

struct Finding {
  std::string id, severity, subject, detail;
  double time_s = 0;  // simulated time
  std::uint64_t event_index = 0;
  bool accepted = false;  // a severity the procedure accepts
};

struct Outage {
  std::string cls;
  double start_s = 0, end_s = 0;
};

struct Timeline {
  std::vector<std::string> tracks;  // one per host
  struct Slice {
    std::uint32_t track;
    SimTime start, end;
    std::string name;
  };
  std::vector<Slice> slices;
  std::vector<std::string> series;  // counter names
  struct Sample {
    SimTime time;
    std::uint32_t series;
    double value;
  };
  std::vector<Sample> samples;
  struct Instant {
    SimTime time;
    std::string name;
  };
  std::vector<Instant> instants;
  // The procedure's steps: issued (start) to complete (end); steps not
  // complete by the end of the run end there with "(not complete)".
  std::vector<Slice> steps;  // track unused (0)
  // Each host's state at the end of the run, from when it began (it lasts
  // beyond the run: a chart may draw it to its right edge).
  std::vector<Slice> last;
};

// One link of a run's critical chain (systemd-analyze critical-chain): a move
// and when it became possible (a step issued, an environment move enabled:
// its duration runs from there) and happened. Seconds after the procedure start.
struct ChainLink {
  std::string what;   // "step", "check", "environment" or "fault"
  std::string label;  // "boot-jb: power_on acd-jb1", "acd-jb1/jboss: deploy complete"
  double ready_s = 0, at_s = 0;
};

struct RunResult {
  std::uint64_t seed = 0;
  double load = 1;
  bool completed = false;         // every step done
  std::string refused;            // load-aware guard refused the rollout: why, with the numbers
  std::vector<std::string> pauses;  // guard pauses before a group
  double procedure_start_s = 0, procedure_end_s = 0;
  // The window ends when the commands are done AND the procedure's goal holds
  // (startup, failover, failback, rollout: every service healthy, the
  // checker's goal.healthy; shutdown: every VM off); kinds without a goal end
  // with the commands. Times after the procedure start.
  std::string goal;                    // "service back", "all off" or "" (maintenance)
  std::optional<double> commands_done_s;  // the last step complete
  std::optional<double> goal_s;        // the goal holds from here to the end of the window; none: not within the run
  double window_s = 0;                 // procedure end - start: max(commands done, goal)
  std::vector<ChainLink> critical_chain;  // first cause first; its last link decided the end of the window
  std::vector<ClassMetrics> classes;
  std::vector<Finding> findings;
  std::vector<Outage> outages;
  std::uint64_t events = 0;
  std::uint64_t log_hash = 0;     // FNV-1a over every event: equal seeds and inputs give equal hashes
  std::vector<ReplayedMove> replayed;  // replay runs: when each move of the trace happened
  std::vector<std::string> log;   // model-level events (with timeline)
  Timeline timeline;
};

class Simulator {
 public:
  Simulator(const model::Procedure& procedure, const model::Topology& topology);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Thread-safe: runs share only immutable compiled data.
  RunResult run(std::uint64_t seed, const Options& options = {}) const;

  const model::Procedure& procedure() const;
  const model::System& system() const;
  // Labels of the environment moves, for Options::typical.
  std::vector<std::string> environment_labels() const;
  // Labels of the fault moves, for Options::faults ("power_off HOST" and
  // "slow_boot HOST" name a host).
  std::vector<std::string> fault_labels() const;
  // Empty if every label and host the options name exists in this model; else
  // what does not, with the valid choices (the CLI's exit 2).
  std::string invalid_options(const Options& options) const;

  struct Impl;  // compiled model, steps, workload wiring (simulator.cpp)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace acdsim::sim
