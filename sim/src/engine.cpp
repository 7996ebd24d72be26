#include "acdsim/sim/engine.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace acdsim::sim {

std::string clock_text(double seconds) {
  if (seconds < 0) return "-" + clock_text(-seconds);  // in the warm-up, before the procedure starts
  const auto ms = static_cast<long long>(std::llround(seconds * 1000));
  char b[48];
  const long long s = ms / 1000;
  if (ms % 1000)
    std::snprintf(b, sizeof b, "%lld:%02lld:%02lld.%03lld", s / 3600, s / 60 % 60, s % 60, ms % 1000);
  else
    std::snprintf(b, sizeof b, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  return b;
}

std::string duration_text(double seconds) {
  char b[48];
  if (seconds < 10) {
    std::snprintf(b, sizeof b, "%.1f s", seconds);
    return b;
  }
  const auto s = static_cast<long long>(std::llround(seconds));
  if (s < 60) std::snprintf(b, sizeof b, "%lld s", s);
  else if (s < 3600) std::snprintf(b, sizeof b, "%lld min %02lld s", s / 60, s % 60);
  else std::snprintf(b, sizeof b, "%lld h %02lld min", (s + 30) / 3600, (s + 30) / 60 % 60);
  return b;
}

void EventQueue::push(SimTime time, std::uint32_t type, std::uint32_t a, std::uint64_t b) {
  // The new event stays in registers while the hole moves up: writing it into
  // the vector first and reading it back stalled on store forwarding (perf: a
  // third of the M/M/8 kernel).
  const Event e{time, seq_++, type, a, b};
  std::size_t i = heap_.size();
  heap_.emplace_back();
  Event* h = heap_.data();
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!before(e, h[parent])) break;
    h[i] = h[parent];
    i = parent;
  }
  h[i] = e;
}

Event EventQueue::pop() {
  const Event out = heap_.front();
  const Event last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return out;
  Event* h = heap_.data();
  std::size_t i = 0;
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && before(h[child + 1], h[child])) ++child;
    if (!before(h[child], last)) break;
    h[i] = h[child];
    i = child;
  }
  h[i] = last;
  return out;
}

namespace {
std::uint64_t splitmix(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

Rng::Rng(std::uint64_t seed) {
  for (auto& s : s_) s = splitmix(seed);
}

std::uint64_t Rng::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

// 1 - u is exact for u = k / 2^53, so log(1 - u) is the same quantity as log1p(-u) and about
// three times faster (perf: log1p was a third of the M/M/8 kernel benchmark).
double Rng::exponential(double mean) { return -mean * std::log(1.0 - uniform01()); }

double Rng::normal() {  // Box-Muller, one value per call (no hidden state)
  const double u1 = 1.0 - uniform01();
  const double u2 = uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

Rng stream(std::uint64_t seed, std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a of the name
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  std::uint64_t x = seed ^ h;
  return Rng(splitmix(x));
}

double sample(const model::Duration& d, Rng& rng) {
  using Shape = model::Duration::Shape;
  switch (d.shape) {
    case Shape::Fixed: return d.a;
    case Shape::Uniform: return d.a + (d.b - d.a) * rng.uniform01();
    case Shape::Lognormal: return d.a * std::exp(d.b * rng.normal());
    case Shape::Empirical: return d.samples[static_cast<std::size_t>(rng.uniform01() * static_cast<double>(d.samples.size()))];
    case Shape::Exponential: return rng.exponential(d.a);
  }
  return d.a;
}

double mean(const model::Duration& d) {
  using Shape = model::Duration::Shape;
  switch (d.shape) {
    case Shape::Fixed: return d.a;
    case Shape::Uniform: return (d.a + d.b) / 2;
    case Shape::Lognormal: return d.a * std::exp(d.b * d.b / 2);
    case Shape::Exponential: return d.a;
    case Shape::Empirical: {
      double s = 0;
      for (double x : d.samples) s += x;
      return d.samples.empty() ? 0 : s / static_cast<double>(d.samples.size());
    }
  }
  return d.a;
}

double median(const model::Duration& d) {
  using Shape = model::Duration::Shape;
  switch (d.shape) {
    case Shape::Fixed: return d.a;
    case Shape::Uniform: return (d.a + d.b) / 2;
    case Shape::Lognormal: return d.a;
    case Shape::Exponential: return d.a * std::log(2.0);
    case Shape::Empirical: {
      if (d.samples.empty()) return 0;
      std::vector<double> sorted = d.samples;
      std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
      return sorted[sorted.size() / 2];
    }
  }
  return d.a;
}

}  // namespace acdsim::sim
