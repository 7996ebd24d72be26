// A systemd-managed daemon: the MySQL/MariaDB server, or Samba on a
// non-redundant storage host.
//
// States: Stopped, Starting, Running, Stopping, Failed.
//   Stopped  --host_booted-->    Starting   [autostart]   (enabled at boot)
//   Stopped|Failed --start-->    Starting                 (systemctl start)
//   Starting --start_complete--> Running
//   Starting --start_failed-->   Failed                   (fault)
//   Running|Starting --stop-->   Stopping                 (systemctl stop)
//   Running|Starting --host_shutdown--> Stopping          (OS shutdown stops it)
//   Stopping --stop_complete-->  Stopped
//   any      --host_lost-->      Stopped                  (power lost; also in Stopped)
#pragma once
#include "acdsim/model/machine.hpp"

namespace acdsim::model::service {

enum class Event : EventId {
  HostBooted, Start, StartComplete, StartFailed, Stop, HostShutdown, StopComplete, HostLost, Count
};

namespace fact {
inline constexpr FactBits kAutostart = 1u << 0;  // unit enabled at boot (topology parameter)
}

enum class Pred : PredicateId { Stopped, Starting, Running, Stopping, Failed, Count };

const KindSpec& kind();

}  // namespace acdsim::model::service
