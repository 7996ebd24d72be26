#include "acdsim/live/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

extern char** environ;

namespace acdsim::live {

namespace {

constexpr std::size_t kMaxOutput = 1 << 20;

struct Fd {
  int fd = -1;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

thread_local const SpawnHook* spawn_hook = nullptr;

// The executable execve gets: argv[0] itself when it holds a '/', else the
// first executable regular file of that name in PATH (resolved before fork:
// nothing between fork and exec may allocate).
std::string find_program(const std::string& name) {
  auto runnable = [](const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) return runnable(name) ? name : "";
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (runnable(candidate)) return candidate;
  }
  return "";
}

// Every signal back to its default action and none blocked: the guard and the
// command must not run acdsim's handlers (async-signal-safe calls only).
void default_signals() {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; ++s) ::sigaction(s, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

// The guard: a process between acdsim and the command, leader of the
// command's process group. It ends with the command's status; when acdsim dies
// (its end of the lifeline closes: exit, crash, SIGINT, SIGTERM or kill -9) it
// kills the whole group, itself included, so no command outlives the run that
// journals it. Only async-signal-safe calls from here on.
[[noreturn]] void guard(const char* path, char* const* args, int lifeline, int out, int null_in) {
  ::setpgid(0, 0);
  default_signals();
  const pid_t self = ::getpid();
  // vfork: the guard is a copy of acdsim, whose page tables (after a big check)
  // need not be copied once more; the child only execs or exits.
  const pid_t child = ::vfork();
  if (child == 0) {
    // If the guard itself is killed, the command goes with it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != self) ::_exit(127);
    ::dup2(null_in, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::close_range(3, ~0U, 0);
    ::execve(path, args, environ);
    static const char msg[] = "acdsim: cannot execute the command\n";
    (void)!::write(2, msg, sizeof msg - 1);
    ::_exit(127);
  }
  if (child < 0) ::_exit(127);
  // Keep only the lifeline: the output pipe must close when the command's side does.
  if (lifeline > 3) ::close_range(3, static_cast<unsigned>(lifeline) - 1, 0);
  ::close_range(static_cast<unsigned>(lifeline) + 1, ~0U, 0);
  // A pidfd (Linux 5.3+) wakes the guard the moment the command ends; without
  // one it looks every 50 ms.
  const int child_fd = static_cast<int>(::syscall(SYS_pidfd_open, child, 0));
  for (;;) {
    pollfd p[2] = {{lifeline, POLLIN, 0}, {child_fd, POLLIN, 0}};
    if (::poll(p, child_fd >= 0 ? 2 : 1, 50) > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) ::kill(0, SIGKILL);
    int status = 0;
    const pid_t w = ::waitpid(child, &status, WNOHANG);
    if (w == child) {
      if (WIFEXITED(status)) ::_exit(WEXITSTATUS(status));
      ::_exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 127);
    }
    if (w < 0 && errno != EINTR) ::_exit(127);
  }
}

}  // namespace

namespace {

struct ProcStat {
  char state = '?';
  long pgrp = 0;
  unsigned long long start_ticks = 0;
};

// /proc/PID/stat: "PID (comm) S PPID PGRP ..."; comm may hold blanks and
// parentheses, so fields are counted after the last ')'. Field 22: start time.
std::optional<ProcStat> read_stat(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return std::nullopt;
  const std::size_t close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  ProcStat out;
  for (int n = 3; fields >> field; ++n) {
    if (n == 3) out.state = field.empty() ? '?' : field[0];
    else if (n == 5) out.pgrp = std::strtol(field.c_str(), nullptr, 10);
    else if (n == 22) {
      out.start_ticks = std::strtoull(field.c_str(), nullptr, 10);
      return out;
    }
  }
  return std::nullopt;
}

bool dead(const ProcStat& s) { return s.state == 'Z' || s.state == 'X'; }

}  // namespace

std::optional<ProcessIdentity> identify_process(long pid) {
  if (pid <= 0) return std::nullopt;
  const auto s = read_stat(std::to_string(pid));
  if (!s) return std::nullopt;
  return ProcessIdentity{pid, s->start_ticks};
}

bool process_group_alive(const ProcessIdentity& leader) {
  if (leader.pid <= 0) return false;
  if (const auto s = read_stat(std::to_string(leader.pid))) {
    if (s->start_ticks != leader.start_ticks) return false;  // the pid is another process's now
    if (!dead(*s)) return true;
  }
  // The leader is gone (or a zombie nobody reaped); members of its group may
  // remain: a group's number is not given to a new process while it has any.
  // Zombies are killed processes whose parent has not reaped them: not running.
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (const auto s = read_stat(name); s && s->pgrp == leader.pid && !dead(*s)) return true;
  }
  return false;
}

SpawnHookScope::SpawnHookScope(const SpawnHook& hook) : previous_(spawn_hook) { spawn_hook = &hook; }
SpawnHookScope::~SpawnHookScope() { spawn_hook = previous_; }

RunResult run_process(const Argv& argv, double timeout_s) {
  RunResult result;
  const auto start = std::chrono::steady_clock::now();
  const std::string path = argv.empty() ? "" : find_program(argv[0]);
  if (path.empty()) {
    result.spawn_failed = true;
    result.exit_status = 127;
    result.output = "cannot run " + (argv.empty() ? std::string("an empty command") : argv[0]) + ": " + std::strerror(ENOENT);
    return result;
  }
  int pipe_fds[2], life_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.spawn_failed = true;
    result.output = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  Fd read_end{pipe_fds[0]}, write_end{pipe_fds[1]};
  if (::pipe2(life_fds, O_CLOEXEC) != 0) {
    result.spawn_failed = true;
    result.output = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  // acdsim holds the write end until the guard is reaped; it closes when acdsim dies.
  Fd life_read{life_fds[0]}, life_write{life_fds[1]};
  Fd null_in{::open("/dev/null", O_RDONLY | O_CLOEXEC)};

  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) guard(path.c_str(), args.data(), life_read.fd, write_end.fd, null_in.fd);
  if (pid > 0) ::setpgid(pid, pid);  // as the guard does: the group exists before any kill below
  write_end.reset();
  life_read.reset();
  null_in.reset();
  if (pid < 0) {
    result.spawn_failed = true;
    result.exit_status = 127;
    result.output = "cannot run " + argv[0] + ": " + std::strerror(errno);
    return result;
  }
  // The guard's pid is the command's process group; with its start time it
  // cannot be mistaken for a recycled pid (the journal records both).
  if (spawn_hook && *spawn_hook)
    if (const auto id = identify_process(pid)) (*spawn_hook)(*id);

  // A timeout that is not a finite positive number would never expire: such a
  // value is refused when read (inventory, options); here it is zero.
  const double bounded = timeout_s > 0 && timeout_s <= kMaxProcessTimeoutS ? timeout_s : 0;
  const auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(bounded));
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
