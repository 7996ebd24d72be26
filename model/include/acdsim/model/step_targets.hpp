// Expanding a step's target into the concrete targets its command runs on.
#pragma once
#include <string>
#include <vector>

#include "acdsim/model/procedure.hpp"

namespace acdsim::model {

// "role:jb" -> every host alias with role jb (file order); anything else
// (host, component path, "cluster:<name>") -> itself; no target -> {}.
std::vector<std::string> expand_target(const Topology& topology, const Step& step);

}  // namespace acdsim::model
