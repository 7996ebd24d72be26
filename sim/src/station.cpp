#include "acdsim/sim/station.hpp"

#include <cmath>

namespace acdsim::sim {

Station::Station(std::uint32_t index, std::vector<std::uint32_t> capacities, model::Duration handle,
                 std::optional<model::Duration> patience, std::uint32_t depart_type, bool keep_waits)
    : index_(index), depart_type_(depart_type), handle_(std::move(handle)), patience_(std::move(patience)),
      keep_waits_(keep_waits) {
  for (std::uint32_t c : capacities) {
    servers_.push_back(Server{c});
    capacity_in_service_ += c;
  }
}

std::optional<std::uint32_t> Station::free_server() const {
  // least loaded in-service server with a free slot (lowest index on ties)
  std::optional<std::uint32_t> best;
  double best_load = 2;
  for (std::uint32_t i = 0; i < servers_.size(); ++i) {
    const Server& s = servers_[i];
    if (!s.in_service || s.busy >= s.capacity) continue;
    const double load = static_cast<double>(s.busy) / s.capacity;
    if (load < best_load) best = i, best_load = load;
  }
  return best;
}

void Station::start(std::uint32_t server, SimTime now, SimTime arrival, EventQueue& q, Rng& handle_rng) {
  Server& s = servers_[server];
  ++s.busy;
  ++stats_.served;
  const double wait = to_seconds(now - arrival);
  stats_.wait_sum += wait;
  if (keep_waits_) stats_.waits.push_back(static_cast<float>(wait));
  const SimTime done = now + std::max<SimTime>(1, from_seconds(sample(handle_, handle_rng)));
  q.push(done, depart_type_, index_, (std::uint64_t{server} << 32) | s.epoch);
}

void Station::arrive(SimTime now, EventQueue& q, Rng& handle_rng, Rng& patience_rng) {
  ++stats_.offered;
  if (waiting_ == 0) {
    if (auto s = free_server()) {
      start(*s, now, now, q, handle_rng);
      return;
    }
  }
  ++stats_.queued;
  const std::uint64_t id = gone_.size();
  gone_.push_back(0);
  queue_.push_back(Waiting{id, now});
  ++waiting_;
  if (waiting_ > stats_.max_queue) stats_.max_queue = waiting_;
  if (patience_) q.push(now + from_seconds(sample(*patience_, patience_rng)), depart_type_ + 1, index_, id);
}

void Station::pull(std::uint32_t server, SimTime now, EventQueue& q, Rng& handle_rng) {
  Server& s = servers_[server];
  while (s.in_service && s.busy < s.capacity && waiting_ > 0) {
    const Waiting w = queue_.front();
    queue_.pop_front();
    if (gone_[w.id]) continue;
    gone_[w.id] = 1;
    --waiting_;
    start(server, now, w.arrival, q, handle_rng);
  }
  while (!queue_.empty() && gone_[queue_.front().id]) queue_.pop_front();
}

void Station::depart(SimTime now, std::uint64_t b, EventQueue& q, Rng& handle_rng) {
  const auto server = static_cast<std::uint32_t>(b >> 32);
  Server& s = servers_[server];
  if (static_cast<std::uint32_t>(b) != s.epoch) return;  // dropped when the server went down
  --s.busy;
  pull(server, now, q, handle_rng);
}

void Station::abandon(std::uint64_t id) {
  if (gone_[id]) return;
  gone_[id] = 1;
  --waiting_;
  ++stats_.abandoned;
}

void Station::set_server(std::uint32_t server, bool in_service, bool up, SimTime now, EventQueue& q, Rng& handle_rng) {
  Server& s = servers_[server];
  if (s.in_service != in_service) capacity_in_service_ += in_service ? s.capacity : -static_cast<std::int64_t>(s.capacity);
  s.in_service = in_service;
  if (s.up && !up) {
    stats_.dropped += s.busy;
    s.busy = 0;
    ++s.epoch;
  }
  s.up = up;
  pull(server, now, q, handle_rng);
}

double erlang_c_mean_wait(unsigned c, double lambda, double mu) {
  const double a = lambda / mu, rho = a / c;
  double term = 1, sum = 1;  // sum_{k<c} a^k/k!
  for (unsigned k = 1; k < c; ++k) {
    term *= a / k;
    sum += term;
  }
  const double last = term * a / c / (1 - rho);  // a^c/c! / (1-rho)
  const double p_wait = last / (sum + last);
  return p_wait / (c * mu - lambda);
}

}  // namespace acdsim::sim
