// Application servers: JBoss/WildFly web servers (kind "jboss", with a
// deployed edition) and telephony servers (kind "telephony", no editions).
// Both share this event/fact/predicate vocabulary; each is its own MSM
// machine in its own translation unit.
//
// States: Stopped, Starting, Deploying, Running, Degraded, Draining, Stopping, Failed.
// Attributes: edition (0 = old, 1 = new; jboss only), share_broken (started
// without the share: it wrote into the local directory that a later mount
// hides, DOMAIN.md 5; sticky until restart unless heals_after_share).
//   Stopped        --host_booted-->     Starting  [autostart]
//   Stopped|Failed --start-->           Starting
//   Starting       --start_complete-->  Deploying
//   Deploying      --deploy_complete--> Running   [share_ok && db_ok]
//   Deploying      --deploy_complete--> Degraded  [!(share_ok && db_ok)]; share_broken = !share_ok
//   Starting|Deploying --start_failed--> Failed   (fault, e.g. deployment timeout 600 s)
//   Running|Draining --deps_lost-->     Degraded  [!(share_ok && db_ok)]   (a share going stale, the DB down)
//   Degraded       --deps_back-->       Running   [share_ok && db_ok &&
//                                                  (share_broken ? heals_after_share : heals_after_db)];
//                                                 share_broken cleared (the share has healed)
//   Running        --drain-->           Draining  (quiesce: no new work)
//   Draining       --resume-->          Running
//   Starting|Deploying|Running|Degraded|Draining --stop / host_shutdown--> Stopping
//   Stopping       --stop_complete-->   Stopped   (share_broken cleared)
//   any            --host_lost-->       Stopped   (share_broken cleared)
//   Stopped        --update_edition-->  Stopped, edition = 1 (jboss only; telephony: not enabled)
// heals_after_db: the application recovers by itself from a loss while running
// (DB back: JDBC pools reconnect; a stale share reconnected by the kernel).
// heals_after_share: it recovers from having started without the share once
// the share is mounted (default no: a restart is needed). Both are topology
// parameters; DOMAIN.md 6 leaves them open.
// Names: the state, then " edition=new" for edition 1 (jboss), then
// " share-broken" if set. E.g. "Running edition=new", "Degraded share-broken".
#pragma once
#include "acdsim/model/machine.hpp"

namespace acdsim::model::app_server {

enum class Event : EventId {
  HostBooted, Start, StartComplete, DeployComplete, StartFailed, DepsLost, DepsBack,
  Drain, Resume, Stop, HostShutdown, StopComplete, HostLost, UpdateEdition, Count
};

namespace fact {
inline constexpr FactBits kAutostart = 1u << 0;
inline constexpr FactBits kShareOk = 1u << 1;          // share mounted (or not needed)
inline constexpr FactBits kDbOk = 1u << 2;             // DB master reachable (or not needed)
inline constexpr FactBits kHealsAfterShare = 1u << 3;  // parameter
inline constexpr FactBits kHealsAfterDb = 1u << 4;     // parameter
}

enum class Pred : PredicateId {
  Stopped, Starting, Deploying, Running, Degraded, Draining, Stopping, Failed,
  InService,  // Running (takes new work)
  NewEdition, // edition == 1
  ServingOld, // InService && edition == 0
  ServingNew, // InService && edition == 1
  Up,         // Running, Degraded or Draining (process up, app deployed)
  ShareBroken,  // started without the share (needs a restart unless heals_after_share)
  Count
};

}  // namespace acdsim::model::app_server

namespace acdsim::model::jboss {
const KindSpec& kind();
}
namespace acdsim::model::telephony {
const KindSpec& kind();
}
