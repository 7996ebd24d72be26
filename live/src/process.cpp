#include "acdsim/live/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

extern char** environ;

namespace acdsim::live {

namespace {

constexpr std::size_t kMaxOutput = 1 << 20;

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

RunResult run_process(const Argv& argv, double timeout_s) {
  RunResult result;
  const auto start = std::chrono::steady_clock::now();
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.spawn_failed = true;
    result.output = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  Fd read_end{pipe_fds[0]}, write_end{pipe_fds[1]};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);  // own group: a timeout kills the whole tree
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);

  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(write_end.fd);
  write_end.fd = -1;
  if (rc != 0) {
    result.spawn_failed = true;
    result.exit_status = 127;
    result.output = "cannot run " + argv[0] + ": " + std::strerror(rc);
    return result;
  }

  const auto deadline = start + std::chrono::duration<double>(timeout_s);
  char buffer[4096];
  int status = 0;
  bool exited = false, eof = false;
  auto drain = [&](int wait_ms) {
    pollfd p{read_end.fd, POLLIN, 0};
    const int n = ::poll(&p, 1, wait_ms);
    if (n <= 0) return false;
    const ssize_t got = ::read(read_end.fd, buffer, sizeof buffer);
    if (got <= 0) {
      if (got == 0 || errno != EINTR) eof = true;
      return false;
    }
    if (result.output.size() < kMaxOutput)
      result.output.append(buffer, std::min<std::size_t>(static_cast<std::size_t>(got), kMaxOutput - result.output.size()));
    return true;
  };
  while (!exited) {
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    if (!eof) drain(20);
    else ::usleep(5000);
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid || (w < 0 && errno != EINTR)) exited = true;
  }
  // The child is gone; what it wrote is in the pipe (a daemon it started may
  // hold the pipe open: take what is there, never wait for its end).
  if (exited)
    while (!eof && drain(0)) {
    }
  if (WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) result.exit_status = 128 + WTERMSIG(status);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace acdsim::live
