#include "acdsim/live/observe.hpp"

#include <algorithm>

#include "acdsim/live/probes.hpp"
#include "acdsim/model/kinds.hpp"

namespace acdsim::live {

using model::KindId;
using model::LocalCode;

namespace {

Observation known(std::string seen, std::vector<std::string> all, std::vector<std::string> any = {}) {
  Observation o;
  o.known = true;
  o.seen = std::move(seen);
  o.all = std::move(all);
  o.any = std::move(any);
  return o;
}

std::string first_line_of(std::string_view output) {
  const std::size_t b = output.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "(no output)";
  std::string_view l = output.substr(b);
  l = l.substr(0, std::min<std::size_t>(l.find('\n'), 100));
  return std::string(l);
}

Observation unknown(std::string why) {
  Observation o;
  o.seen = "unknown: " + std::move(why);
  return o;
}

Observation service_like(KindId kind, std::string_view output, int exit_status) {
  const ServiceStatus s = parse_service_status(output, exit_status);
  const bool app = kind == KindId::Jboss || kind == KindId::Telephony;
  // An application probed over HTTP (curl -w '%{http_code}' on its port): an
  // answer means deployed; no answer means anything short of that.
  const HttpStatus http = app && s.state == ServiceStatus::State::Unknown ? parse_http_status(output, exit_status) : HttpStatus{};
  if (http.state == HttpStatus::State::Ok) return known("HTTP " + std::to_string(http.code), {"up"});
  if (http.state == HttpStatus::State::Unavailable || http.state == HttpStatus::State::Refused)
    return known(http.code ? "HTTP " + std::to_string(http.code) : "connection refused", {},
                 {"stopped", "starting", "deploying", "stopping", "failed"});
  const bool ping = output.find("mysqld is alive") != std::string_view::npos ||
                    output.find("connect to server at") != std::string_view::npos;
  using S = ServiceStatus::State;
  switch (s.state) {
    case S::Active:
      if (app) return known("active", {}, {"starting", "deploying", "up"});
      return known("active", {"running"});
    case S::Inactive:
      // mysqladmin cannot tell stopped from starting or failed; systemd can.
      if (ping) return known("not answering", {}, {"stopped", "starting", "stopping", "failed"});
      return known("inactive", {"stopped"});
    case S::Activating: return known("activating", {"starting"});
    case S::Deactivating: return known("deactivating", {"stopping"});
    case S::Failed: return known("failed", {"failed"});
    case S::Unknown: break;
  }
  return unknown(s.why);
}

Observation replication(std::string_view output, int exit_status) {
  const ReplicaStatus r = parse_replica_status(output, exit_status);
  using R = ReplicaStatus::Result;
  if (r.result == R::ServerDown) return known("server not answering", {"off"});
  if (r.result != R::Status) return unknown(r.why);
  const std::string seen = "IO " + r.io_running + ", SQL " + r.sql_running +
                           (r.io_state.empty() ? "" : " (" + r.io_state + ")");
  std::vector<std::string> all;
  if (r.io_running == "Yes") all.push_back("io_running");
  else if (r.io_running == "Connecting") all.push_back("connecting");
  else all.push_back("stopped");
  all.push_back(r.sql_running == "Yes" ? "sql_running" : "not sql_running");
  return known(seen, all);
}

Observation drbd(std::string_view output, int exit_status, std::string_view resource, int minor) {
  const DrbdStatus d = parse_drbd_any(output, resource, minor, exit_status);
  if (!d.known) return unknown(d.why);
  if (!d.configured) return known("not configured (down)", {"unconfigured"});
  std::vector<std::string> all;
  static const std::pair<std::string_view, std::string_view> kConn[] = {
      {"Connected", "connected"},       {"WFConnection", "wfconnection"}, {"StandAlone", "standalone"},
      {"SyncSource", "sync_source"},    {"SyncTarget", "sync_target"},    {"Unconnected", "wfconnection"},
      {"PausedSyncS", "sync_source"},   {"PausedSyncT", "sync_target"}};
  auto conn = std::find_if(std::begin(kConn), std::end(kConn), [&](const auto& p) { return p.first == d.connection; });
  if (conn == std::end(kConn)) return unknown("connection state " + d.connection + " is not one the model knows");
  all.emplace_back(conn->second);
  if (d.role == "Primary") all.emplace_back("primary");
  else if (d.role == "Secondary") all.emplace_back("secondary");
  else return unknown("role " + d.role);
  if (d.disk == "UpToDate") all.emplace_back("uptodate");
  else if (d.disk == "Inconsistent") all.emplace_back("inconsistent");
  else return unknown("disk state " + d.disk + " is not one the model knows");
  return known("cs:" + d.connection + " ro:" + d.role + "/" + d.peer_role + " ds:" + d.disk + "/" + d.peer_disk, all);
}

Observation pacemaker(std::string_view output, int exit_status, std::string_view node) {
  const PcsNodeStatus p = parse_pcs_status(output, node, exit_status);
  if (!p.known) return unknown(p.why);
  if (!p.cluster_running || p.offline) return known("cluster stack not running", {"offline"});
  std::vector<std::string> all = {"online"};
  std::string seen = "online";
  all.push_back(p.quorate ? "quorate" : "not quorate");
  seen += p.quorate ? ", quorate" : ", without quorum";
  if (p.standby) all.push_back("standby"), seen += ", standby";
  if (p.failed_start) all.push_back("banned"), seen += ", failed start";
  if (p.resources_started > 0) all.push_back("active"), seen += ", runs resources";
  else if (!p.failed_start) all.push_back("not has_resources");
  return known(seen, all);
}

}  // namespace

Observation observe_output(KindId kind, std::string_view probe, std::string_view output, int exit_status,
                           std::string_view resource, int drbd_minor, std::string_view node) {
  if (probe == "reachable") {
    if (exit_status == 255) {
      if (ssh_refused(output)) return unknown("ssh refused (host key or authentication): " + first_line_of(output));
      return known("unreachable", {"not up"});
    }
    if (exit_status == 0 && output.find_first_not_of(" \t\r\n") == std::string_view::npos)
      return known("reachable", {}, {"booting", "up"});  // a bare `true` cannot tell a boot from its end
    const SystemState st = parse_system_running(output, exit_status);
    switch (st.state) {
      case SystemState::State::Booting: return known("reachable, system starting", {"booting"});
      case SystemState::State::Up: return known("reachable, system running", {"up"});
      case SystemState::State::Stopping: return known("reachable, system stopping", {"shutting_down"});
      case SystemState::State::Unknown: break;
    }
    return unknown(st.why);
  }
  if (probe == "vm_state") {
    const VmPower v = parse_virsh_domstate(output, exit_status);
    switch (v.state) {
      case VmPower::State::Running: return known("running (hypervisor)", {}, {"booting", "up", "shutting_down"});
      case VmPower::State::ShutOff: return known("shut off (hypervisor)", {"off"});
      case VmPower::State::ShuttingDown: return known("in shutdown (hypervisor)", {"shutting_down"});
      default: return unknown(v.why);
    }
  }
  switch (kind) {
    case KindId::Service:
    case KindId::Jboss:
    case KindId::Telephony: return service_like(kind, output, exit_status);
    case KindId::Replication: return replication(output, exit_status);
    case KindId::ShareMount: {
      const MountStatus m = parse_mount_status(output, exit_status);
      if (m.state == MountStatus::State::Mounted) return known("mounted", {}, {"mounted", "stale"});
      if (m.state == MountStatus::State::NotMounted) return known("not mounted", {}, {"unmounted", "mount_failed"});
      return unknown(m.why);
    }
    case KindId::Router: {
      const HttpStatus h = parse_http_status(output, exit_status);
      if (h.state == HttpStatus::State::Ok) return known("HTTP " + std::to_string(h.code), {"routing"});
      if (h.state == HttpStatus::State::Unavailable) return known("HTTP " + std::to_string(h.code), {"queuing"});
      if (h.state == HttpStatus::State::Refused) return known("connection refused", {"down"});
      return unknown(h.why);
    }
    case KindId::Drbd: return drbd(output, exit_status, resource, drbd_minor);
    case KindId::Pacemaker: return pacemaker(output, exit_status, node);
    default: return unknown("no probe for this kind");
  }
}

std::vector<LocalCode> candidates(const model::KindTable& table, const Observation& observation) {
  const auto& preds = table.spec().predicates;
  auto holds = [&](LocalCode code, std::string_view term) {
    bool negated = false;
    if (term.starts_with("not ")) negated = true, term.remove_prefix(4);
    auto it = std::find(preds.begin(), preds.end(), term);
    if (it == preds.end()) return false;  // a misspelt predicate matches nothing (tests catch it)
    return table.holds(code, static_cast<model::PredicateId>(it - preds.begin())) != negated;
  };
  std::vector<LocalCode> out;
  if (!observation.known) return out;
  for (LocalCode c = 0; c < table.size(); ++c) {
    if (!std::all_of(observation.all.begin(), observation.all.end(), [&](const std::string& t) { return holds(c, t); }))
      continue;
    if (!observation.any.empty() &&
        std::none_of(observation.any.begin(), observation.any.end(), [&](const std::string& t) { return holds(c, t); }))
      continue;
    out.push_back(c);
  }
  return out;
}

std::map<std::string, std::string> template_values(const model::System& system, const Inventory& inventory,
                                                   const model::ComponentRef& component) {
  std::map<std::string, std::string> v;
  v["alias"] = component.host;
  const auto& e = inventory.hosts.at(component.host);
  if (!e.address.empty()) v["address"] = e.address;
  if (const model::Host* h = system.topology().find_host(component.host)) v["vm"] = h->vm_name.empty() ? h->alias : h->vm_name;
  const std::string base = component.name.substr(0, component.name.find(':'));
  if (component.kind == KindId::Service || component.kind == KindId::Jboss || component.kind == KindId::Telephony)
    v["unit"] = inventory.unit(base);
  if (component.name.starts_with("replication:")) v["master"] = component.name.substr(component.name.find(':') + 1);
  if (system.topology().storage_cluster) v["resource"] = system.topology().storage_cluster->resource;
  for (const auto& [name, value] : inventory.secrets) v["secret:" + name] = value;
  return v;
}

Observation unreachable_vm(Observation v) {
  if (!v.known) return v;
  // Running but not answering ssh: booting or shutting down, not up.
  if (v.all.empty()) v.any = {"booting", "shutting_down"};
  v.seen = "unreachable; " + v.seen;
  return v;
}

Observer::Observer(const model::System& system, const Inventory& inventory, Runner runner)
    : system_(system), inventory_(inventory), runner_(std::move(runner)) {}

std::vector<Observer::Planned> Observer::plan(const std::string& host) const {
  std::vector<Planned> out;
  const Endpoint* endpoint = &inventory_.hosts.at(host);
  for (model::ComponentIndex i : system_.on_host(host)) {
    const model::ComponentRef& ref = system_.component(i);
    std::string probe;
    const Endpoint* where = endpoint;
    switch (ref.kind) {
      case KindId::Vm: probe = "reachable"; break;
      case KindId::Service: probe = "service_state"; break;
      case KindId::Replication: probe = "replication_status"; break;
      case KindId::ShareMount: probe = "share_mounted"; break;
      case KindId::Jboss:
      case KindId::Telephony: probe = "app_state"; break;
      case KindId::Router: probe = "router_http", where = &controller_; break;  // through the LB, from here
      case KindId::Drbd: probe = "drbd_status"; break;
      case KindId::Pacemaker: probe = "pcs_status"; break;
      default: continue;  // hazelcast: no probe, the model's prediction stands
    }
    Planned p{i, probe, where, {}, {}, {}};
    if (const CommandTemplate* t = inventory_.probe(host, probe)) {
      try {
        const auto values = template_values(system_, inventory_, ref);
        p.argv = t->render(values);
        p.shown = display(t->render(values, true));
      } catch (const UnsafeValue& e) {
        p.error = e.what();
      }
    } else {
      p.error = "no template for probe " + probe;
    }
    out.push_back(std::move(p));
  }
  return out;
}

Observation Observer::run(const Planned& p) const {
  const model::ComponentRef& ref = system_.component(p.component);
  if (!p.error.empty()) {
    Observation o = unknown(p.error);
    o.component = ref.path(), o.probe = p.probe;
    return o;
  }
  const RunResult r = runner_(*p.endpoint, p.argv, inventory_.probe_timeout_s);
  Observation o;
  if (r.timed_out) o = unknown("probe timed out after " + std::to_string(static_cast<int>(inventory_.probe_timeout_s)) + " s");
  else if (r.spawn_failed) o = unknown(r.output);
  else if (ssh_failed(*p.endpoint, r) && ref.kind != KindId::Vm) o = unknown("ssh failed (exit 255)");
  else {
    std::string resource = system_.topology().storage_cluster ? system_.topology().storage_cluster->resource : "";
    o = observe_output(ref.kind, p.probe, r.output, r.exit_status, resource, inventory_.drbd_minor, ref.host);
  }
  o.component = ref.path();
  o.probe = p.probe;
  return o;
}

std::vector<Observation> Observer::probe_hosts(const std::vector<std::string>& hosts) const {
  std::vector<Observation> out;
  for (const std::string& host : hosts) {
    auto planned = plan(host);
    bool reachable = true;
    for (const Planned& p : planned) {
      if (!reachable) break;
      Observation o = run(p);
      if (system_.kind(p.component) == KindId::Vm && o.seen == "unreachable") {
        reachable = false;
        // Unreachable: ask the hypervisor whether the VM is off or just not answering.
        if (const CommandTemplate* t = inventory_.probe(host, "vm_state"); t && inventory_.hypervisor) {
          try {
            const Argv argv = t->render(template_values(system_, inventory_, system_.component(p.component)));
            const RunResult r = runner_(*inventory_.hypervisor, argv, inventory_.probe_timeout_s);
            Observation v = unreachable_vm(observe_output(KindId::Vm, "vm_state", r.output, r.exit_status));
            if (v.known) {
              v.component = o.component, v.probe = "vm_state";
              o = v;
            }
          } catch (const UnsafeValue&) {
            // the unreachable observation stands
          }
        }
      }
      out.push_back(std::move(o));
    }
  }
  return out;
}

Observed Observer::apply(const model::Snapshot& belief, const std::vector<Observation>& observations) const {
  Observed out{belief, {}, {}, {}, {}};
  // A VM seen off that the belief has running: what ran on it is gone too.
  // The model says what that means (its crash cascade), not this code.
  for (const Observation& o : observations) {
    auto idx = system_.find(o.component);
    if (!idx || system_.kind(*idx) != KindId::Vm || !o.known) continue;
    const auto c = candidates(system_.table(*idx), o);
    if (c.empty() || std::find(c.begin(), c.end(), out.state[*idx]) != c.end() ||
        system_.table(*idx).name(c.front()) != "Off")
      continue;
    const std::string label = system_.component(*idx).host + ": VM crashes";
    for (const model::Move& m : system_.fault_moves())
      if (m.label == label)
        if (auto next = system_.apply(out.state, m)) out.state = *next;
  }
  for (const Observation& o : observations) {
    auto idx = system_.find(o.component);
    if (!idx) continue;
    const model::KindTable& table = system_.table(*idx);
    if (!o.known) {
      out.unknown.push_back(o.component + ": " + o.seen);
      out.lines.push_back(o.component + ": " + o.seen);
      continue;
    }
    const auto c = candidates(table, o);
    const LocalCode predicted = belief[*idx];
    if (!c.empty()) out.allowed.emplace_back(*idx, c);
    if (c.empty()) {
      out.unknown.push_back(o.component + ": " + o.seen + " matches no state of a " + std::string(table.spec().name));
      out.lines.push_back(out.unknown.back());
      continue;
    }
    if (std::find(c.begin(), c.end(), predicted) == c.end()) {
      out.state[*idx] = c.front();
      out.deviating.push_back(o.component + ": predicted " + table.name(predicted) + ", observed " +
                              table.name(c.front()) + " (" + o.seen + ")");
    }
    out.lines.push_back(o.component + ": " + table.name(out.state[*idx]) + " (" + o.seen + ")");
  }
  return out;
}

std::vector<std::string> Observer::describe_probes(const std::string& host) const {
  std::vector<std::string> out;
  for (const Planned& p : plan(host)) {
    const std::string where = p.endpoint->transport == Transport::Local ? "local" : p.endpoint->name;
    out.push_back(system_.component(p.component).path() + " <- " + p.probe + ": " +
                  (p.error.empty() ? p.shown + " (" + where + ")" : "NOT AVAILABLE: " + p.error));
  }
  return out;
}

}  // namespace acdsim::live
