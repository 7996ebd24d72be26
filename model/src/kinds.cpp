#include "acdsim/model/kinds.hpp"

#include <array>

#include "acdsim/model/app_server.hpp"
#include "acdsim/model/drbd.hpp"
#include "acdsim/model/hazelcast.hpp"
#include "acdsim/model/pacemaker.hpp"
#include "acdsim/model/replication.hpp"
#include "acdsim/model/router.hpp"
#include "acdsim/model/service.hpp"
#include "acdsim/model/share_mount.hpp"
#include "acdsim/model/vm.hpp"

namespace acdsim::model {
namespace {
constexpr std::array<KindId, static_cast<std::size_t>(KindId::Count)> kAll = {
    KindId::Vm,        KindId::Service,   KindId::Replication, KindId::ShareMount, KindId::Jboss,
    KindId::Telephony, KindId::Hazelcast, KindId::Router,      KindId::Drbd,       KindId::Pacemaker};
}

const KindSpec& kind_spec(KindId id) {
  switch (id) {
    case KindId::Vm: return vm::kind();
    case KindId::Service: return service::kind();
    case KindId::Replication: return replication::kind();
    case KindId::ShareMount: return share_mount::kind();
    case KindId::Jboss: return jboss::kind();
    case KindId::Telephony: return telephony::kind();
    case KindId::Hazelcast: return hazelcast::kind();
    case KindId::Router: return router::kind();
    case KindId::Drbd: return drbd::kind();
    case KindId::Pacemaker: return pacemaker::kind();
    case KindId::Count: break;
  }
  return vm::kind();
}

namespace {
template <class P>
constexpr HealthTerm healthy(P p, bool holds = true, HealthScope scope = HealthScope::Settles) {
  return HealthTerm{static_cast<PredicateId>(p), holds, scope};
}
constexpr HealthTerm kVmHealth[] = {healthy(vm::Pred::Up)};
constexpr HealthTerm kServiceHealth[] = {healthy(service::Pred::Running)};
constexpr HealthTerm kReplicationHealth[] = {healthy(replication::Pred::Healthy)};
constexpr HealthTerm kShareMountHealth[] = {healthy(share_mount::Pred::Mounted)};
constexpr HealthTerm kAppServerHealth[] = {healthy(app_server::Pred::InService)};
constexpr HealthTerm kHazelcastHealth[] = {healthy(hazelcast::Pred::InCluster)};
constexpr HealthTerm kRouterHealth[] = {healthy(router::Pred::Routing, true, HealthScope::NeedsPeers)};
constexpr HealthTerm kDrbdHealth[] = {healthy(drbd::Pred::Linked, true, HealthScope::NeedsPeers),
                                      healthy(drbd::Pred::UpToDate)};
constexpr HealthTerm kPacemakerHealth[] = {healthy(pacemaker::Pred::Quorate),
                                           healthy(pacemaker::Pred::Banned, false, HealthScope::Operator)};
}  // namespace

std::span<const HealthTerm> health_terms(KindId id) {
  switch (id) {
    case KindId::Vm: return kVmHealth;
    case KindId::Service: return kServiceHealth;
    case KindId::Replication: return kReplicationHealth;
    case KindId::ShareMount: return kShareMountHealth;
    case KindId::Jboss:
    case KindId::Telephony: return kAppServerHealth;
    case KindId::Hazelcast: return kHazelcastHealth;
    case KindId::Router: return kRouterHealth;
    case KindId::Drbd: return kDrbdHealth;
    case KindId::Pacemaker: return kPacemakerHealth;
    case KindId::Count: break;
  }
  return {};
}

std::optional<KindId> kind_by_name(std::string_view name) {
  for (KindId id : kAll)
    if (kind_spec(id).name == name) return id;
  return std::nullopt;
}

std::span<const KindId> all_kinds() { return kAll; }

}  // namespace acdsim::model
