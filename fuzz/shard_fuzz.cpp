// Shard files of acdsim fuzz|whatif --shard (acdsim-shard/1, JSON lines, read by acdsim merge):
// model::parse_shard_set, then planner::read_fuzz_shard or sim::read_whatif_shard.
// Contract: the input parses or acdsim::model::InputError is thrown.
#include "acdsim/model/input_error.hpp"
#include "inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = acdsim::fuzz::as_text(data, size);
  acdsim::fuzz::expect_only<acdsim::model::InputError>([&] { acdsim::fuzz::read_shard(text); });
  return 0;
}
