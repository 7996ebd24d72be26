// Running one child process: an argv vector (no shell on this side), stdin
// from /dev/null, stdout and stderr captured together, in its own process
// group so that a timeout kills the child and everything it started. A small
// guard process leads that group and kills it when acdsim dies (exit, crash,
// SIGINT, SIGTERM, kill -9): no command outlives the run that journals it.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "acdsim/live/command.hpp"

namespace acdsim::live {

struct RunResult {
  int exit_status = -1;   // exit code; 128+N when killed by signal N
  bool timed_out = false; // killed after the timeout
  bool spawn_failed = false;
  std::string output;     // stdout and stderr interleaved (at most 1 MiB kept)
  double seconds = 0;
};

// The longest timeout run_process honours (one year, as every duration read);
// a timeout that is not in (0, this] kills the command at once.
inline constexpr double kMaxProcessTimeoutS = 365.0 * 24 * 3600;

// Runs argv[0] (searched in PATH) and waits at most timeout_s seconds.
RunResult run_process(const Argv& argv, double timeout_s);

// A process told apart from a later one with the same pid: its start time
// (field 22 of /proc/PID/stat, clock ticks since boot).
struct ProcessIdentity {
  long pid = 0;
  unsigned long long start_ticks = 0;
};
std::optional<ProcessIdentity> identify_process(long pid);
// Whether the process group this identity leads still has a member: the leader
// itself (same start time: not a recycled pid) or any process left in its group.
bool process_group_alive(const ProcessIdentity& leader);

// Called by run_process on this thread, once the command's group leader exists
// (the executor journals it before the command can finish).
using SpawnHook = std::function<void(const ProcessIdentity&)>;
class SpawnHookScope {
 public:
  explicit SpawnHookScope(const SpawnHook& hook);
  ~SpawnHookScope();
  SpawnHookScope(const SpawnHookScope&) = delete;
  SpawnHookScope& operator=(const SpawnHookScope&) = delete;

 private:
  const SpawnHook* previous_;
};

}  // namespace acdsim::live
