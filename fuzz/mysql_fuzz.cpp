// `SHOW SLAVE STATUS\G` / `SHOW REPLICA STATUS\G` output: live::parse_replica_status.
// Contract: never a throw (output not understood is reported as unknown).
#include "acdsim/model/input_error.hpp"
#include "inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = acdsim::fuzz::as_text(data, size);
  acdsim::fuzz::expect_no_throw([&] { acdsim::fuzz::read_mysql(text); });
  return 0;
}
