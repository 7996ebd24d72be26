// The documented divergences of the model from Pacemaker's scheduler (docs/fidelity.md): each
// names a class of situations, and the differential test fails when a situation of the class
// agrees (the entry is stale) as well as when a situation outside every class disagrees.
#pragma once
#include "situation.hpp"

namespace acdsim::fidelity {

struct Divergence {
  const char* name;
  const char* situations;  // the class, in words
  bool (*applies)(const Situation&);
  const char* reason;
};

const std::vector<Divergence>& divergences();
// The first divergence whose class contains s, or nullptr.
const Divergence* expected_divergence(const Situation& s);

}  // namespace acdsim::fidelity
