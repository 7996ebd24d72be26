// DRBD status: /proc/drbd (8.x) and `drbdadm status` (9.x).
// Contract: never a throw (output not understood is reported as unknown).
#include "acdsim/model/input_error.hpp"
#include "inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = acdsim::fuzz::as_text(data, size);
  acdsim::fuzz::expect_no_throw([&] { acdsim::fuzz::read_drbd(text); });
  return 0;
}
