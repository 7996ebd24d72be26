#include "divergences.hpp"

namespace acdsim::fidelity {

const std::vector<Divergence>& divergences() {
  static const std::vector<Divergence> list{};
  return list;
}

const Divergence* expected_divergence(const Situation& s) {
  for (const Divergence& d : divergences())
    if (d.applies(s)) return &d;
  return nullptr;
}

}  // namespace acdsim::fidelity
