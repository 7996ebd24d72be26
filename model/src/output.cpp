#include "acdsim/model/output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

namespace acdsim::model {

namespace {

// The process's umask. umask(2) can only be read by setting it, so the two
// calls are serialised; a file another thread creates between them gets a
// stricter mode (077 masked), never a looser one.
mode_t current_umask() {
  static std::mutex mutex;
  const std::lock_guard<std::mutex> lock(mutex);
  const mode_t mask = ::umask(077);
  ::umask(mask);
  return mask;
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& content) {
  auto fail = [&](const std::string& what) {
    return std::runtime_error("cannot write " + path + ": " + what + ": " + std::strerror(errno));
  };
  // The file keeps its mode when it exists; a new one gets what open(2) would
  // give it (0666 less the umask), not mkstemp's 0600.
  mode_t mode = 0666 & ~current_umask();
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0) {
    if (!S_ISREG(existing.st_mode)) {
      errno = EEXIST;
      throw std::runtime_error("cannot write " + path + ": it exists and is not a regular file (a device, FIFO, socket "
                               "or directory); refusing to replace it");
    }
    mode = existing.st_mode & 07777;
  }
  std::string tmp = path + ".tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw fail("cannot create a temporary file beside it");
  if (::fchmod(fd, mode) != 0) {
    auto e = fail("cannot set the file mode");
    ::close(fd);
    ::unlink(tmp.c_str());
    throw e;
  }
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto e = fail("write");
      ::close(fd);
      ::unlink(tmp.c_str());
      throw e;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    auto e = fail("flush");
    ::unlink(tmp.c_str());
    throw e;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    auto e = fail("rename");
    ::unlink(tmp.c_str());
    throw e;
  }
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace acdsim::model
