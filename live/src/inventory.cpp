#include "acdsim/live/inventory.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <utility>

#include "acdsim/model/actions.hpp"
#include "acdsim/model/input_error.hpp"
#include "json_source.hpp"

namespace acdsim::live {

using model::json_input::Source;
using model::json_input::Range;
using model::json_input::Value;
namespace limits = model::json_input::limits;

namespace {

struct Default {
  std::string_view name, text;
};

// jtel defaults (DOMAIN.md 1 and the seed); "" = no command known for jtel.
constexpr std::array kActionDefaults = {
    Default{"power_on", "virsh start {vm}"},
    Default{"power_off", "virsh destroy {vm}"},
    Default{"shutdown", "shutdown -h now"},
    Default{"systemctl_start", "systemctl start {unit}"},
    Default{"systemctl_stop", "systemctl stop {unit}"},
    Default{"stop_slave", "mysql -e 'STOP SLAVE'"},
    Default{"start_slave", "mysql -e 'START SLAVE'"},
    Default{"mount_share", "mount /home/jtel/shared"},
    Default{"app_start", "systemctl start {unit}"},
    Default{"app_stop", "systemctl stop {unit}"},
    Default{"app_drain", ""},
    Default{"app_resume", ""},
    Default{"app_update_edition", ""},
    Default{"telephony_start", "systemctl start {unit}"},
    Default{"telephony_stop", "systemctl stop {unit}"},
    Default{"router_switch_edition", ""},
    Default{"router_manual_mode", ""},
    Default{"router_auto_mode", ""},
    Default{"drbdadm_up", "drbdadm up {resource}"},
    Default{"drbdadm_down", "drbdadm down {resource}"},
    Default{"drbdadm_primary", "drbdadm primary {resource}"},
    Default{"drbdadm_secondary", "drbdadm secondary {resource}"},
    Default{"drbdadm_connect", "drbdadm connect {resource}"},
    Default{"drbdadm_connect_discard", "drbdadm connect --discard-my-data {resource}"},
    Default{"drbdadm_disconnect", "drbdadm disconnect {resource}"},
    // On a node target; the _all forms for the target cluster:<name>.
    Default{"pcs_cluster_start", "pcs cluster start"},
    Default{"pcs_cluster_start_all", "pcs cluster start --all"},
    Default{"pcs_cluster_stop", "pcs cluster stop"},
    Default{"pcs_cluster_stop_all", "pcs cluster stop --all"},
    Default{"pcs_resource_cleanup", "pcs resource cleanup"},
    Default{"pcs_node_standby", "pcs node standby {alias}"},
    Default{"pcs_node_unstandby", "pcs node unstandby {alias}"},
};

constexpr std::array kProbeDefaults = {
    Default{"reachable", "systemctl is-system-running"},
    Default{"vm_state", "virsh domstate {vm}"},
    Default{"service_state", "systemctl is-active {unit}"},
    Default{"replication_status", "mysql -e 'SHOW SLAVE STATUS\\G'"},
    Default{"share_mounted", "mountpoint /home/jtel/shared"},
    Default{"app_state", "systemctl is-active {unit}"},
    Default{"router_http", "curl -s -o /dev/null -w '%{{http_code}}' --max-time 5 http://{address}/"},
    Default{"drbd_status", "cat /proc/drbd"},
    Default{"pcs_status", "pcs status"},
};

template <std::size_t N>
const Default* find_default(const std::array<Default, N>& table, std::string_view name) {
  for (const Default& d : table)
    if (d.name == name) return &d;
  return nullptr;
}

const std::map<std::string, std::string, std::less<>> kDefaultUnits = {
    {"mysql", "mariadb"}, {"samba", "smbd"}, {"jboss", "jboss"}, {"telephony", "jtel-telephony"}};

std::vector<std::string> action_names() {
  std::vector<std::string> out;
  for (const Default& d : kActionDefaults) out.emplace_back(d.name);
  return out;
}
std::vector<std::string> probe_names() {
  std::vector<std::string> out;
  for (const Default& d : kProbeDefaults) out.emplace_back(d.name);
  return out;
}

bool valid_address(std::string_view a) { return safe_value(a) && a.find('@') == std::string_view::npos; }
bool valid_user(std::string_view u) {
  return !u.empty() && u.size() <= 32 && (std::islower(static_cast<unsigned char>(u[0])) || u[0] == '_') &&
         std::all_of(u.begin(), u.end(), [](char c) {
           return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '-';
         });
}

CommandTemplate parse_template(const Value& v, const std::vector<std::string_view>& allowed) {
  try {
    return CommandTemplate(v.nonempty_string(), allowed);
  } catch (const UnsafeValue& e) {
    v.fail(e.what());
  }
}

void read_templates(const Value& obj, bool actions, std::map<std::string, CommandTemplate>& out,
                    const std::vector<std::string>& secret_names) {
  obj.require_object();
  for (auto& [name, v] : obj.members()) {
    const bool known = actions ? find_default(kActionDefaults, name) != nullptr : find_default(kProbeDefaults, name) != nullptr;
    if (!known)
      v.fail(std::string("unknown ") + (actions ? "action" : "probe") + " \"" + name + "\" (known: " +
             model::json_input::join_names(actions ? action_names() : probe_names(), 40) + ")");
    auto allowed = actions ? action_placeholders(name) : probe_placeholders(name);
    allowed.insert(allowed.end(), secret_names.begin(), secret_names.end());
    out[name] = parse_template(v, allowed);
  }
}

int read_port(const Value& v) {
  return static_cast<int>(v.whole_number(1, 65535));  // a port
}

Endpoint read_endpoint(const Value& v, std::string name, const SshSettings& ssh, bool with_templates,
                       Inventory* inventory, const std::vector<std::string>& secret_names) {
  v.require_object();
  if (with_templates) v.allow_keys({"address", "transport", "user", "port", "actions", "probes"});
  else v.allow_keys({"address", "transport", "user", "port"});
  Endpoint e{name, "", Transport::Ssh, ssh.user, ssh.port};
  if (auto t = v.find("transport")) {
    const std::string& s = t->string();
    if (s == "ssh") e.transport = Transport::Ssh;
    else if (s == "local") e.transport = Transport::Local;
    else t->fail("unknown transport \"" + s + "\" (expected ssh or local)");
  }
  if (auto a = v.find("address")) {
    if (!valid_address(a->string()))
      a->fail("address \"" + a->string() + "\" is not a host name or IP address (letters, digits, . - : only)");
    e.address = a->string();
  } else if (e.transport == Transport::Ssh) {
    v.fail("missing key \"address\" (needed for transport ssh)");
  }
  if (auto u = v.find("user")) {
    if (!valid_user(u->string())) u->fail("user \"" + u->string() + "\" is not a valid login name");
    e.user = u->string();
  }
  if (auto p = v.find("port")) e.port = read_port(*p);
  if (with_templates) {
    if (auto a = v.find("actions")) read_templates(*a, true, inventory->host_actions[name], secret_names);
    if (auto p = v.find("probes")) read_templates(*p, false, inventory->host_probes[name], secret_names);
  }
  return e;
}

Inventory parse(const Source& source, const model::Topology& topology) {
  Inventory inv;
  inv.source_file = source.file();
  for (const Default& d : kActionDefaults)
    if (!d.text.empty()) inv.actions[std::string(d.name)] = CommandTemplate(std::string(d.text), action_placeholders(d.name));
  for (const Default& d : kProbeDefaults)
    inv.probes[std::string(d.name)] = CommandTemplate(std::string(d.text), probe_placeholders(d.name));
  for (const auto& [component, unit] : kDefaultUnits) inv.units[component] = unit;

  const Value root = source.root();
  root.require_object();
  root.allow_keys({"format", "description", "topology", "ssh", "timeouts", "hypervisor", "units", "drbd_minor",
                   "secrets", "actions", "probes", "hosts"});
  const Value format = root.at("format");
  if (format.string() != "acdsim-inventory/1")
    format.fail("expected \"acdsim-inventory/1\", got \"" + format.string() + "\"");
  std::vector<std::string> secret_names;  // "secret:NAME", allowed in every template
  if (auto secrets = root.find("secrets")) {
    secrets->require_object();
    for (auto& [name, v] : secrets->members()) {
      if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'; }))
        v.fail("secret name \"" + name + "\": expected lower-case letters, digits and _");
      // The file's first line is the secret; its content never appears in a message.
      std::ifstream in(v.nonempty_string());
      std::string value;
      if (!in || !std::getline(in, value) || value.empty())
        v.fail("cannot read a secret (one non-empty line) from \"" + v.string() + "\"");
      if (!value.empty() && value.back() == '\r') value.pop_back();
      inv.secrets[name] = value;
      secret_names.push_back("secret:" + name);
    }
  }
  if (auto d = root.find("description")) (void)d->string();
  if (auto t = root.find("topology")) (void)t->nonempty_string();
  if (auto ssh = root.find("ssh")) {
    ssh->require_object();
    ssh->allow_keys({"user", "port", "connect_timeout", "identity_file", "known_hosts_file", "multiplex"});
    if (auto m = ssh->find("multiplex")) inv.ssh.multiplex = m->boolean();
    if (auto u = ssh->find("user")) {
      if (!valid_user(u->string())) u->fail("user \"" + u->string() + "\" is not a valid login name");
      inv.ssh.user = u->string();
    }
    if (auto p = ssh->find("port")) inv.ssh.port = read_port(*p);
    if (auto c = ssh->find("connect_timeout")) {
      // ssh takes whole seconds (ConnectTimeout=N): at least 1, at most an hour
      inv.ssh.connect_timeout_s = c->duration(Range{1, limits::kMaxSshConnectTimeoutS});
    }
    // Passed to ssh as "-o Key=path": blanks or quotes would be read as ssh syntax.
    auto path = [](const Value& v) {
      const std::string& p = v.nonempty_string();
      if (p.find_first_of(" \t\n'\"\\") != std::string::npos) v.fail("expected a path without blanks, quotes or backslashes");
      return p;
    };
    if (auto i = ssh->find("identity_file")) inv.ssh.identity_file = path(*i);
    if (auto k = ssh->find("known_hosts_file")) inv.ssh.known_hosts_file = path(*k);
  }
  if (auto t = root.find("timeouts")) {
    t->require_object();
    t->allow_keys({"command", "probe", "poll"});
    auto positive = [](const Value& v) {
      return v.duration(Range{0, limits::kMaxDurationS, /*min_open=*/true});
    };
    if (auto c = t->find("command")) inv.command_timeout_s = positive(*c);
    if (auto p = t->find("probe")) inv.probe_timeout_s = positive(*p);
    if (auto p = t->find("poll")) inv.poll_interval_s = positive(*p);
  }
  if (auto u = root.find("units")) {
    u->require_object();
    for (auto& [component, v] : u->members()) {
      if (!kDefaultUnits.contains(component))
        v.fail("unknown component \"" + component + "\" (expected mysql, samba, jboss or telephony)");
      if (!safe_value(v.string())) v.fail("unit \"" + v.string() + "\" is not a systemd unit name (letters, digits, . _ - : @)");
      inv.units[component] = v.string();
    }
  }
  if (auto m = root.find("drbd_minor")) {
    inv.drbd_minor = static_cast<int>(m->whole_number(0, 1048575));  // a DRBD minor number
  }
  if (auto a = root.find("actions")) read_templates(*a, true, inv.actions, secret_names);
  if (auto p = root.find("probes")) read_templates(*p, false, inv.probes, secret_names);
  if (auto h = root.find("hypervisor")) inv.hypervisor = read_endpoint(*h, "hypervisor", inv.ssh, false, &inv, secret_names);

  const Value hosts = root.at("hosts");
  hosts.require_object();
  for (auto& [alias, v] : hosts.members()) {
    if (!topology.find_host(alias)) {
      std::vector<std::string> known;
      for (const auto& host : topology.hosts) known.push_back(host.alias);
      v.fail("unknown host \"" + alias + "\" (topology " + topology.name + " has: " + model::json_input::join_names(known) + ")");
    }
    inv.hosts[alias] = read_endpoint(v, alias, inv.ssh, true, &inv, secret_names);
  }
  for (const auto& host : topology.hosts)
    if (!inv.hosts.contains(host.alias))
      hosts.fail("missing host \"" + host.alias + "\": every host of topology " + topology.name + " needs an entry");
  // Without a hypervisor entry, power actions and vm_state run where acdsim runs.
  if (!inv.hypervisor) inv.hypervisor = Endpoint{"hypervisor", "", Transport::Local, "", 0};
  return inv;
}

}  // namespace

std::vector<std::string_view> action_placeholders(std::string_view action) {
  std::vector<std::string_view> out = {"alias", "address", "vm"};
  if (action.ends_with("_all")) action.remove_suffix(4);
  const model::ActionSpec* spec = model::find_action(action);
  if (!spec) return out;
  switch (spec->kind) {
    case model::KindId::Service:
    case model::KindId::Jboss:
    case model::KindId::Telephony: out.push_back("unit"); break;
    case model::KindId::Drbd: out.push_back("resource"); break;
    case model::KindId::Replication: out.push_back("master"); break;
    case model::KindId::Pacemaker: out.push_back("resource"); break;
    default: break;
  }
  return out;
}

std::vector<std::string_view> probe_placeholders(std::string_view probe) {
  std::vector<std::string_view> out = {"alias", "address", "vm"};
  if (probe == "service_state" || probe == "app_state") out.push_back("unit");
  if (probe == "drbd_status" || probe == "pcs_status") out.push_back("resource");
  if (probe == "replication_status") out.push_back("master");
  return out;
}

std::string_view default_action_template(std::string_view action) {
  const Default* d = find_default(kActionDefaults, action);
  return d ? d->text : std::string_view();
}
std::string_view default_probe_template(std::string_view probe) {
  const Default* d = find_default(kProbeDefaults, probe);
  return d ? d->text : std::string_view();
}

const CommandTemplate* Inventory::action(std::string_view host, std::string_view name) const {
  if (auto h = host_actions.find(std::string(host)); h != host_actions.end())
    if (auto it = h->second.find(std::string(name)); it != h->second.end()) return &it->second;
  auto it = actions.find(std::string(name));
  return it == actions.end() ? nullptr : &it->second;
}

const CommandTemplate* Inventory::probe(std::string_view host, std::string_view name) const {
  if (auto h = host_probes.find(std::string(host)); h != host_probes.end())
    if (auto it = h->second.find(std::string(name)); it != h->second.end()) return &it->second;
  auto it = probes.find(std::string(name));
  return it == probes.end() ? nullptr : &it->second;
}

std::string Inventory::unit(std::string_view component) const {
  auto it = units.find(std::string(component));
  return it == units.end() ? std::string(component) : it->second;
}

Inventory load_inventory(const std::string& path, const model::Topology& topology) {
  const Source source = Source::load(path);
  return parse(source, topology);
}

Inventory parse_inventory(const std::string& text, const std::string& file_name, const model::Topology& topology) {
  const Source source(text, file_name);
  return parse(source, topology);
}

}  // namespace acdsim::live
