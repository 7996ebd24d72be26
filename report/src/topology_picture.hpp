// The topology drawn by Graphviz `dot -Tsvg` (run at run time), or nullopt
// with error saying why (dot not installed, dot failed).
#pragma once
#include <optional>
#include <string>

#include "acdsim/model/topology.hpp"

namespace acdsim::report {

std::optional<std::string> topology_svg(const model::Topology& topology, std::string& error);

}  // namespace acdsim::report
