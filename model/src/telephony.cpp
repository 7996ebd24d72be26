// Telephony server machine: the application-server machine without editions
// (see app_server.hpp for the transition list; update_edition is not enabled).
#include "acdsim/model/app_server.hpp"

#include "app_server_machine.hpp"

namespace acdsim::model::telephony {

const KindSpec& kind() {
  static const KindSpec spec = app_server::machine_spec<false>("telephony");
  return spec;
}

}  // namespace acdsim::model::telephony
