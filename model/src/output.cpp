#include "acdsim/model/output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include <unistd.h>

namespace acdsim::model {

void write_file_atomically(const std::string& path, const std::string& content) {
  auto fail = [&](const std::string& what) {
    return std::runtime_error("cannot write " + path + ": " + what + ": " + std::strerror(errno));
  };
  std::string tmp = path + ".tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw fail("cannot create a temporary file beside it");
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
