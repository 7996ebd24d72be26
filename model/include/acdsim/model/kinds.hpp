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

}  // namespace acdsim::model
