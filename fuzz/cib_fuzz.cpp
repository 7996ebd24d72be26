// Pacemaker CIBs (acdsim import cib): model::cib::import_cib over the XML reader.
// Contract: the input maps or acdsim::model::InputError is thrown.
#include "acdsim/model/input_error.hpp"
#include "inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = acdsim::fuzz::as_text(data, size);
  acdsim::fuzz::expect_only<acdsim::model::InputError>([&] { acdsim::fuzz::read_cib(text); });
  return 0;
}
