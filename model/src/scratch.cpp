#include "acdsim/model/scratch.hpp"

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace acdsim::model {

namespace {

// The registry the signal handler reads: fixed slots, no allocation, so the
// handler only touches memory that is async-signal-safe to read. A slot is
// claimed (state 1), filled, then published (state 2); the handler removes
// only published paths.
constexpr int kSlots = 64;
struct Slot {
  std::atomic<int> state{0};  // 0 free, 1 being filled, 2 published
  char path[PATH_MAX];
};
Slot slots[kSlots];

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
struct sigaction previous[sizeof kSignals / sizeof kSignals[0]];

extern "C" void remove_and_reraise(int signal) {
  const int saved = errno;
  // Files first, then the (then empty) directories.
  for (Slot& slot : slots)
    if (slot.state.load() == 2) ::unlink(slot.path);
  for (Slot& slot : slots)
    if (slot.state.load() == 2) ::rmdir(slot.path);
  for (std::size_t i = 0; i < sizeof kSignals / sizeof kSignals[0]; ++i) {
    if (kSignals[i] != signal) continue;
    const auto handler = previous[i].sa_handler;
    if ((previous[i].sa_flags & SA_SIGINFO) == 0 && handler != SIG_DFL && handler != SIG_IGN) {
      handler(signal);  // a handler installed before ours keeps working
      errno = saved;
      return;
    }
    ::sigaction(signal, &previous[i], nullptr);  // the default action: the process ends as it would have
    ::raise(signal);
  }
  errno = saved;
}

void install_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (std::size_t i = 0; i < sizeof kSignals / sizeof kSignals[0]; ++i) {
      struct sigaction now {};
      ::sigaction(kSignals[i], nullptr, &previous[i]);
      if (previous[i].sa_handler == SIG_IGN) continue;  // e.g. SIGHUP under nohup: stays ignored
      now.sa_handler = remove_and_reraise;
      sigemptyset(&now.sa_mask);
      now.sa_flags = SA_RESTART;
      ::sigaction(kSignals[i], &now, nullptr);
    }
  });
}

}  // namespace

RemovedOnSignal::RemovedOnSignal(const std::string& path) : slot_(-1) {
  if (path.size() >= PATH_MAX) return;
  install_handlers();
  // A relative path would be wrong after a chdir; the handler needs the absolute one.
  std::error_code ec;
  const std::string absolute = std::filesystem::absolute(path, ec).string();
  if (ec || absolute.size() >= PATH_MAX) return;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (!slots[i].state.compare_exchange_strong(expected, 1)) continue;
    std::memcpy(slots[i].path, absolute.c_str(), absolute.size() + 1);
    slots[i].state.store(2);
    slot_ = i;
    return;
  }
}

RemovedOnSignal::~RemovedOnSignal() {
  if (slot_ >= 0) slots[slot_].state.store(0);
}

namespace {
std::string make_private_directory(std::string_view prefix) {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);  // $TMPDIR, else /tmp
  if (ec) base = "/tmp";
  std::string templ = (base / (std::string(prefix) + ".XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr)
    throw std::runtime_error("cannot create a private scratch directory in " + base.string() + ": " + std::strerror(errno));
  return templ;
}
}  // namespace

ScratchDirectory::ScratchDirectory(std::string_view prefix) : path_(make_private_directory(prefix)), dir_guard_(path_) {}

ScratchDirectory::~ScratchDirectory() {
  for (std::size_t i = files_.size(); i-- > 0;) {
    ::unlink(files_[i].c_str());
    file_guards_[i].reset();
  }
  ::rmdir(path_.c_str());
}

std::string ScratchDirectory::write(std::string_view name, const std::string& content) {
  if (name.empty() || name.find('/') != std::string_view::npos || name == "." || name == "..")
    throw std::invalid_argument("scratch file name \"" + std::string(name) + "\" is not a plain file name");
  const std::string file = path_ + "/" + std::string(name);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create scratch file " + file + ": " + std::strerror(errno));
  files_.push_back(file);
  file_guards_.push_back(std::make_unique<RemovedOnSignal>(file));
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      throw std::runtime_error("cannot write scratch file " + file + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw std::runtime_error("cannot write scratch file " + file + ": " + std::strerror(errno));
  return file;
}

}  // namespace acdsim::model
