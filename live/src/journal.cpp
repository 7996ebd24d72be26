#include "acdsim/live/journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "acdsim/model/input_error.hpp"

namespace acdsim::live {

namespace {

// Bytes after the last newline of the file: a record torn by kill -9 mid-write.
off_t torn_tail(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size == 0) return 0;
  char buffer[4096];
  off_t end = st.st_size;
  while (end > 0) {
    const off_t start = end > static_cast<off_t>(sizeof buffer) ? end - static_cast<off_t>(sizeof buffer) : 0;
    const ssize_t n = ::pread(fd, buffer, static_cast<std::size_t>(end - start), start);
    if (n <= 0) return 0;  // unreadable: leave the file as it is
    for (ssize_t i = n - 1; i >= 0; --i)
      if (buffer[i] == '\n') return st.st_size - (start + i + 1);
    end = start;
  }
  return st.st_size;  // no newline at all: one torn record
}

}  // namespace

Journal::Journal(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) throw std::runtime_error("cannot open journal " + path + ": " + std::strerror(errno));
  // One run per journal: two runs (or resumes) of one journal would run the same
  // commands twice. The lock lives as long as the descriptor (the whole run).
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK)
      throw std::runtime_error("journal " + path +
                               " is in use by another acdsim run (it holds the journal's lock); wait for that run "
                               "to end: two runs of one journal would run the same commands twice");
    throw std::runtime_error("cannot lock journal " + path + ": " + std::strerror(err));
  }
  // A record torn by a kill mid-write is cut off once, under the lock, so that
  // the next record starts on a line of its own (appending onto it made the
  // journal unreadable for the resume after).
  if (const off_t torn = torn_tail(fd_); torn > 0) {
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || ::ftruncate(fd_, st.st_size - torn) != 0) {
      const int err = errno;
      ::close(fd_);
      fd_ = -1;
      throw std::runtime_error("cannot repair the torn last record of journal " + path + ": " + std::strerror(err));
    }
    append({{"type", "repaired"}, {"dropped_bytes", static_cast<std::int64_t>(torn)}});
  }
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::append(nlohmann::json record) {
  record["time"] = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string line = record.dump() + "\n";
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot write journal " + path_ + ": " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd_) != 0) throw std::runtime_error("cannot sync journal " + path_ + ": " + std::strerror(errno));
}

JournalState read_journal(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw model::InputError(path, "", 0, std::string("cannot read the journal: ") + std::strerror(errno));
  JournalState s;
  std::string line;
  int number = 0;
  std::vector<std::pair<int, std::string>> lines;
  while (std::getline(in, line)) lines.emplace_back(++number, line);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& [n, text] = lines[i];
    if (text.empty()) continue;
    nlohmann::json r;
    try {
      r = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error&) {
      if (i + 1 == lines.size()) break;  // torn last record: the run died while writing it
      throw model::InputError(path, "", n, "not a JSON record of an acdsim journal");
    } catch (const nlohmann::json::out_of_range&) {  // valid JSON, a number beyond a double
      throw model::InputError(path, "", n, "a number out of range in the journal record");
    }
    // A record that is JSON but not an object, or a field of another type, is damage (a torn
    // record never parses): refused with its line, not an escaped nlohmann type_error.
    if (!r.is_object()) throw model::InputError(path, "", n, "expected a JSON object as the journal record");
    const int line = n;  // a lambda may not capture a structured binding in clang 14
    const auto text_field = [&](const std::string& key) -> std::string {
      const auto it = r.find(key);
      if (it == r.end()) return "";
      if (!it->is_string()) throw model::InputError(path, "/" + key, line, "expected a string in the journal record");
      return it->get<std::string>();
    };
    const auto whole_field = [&](const std::string& key) -> unsigned long long {
      const auto it = r.find(key);
      if (it == r.end() || !it->is_number_unsigned())
        throw model::InputError(path, "/" + key, line, "expected a non-negative whole number in the journal record");
      return it->get<unsigned long long>();
    };
    const std::string type = text_field("type");
    if (type == "start" && s.start.is_null()) {
      if (text_field("format") != "acdsim-journal/1")
        throw model::InputError(path, "/format", n, "expected the start record's format acdsim-journal/1");
      s.start = r;
    } else if (type == "step_done") {
      s.completed.insert(text_field("step"));
    } else if (type == "command_begin") {
      const std::string key = text_field("step") + "|" + text_field("target");
      const auto time = r.find("time");
      s.unfinished[key] = UnfinishedCommand{text_field("step"), text_field("target"), text_field("command"), std::nullopt,
                                            time != r.end() && time->is_number() ? time->get<double>() : 0.0};
    } else if (type == "command_pid") {
      const auto it = s.unfinished.find(text_field("step") + "|" + text_field("target"));
      const unsigned long long pid = whole_field("pid");
      if (pid == 0 || pid > 4194304)  // Linux's PID_MAX_LIMIT
        throw model::InputError(path, "/pid", n, "expected a process id from 1 to 4194304 in the journal record");
      if (it != s.unfinished.end()) it->second.group = ProcessIdentity{static_cast<long>(pid), whole_field("start_ticks")};
    } else if (type == "command" && r.contains("exit")) {
      const std::string key = text_field("step") + "|" + text_field("target");
      s.commands_done.insert(key);
      s.unfinished.erase(key);
    } else if (type == "finish") {
      s.finished = true;
    }
  }
  if (s.start.is_null())
    throw model::InputError(path, "", 1, "expected a \"start\" record with format acdsim-journal/1");
  return s;
}

namespace {

constexpr std::array<std::uint32_t, 64> kK = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
    0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
    0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
    0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

}  // namespace

std::string sha256_digest(std::string_view bytes) {
  std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string msg(bytes);
  const std::uint64_t bit_length = static_cast<std::uint64_t>(bytes.size()) * 8;
  msg.push_back(static_cast<char>(0x80));
  while (msg.size() % 64 != 56) msg.push_back(0);
  for (int i = 7; i >= 0; --i) msg.push_back(static_cast<char>((bit_length >> (8 * i)) & 0xff));
  for (std::size_t block = 0; block < msg.size(); block += 64) {
    std::array<std::uint32_t, 64> w{};
    for (int i = 0; i < 16; ++i)
      for (int b = 0; b < 4; ++b) w[i] = (w[i] << 8) | static_cast<unsigned char>(msg[block + 4 * i + b]);
    for (int i = 16; i < 64; ++i) {
      const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    auto [a, b, c, d, e, f, g, hh] = h;
    for (int i = 0; i < 64; ++i) {
      const std::uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + kK[i] + w[i];
      const std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    const std::array<std::uint32_t, 8> add = {a, b, c, d, e, f, g, hh};
    for (int i = 0; i < 8; ++i) h[i] += add[i];
  }
  static const char* hex = "0123456789abcdef";
  std::string out = "sha256:";
  for (std::uint32_t v : h)
    for (int i = 7; i >= 0; --i) out.push_back(hex[(v >> (4 * i)) & 0xf]);
  return out;
}

}  // namespace acdsim::live
