// `pcs status` / `crm_mon -1` output: live::read_pacemaker_status and parse_pcs_status.
// Contract: never a throw (output not understood is reported as unknown).
#include "acdsim/model/input_error.hpp"
#include "inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = acdsim::fuzz::as_text(data, size);
  acdsim::fuzz::expect_no_throw([&] { acdsim::fuzz::read_pacemaker(text); });
  return 0;
}
