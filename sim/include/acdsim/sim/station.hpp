// One class of work (calls, web sessions) over a set of servers with
// capacities: the router's FIFO queue in front of them, handle times,
// patience (callers abandon), servers going in and out of service.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "acdsim/sim/engine.hpp"

namespace acdsim::sim {

struct StationStats {
  std::uint64_t offered = 0, served = 0, queued = 0, abandoned = 0, dropped = 0;
  std::size_t max_queue = 0;
  double wait_sum = 0;       // seconds, over served
  std::vector<float> waits;  // seconds, one per served (0 when served at once)
};

class Station {
 public:
  // Event types this station pushes: depart_type (a = station, b = server << 32 | epoch)
  // and depart_type + 1 for abandonment (a = station, b = customer id).
  Station(std::uint32_t index, std::vector<std::uint32_t> capacities, model::Duration handle,
          std::optional<model::Duration> patience, std::uint32_t depart_type, bool keep_waits = true);

  void arrive(SimTime now, EventQueue& q, Rng& handle_rng, Rng& patience_rng);
  void depart(SimTime now, std::uint64_t b, EventQueue& q, Rng& handle_rng);
  void abandon(std::uint64_t id);
  // in_service: takes new work; up: keeps what it holds (else it is dropped).
  void set_server(std::uint32_t server, bool in_service, bool up, SimTime now, EventQueue& q, Rng& handle_rng);

  std::size_t servers() const { return servers_.size(); }
  std::uint64_t capacity_in_service() const { return capacity_in_service_; }
  std::size_t queue_depth() const { return waiting_; }
  std::uint32_t busy(std::uint32_t server) const { return servers_[server].busy; }
  bool in_service(std::uint32_t server) const { return servers_[server].in_service; }
  const StationStats& stats() const { return stats_; }
  StationStats& stats() { return stats_; }

 private:
  struct Server {
    std::uint32_t capacity, busy = 0, epoch = 0;
    bool in_service = true, up = true;
  };
  struct Waiting {
    std::uint64_t id;
    SimTime arrival;
  };
  std::optional<std::uint32_t> free_server() const;
  void start(std::uint32_t server, SimTime now, SimTime arrival, EventQueue& q, Rng& handle_rng);
  void pull(std::uint32_t server, SimTime now, EventQueue& q, Rng& handle_rng);

  std::uint32_t index_, depart_type_;
  std::vector<Server> servers_;
  model::Duration handle_;
  std::optional<model::Duration> patience_;
  bool keep_waits_;
  std::deque<Waiting> queue_;
  std::vector<std::uint8_t> gone_;  // by customer id: abandoned (or served) while queued
  std::size_t waiting_ = 0;
  std::uint64_t capacity_in_service_ = 0;
  StationStats stats_;
};

// Erlang C: mean wait in an M/M/c queue (arrival rate lambda, service rate mu).
double erlang_c_mean_wait(unsigned c, double lambda, double mu);

}  // namespace acdsim::sim
