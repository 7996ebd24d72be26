// The catalogue of operator actions a procedure step may name.
#pragma once
#include <optional>
#include <span>
#include <string_view>

#include "acdsim/model/kinds.hpp"

namespace acdsim::model {

// What a step's target must resolve to for this action.
enum class TargetType : std::uint8_t {
  Host,       // a host (power actions)
  Component,  // one component of the given kind on a host
  Cluster,    // the storage cluster (pcs ... --all); a host of it also accepted
  None,       // "check": no target needed (only a wait)
};

struct ActionSpec {
  std::string_view name;      // "drbdadm_primary"
  TargetType target;
  KindId kind;                // for Component (and Cluster: Pacemaker); Vm for Host
  std::string_view command;   // what an operator types, e.g. "drbdadm primary {resource}"
  std::string_view summary;   // one line
};

std::span<const ActionSpec> all_actions();
const ActionSpec* find_action(std::string_view name);

}  // namespace acdsim::model
