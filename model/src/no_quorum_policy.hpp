// The one reader of pacemaker's no-quorum-policy names, for the topology key and the CIB
// property alike (the names themselves: to_string in topology.cpp).
#pragma once
#include <optional>
#include <string_view>

#include "acdsim/model/topology.hpp"

namespace acdsim::model {

std::optional<NoQuorumPolicy> no_quorum_policy_by_name(std::string_view name);  // "stop", "ignore", ...

}  // namespace acdsim::model
