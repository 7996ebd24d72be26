#include "acdsim/model/input_file.hpp"

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <mutex>
#include <set>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acdsim/model/input_error.hpp"

namespace acdsim::model {

namespace {

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Reads the file's descriptor to the end; closes it.
std::string read_all(int fd, const std::string& path, std::uint64_t size_hint) {
  std::string text;
  text.reserve(static_cast<std::size_t>(size_hint));
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      throw InputError(path, "", 0, std::string("cannot read the file: ") + std::strerror(err));
    }
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > kMaxInputFileBytes) {  // the file grew while being read
      ::close(fd);
      throw InputError(path, "", 0, "the file is larger than the input limit of 64 MiB");
    }
  }
  ::close(fd);
  return text;
}

// Streaming scan for one top-level key ("format"). Stops parsing (returns false)
// once its value is seen, or when nesting passes the limit.
class FormatScan : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit FormatScan(std::string_view key) : wanted_(key) {}
  static constexpr int kMaxDepth = 256;
  std::string format;
  bool found = false, too_deep = false, format_not_string = false;
  std::size_t error_byte = 0;
  std::string error;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool string(string_t& s) override {
    if (depth_ == 1 && format_key_) {
      format = s;
      found = true;
      return false;
    }
    return value();
  }
  bool start_object(std::size_t) override { return open(); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    format_key_ = depth_ == 1 && k == wanted_;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    error_byte = position;
    error = e.what();
    return false;
  }

 private:
  std::string_view wanted_;
  int depth_ = 0;
  bool format_key_ = false;
  bool value() {
    if (depth_ == 1 && format_key_) {
      format_not_string = true;
      return false;
    }
    return true;
  }
  bool open() {
    if (depth_ == 1 && format_key_) {
      format_not_string = true;
      return false;
    }
    format_key_ = false;
    if (++depth_ > kMaxDepth) {
      too_deep = true;
      return false;
    }
    return true;
  }
  bool close() {
    --depth_;
    format_key_ = false;
    return true;
  }
};

std::mutex inputs_mutex;
std::set<std::pair<std::uint64_t, std::uint64_t>>& inputs() {  // (device, inode) of every file read
  static std::set<std::pair<std::uint64_t, std::uint64_t>> read;
  return read;
}

int line_at(std::string_view text, std::size_t byte) {
  if (byte > text.size()) byte = text.size();
  int line = 1;
  for (std::size_t i = 0; i < byte; ++i)
    if (text[i] == '\n') ++line;
  return line;
}

}  // namespace

std::string read_input_file(const std::string& path) {
  // O_NONBLOCK: opening a FIFO with no writer must not block before fstat can refuse it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw InputError(path, "", 0, std::string("cannot read the file: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    throw InputError(path, "", 0, std::string("cannot read the file: ") + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw InputError(path, "", 0, "cannot read the file: it is " + kind_of(st.st_mode) + ", expected a regular file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > kMaxInputFileBytes) {
    ::close(fd);
    throw InputError(path, "", 0,
                     "the file has " + std::to_string(st.st_size) + " bytes, over the input limit of 64 MiB");
  }
  {
    const std::lock_guard<std::mutex> lock(inputs_mutex);
    inputs().emplace(static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino));
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return read_all(fd, path, static_cast<std::uint64_t>(st.st_size));
}

bool was_read_as_input(std::uint64_t device, std::uint64_t inode) {
  const std::lock_guard<std::mutex> lock(inputs_mutex);
  return inputs().count({device, inode}) > 0;
}

void refuse_nul_bytes(const std::string& path, std::string_view text) {
  const std::size_t nul = text.find('\0');
  if (nul == std::string_view::npos) return;
  const std::size_t line_start = text.rfind('\n', nul);
  const std::size_t column = nul - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  const int line = line_at(text, nul);
  throw InputError(path, "", line,
                   "a NUL byte at line " + std::to_string(line) + ", column " + std::to_string(column) + " (byte " +
                       std::to_string(nul) + "): JSON text contains none (a binary or corrupted file?)");
}

namespace {

// The scan of path for the top-level key; throws the located errors of malformed
// or too deep JSON met before the key.
FormatScan scan_for(const std::string& path, std::string_view key) {
  const std::string text = read_input_file(path);
  refuse_nul_bytes(path, text);
  FormatScan scan(key);
  nlohmann::json::sax_parse(text, &scan, nlohmann::json::input_format_t::json, /*strict=*/false);
  if (scan.found || scan.format_not_string) return scan;
  if (scan.too_deep)
    throw InputError(path, "", 0, "nested deeper than 256 levels before a top-level \"" + std::string(key) + "\" key");
  if (!scan.error.empty()) {
    std::string what = scan.error;
    if (const auto colon = what.find("] "); colon != std::string::npos) what = what.substr(colon + 2);
    throw InputError(path, "", line_at(text, scan.error_byte), what);
  }
  return scan;
}

}  // namespace

std::string declared_format(const std::string& path) {
  const FormatScan scan = scan_for(path, "format");
  if (scan.found) return scan.format;
  if (scan.format_not_string) throw InputError(path, "/format", 0, "expected a string such as \"acdsim-topology/1\"");
  throw InputError(path, "/format", 0, R"(expected a top-level "format" key, such as "acdsim-topology/1")");
}

std::optional<std::string> top_level_string(const std::string& path, std::string_view key) {
  const FormatScan scan = scan_for(path, key);
  if (scan.found) return scan.format;
  return std::nullopt;
}

}  // namespace acdsim::model
