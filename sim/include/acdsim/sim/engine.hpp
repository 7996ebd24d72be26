// The discrete-event kernel: integer time, an event queue ordered by
// (time, insertion sequence), named seeded random streams, duration sampling.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "acdsim/model/topology.hpp"

namespace acdsim::sim {

// Simulated time in microseconds (Chrome traces use the same unit; int64
// covers 292,000 years).
using SimTime = std::int64_t;
constexpr SimTime kSecond = 1'000'000;
inline SimTime from_seconds(double s) { return static_cast<SimTime>(s * 1e6 + 0.5); }
inline double to_seconds(SimTime t) { return static_cast<double>(t) / 1e6; }
// For people: a point in simulated time as "0:10:05" ("0:10:05.250" with a
// fraction), a length as "45 s", "12 min 30 s", "1 h 02 min" ("0.5 s" below 10 s).
std::string clock_text(double seconds);
std::string duration_text(double seconds);

struct Event {
  SimTime time;
  std::uint64_t seq;   // insertion order: ties in time fire first-in, first-out
  std::uint32_t type;  // the owner's event kind
  std::uint32_t a;     // payloads, meaning per type
  std::uint64_t b;
};

// Binary min-heap on (time, seq).
class EventQueue {
 public:
  void push(SimTime time, std::uint32_t type, std::uint32_t a = 0, std::uint64_t b = 0);
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Event& top() const { return heap_.front(); }
  Event pop();
  void clear() {
    heap_.clear();
    seq_ = 0;
  }

 private:
  static bool before(const Event& x, const Event& y) { return x.time < y.time || (x.time == y.time && x.seq < y.seq); }
  std::vector<Event> heap_;
  std::uint64_t seq_ = 0;
};

// xoshiro256** seeded through splitmix64: fast, good, and its sequence is
// fixed by this code (std:: distributions differ between libraries, so
// all sampling is done here by hand).
class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0);
  std::uint64_t next();
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double exponential(double mean);
  double normal();

 private:
  std::uint64_t s_[4];
};

// One independent stream per purpose: the stream for a name depends only on
// (seed, name), so adding a stream never shifts another one's draws.
Rng stream(std::uint64_t seed, std::string_view name);

// A draw in seconds from a topology duration distribution.
double sample(const model::Duration& d, Rng& rng);
double mean(const model::Duration& d);
double median(const model::Duration& d);

}  // namespace acdsim::sim
