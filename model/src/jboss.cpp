// JBoss/WildFly web server machine: the application-server machine with
// editions (see app_server.hpp for the transition list).
#include "acdsim/model/app_server.hpp"

#include "app_server_machine.hpp"

namespace acdsim::model::jboss {

const KindSpec& kind() {
  static const KindSpec spec = app_server::machine_spec<true>("jboss");
  return spec;
}

}  // namespace acdsim::model::jboss
