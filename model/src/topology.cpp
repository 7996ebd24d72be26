// Reading and validating topology files (format: docs/formats.md).
#include "acdsim/model/topology.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "acdsim/model/command_value.hpp"
#include "acdsim/model/components.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/kinds.hpp"
#include "json_source.hpp"
#include "topology_names.hpp"

namespace acdsim::model {
namespace {

using json_input::join_names;
using json_input::Source;
using json_input::Range;
using json_input::Value;
namespace limits = json_input::limits;

constexpr std::array<std::string_view, static_cast<std::size_t>(Role::Count)> kRoleNames = {
    "store", "lb", "dbm", "dbs", "dbr", "jb", "tel", "api", "chat", "chatbot"};

constexpr std::string_view kFormat = "acdsim-topology/1";

std::string q(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Pacemaker's spelling, in NoQuorumPolicy's order: the topology key and the CIB property alike.
constexpr std::array<std::string_view, 4> kNoQuorumPolicyNames = {"stop", "ignore", "demote", "freeze"};

std::vector<std::string> all_role_names() { return {kRoleNames.begin(), kRoleNames.end()}; }

bool is_alias(std::string_view s) {
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (s.empty() || !lower_or_digit(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return lower_or_digit(c) || c == '-'; });
}

class TopologyParser {
 public:
  explicit TopologyParser(const Source& source) : src_(source), root_(source.root()) {}

  Topology parse() {
    root_.allow_keys({"format", "name", "description", "hosts", "share_server", "storage_cluster", "replication",
                      "hazelcast", "pools", "parameters", "accepts"});
    const Value format = root_.at("format");
    if (format.string() != kFormat) format.fail("expected " + q(kFormat) + ", got " + q(format.string()));
    t_.source_file = src_.file();
    t_.name = root_.at("name").nonempty_string();
    if (auto d = root_.find("description")) t_.description = d->string();
    if (auto a = root_.find("accepts")) t_.accepts = json_input::severities(*a);
    parse_hosts();
    if (auto sc = root_.find("storage_cluster")) parse_storage_cluster(*sc);
    parse_share_server();
    if (auto r = root_.find("replication")) parse_replication(*r);
    if (auto h = root_.find("hazelcast")) parse_hazelcast(*h);
    if (auto p = root_.find("pools")) parse_pools(*p);
    try {
      components_ = components_of(t_);
      for (std::size_t i = 0; i < components_.size(); ++i) components_of_host_[components_[i].host].push_back(i);
    } catch (const InputError& e) {
      throw InputError(src_.file(), e.json_path(), src_.line_of(e.json_path()), e.message());
    }
    if (auto p = root_.find("parameters")) parse_parameters(*p);
    return std::move(t_);
  }

 private:
  // The host a string value names; "unknown host" otherwise.
  const Host& host_at(const Value& v) const {
    const std::string& alias = v.string();
    if (const Host* h = t_.find_host(alias)) return *h;
    v.fail("unknown host " + q(alias) + " (known: " + join_names(host_aliases(t_)) + ")");
  }

  // The named host, which must carry one of roles (what: "a replication master").
  const Host& host_with_role(const Value& v, std::initializer_list<Role> roles, const std::string& what) const {
    const Host& h = host_at(v);
    for (Role r : roles)
      if (t_.has_role(h.alias, r)) return h;
    std::vector<std::string> names;
    for (Role r : roles) names.emplace_back(to_string(r));
    std::string need = names.size() == 1 ? "role " + names[0] : "one of the roles " + join_names(names);
    v.fail("host " + q(h.alias) + " cannot be " + what + ": it has no " + need);
  }

  // A list of distinct host aliases, each carrying one of roles.
  std::vector<std::string> host_list(const Value& v, std::initializer_list<Role> roles, const std::string& what) const {
    std::vector<std::string> out;
    std::unordered_set<std::string_view> listed;  // views of the hosts' aliases (t_.hosts is complete)
    for (const Value& item : v.nonempty_array()) {
      const Host& h = host_with_role(item, roles, what);
      if (!listed.insert(h.alias).second) item.fail("host " + q(h.alias) + " listed twice");
      out.push_back(h.alias);
    }
    return out;
  }

  void parse_hosts() {
    std::map<std::string, std::string> first;  // alias -> pointer of its first definition
    for (const Value& hv : root_.at("hosts").nonempty_array()) {
      hv.allow_keys({"alias", "roles", "vm"});
      Host host;
      const Value alias = hv.at("alias");
      host.alias = alias.string();
      if (!is_alias(host.alias))
        alias.fail("expected a host alias of lower-case letters, digits and '-' (not starting with '-'), got " +
                   q(host.alias));
      if (auto [it, fresh] = first.emplace(host.alias, hv.pointer()); !fresh)
        alias.fail("duplicate host alias " + q(host.alias) + " (first at " + it->second + ")");
      for (const Value& rv : hv.at("roles").array()) {
        const std::string& name = rv.string();
        std::optional<Role> role = role_by_name(name);
        if (!role) rv.fail("unknown role " + q(name) + " (known: " + join_names(all_role_names()) + ")");
        if (std::find(host.roles.begin(), host.roles.end(), *role) != host.roles.end())
          rv.fail("role " + q(name) + " listed twice");
        host.roles.push_back(*role);
      }
      host.vm_name = host.alias;
      if (auto vm = hv.find("vm")) {
        host.vm_name = vm->nonempty_string();
        // acdsim run substitutes it into commands: refuse at validate what it would refuse there
        if (!is_command_value(host.vm_name))
          vm->fail("VM name " + q(host.vm_name) + ": " + std::string(kCommandValueRule));
      }
      t_.hosts.push_back(std::move(host));
    }
    t_.index_hosts();
  }

  void parse_storage_cluster(const Value& v) {
    v.allow_keys({"name", "nodes", "resource", "construction", "allow_two_primaries", "drbd_managed_by_pacemaker",
                  "pacemaker_autostart", "no_quorum_policy", "stonith", "resource_stickiness"});
    StorageCluster sc;
    if (auto name = v.find("name")) {
      sc.name = name->nonempty_string();
      if (t_.find_host(sc.name))
        name->fail("cluster name " + q(sc.name) +
                   " is also a host alias; share_server and targets could not tell them apart");
    }
    const Value nodes = v.at("nodes");
    sc.nodes = host_list(nodes, {Role::Store}, "a storage cluster node");
    if (sc.nodes.size() != 2)
      nodes.fail("expected exactly 2 nodes (a DRBD pair), got " + std::to_string(sc.nodes.size()));
    if (auto r = v.find("resource")) sc.resource = r->nonempty_string();
    std::optional<Value> construction = v.find("construction");
    if (construction) {
      const std::string& c = construction->string();
      if (c == "primary_primary") sc.construction = DrbdConstruction::PrimaryPrimary;
      else if (c == "primary_secondary") sc.construction = DrbdConstruction::PrimarySecondary;
      else construction->fail("expected \"primary_secondary\" or \"primary_primary\", got " + q(c));
    }
    std::optional<Value> two = v.find("allow_two_primaries");
    if (two) sc.allow_two_primaries = two->boolean();
    if (auto m = v.find("drbd_managed_by_pacemaker")) sc.drbd_managed_by_pacemaker = m->boolean();
    if (auto a = v.find("pacemaker_autostart")) sc.pacemaker_autostart = a->boolean();
    if (auto p = v.find("no_quorum_policy")) {
      const std::string& s = p->string();
      const std::optional<NoQuorumPolicy> policy = no_quorum_policy_by_name(s);
      if (!policy) p->fail("expected \"stop\", \"ignore\", \"demote\" or \"freeze\", got " + q(s));
      sc.no_quorum_policy = *policy;
    }
    if (auto st = v.find("stonith")) sc.stonith = st->boolean();
    // pacemaker's INFINITY is 1000000; a score beyond it is a typo
    if (auto k = v.find("resource_stickiness")) sc.resource_stickiness = static_cast<int>(k->whole_number(-1000000, 1000000));
    if (sc.construction == DrbdConstruction::PrimaryPrimary && !sc.allow_two_primaries) {
      const std::string msg =
          "construction primary_primary needs \"allow_two_primaries\": true (DRBD refuses a second Primary otherwise)";
      if (two) two->fail(msg);
      construction->fail(msg);
    }
    t_.storage_cluster = std::move(sc);
  }

  bool is_cluster_node(const std::string& alias) const {
    if (!t_.storage_cluster) return false;
    const auto& nodes = t_.storage_cluster->nodes;
    return std::find(nodes.begin(), nodes.end(), alias) != nodes.end();
  }

  void parse_share_server() {
    bool needed = false;
    for (const Host& h : t_.hosts) needed = needed || t_.has_role(h.alias, Role::Jb) || t_.has_role(h.alias, Role::Tel);
    std::optional<Value> v = root_.find("share_server");
    if (!v) {
      if (needed)
        root_.fail("missing key \"share_server\" (hosts with role jb or tel mount the share: name a host with role "
                   "store or the storage cluster)");
      return;
    }
    const std::string& s = v->string();
    if (t_.storage_cluster && s == t_.storage_cluster->name) {
      t_.share_server = s;
      return;
    }
    std::vector<std::string> candidates;
    for (const Host& h : t_.hosts)
      if (t_.has_role(h.alias, Role::Store) && !is_cluster_node(h.alias)) candidates.push_back(h.alias);
    if (t_.storage_cluster) candidates.push_back(t_.storage_cluster->name);
    const std::string expected = "expected a host with role store that is not a storage cluster node, or the storage "
                                 "cluster's name (candidates: " +
                                 (candidates.empty() ? std::string("none") : join_names(candidates)) + ")";
    const Host* h = t_.find_host(s);
    if (!h) v->fail("unknown share server " + q(s) + ": " + expected);
    if (!t_.has_role(s, Role::Store)) v->fail("host " + q(s) + " has no role store: " + expected);
    if (is_cluster_node(s))
      v->fail("host " + q(s) + " is a node of storage cluster " + q(t_.storage_cluster->name) +
              ": name the cluster instead");
    t_.share_server = s;
  }

  void parse_replication(const Value& v) {
    std::map<std::pair<std::string, std::string>, std::string> seen;
    for (const Value& lv : v.array()) {
      lv.allow_keys({"master", "replica", "skip_slave_start", "connect_retry", "catch_up_ratio"});
      ReplicationLink link;
      link.master = host_with_role(lv.at("master"), {Role::Dbm}, "a replication master").alias;
      const Value replica = lv.at("replica");
      link.replica = host_with_role(replica, {Role::Dbm, Role::Dbs, Role::Dbr}, "a replica").alias;
      if (link.master == link.replica) replica.fail("host " + q(link.replica) + " cannot replicate from itself");
      if (auto s = lv.find("skip_slave_start")) link.skip_slave_start = s->boolean();
      if (auto r = lv.find("connect_retry")) link.connect_retry_s = r->duration(Range{0, limits::kMaxDurationS, /*min_open=*/true});
      if (auto c = lv.find("catch_up_ratio")) link.catch_up_ratio = c->number(Range{0, 1000}, "seconds of catch-up per second behind");
      if (auto [it, fresh] = seen.emplace(std::pair{link.master, link.replica}, lv.pointer()); !fresh)
        lv.fail("duplicate replication link " + link.master + " -> " + link.replica + " (first at " + it->second + ")");
      t_.replication.push_back(std::move(link));
    }
  }

  void parse_hazelcast(const Value& v) {
    std::map<std::string, std::string> group_of;  // member -> group name
    std::set<std::string> names;
    for (const Value& gv : v.array()) {
      gv.allow_keys({"name", "members"});
      HazelcastGroup g;
      if (auto n = gv.find("name")) {
        g.name = n->nonempty_string();
        if (names.count(g.name)) n->fail("duplicate hazelcast group name " + q(g.name));
      } else if (names.count(g.name)) {
        gv.fail("duplicate hazelcast group name " + q(g.name) + " (the default): give each group a \"name\"");
      }
      names.insert(g.name);
      const std::vector<Value> items = gv.at("members").nonempty_array();
      g.members = host_list(gv.at("members"), {Role::Jb, Role::Tel}, "a hazelcast member");
      for (std::size_t i = 0; i < g.members.size(); ++i) {
        if (auto [it, fresh] = group_of.emplace(g.members[i], g.name); !fresh)
          items[i].fail("host " + q(g.members[i]) + " is already a member of hazelcast group " + q(it->second));
      }
      t_.hazelcast.push_back(std::move(g));
    }
  }

  void parse_pools(const Value& v) {
    std::set<std::string> names;
    for (const Value& pv : v.array()) {
      pv.allow_keys({"name", "router", "backends"});
      RouterPool p;
      if (auto n = pv.find("name")) {
        p.name = n->nonempty_string();
        if (names.count(p.name)) n->fail("duplicate pool name " + q(p.name));
      } else if (names.count(p.name)) {
        pv.fail("duplicate pool name " + q(p.name) + " (the default): give each pool a \"name\"");
      }
      names.insert(p.name);
      p.router = host_with_role(pv.at("router"), {Role::Lb}, "a router").alias;
      p.backends = host_list(pv.at("backends"), {Role::Jb}, "a pool backend");
      t_.pools.push_back(std::move(p));
    }
  }

  void parse_parameters(const Value& v) {
    v.allow_keys({"app_heals_after_share", "app_heals_after_db", "services_autostart", "durations", "capacities", "workload"});
    Parameters& p = t_.params;
    if (auto b = v.find("app_heals_after_share")) p.app_heals_after_share = b->boolean();
    if (auto b = v.find("app_heals_after_db")) p.app_heals_after_db = b->boolean();
    if (auto b = v.find("services_autostart")) p.services_autostart = b->boolean();
    if (auto d = v.find("durations"))
      for (const auto& [key, value] : d->members()) {
        check_duration_key(key, value);
        p.durations[key] = parse_distribution(value);
      }
    if (auto c = v.find("capacities"))
      for (const auto& [key, value] : c->members()) {
        if (!role_by_name(key) && !t_.find_host(key))
          value.fail("unknown role or host " + q(key) + " (roles: " + join_names(all_role_names()) +
                     "; hosts: " + join_names(host_aliases(t_)) + ")");
        p.capacities[key] = value.number(Range{0, limits::kMaxCapacity, /*min_open=*/true}, "a capacity");
      }
    if (auto w = v.find("workload"))
      for (const auto& [key, value] : w->members()) p.workload.push_back(parse_workload(key, value));
  }

  WorkloadClass parse_workload(const std::string& name, const Value& v) const {
    v.allow_keys({"role", "peak_per_hour", "profile", "handle", "patience"});
    WorkloadClass c;
    c.name = name;
    const Value rv = v.at("role");
    const std::optional<Role> role = role_by_name(rv.string());
    if (!role || (*role != Role::Jb && *role != Role::Tel))
      rv.fail("expected the role of the servers taking this work, \"jb\" or \"tel\", got " + q(rv.string()));
    c.role = *role;
    bool any = false;
    for (const Host& h : t_.hosts) any |= t_.has_role(h.alias, c.role);
    if (!any) rv.fail("no host has role " + rv.string());
    const Value pv = v.at("peak_per_hour");
    c.peak_per_hour = pv.number(Range{0, limits::kMaxPeakPerHour}, "arrivals per hour");
    if (auto prof = v.find("profile")) {
      const std::vector<Value> hours = prof->array();
      if (hours.size() != 24) prof->fail("expected 24 hourly factors, got " + std::to_string(hours.size()));
      for (const Value& h : hours) {
        c.profile.push_back(h.number(Range{0, 1}, "a factor of the peak"));
      }
    }
    if (auto h = v.find("handle")) c.handle = parse_distribution(*h);
    if (auto pa = v.find("patience")) c.patience = parse_distribution(*pa);
    return c;
  }

  static std::vector<std::string> names_of(std::span<const std::string_view> names) {
    return {names.begin(), names.end()};
  }

  // "<kind>.<event>" or "<alias>/<component>.<event>".
  void check_duration_key(const std::string& key, const Value& at) const {
    const std::size_t dot = key.rfind('.');
    if (dot == std::string::npos)
      at.fail("expected a key \"<kind>.<event>\" or \"<alias>/<component>.<event>\", got " + q(key));
    const std::string subject = key.substr(0, dot);
    const std::string event = key.substr(dot + 1);
    KindId kind{};
    std::string kind_text;
    if (const std::size_t slash = subject.find('/'); slash != std::string::npos) {
      const std::string alias = subject.substr(0, slash);
      if (!t_.find_host(alias))
        at.fail("unknown host " + q(alias) + " in " + q(key) + " (known: " + join_names(host_aliases(t_)) + ")");
      std::vector<std::string> on_host;
      const ComponentRef* found = nullptr;
      for (std::size_t i : components_of_host_.at(alias)) {
        const ComponentRef& c = components_[i];
        on_host.push_back(c.name);
        if (c.path() == subject) found = &c;
      }
      if (!found)
        at.fail("host " + q(alias) + " has no component " + q(subject.substr(slash + 1)) +
                " (it has: " + join_names(on_host) + ")");
      kind = found->kind;
      kind_text = subject + " (a " + std::string(kind_spec(kind).name) + ")";
    } else {
      std::optional<KindId> k = kind_by_name(subject);
      if (!k) {
        std::vector<std::string> kinds;
        for (KindId id : all_kinds()) kinds.emplace_back(kind_spec(id).name);
        at.fail("unknown kind " + q(subject) + " in " + q(key) + " (known: " + join_names(kinds) + ")");
      }
      kind = *k;
      kind_text = "kind " + subject;
    }
    const auto events = kind_spec(kind).events;
    if (std::find(events.begin(), events.end(), event) == events.end())
      at.fail("unknown event " + q(event) + " of " + kind_text + " (known: " + join_names(names_of(events)) + ")");
  }

  static Duration parse_distribution(const Value& v) {
    Duration d;
    if (!v.is_object()) {
      if (!v.is_number() && !v.is_string())
        v.fail("expected a duration (seconds or \"30s\") or a distribution {\"fixed\": D}, {\"uniform\": [D, D]}, "
               "{\"lognormal\": {\"median\": D, \"sigma\": S}}, {\"empirical\": [D, ...]}, {\"exponential\": MEAN}, got " +
               v.type_name());
      d.a = v.duration();
      return d;
    }
    v.allow_keys({"fixed", "uniform", "lognormal", "empirical", "exponential"});
    const auto members = v.members();
    if (members.size() != 1)
      v.fail("expected exactly one of \"fixed\", \"uniform\", \"lognormal\", \"empirical\", \"exponential\", got " +
             std::to_string(members.size()));
    const auto& [shape, value] = members.front();
    if (shape == "fixed") {
      d.shape = Duration::Shape::Fixed;
      d.a = value.duration();
    } else if (shape == "uniform") {
      d.shape = Duration::Shape::Uniform;
      const std::vector<Value> bounds = value.array();
      if (bounds.size() != 2) value.fail("expected [low, high], got " + std::to_string(bounds.size()) + " values");
      d.a = bounds[0].duration();
      d.b = bounds[1].duration();
      if (d.a > d.b) bounds[1].fail("expected high >= low");
    } else if (shape == "lognormal") {
      d.shape = Duration::Shape::Lognormal;
      value.allow_keys({"median", "sigma"});
      const Value median = value.at("median");
      d.a = median.duration(Range{0, limits::kMaxDurationS, /*min_open=*/true});
      const Value sigma = value.at("sigma");
      d.b = sigma.number(Range{0, limits::kMaxSigma}, "a sigma");
    } else if (shape == "exponential") {
      d.shape = Duration::Shape::Exponential;
      d.a = value.duration(Range{0, limits::kMaxDurationS, /*min_open=*/true});  // the mean
    } else {
      d.shape = Duration::Shape::Empirical;
      for (const Value& s : value.nonempty_array()) d.samples.push_back(s.duration());
    }
    return d;
  }

  const Source& src_;
  Value root_;
  Topology t_;
  std::vector<ComponentRef> components_;
  std::unordered_map<std::string, std::vector<std::size_t>> components_of_host_;  // indices into components_
};

}  // namespace

std::string_view to_string(Role role) {
  const auto i = static_cast<std::size_t>(role);
  return i < kRoleNames.size() ? kRoleNames[i] : std::string_view("?");
}

std::string_view to_string(NoQuorumPolicy p) {
  const auto i = static_cast<std::size_t>(p);
  return i < kNoQuorumPolicyNames.size() ? kNoQuorumPolicyNames[i] : std::string_view("?");
}

std::vector<std::string> host_aliases(const Topology& t) {
  std::vector<std::string> out;
  for (const Host& h : t.hosts) out.push_back(h.alias);
  return out;
}

std::optional<NoQuorumPolicy> no_quorum_policy_by_name(std::string_view name) {
  for (std::size_t i = 0; i < kNoQuorumPolicyNames.size(); ++i)
    if (kNoQuorumPolicyNames[i] == name) return static_cast<NoQuorumPolicy>(i);
  return std::nullopt;
}

std::optional<Role> role_by_name(std::string_view name) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i)
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  return std::nullopt;
}

double Parameters::capacity_of(const Host& host) const {
  if (auto it = capacities.find(host.alias); it != capacities.end()) return it->second;
  for (Role r : host.roles)
    if (auto it = capacities.find(std::string(to_string(r))); it != capacities.end()) return it->second;
  return 0;
}

const Host* Topology::find_host(std::string_view alias) const {
  if (const auto it = host_index.find(alias); it != host_index.end() && it->second < hosts.size() &&
                                              hosts[it->second].alias == alias)
    return &hosts[it->second];
  for (const Host& h : hosts)  // not a host (rare: error paths), or a stale index
    if (h.alias == alias) return &h;
  return nullptr;
}

void Topology::index_hosts() {
  host_index.clear();
  host_index.reserve(hosts.size());
  for (std::size_t i = 0; i < hosts.size(); ++i) host_index.emplace(hosts[i].alias, i);
}

bool Topology::has_role(std::string_view alias, Role role) const {
  const Host* h = find_host(alias);
  return h && std::find(h->roles.begin(), h->roles.end(), role) != h->roles.end();
}

Topology parse_topology(const std::string& text, const std::string& file_name) {
  const Source source(text, file_name);
  return TopologyParser(source).parse();
}

Topology load_topology(const std::string& path) {
  const Source source = Source::load(path);
  return TopologyParser(source).parse();
}

}  // namespace acdsim::model
