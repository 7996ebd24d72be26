// VM power state of one host.
//
// States: Off, Booting, Up, ShuttingDown.
//   Off          --power_on-->              Booting
//   Booting      --boot_complete-->         Up
//   Up           --shutdown-->              ShuttingDown   (guest OS shutdown; services stop)
//   ShuttingDown --shutdown_complete-->     Off            [services_stopped]
//   any but Off  --power_off / crash-->     Off            (hard power-off / crash fault)
#pragma once
#include "acdsim/model/machine.hpp"

namespace acdsim::model::vm {

enum class Event : EventId { PowerOn, BootComplete, Shutdown, ShutdownComplete, PowerOff, Crash, Count };

namespace fact {
inline constexpr FactBits kServicesStopped = 1u << 0;  // every service on the host is stopped
}

enum class Pred : PredicateId { Off, Booting, Up, ShuttingDown, Count };

const KindSpec& kind();

}  // namespace acdsim::model::vm
