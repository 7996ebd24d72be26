// Application servers: JBoss/WildFly web servers (kind "jboss", with a
// deployed edition) and telephony servers (kind "telephony", no editions).
// Both share this event/fact/predicate vocabulary; each is its own MSM
// machine in its own translation unit.
//
// States: Stopped, Starting, Deploying, Running, Degraded, Draining, Stopping, Failed.
// Attributes: edition (0 = old, 1 = new; jboss only), share_broken (started
// or ran without the share; sticky until restart unless heals_after_share).
//   Stopped        --host_booted-->     Starting  [autostart]
//   Stopped|Failed --start-->           Starting
//   Starting       --start_complete-->  Deploying
//   Deploying      --deploy_complete--> Running   [share_ok && db_ok]
//   Deploying      --deploy_complete--> Degraded  [!(share_ok && db_ok)]; share_broken = !share_ok
//   Starting|Deploying --start_failed--> Failed   (fault, e.g. deployment timeout 600 s)
//   Running|Draining --deps_lost-->     Degraded  [!(share_ok && db_ok)]; share_broken |= !share_ok
//   Degraded       --deps_back-->       Running   [share_ok && db_ok && (!share_broken || heals_after_share)]
//                                                 (db loss alone heals when db_ok and heals_after_db);
//                                                 share_broken cleared (the share has healed)
//   Running        --drain-->           Draining  (quiesce: no new work)
//   Draining       --resume-->          Running
//   Starting|Deploying|Running|Degraded|Draining --stop / host_shutdown--> Stopping
//   Stopping       --stop_complete-->   Stopped   (share_broken cleared)
//   any            --host_lost-->       Stopped   (share_broken cleared)
//   Stopped        --update_edition-->  Stopped, edition = 1 (jboss only; telephony: not enabled)
// deps_back for a db-only degradation needs heals_after_db; a share-caused one
// needs heals_after_share (both are topology parameters, DOMAIN.md 6 is open).
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
  Count
};

}  // namespace acdsim::model::app_server

namespace acdsim::model::jboss {
const KindSpec& kind();
}
namespace acdsim::model::telephony {
const KindSpec& kind();
}
