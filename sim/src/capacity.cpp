#include "capacity.hpp"

#include <algorithm>

namespace acdsim::sim {

CapacityWatch::CapacityWatch(std::vector<SimTime> patience)
    : patience_(std::move(patience)), since_(patience_.size(), -1), last_t_(patience_.size(), 0),
      cap_(patience_.size(), 0), load_(patience_.size(), 0), below_s_(patience_.size(), 0),
      reported_(patience_.size(), false) {}

std::optional<SimTime> CapacityWatch::update(std::uint32_t c, SimTime now, double capacity, double load) {
  if (cap_[c] < load_[c]) below_s_[c] += to_seconds(now - last_t_[c]);
  last_t_[c] = now;
  cap_[c] = capacity, load_[c] = load;
  const bool below = capacity < load;
  std::optional<SimTime> due;
  if (below && since_[c] < 0) {
    since_[c] = now;
    if (!reported_[c]) due = now + patience_[c];
  }
  if (!below && since_[c] >= 0) {
    if (now > since_[c]) intervals_.push_back({c, since_[c], now});  // an instant (a hand-over in one step) is none
    since_[c] = -1;
  }
  return due;
}

bool CapacityWatch::outage_due(std::uint32_t c, SimTime now) {
  if (reported_[c] || since_[c] < 0 || now - since_[c] < patience_[c]) return false;
  reported_[c] = true;
  return true;
}

std::optional<SimTime> CapacityWatch::below_since(std::uint32_t c) const {
  if (since_[c] < 0) return std::nullopt;
  return since_[c];
}

void CapacityWatch::finish(SimTime end) {
  for (std::uint32_t c = 0; c < since_.size(); ++c) {
    update(c, end, cap_[c], load_[c]);
    if (since_[c] >= 0 && end > since_[c]) intervals_.push_back({c, since_[c], end});
  }
}

void fill_metrics(ClassMetrics& m, StationStats& st) {
  m.offered = st.offered, m.served = st.served, m.queued = st.queued, m.abandoned = st.abandoned;
  m.dropped = st.dropped, m.max_queue = st.max_queue;
  m.wait_mean_s = st.served ? st.wait_sum / static_cast<double>(st.served) : 0;
  auto pct = [&](double p) -> double {
    if (st.waits.empty()) return 0;
    const auto k = static_cast<std::size_t>(p * static_cast<double>(st.waits.size() - 1));
    std::nth_element(st.waits.begin(), st.waits.begin() + static_cast<std::ptrdiff_t>(k), st.waits.end());
    return st.waits[k];
  };
  m.wait_p50_s = pct(0.50), m.wait_p95_s = pct(0.95), m.wait_p99_s = pct(0.99);
}

}  // namespace acdsim::sim
