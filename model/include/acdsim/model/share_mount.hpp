// The CIFS mount of /home/jtel/shared on a web or telephony host.
//
// States: Unmounted (host down), Mounted, MountFailed, Stale.
//   Unmounted   --host_booted--> Mounted      [storage_serving]
//   Unmounted   --host_booted--> MountFailed  [!storage_serving]  (boot goes on; no retry)
//   MountFailed --remount-->     Mounted      [storage_serving]   (manual mount /home/jtel/shared)
//   Stale       --remount-->     Mounted      [storage_serving]
//   Mounted     --storage_lost-->  Stale      [!storage_serving]  (I/O errors or hangs)
//   Stale       --storage_back-->  Mounted    [storage_serving]   (kernel reconnects)
//   any         --host_shutdown / host_lost--> Unmounted
// host_shutdown comes with the VM's shutdown_complete, not its shutdown: the
// share is unmounted after the units that use it stopped, so a host that is
// shutting down still holds it (and sees it go Stale) until it is off.
#pragma once
#include "acdsim/model/machine.hpp"

namespace acdsim::model::share_mount {

enum class Event : EventId { HostBooted, Remount, StorageLost, StorageBack, HostShutdown, HostLost, Count };

namespace fact {
inline constexpr FactBits kStorageServing = 1u << 0;  // the share's server exports it now
}

enum class Pred : PredicateId { Unmounted, Mounted, MountFailed, Stale, Count };

const KindSpec& kind();

}  // namespace acdsim::model::share_mount
