// Why a run's window ended when it did: every move the run made, with the
// record that made it possible (its cause: the move that enabled an
// environment move, the step completion that let a step be issued), read back
// from the last move as a chain (like systemd-analyze critical-chain).
#pragma once
#include <string>
#include <vector>

#include "acdsim/sim/engine.hpp"
#include "acdsim/sim/simulator.hpp"

namespace acdsim::sim {

class CauseLog {
 public:
  static constexpr int kRoot = -1;  // the procedure start (or the initial state)

  // ready: when the move became possible; at: when it happened. Returns its index.
  int add(std::string what, std::string label, SimTime ready, SimTime at, int cause);
  int last() const { return static_cast<int>(records_.size()) - 1; }
  // The time of record i (kRoot: never, -1).
  SimTime time(int i) const { return i < 0 ? -1 : records_[static_cast<std::size_t>(i)].at; }
  // From the first cause to record end, times in seconds after origin.
  std::vector<ChainLink> chain(int end, SimTime origin) const;
  void clear() { records_.clear(); }

 private:
  struct Record {
    std::string what, label;
    SimTime ready, at;
    int cause;
  };
  std::vector<Record> records_;
};

}  // namespace acdsim::sim
