#include "acdsim/model/output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acdsim/model/input_file.hpp"
#include "acdsim/model/scratch.hpp"

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

void write_file_atomically(const std::string& given_path, const std::string& content, const WriteOptions& options) {
  std::string path = given_path;
  auto refuse = [&](const std::string& why) {
    return std::runtime_error("cannot write " + given_path + ": " + why);
  };
  auto fail = [&](const std::string& what) { return refuse(what + ": " + std::strerror(errno)); };
  struct stat link {};
  if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
    if (!options.follow_symlink)
      throw refuse("it is a symlink; refusing to write through it (--follow-symlinks writes to the file it points to)");
    // Replace the file the link points to, keeping the link (a dangling link creates its target).
    namespace fs = std::filesystem;
    fs::path target = path;
    std::error_code ec;
    for (int hops = 0; fs::is_symlink(fs::symlink_status(target, ec)); ++hops) {
      if (hops == 40) throw refuse("too many levels of symlinks");
      const fs::path next = fs::read_symlink(target, ec);
      if (ec) throw refuse("cannot read the symlink: " + ec.message());
      target = next.is_absolute() ? next : target.parent_path() / next;
    }
    path = target.string();
  }
  // The file keeps its mode when it exists; a new one gets what open(2) would
  // give it (0666 less the umask), not mkstemp's 0600.
  mode_t mode = 0666 & ~current_umask();
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0) {
    if (!S_ISREG(existing.st_mode))
      throw refuse("it exists and is not a regular file (a device, FIFO, socket or directory); refusing to replace it");
    if (was_read_as_input(static_cast<std::uint64_t>(existing.st_dev), static_cast<std::uint64_t>(existing.st_ino)))
      throw refuse("it is an input of this run; refusing to write over it (choose another output file)");
    mode = existing.st_mode & 07777;
  }
  std::string tmp = path + ".tmp.XXXXXX";
  const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);  // O_CREAT | O_EXCL: never an existing file or link
  if (fd < 0) throw fail("cannot create a temporary file beside it");
  const RemovedOnSignal guard(tmp);  // a SIGINT or SIGTERM while writing leaves no .tmp file behind
  auto fail_and_remove = [&](const std::string& what) {
    auto e = fail(what);
    ::unlink(tmp.c_str());
    return e;
  };
  if (::fchmod(fd, mode) != 0) {
    auto e = fail_and_remove("cannot set the file mode");
    ::close(fd);
    throw e;
  }
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto e = fail_and_remove("write");
      ::close(fd);
      throw e;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) throw fail_and_remove("flush");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw fail_and_remove("rename");
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
