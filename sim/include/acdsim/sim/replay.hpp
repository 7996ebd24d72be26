// Reading a checker counterexample (acdsim-counterexample/1, written by
// `acdsim check --trace-out`) for a timed replay by the simulator.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "acdsim/sim/simulator.hpp"

namespace acdsim::sim {

struct Counterexample {
  std::string procedure_file;  // resolved: as written, else relative to the counterexample file
  nlohmann::json initial;      // acdsim-snapshot/1 object
  std::vector<ReplayMove> moves;
  std::string invariant, subject;  // what the checker found
};

// Throws model::InputError (file, line, JSON path, what was expected) on bad input.
Counterexample load_counterexample(const std::string& path);
// The same from text already read; path is for messages and to find the procedure beside it.
Counterexample parse_counterexample(const std::string& text, const std::string& path);

}  // namespace acdsim::sim
