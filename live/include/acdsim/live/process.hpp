// Running one child process: posix_spawn with an argv vector (no shell on this
// side), stdin from /dev/null, stdout and stderr captured together, in its own
// process group so that a timeout kills the child and everything it started.
#pragma once
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

// Runs argv[0] (searched in PATH) and waits at most timeout_s seconds.
RunResult run_process(const Argv& argv, double timeout_s);

}  // namespace acdsim::live
