// Interim until model::topology_svg (plots branch) lands: dot reads the DOT
// text from a temporary file and writes SVG to another; no shell involved.
#include "topology_picture.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "acdsim/model/dot.hpp"

extern char** environ;

namespace acdsim::report {
namespace {

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& content) {
    std::string pattern = (std::filesystem::temp_directory_path() / "acdsim-report-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) return;
    path = pattern;
    const char* p = content.data();
    std::size_t left = content.size();
    while (left > 0) {
      const ssize_t n = ::write(fd, p, left);
      if (n <= 0) break;
      p += n, left -= static_cast<std::size_t>(n);
    }
    ::close(fd);
  }
  ~TempFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::optional<std::string> topology_svg(const model::Topology& topology, std::string& error) {
  TempFile input(model::topology_dot(topology)), output(""), errors("");
  if (input.path.empty() || output.path.empty() || errors.path.empty()) {
    error = "cannot create a temporary file for Graphviz";
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, input.path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, output.path.c_str(), O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_addopen(&actions, 2, errors.path.c_str(), O_WRONLY | O_TRUNC, 0);
  char arg0[] = "dot", arg1[] = "-Tsvg";
  char* argv[] = {arg0, arg1, nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, "dot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    error = "Graphviz 'dot' not found: apt-get install graphviz";
    return std::nullopt;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) break;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    error = "Graphviz 'dot' failed: " + read_all(errors.path).substr(0, 400);
    return std::nullopt;
  }
  return read_all(output.path);
}

}  // namespace acdsim::report
