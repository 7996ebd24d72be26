#include "acdsim/live/process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

using namespace acdsim::live;

TEST(RunProcess, CapturesOutputAndExitStatus) {
  const RunResult r = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"}, 10);
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_FALSE(r.timed_out);
  EXPECT_NE(r.output.find("out"), std::string::npos);
  EXPECT_NE(r.output.find("err"), std::string::npos);
}

TEST(RunProcess, ArgumentsAreNotInterpretedByAShell) {
  const RunResult r = run_process({"echo", "$(id)", ";", "`id`"}, 10);
  EXPECT_EQ(r.output, "$(id) ; `id`\n");
}

TEST(RunProcess, KillsTheChildAndItsChildrenOnTimeout) {
  const RunResult r = run_process({"sh", "-c", "sleep 30 & sleep 30"}, 0.3);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_status, 128 + 9);
}

TEST(RunProcess, MissingProgramIsReportedNotThrown) {
  const RunResult r = run_process({"/nonexistent/acdsim-no-such-program"}, 5);
  EXPECT_TRUE(r.spawn_failed);
  EXPECT_EQ(r.exit_status, 127);
}

TEST(RunProcess, ADaemonKeepingThePipeOpenDoesNotBlock) {
  // The child exits at once; its background child holds stdout for 3 s.
  const RunResult r = run_process({"sh", "-c", "echo started; (sleep 3 &) ; exit 0"}, 10);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_NE(r.output.find("started"), std::string::npos);
}

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool gone_within(pid_t pid, double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
    // Killed but not yet reaped by whoever adopted it: a zombie is dead too.
    const std::string stat = read_all("/proc/" + std::to_string(pid) + "/stat");
    if (const auto close = stat.rfind(") "); close != std::string::npos && stat[close + 2] == 'Z') return true;
    ::usleep(20000);
  }
  return false;
}

// acdsim (here: a forked copy of the test) runs a command that leaves a
// process in its group, and is killed with SIGNAL mid-command. Returns the pid
// of that process once acdsim is dead.
pid_t orphan_after_killing_acdsim(int signal, const std::string& dir) {
  const std::string pid_file = dir + "/pid";
  std::remove(pid_file.c_str());
  const pid_t acdsim = ::fork();
  if (acdsim == 0) {
    (void)run_process({"sh", "-c", "sleep 30 & echo $! > " + pid_file + "; wait"}, 60);
    ::_exit(0);
  }
  std::string pid;
  for (int i = 0; i < 250 && (pid = read_all(pid_file)).empty(); ++i) ::usleep(20000);
  ::kill(acdsim, signal);
  ::waitpid(acdsim, nullptr, 0);
  return pid.empty() ? 0 : static_cast<pid_t>(std::stol(pid));
}

}  // namespace

// Before the guard, the command's process group survived acdsim's death and a
// resume ran the command again while it still ran.
TEST(RunProcess, TheCommandAndItsGroupDieWhenAcdsimIsKilled) {
  const std::string dir = testing::TempDir();
  for (int signal : {SIGKILL, SIGTERM, SIGINT}) {
    const pid_t orphan = orphan_after_killing_acdsim(signal, dir);
    ASSERT_GT(orphan, 0) << "signal " << signal;
    EXPECT_TRUE(gone_within(orphan, 3)) << "the command's process survived acdsim's signal " << signal;
  }
}

TEST(RunProcess, TheSpawnHookGetsTheGroupLeaderWithItsStartTime) {
  std::optional<ProcessIdentity> seen;
  bool alive_while_running = false;
  const SpawnHook hook = [&](const ProcessIdentity& id) {
    seen = id;
    alive_while_running = process_group_alive(id);
  };
  {
    const SpawnHookScope scope(hook);
    EXPECT_EQ(run_process({"sleep", "0.3"}, 10).exit_status, 0);  // still running when the hook looks
  }
  ASSERT_TRUE(seen);
  EXPECT_TRUE(alive_while_running);
  EXPECT_FALSE(process_group_alive(*seen));
  // The same pid with another start time is another process (a recycled pid).
  const ProcessIdentity self = *identify_process(::getpid());
  EXPECT_TRUE(process_group_alive(self));
  EXPECT_FALSE(process_group_alive({self.pid, self.start_ticks + 1}));
  // Out of scope: no hook.
  seen.reset();
  (void)run_process({"true"}, 10);
  EXPECT_FALSE(seen);
}

TEST(RunProcess, ATimeoutThatIsNotAFinitePositiveNumberNeverWaitsForEver) {
  for (double t : {std::nan(""), -1.0, 1e300}) {
    const RunResult r = run_process({"sleep", "30"}, t);
    EXPECT_TRUE(r.timed_out) << t;
    EXPECT_LT(r.seconds, 5) << t;
  }
}
