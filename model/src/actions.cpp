#include "acdsim/model/actions.hpp"

#include <array>

namespace acdsim::model {
namespace {

using enum TargetType;
constexpr std::array kActions = {
    ActionSpec{"power_on", Host, KindId::Vm, "virsh start {vm}", "power the VM on (it boots; enabled services start)"},
    ActionSpec{"shutdown", Host, KindId::Vm, "shutdown -h now", "clean OS shutdown: services stop, then the VM powers off"},
    ActionSpec{"power_off", Host, KindId::Vm, "virsh destroy {vm}", "hard power-off (no clean shutdown)"},
    ActionSpec{"systemctl_start", Component, KindId::Service, "systemctl start {unit}", "start a daemon (mysql, samba)"},
    ActionSpec{"systemctl_stop", Component, KindId::Service, "systemctl stop {unit}", "stop a daemon (mysql, samba)"},
    ActionSpec{"stop_slave", Component, KindId::Replication, "mysql -e 'STOP SLAVE'", "stop a replication channel at a known position"},
    ActionSpec{"start_slave", Component, KindId::Replication, "mysql -e 'START SLAVE'", "start a stopped replication channel"},
    ActionSpec{"mount_share", Component, KindId::ShareMount, "mount /home/jtel/shared", "mount the storage share by hand"},
    ActionSpec{"app_start", Component, KindId::Jboss, "systemctl start {unit}", "start the application server"},
    ActionSpec{"app_stop", Component, KindId::Jboss, "systemctl stop {unit}", "stop the application server"},
    ActionSpec{"app_drain", Component, KindId::Jboss, "(router) quiesce {alias}", "quiesce: the server takes no new work"},
    ActionSpec{"app_resume", Component, KindId::Jboss, "(router) resume {alias}", "put a drained server back in service"},
    ActionSpec{"app_update_edition", Component, KindId::Jboss, "deploy new edition on {alias}", "install the new edition on a stopped server"},
    ActionSpec{"telephony_start", Component, KindId::Telephony, "systemctl start {unit}", "start the telephony server"},
    ActionSpec{"telephony_stop", Component, KindId::Telephony, "systemctl stop {unit}", "stop the telephony server"},
    ActionSpec{"router_switch_edition", Component, KindId::Router, "(router) route to new edition", "route all requests to the new edition"},
    ActionSpec{"router_manual_mode", Component, KindId::Router, "(router) dynamic cluster manual mode", "put the dynamic cluster in manual mode"},
    ActionSpec{"router_auto_mode", Component, KindId::Router, "(router) dynamic cluster automatic mode", "restore the dynamic cluster's mode"},
    ActionSpec{"drbdadm_up", Component, KindId::Drbd, "drbdadm up {resource}", "attach and connect the DRBD resource"},
    ActionSpec{"drbdadm_down", Component, KindId::Drbd, "drbdadm down {resource}", "disconnect and detach the DRBD resource"},
    ActionSpec{"drbdadm_primary", Component, KindId::Drbd, "drbdadm primary {resource}", "promote this node to Primary"},
    ActionSpec{"drbdadm_secondary", Component, KindId::Drbd, "drbdadm secondary {resource}", "demote this node to Secondary"},
    ActionSpec{"drbdadm_connect", Component, KindId::Drbd, "drbdadm connect {resource}", "connect a StandAlone node"},
    ActionSpec{"drbdadm_connect_discard", Component, KindId::Drbd, "drbdadm connect --discard-my-data {resource}", "split-brain victim: reconnect, throwing away its own changes"},
    ActionSpec{"drbdadm_disconnect", Component, KindId::Drbd, "drbdadm disconnect {resource}", "disconnect from the peer"},
    ActionSpec{"pcs_cluster_start", Cluster, KindId::Pacemaker, "pcs cluster start [--all]", "start the cluster stack (on one node, or --all on the cluster)"},
    ActionSpec{"pcs_cluster_stop", Cluster, KindId::Pacemaker, "pcs cluster stop [--all]", "stop the cluster stack and its resources"},
    ActionSpec{"pcs_resource_cleanup", Cluster, KindId::Pacemaker, "pcs resource cleanup", "forget failed actions, lift bans"},
    ActionSpec{"pcs_node_standby", Component, KindId::Pacemaker, "pcs node standby {alias}", "move resources away from this node"},
    ActionSpec{"pcs_node_unstandby", Component, KindId::Pacemaker, "pcs node unstandby {alias}", "allow resources on this node again"},
    ActionSpec{"check", None, KindId::Vm, "(observe)", "no command: wait until the step's condition holds"},
};

}  // namespace

std::span<const ActionSpec> all_actions() { return kActions; }

const ActionSpec* find_action(std::string_view name) {
  for (const ActionSpec& a : kActions)
    if (a.name == name) return &a;
  return nullptr;
}

}  // namespace acdsim::model
