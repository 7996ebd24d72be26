// The registry of component kinds.
#pragma once
#include <optional>
#include <span>
#include <string_view>

#include "acdsim/model/machine.hpp"

namespace acdsim::model {

// Order is the KindId; never persisted (names are).
enum class KindId : std::uint8_t {
  Vm, Service, Replication, ShareMount, Jboss, Telephony, Hazelcast, Router, Drbd, Pacemaker, Count
};

const KindSpec& kind_spec(KindId id);
std::optional<KindId> kind_by_name(std::string_view name);
std::span<const KindId> all_kinds();

// What healthy means for a component of a kind once a started cluster has
// settled. One table serves the checker's startup goal (every term) and the
// planner's settled barriers (only what a host reaches by itself).
enum class HealthScope : std::uint8_t {
  Settles,     // holds once the host's own start finished (the layers before it up)
  NeedsPeers,  // needs hosts that start with it or later (a DRBD link, a router's backends)
  Operator,    // changed only by an operator (a pacemaker ban): checked, never waited for
};
struct HealthTerm {
  PredicateId predicate;
  bool holds;  // healthy when the predicate has this value
  HealthScope scope;
};
std::span<const HealthTerm> health_terms(KindId id);

}  // namespace acdsim::model
