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

std::optional<KindId> kind_by_name(std::string_view name) {
  for (KindId id : kAll)
    if (kind_spec(id).name == name) return id;
  return std::nullopt;
}

std::span<const KindId> all_kinds() { return kAll; }

}  // namespace acdsim::model
