// acdsim fuzz --faults KIND:RATE,... (the fuzz-case input: the case files acdsim fuzz writes
// are replayed by command line, never read back): planner::parse_fault_rates; the CLI turns
// std::invalid_argument into exit 2.
// Contract: the input parses or std::invalid_argument is thrown.
#include <stdexcept>

#include "acdsim/model/input_error.hpp"
#include "inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = acdsim::fuzz::as_text(data, size);
  acdsim::fuzz::expect_only<std::invalid_argument>([&] { acdsim::fuzz::read_fault_rates(text); });
  return 0;
}
