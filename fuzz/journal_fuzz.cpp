// Journals of acdsim run (acdsim-journal/1, JSON lines, read by --resume): live::read_journal
// reads a path, so each input goes into an in-memory file (memfd) read through /proc/self/fd.
// Contract: the input parses or acdsim::model::InputError is thrown.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "acdsim/model/input_error.hpp"
#include "inputs.hpp"

namespace {

// The memfd and its path, made once; each input replaces its content.
struct MemoryFile {
  int fd = -1;
  std::string path;
  MemoryFile() {
    fd = ::memfd_create("acdsim-fuzz-journal", 0);
    if (fd < 0) {
      std::perror("fuzz set-up: memfd_create");
      std::abort();
    }
    path = "/proc/self/fd/" + std::to_string(fd);
  }
  void hold(const std::uint8_t* data, std::size_t size) {
    if (::ftruncate(fd, 0) != 0 || ::lseek(fd, 0, SEEK_SET) != 0) std::abort();
    for (std::size_t done = 0; done < size;) {
      const ssize_t n = ::write(fd, data + done, size - done);
      if (n <= 0) std::abort();
      done += static_cast<std::size_t>(n);
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static MemoryFile file;
  file.hold(data, size);
  acdsim::fuzz::expect_only<acdsim::model::InputError>([&] { acdsim::fuzz::read_journal_file(file.path); });
  return 0;
}
