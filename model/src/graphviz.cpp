// Running Graphviz `dot` as a filter: DOT text on its standard input, the
// rendering on its standard output. Spawned directly (posix_spawnp, no shell);
// standard input is a socket so that a `dot` that exits early makes send()
// fail instead of raising SIGPIPE in the caller.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "acdsim/model/dot.hpp"

extern char** environ;

namespace acdsim::model {
namespace {

constexpr auto kTimeout = std::chrono::seconds(60);  // a topology renders in well under a second

struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

bool make_pipe(Fd& read_end, Fd& write_end) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return false;
  read_end.fd = p[0], write_end.fd = p[1];
  return true;
}

bool make_socket_pair(Fd& ours, Fd& theirs) {
  int p[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p) != 0) return false;
  ours.fd = p[0], theirs.fd = p[1];
  return true;
}

std::string first_lines(const std::string& text) {
  std::string out = text.substr(0, 600);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

std::optional<std::string> render_dot(const std::string& dot, const std::string& format, std::string& error) {
  Fd in_ours, in_theirs, out_read, out_write, err_read, err_write;
  if (!make_socket_pair(in_ours, in_theirs) || !make_pipe(out_read, out_write) || !make_pipe(err_read, err_write)) {
    error = std::string("cannot run Graphviz 'dot': ") + std::strerror(errno);
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_theirs.fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.fd, 2);
  const std::string type = "-T" + format;
  std::vector<char*> argv = {const_cast<char*>("dot"), const_cast<char*>(type.c_str()), nullptr};
  pid_t pid = -1;
  const int spawned = ::posix_spawnp(&pid, "dot", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    error = spawned == ENOENT ? std::string(kDotMissing)
                              : std::string("cannot run Graphviz 'dot': ") + std::strerror(spawned);
    return std::nullopt;
  }
  in_theirs.reset(), out_write.reset(), err_write.reset();

  std::string out, err;
  std::size_t sent = 0;
  if (dot.empty()) in_ours.reset();
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  bool timed_out = false;
  while (out_read.fd >= 0 || err_read.fd >= 0) {
    std::vector<pollfd> fds;
    if (in_ours.fd >= 0) fds.push_back({in_ours.fd, POLLOUT, 0});
    if (out_read.fd >= 0) fds.push_back({out_read.fd, POLLIN, 0});
    if (err_read.fd >= 0) fds.push_back({err_read.fd, POLLIN, 0});
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;
    for (const pollfd& p : fds) {
      if (!p.revents) continue;
      if (p.fd == in_ours.fd) {
        const ssize_t n = ::send(p.fd, dot.data() + sent, dot.size() - sent, MSG_NOSIGNAL);
        if (n > 0) sent += static_cast<std::size_t>(n);
        if (n < 0 && errno != EAGAIN && errno != EINTR) in_ours.reset();  // dot stopped reading: its stderr says why
        else if (sent == dot.size()) in_ours.reset();
        continue;
      }
      Fd& source = p.fd == out_read.fd ? out_read : err_read;
      char buffer[65536];
      const ssize_t n = ::read(p.fd, buffer, sizeof buffer);
      if (n > 0) (p.fd == out_read.fd ? out : err).append(buffer, static_cast<std::size_t>(n));
      else if (n == 0 || (errno != EINTR && errno != EAGAIN)) source.reset();
    }
  }
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    error = "Graphviz 'dot' did not finish within " + std::to_string(kTimeout.count()) + " s";
    return std::nullopt;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    error = "Graphviz 'dot -" + type.substr(1) + "' failed (" +
            (WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status)) : "signal " + std::to_string(WTERMSIG(status))) +
            ")" + (err.empty() ? "" : ": " + first_lines(err));
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> svg_element(std::optional<std::string> svg) {
  // from "<svg": no XML declaration or DOCTYPE, so the same text works inline in HTML
  if (svg) svg->erase(0, std::min(svg->find("<svg"), svg->size()));
  return svg;
}

std::optional<std::string> topology_svg(const Topology& topology, std::string& error) {
  return svg_element(render_dot(topology_dot(topology), "svg", error));
}

std::optional<std::string> procedure_svg(const Procedure& procedure, std::string& error) {
  return svg_element(render_dot(procedure_dot(procedure), "svg", error));
}

}  // namespace acdsim::model
