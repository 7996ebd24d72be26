// Names the model's readers share (topology.cpp, procedure.cpp, cib_import.cpp): pacemaker's
// no-quorum-policy names (the topology key and the CIB property alike; the other way:
// to_string) and a topology's host aliases, as the "known:" list of an unknown host.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acdsim/model/topology.hpp"

namespace acdsim::model {

std::optional<NoQuorumPolicy> no_quorum_policy_by_name(std::string_view name);  // "stop", "ignore", ...
std::vector<std::string> host_aliases(const Topology& t);                         // in the file's order

}  // namespace acdsim::model
