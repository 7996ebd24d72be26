// Temporary files that do not outlive the process: removed when their owner
// is done, and also when the process is stopped by SIGINT, SIGTERM, SIGHUP or
// SIGQUIT (the handler removes them, then the signal takes its course).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace acdsim::model {

// Registers path (a file, or an empty directory) for removal on those signals
// while this object lives; the destructor only unregisters (the owner removes
// the path itself). At most 64 paths are registered at once; a path that does
// not fit (or is longer than PATH_MAX) is simply not removed on a signal.
class RemovedOnSignal {
 public:
  explicit RemovedOnSignal(const std::string& path);
  ~RemovedOnSignal();
  RemovedOnSignal(const RemovedOnSignal&) = delete;
  RemovedOnSignal& operator=(const RemovedOnSignal&) = delete;

 private:
  int slot_;  // -1: not registered
};

// A private directory (mkdtemp, mode 0700) under $TMPDIR (else /tmp), named
// PREFIX.XXXXXX, for scratch files: nobody else can plant a symlink in it, and
// it is removed with its files when destroyed and on the signals above.
// Throws std::runtime_error when it cannot be created.
class ScratchDirectory {
 public:
  explicit ScratchDirectory(std::string_view prefix);
  ~ScratchDirectory();
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  const std::string& path() const { return path_; }
  // Writes NAME (a plain file name) in the directory, created with O_EXCL;
  // returns its path. A second file of the same name is refused.
  std::string write(std::string_view name, const std::string& content);

 private:
  std::string path_;  // created before dir_guard_ registers it
  RemovedOnSignal dir_guard_;
  std::vector<std::string> files_;
  std::vector<std::unique_ptr<RemovedOnSignal>> file_guards_;
};

}  // namespace acdsim::model
