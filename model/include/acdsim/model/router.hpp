// Load balancer / On Demand Router for one backend pool (web servers).
//
// States: Down, Queuing (up, no backend of the routed edition in service:
// requests wait in the router queue), Routing.
// Attributes: routed_edition (0 old / 1 new), manual_mode (dynamic cluster in
// manual mode during a rollout).
//   Down    --host_booted-->    Routing  [backend_in_service]
//   Down    --host_booted-->    Queuing  [!backend_in_service]
//   Queuing --backends_up-->    Routing  [backend_in_service]
//   Routing --backends_gone-->  Queuing  [!backend_in_service]
//   Queuing|Routing --switch_edition--> same state, routed_edition = 1
//   Queuing|Routing --manual_mode-->    manual_mode = 1;  --auto_mode--> manual_mode = 0
//   any     --host_shutdown / host_lost--> Down (attributes kept: configuration)
// backend_in_service is computed for the routed edition: the machine picks
// fact kOldInService or kNewInService by its routed_edition.
// Names: "Down", "Queuing", "Routing", then " edition=new", then " manual".
#pragma once
#include "acdsim/model/machine.hpp"

namespace acdsim::model::router {

enum class Event : EventId {
  HostBooted, BackendsUp, BackendsGone, SwitchEdition, ManualMode, AutoMode, HostShutdown, HostLost, Count
};

namespace fact {
inline constexpr FactBits kOldInService = 1u << 0;  // some backend serves edition 0
inline constexpr FactBits kNewInService = 1u << 1;  // some backend serves edition 1
}

enum class Pred : PredicateId { Down, Queuing, Routing, NewEditionRouted, ManualMode, Count };

const KindSpec& kind();

}  // namespace acdsim::model::router
