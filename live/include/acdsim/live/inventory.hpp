// The inventory: where each host of a topology is reached (address and
// transport) and which command template each action and probe uses, with jtel
// defaults. Format acdsim-inventory/1, docs/live.md. Bad input -> InputError.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acdsim/live/command.hpp"
#include "acdsim/model/topology.hpp"

namespace acdsim::live {

enum class Transport : std::uint8_t { Ssh, Local };

// How one machine is reached (a host of the topology, or the hypervisor).
struct Endpoint {
  std::string name;     // alias, or "hypervisor"
  std::string address;  // DNS name or IP (ssh); ignored for local
  Transport transport = Transport::Ssh;
  std::string user;     // ssh login
  int port = 22;
};

struct SshSettings {
  std::string user = "root";
  int port = 22;
  double connect_timeout_s = 10;
  std::string identity_file;     // -i, optional (default: ssh's own)
  std::string known_hosts_file;  // UserKnownHostsFile, optional
  bool multiplex = false;        // one ssh connection per host for the whole run (ControlMaster)
  std::string control_dir;       // set by SshMultiplexer while it lives
};

// Probe names (what is asked of a host; docs/live.md lists their parsers).
inline constexpr std::string_view kProbeNames[] = {
    "reachable", "vm_state", "service_state", "replication_status", "share_mounted",
    "app_state", "router_http", "drbd_status", "pcs_status"};

struct Inventory {
  std::string source_file;
  SshSettings ssh;
  std::map<std::string, Endpoint> hosts;  // every host of the topology
  std::optional<Endpoint> hypervisor;     // runs power_on / power_off / vm_state
  std::map<std::string, std::string> units;  // component name -> systemd unit ("mysql" -> "mariadb")
  std::string mount_point = "/home/jtel/shared";
  int drbd_minor = 0;                        // the resource's minor in /proc/drbd
  double command_timeout_s = 120, probe_timeout_s = 15, poll_interval_s = 2;
  // Templates: defaults, then the file's "actions"/"probes", then per host.
  std::map<std::string, CommandTemplate> actions, probes;
  std::map<std::string, std::map<std::string, CommandTemplate>> host_actions, host_probes;
  // "secrets": name -> value read from the file the inventory names; only
  // {secret:NAME} uses it, and output and journal show *** instead.
  std::map<std::string, std::string> secrets;

  // nullptr when the action has no command (no default and none configured).
  const CommandTemplate* action(std::string_view host, std::string_view action) const;
  const CommandTemplate* probe(std::string_view host, std::string_view probe) const;
  std::string unit(std::string_view component) const;
};

// Placeholders each action / probe may use.
std::vector<std::string_view> action_placeholders(std::string_view action);
std::vector<std::string_view> probe_placeholders(std::string_view probe);
// The jtel default template of an action ("" if none: app_drain, rollout actions).
std::string_view default_action_template(std::string_view action);
std::string_view default_probe_template(std::string_view probe);

// Reads an inventory for a topology; every host of the topology must be listed.
Inventory load_inventory(const std::string& path, const model::Topology& topology);
Inventory parse_inventory(const std::string& text, const std::string& file_name, const model::Topology& topology);

}  // namespace acdsim::live
