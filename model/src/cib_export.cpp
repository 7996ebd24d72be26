// The storage cluster's CIB for one model state (cib.hpp, docs/fidelity.md).
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "acdsim/model/cib.hpp"
#include "acdsim/model/output.hpp"
#include "acdsim/model/pacemaker.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/vm.hpp"
#include "md5.hpp"

namespace acdsim::model::cib {
namespace {

// The resource ids of shared/cib/cib-jtel.xml; the DRBD ones follow the topology's resource name.
struct Ids {
  std::string drbd, clone, fs;
  std::string group = "jtel-share", samba = "samba", vip = "jtel-vip";
  explicit Ids(const std::string& resource) : drbd(resource), clone(resource + "-clone"), fs(resource + "-fs") {}
};

std::string attr(std::string_view text) { return xml_escape(text); }

using Params = std::vector<std::pair<std::string, std::string>>;  // sorted by name

// Pacemaker's op-digest of a non-recurring operation: the MD5 of the resource's parameters as
// " <parameters a="1" b="2"/>\n" (names sorted). Checked against crm_simulate's own output in
// tests/model/cib_test.cpp; without it the scheduler restarts everything that runs.
std::string digest(const Params& params) {
  std::string text = " <parameters";
  for (const auto& [name, value] : params) text += " " + name + "=\"" + attr(value) + "\"";
  return md5_hex(text + "/>\n");
}

Params drbd_params(const StorageCluster& c) { return {{"drbd_resource", c.resource}}; }
const Params kFsParams{{"device", "/dev/drbd0"}, {"directory", "/srv/jtel/shared"}, {"fstype", "ext4"}};
const Params kVipParams{{"ip", "192.0.2.10"}};

void configuration(std::ostream& o, const StorageCluster& c, const ClusterStatus& s, const Ids& id) {
  const std::string d = attr(id.drbd), cl = attr(id.clone), fs = attr(id.fs);
  o << "  <configuration>\n    <crm_config>\n      <cluster_property_set id=\"cib-bootstrap-options\">\n";
  auto prop = [&](std::string_view name, std::string_view value) {
    o << "        <nvpair id=\"cib-bootstrap-options-" << name << "\" name=\"" << name << "\" value=\"" << attr(value)
      << "\"/>\n";
  };
  prop("cluster-infrastructure", "corosync");
  prop("cluster-name", c.name);
  prop("stonith-enabled", c.stonith ? "true" : "false");
  prop("no-quorum-policy", to_string(c.no_quorum_policy));
  o << "      </cluster_property_set>\n    </crm_config>\n    <nodes>\n";
  for (std::size_t n = 0; n < 2; ++n) {
    const NodeStatus& node = s.nodes[n];
    o << "      <node id=\"" << n + 1 << "\" uname=\"" << attr(node.name) << "\"";
    if (!node.standby) {
      o << "/>\n";
      continue;
    }
    o << ">\n        <instance_attributes id=\"nodes-" << n + 1 << "\">\n          <nvpair id=\"nodes-" << n + 1
      << "-standby\" name=\"standby\" value=\"on\"/>\n        </instance_attributes>\n      </node>\n";
  }
  o << "    </nodes>\n    <resources>\n";
  if (c.drbd_managed_by_pacemaker) {
    o << "      <clone id=\"" << cl << "\">\n"
      << "        <primitive id=\"" << d << "\" class=\"ocf\" provider=\"linbit\" type=\"drbd\">\n"
      << "          <instance_attributes id=\"" << d << "-instance_attributes\">\n"
      << "            <nvpair id=\"" << d << "-instance_attributes-drbd_resource\" name=\"drbd_resource\" value=\""
      << attr(c.resource) << "\"/>\n          </instance_attributes>\n          <operations>\n"
      << "            <op id=\"" << d << "-monitor-interval-29s\" name=\"monitor\" interval=\"29s\" role=\"Promoted\"/>\n"
      << "            <op id=\"" << d << "-monitor-interval-31s\" name=\"monitor\" interval=\"31s\" role=\"Unpromoted\"/>\n"
      << "          </operations>\n        </primitive>\n"
      << "        <meta_attributes id=\"" << cl << "-meta_attributes\">\n";
    for (const auto& [name, value] : {std::pair{"clone-max", "2"}, {"clone-node-max", "1"}, {"notify", "true"},
                                      {"promotable", "true"}, {"promoted-max", c.allow_two_primaries ? "2" : "1"},
                                      {"promoted-node-max", "1"}})
      o << "          <nvpair id=\"" << cl << "-meta_attributes-" << name << "\" name=\"" << name << "\" value=\"" << value
        << "\"/>\n";
    o << "        </meta_attributes>\n      </clone>\n";
  } else {
    o << "      <!-- DRBD resource " << xml_escape(c.resource)
      << " is brought up by hand (drbd_managed_by_pacemaker false): no clone -->\n";
  }
  if (c.stonith)  // stonith-enabled without a fencing device starts nothing at all
    o << "      <primitive id=\"fencing\" class=\"stonith\" type=\"fence_virsh\"/>\n";
  o << "      <primitive id=\"" << fs << "\" class=\"ocf\" provider=\"heartbeat\" type=\"Filesystem\">\n"
    << "        <instance_attributes id=\"" << fs << "-instance_attributes\">\n"
    << "          <nvpair id=\"" << fs << "-instance_attributes-device\" name=\"device\" value=\"/dev/drbd0\"/>\n"
    << "          <nvpair id=\"" << fs << "-instance_attributes-directory\" name=\"directory\" value=\"/srv/jtel/shared\"/>\n"
    << "          <nvpair id=\"" << fs << "-instance_attributes-fstype\" name=\"fstype\" value=\"ext4\"/>\n"
    << "        </instance_attributes>\n      </primitive>\n"
    << "      <group id=\"" << id.group << "\">\n"
    << "        <primitive id=\"" << id.samba << "\" class=\"systemd\" type=\"smb\"/>\n"
    << "        <primitive id=\"" << id.vip << "\" class=\"ocf\" provider=\"heartbeat\" type=\"IPaddr2\">\n"
    << "          <instance_attributes id=\"" << id.vip << "-instance_attributes\">\n"
    << "            <nvpair id=\"" << id.vip << "-instance_attributes-ip\" name=\"ip\" value=\"192.0.2.10\"/>\n"
    << "          </instance_attributes>\n        </primitive>\n      </group>\n    </resources>\n    <constraints>\n";
  if (c.drbd_managed_by_pacemaker)
    o << "      <rsc_colocation id=\"colocation-" << fs << "-" << cl << "-INFINITY\" rsc=\"" << fs << "\" with-rsc=\"" << cl
      << "\" with-rsc-role=\"Promoted\" score=\"INFINITY\"/>\n"
      << "      <rsc_order id=\"order-" << cl << "-" << fs << "-mandatory\" first=\"" << cl
      << "\" first-action=\"promote\" then=\"" << fs << "\" then-action=\"start\"/>\n";
  o << "      <rsc_colocation id=\"colocation-" << id.group << "-" << fs << "-INFINITY\" rsc=\"" << id.group
    << "\" with-rsc=\"" << fs << "\" score=\"INFINITY\"/>\n"
    << "      <rsc_order id=\"order-" << fs << "-" << id.group << "-mandatory\" first=\"" << fs
    << "\" first-action=\"start\" then=\"" << id.group << "\" then-action=\"start\"/>\n"
    << "    </constraints>\n    <rsc_defaults>\n      <meta_attributes id=\"rsc_defaults-meta_attributes\">\n"
    << "        <nvpair id=\"rsc_defaults-meta_attributes-resource-stickiness\" name=\"resource-stickiness\" value=\""
    << c.resource_stickiness << "\"/>\n      </meta_attributes>\n    </rsc_defaults>\n  </configuration>\n";
}

// One operation in the local resource manager's history. Expected rc is 0 except for probes
// (7: not running); rc 8 is "running Promoted".
void op(std::ostream& o, const std::string& rsc, const Params& params, std::string_view id_suffix,
        std::string_view operation, int rc, int call, int expected) {
  const std::string r = attr(rsc);
  o << "            <lrm_rsc_op id=\"" << r << "_" << id_suffix << "\" operation_key=\"" << r << "_" << operation
    << "_0\" operation=\"" << operation << "\" crm_feature_set=\"3.16.1\" transition-key=\"" << call << ":-1:"
    << expected << ":00000000-0000-0000-0000-000000000000\" transition-magic=\"0:" << rc << ";" << call << ":-1:"
    << expected << ":00000000-0000-0000-0000-000000000000\" exit-reason=\"\" call-id=\"" << call << "\" rc-code=\""
    << rc << "\" op-status=\"0\" interval=\"0\" last-rc-change=\"1\" exec-time=\"0\" queue-time=\"0\" op-digest=\""
    << digest(params) << "\"/>\n";
}

void node_status(std::ostream& o, const StorageCluster& c, const NodeStatus& n, std::size_t number, const Ids& id) {
  o << "    <node_state id=\"" << number << "\" uname=\"" << attr(n.name) << "\" "
    << (n.online ? "in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\""
                 : "in_ccm=\"false\" crmd=\"offline\" join=\"down\" expected=\"down\"");
  if (!n.online) {  // the history of a node that left is not read; its resources are stopped
    o << "/>\n";
    return;
  }
  o << ">\n";
  const bool attributes = n.master_score || n.start_failed;
  if (attributes) {
    o << "      <transient_attributes id=\"" << number << "\">\n        <instance_attributes id=\"status-" << number
      << "\">\n";
    if (n.master_score)
      o << "          <nvpair id=\"status-" << number << "-master-" << attr(id.drbd) << "\" name=\"master-"
        << attr(id.drbd) << "\" value=\"" << *n.master_score << "\"/>\n";
    if (n.start_failed)
      o << "          <nvpair id=\"status-" << number << "-fail-count-" << attr(id.fs) << ".start_0\" name=\"fail-count-"
        << attr(id.fs) << "#start_0\" value=\"INFINITY\"/>\n"
        << "          <nvpair id=\"status-" << number << "-last-failure-" << attr(id.fs)
        << ".start_0\" name=\"last-failure-" << attr(id.fs) << "#start_0\" value=\"1\"/>\n";
    o << "        </instance_attributes>\n      </transient_attributes>\n";
  }
  o << "      <lrm id=\"" << number << "\">\n        <lrm_resources>\n";
  auto resource = [&](const std::string& rsc, std::string_view cls, std::string_view provider, std::string_view type) {
    o << "          <lrm_resource id=\"" << attr(rsc) << "\" class=\"" << cls << "\"";
    if (!provider.empty()) o << " provider=\"" << provider << "\"";
    o << " type=\"" << type << "\">\n";
  };
  if (c.drbd_managed_by_pacemaker) {
    resource(id.drbd, "ocf", "linbit", "drbd");
    if (n.drbd == InstanceRole::Promoted) op(o, id.drbd, drbd_params(c), "last_0", "promote", 0, 3, 0);
    else if (n.drbd == InstanceRole::Unpromoted) op(o, id.drbd, drbd_params(c), "last_0", "start", 0, 2, 0);
    else op(o, id.drbd, drbd_params(c), "last_0", "monitor", 7, 1, 7);
    o << "          </lrm_resource>\n";
  }
  resource(id.fs, "ocf", "heartbeat", "Filesystem");
  if (n.share_running) op(o, id.fs, kFsParams, "last_0", "start", 0, 4, 0);
  else if (n.start_failed) {
    op(o, id.fs, kFsParams, "last_failure_0", "start", 1, 4, 0);
    op(o, id.fs, kFsParams, "last_0", "stop", 0, 5, 0);
  } else op(o, id.fs, kFsParams, "last_0", "monitor", 7, 1, 7);
  o << "          </lrm_resource>\n";
  resource(id.samba, "systemd", "", "smb");
  op(o, id.samba, {}, "last_0", n.share_running ? "start" : "monitor", n.share_running ? 0 : 7, n.share_running ? 6 : 1,
     n.share_running ? 0 : 7);
  o << "          </lrm_resource>\n";
  resource(id.vip, "ocf", "heartbeat", "IPaddr2");
  op(o, id.vip, kVipParams, "last_0", n.share_running ? "start" : "monitor", n.share_running ? 0 : 7, n.share_running ? 7 : 1,
     n.share_running ? 0 : 7);
  o << "          </lrm_resource>\n        </lrm_resources>\n      </lrm>\n    </node_state>\n";
}

}  // namespace

std::string_view to_string(InstanceRole role) {
  switch (role) {
    case InstanceRole::Stopped: return "Stopped";
    case InstanceRole::Unpromoted: return "Unpromoted";
    case InstanceRole::Promoted: return "Promoted";
  }
  return "?";
}

DrbdView drbd_view(std::string_view name) {
  DrbdView v;
  std::istringstream words{std::string(name)};
  std::string role;
  words >> v.connection >> role >> v.disk;
  v.configured = v.connection != "Unconfigured";
  v.primary = role == "Primary";
  return v;
}

std::optional<int> master_score(const DrbdView& d) {
  if (!d.configured || d.connection == "SyncTarget") return std::nullopt;
  const bool linked = d.connection == "Connected" || d.connection == "SyncSource";
  if (d.disk == "UpToDate") return d.primary || linked ? 10000 : 1000;
  if (d.disk == "Consistent") return linked ? 10 : 0;
  return std::nullopt;  // Inconsistent, Outdated
}

ClusterStatus status_of(const System& system, const Snapshot& state) {
  const auto& cluster = system.topology().storage_cluster;
  if (!cluster) throw std::invalid_argument("the topology has no storage_cluster");
  ClusterStatus s;
  bool any_online = false, any_quorate = false;
  for (std::size_t n = 0; n < 2; ++n) {
    NodeStatus& node = s.nodes[n];
    node.name = cluster->nodes[n];
    const ComponentIndex vm = *system.vm_of(node.name);
    const ComponentIndex pm = *system.find(node.name + "/pacemaker");
    const ComponentIndex drbd = *system.find(node.name + "/drbd");
    auto holds = [&](ComponentIndex c, auto pred) { return system.holds(state, {c, static_cast<PredicateId>(pred)}); };
    node.online = holds(vm, vm::Pred::Up) && holds(pm, pacemaker::Pred::Online);
    node.standby = holds(pm, pacemaker::Pred::Standby);
    const DrbdView d = drbd_view(system.table(drbd).name(state[drbd]));
    if (node.online && cluster->drbd_managed_by_pacemaker && d.configured) {
      node.drbd = d.primary ? InstanceRole::Promoted : InstanceRole::Unpromoted;
      node.master_score = master_score(d);
    }
    node.share_running = node.online && (holds(pm, pacemaker::Pred::Active) || holds(pm, pacemaker::Pred::Stopping));
    node.start_failed = node.online && holds(pm, pacemaker::Pred::Banned);
    any_online = any_online || node.online;
    any_quorate = any_quorate || (node.online && holds(pm, pacemaker::Pred::Quorate));
  }
  s.quorum = !any_online || any_quorate;
  return s;
}

std::string cib_xml(const StorageCluster& cluster, const ClusterStatus& status) {
  const Ids id(cluster.resource);
  std::ostringstream o;
  o << "<cib crm_feature_set=\"3.16.1\" validate-with=\"pacemaker-3.9\" epoch=\"1\" num_updates=\"0\" "
       "admin_epoch=\"0\" have-quorum=\""
    << (status.quorum ? 1 : 0) << "\">\n";
  configuration(o, cluster, status, id);
  o << "  <status>\n";
  for (std::size_t n = 0; n < 2; ++n) node_status(o, cluster, status.nodes[n], n + 1, id);
  o << "  </status>\n</cib>\n";
  return o.str();
}

}  // namespace acdsim::model::cib
