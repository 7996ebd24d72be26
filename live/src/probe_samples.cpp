// What a configured probe can ever say: representative outputs of its command,
// read by the real parsers (observe_output). The plan review asks these which
// waits the probes can prove before anything runs; nothing here decides a
// state by itself.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "acdsim/live/observe.hpp"
#include "acdsim/model/kinds.hpp"

namespace acdsim::live {

using model::KindId;

namespace {

struct Sample {
  std::string output;
  int exit_status;
};
using Samples = std::vector<Sample>;

bool has(std::string_view text, std::string_view word) { return text.find(word) != std::string_view::npos; }

const Samples kSystemdUnit = {{"active\n", 0}, {"inactive\n", 3}, {"activating\n", 3}, {"deactivating\n", 3}, {"failed\n", 3}};
const Samples kMysqladminPing = {
    {"mysqld is alive\n", 0},
    {"mysqladmin: connect to server at 'localhost' failed\nerror: 'Can't connect to local server through socket "
     "'/run/mysqld/mysqld.sock' (2)'\n", 1}};
const Samples kHttp = {{"200", 0}, {"503", 0}, {"000", 7}};
const Samples kSystemRunning = {{"running\n", 0}, {"degraded\n", 1}, {"starting\n", 1}, {"initializing\n", 1}, {"stopping\n", 1}};
const Samples kTrue = {{"", 0}};
const Samples kMountpoint = {{"/home/jtel/shared is a mountpoint\n", 0}, {"/home/jtel/shared is not a mountpoint\n", 32}};

Samples concat(std::initializer_list<const Samples*> parts) {
  Samples out;
  for (const Samples* p : parts) out.insert(out.end(), p->begin(), p->end());
  return out;
}

Samples replication_samples() {
  Samples out;
  for (const char* io : {"Yes", "Connecting", "No"})
    for (const char* sql : {"Yes", "No"})
      out.push_back({std::string("*************************** 1. row ***************************\n"
                                 "Slave_IO_State: Waiting for master to send event\nSlave_IO_Running: ") +
                         io + "\nSlave_SQL_Running: " + sql + "\n",
                     0});
  out.push_back({"ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)\n", 1});
  return out;
}

// /proc/drbd (8.4) lines; drbdadm status reads onto the same connection, role and disk states.
Samples drbd_samples(int minor) {
  Samples out;
  const std::string head = "version: 8.4.11 (api:1/proto:86-101)\n";
  for (const char* cs : {"Connected", "WFConnection", "StandAlone", "SyncSource", "SyncTarget"})
    for (const char* ro : {"Primary", "Secondary"})
      for (const char* ds : {"UpToDate", "Inconsistent"})
        out.push_back({head + " " + std::to_string(minor) + ": cs:" + cs + " ro:" + ro + "/Secondary ds:" + ds +
                           "/UpToDate C r-----\n",
                       0});
  out.push_back({head, 0});  // the minor not listed: not configured
  return out;
}

// pcs status (pacemaker 2.x layout) as one node sees it.
Samples pcs_samples(const std::string& node) {
  Samples out = {{"Error: cluster is not currently running on this node\n", 1}};
  for (const char* list : {"Online: [ ", "Node ", "OFFLINE: [ "})
    for (bool quorum : {true, false})
      for (bool started : {true, false})
        for (bool failed : {false, true}) {
          const std::string status = std::string(list) == "Node " ? "  * Node " + node + ": standby\n"
                                                                   : std::string("  * ") + list + node + " ]\n";
          std::string text = "Cluster name: c\nCluster Summary:\n  * Stack: corosync (Pacemaker is running)\n"
                             "  * Current DC: " + node + " (version 2.1.5-a3f44794f94) - partition " +
                             (quorum ? "with quorum" : "WITHOUT quorum") +
                             "\n  * 2 nodes configured\n  * 1 resource instance configured\n\nNode List:\n" + status +
                             "\nFull List of Resources:\n  * vip\t(ocf:heartbeat:IPaddr2):\t " +
                             (started ? "Started " + node : std::string("Stopped")) + "\n";
          if (failed)
            text += "\nFailed Resource Actions:\n  * vip start on " + node +
                    " returned 'error' (failed) at Tue Mar  5 10:01:02 2024 after 52ms\n";
          out.push_back({text, 0});
        }
  return out;
}

// The outputs this probe's command can give, told by the words of its template.
Samples samples_for(KindId kind, std::string_view probe, std::string_view command, int drbd_minor, const std::string& node) {
  const bool systemd = has(command, "systemctl") && has(command, "is-active");
  const bool curl = has(command, "curl") || has(command, "wget");
  const bool ping = has(command, "mysqladmin") || has(command, "mariadb-admin");
  if (probe == "reachable") {
    if (has(command, "is-system-running")) return kSystemRunning;
    if (command == "true" || command == "/bin/true" || command == "/usr/bin/true") return kTrue;
    return concat({&kSystemRunning, &kTrue});
  }
  if (probe == "service_state") {
    if (systemd) return kSystemdUnit;
    if (ping) return kMysqladminPing;
    return concat({&kSystemdUnit, &kMysqladminPing});
  }
  if (probe == "app_state") {
    if (systemd) return kSystemdUnit;
    if (curl) return kHttp;
    return concat({&kSystemdUnit, &kHttp});
  }
  if (probe == "router_http") return kHttp;
  if (probe == "share_mounted") return kMountpoint;
  if (probe == "replication_status") return replication_samples();
  if (kind == KindId::Drbd) return drbd_samples(drbd_minor);
  if (kind == KindId::Pacemaker) return pcs_samples(node);
  return {};
}

}  // namespace

std::vector<Observer::Possible> Observer::possible_observations(const std::string& host) const {
  std::vector<Possible> out;
  const std::string resource = system_.topology().storage_cluster ? system_.topology().storage_cluster->resource : "";
  for (const Planned& p : plan(host)) {
    const model::ComponentRef& ref = system_.component(p.component);
    Possible possible{p.component, p.probe, p.error.empty() ? p.shown : "not available: " + p.error, {}};
    if (p.error.empty()) {
      const CommandTemplate* t = inventory_.probe(host, p.probe);
      for (const Sample& s : samples_for(ref.kind, p.probe, t->text(), inventory_.drbd_minor, ref.host)) {
        Observation o = observe_output(ref.kind, p.probe, s.output, s.exit_status, resource, inventory_.drbd_minor, ref.host);
        if (o.known) possible.observations.push_back(std::move(o));
      }
      if (ref.kind == KindId::Vm) {
        // Not answering ssh: the hypervisor tells off, shutting down, or "running" (booting or shutting down).
        if (p.endpoint->transport == Transport::Ssh)
          possible.observations.push_back(observe_output(KindId::Vm, "reachable", "ssh: connect to host: Connection refused", 255));
        if (inventory_.hypervisor && inventory_.probe(host, "vm_state"))
          for (const char* state : {"running\n", "shut off\n", "in shutdown\n"})
            possible.observations.push_back(unreachable_vm(observe_output(KindId::Vm, "vm_state", state, 0)));
      }
    }
    out.push_back(std::move(possible));
  }
  return out;
}

}  // namespace acdsim::live
