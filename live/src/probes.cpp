#include "acdsim/live/probes.hpp"

#include "acdsim/live/pacemaker_status.hpp"
#include "text.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace acdsim::live {

namespace {

using text::contains;
using text::lines_of;
using text::trim;
using text::words_of;

// "first line of the output" for messages (bounded; never the whole output).
std::string first_line(std::string_view output) {
  std::string_view l = trim(output);
  l = l.substr(0, l.find('\n'));
  if (l.size() > 100) return std::string(l.substr(0, 100)) + "...";
  return l.empty() ? "(no output)" : std::string(l);
}

std::string unexpected(std::string_view output, int exit_status) {
  return "unexpected output (exit " + std::to_string(exit_status) + "): " + first_line(output);
}

// "key: value" for the \G layout of the mysql client.
std::optional<std::string> field(const std::vector<std::string_view>& lines, std::string_view key) {
  for (std::string_view l : lines) {
    std::string_view t = trim(l);
    const std::size_t colon = t.find(':');
    if (colon == std::string_view::npos) continue;
    if (trim(t.substr(0, colon)) == key) return std::string(trim(t.substr(colon + 1)));
  }
  return std::nullopt;
}

bool server_unreachable(std::string_view output) {
  return contains(output, "Can't connect to local") || contains(output, "Can't connect to MySQL server") ||
         contains(output, "Can't connect to server") || contains(output, "ERROR 2002") || contains(output, "ERROR 2003");
}

}  // namespace

ServiceStatus parse_service_status(std::string_view output, int exit_status) {
  using S = ServiceStatus::State;
  const std::string_view t = trim(output);
  static const std::pair<std::string_view, S> kWords[] = {
      {"active", S::Active},         {"reloading", S::Active},     {"inactive", S::Inactive},
      {"activating", S::Activating}, {"deactivating", S::Deactivating}, {"failed", S::Failed}};
  for (const auto& [word, state] : kWords)
    if (t == word) return {state, ""};
  // mysqladmin ping: exit 0 whenever the server answers (even "Access denied").
  if (exit_status == 0 && contains(t, "is alive")) return {S::Active, ""};
  // mysqladmin exits 0 whenever the server answers, even with "Access denied".
  if (exit_status == 0 && contains(t, "connect to server at") && contains(t, "Access denied")) return {S::Active, ""};
  if (exit_status != 0 && !contains(t, "Access denied") && (contains(t, "connect to server at") || server_unreachable(t)))
    return {S::Inactive, ""};
  return {S::Unknown, unexpected(output, exit_status)};
}

ReplicaStatus parse_replica_status(std::string_view output, int exit_status) {
  ReplicaStatus r;
  if (exit_status != 0) {
    if (server_unreachable(output)) r.result = ReplicaStatus::Result::ServerDown;
    else r.why = unexpected(output, exit_status);
    return r;
  }
  if (trim(output).empty()) {
    r.result = ReplicaStatus::Result::NotConfigured;
    r.why = "no replication configured (empty SHOW SLAVE STATUS)";
    return r;
  }
  const auto lines = lines_of(output);
  if (std::count_if(lines.begin(), lines.end(), [](std::string_view l) { return contains(l, ". row *"); }) > 1) {
    r.why = "more than one replication channel: the model knows one per replica";
    return r;
  }
  auto io = field(lines, "Slave_IO_Running");
  if (!io) io = field(lines, "Replica_IO_Running");
  auto sql = field(lines, "Slave_SQL_Running");
  if (!sql) sql = field(lines, "Replica_SQL_Running");
  const bool io_ok = io && (*io == "Yes" || *io == "No" || *io == "Connecting");
  const bool sql_ok = sql && (*sql == "Yes" || *sql == "No");
  if (!io_ok || !sql_ok) {
    r.why = "no Slave_IO_Running / Slave_SQL_Running (Yes, No, Connecting) in the output: " + first_line(output);
    return r;
  }
  r.result = ReplicaStatus::Result::Status;
  r.io_running = *io;
  r.sql_running = *sql;
  r.io_state = field(lines, "Slave_IO_State").value_or(field(lines, "Replica_IO_State").value_or(""));
  r.last_io_error = field(lines, "Last_IO_Error").value_or("");
  r.last_sql_error = field(lines, "Last_SQL_Error").value_or("");
  return r;
}

MountStatus parse_mount_status(std::string_view output, int exit_status) {
  using S = MountStatus::State;
  const std::string_view t = trim(output);
  if (contains(t, " is a mountpoint") && exit_status == 0) return {S::Mounted, "", ""};
  if (contains(t, " is not a mountpoint")) return {S::NotMounted, "", ""};
  // findmnt: exit 1 with no output when nothing is mounted there.
  if (t.empty() && exit_status == 1) return {S::NotMounted, "", ""};
  if (exit_status == 0 && !t.empty()) {
    for (std::string_view l : lines_of(t)) {
      const auto w = words_of(l);
      if (w.empty() || w[0] == "TARGET") continue;
      // TARGET SOURCE FSTYPE OPTIONS
      if (w.size() >= 3 && w[0].starts_with("/")) return {S::Mounted, std::string(w[2]), ""};
    }
  }
  return {S::Unknown, "", unexpected(output, exit_status)};
}

HttpStatus parse_http_status(std::string_view output, int exit_status) {
  using S = HttpStatus::State;
  const std::string_view t = trim(output);
  if (exit_status == 7) return {S::Refused, 0, ""};  // curl: failed to connect
  if (exit_status != 0) {
    std::string why = "curl exit " + std::to_string(exit_status);
    if (exit_status == 28) why += " (timed out)";
    else if (exit_status == 6) why += " (could not resolve the host)";
    return {S::Unknown, 0, why};
  }
  if (t.size() != 3 || !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return {S::Unknown, 0, unexpected(output, exit_status)};
  const int code = std::stoi(std::string(t));
  if ((code >= 200 && code < 400) || code == 401 || code == 403) return {S::Ok, code, ""};
  if (code == 502 || code == 503 || code == 504) return {S::Unavailable, code, ""};
  return {S::Unknown, code, "HTTP " + std::to_string(code) + " is neither a working page nor a gateway error"};
}

namespace {

// The state words of DRBD 8.3, 8.4 and 9 (drbdsetup(8)); anything else is not understood.
bool drbd_role(std::string_view w) { return w == "Primary" || w == "Secondary" || w == "Unknown"; }
bool drbd_disk(std::string_view w) {
  static constexpr std::string_view kWords[] = {"Diskless", "Attaching", "Detaching", "Failed",   "Negotiating",
                                                "Inconsistent", "Outdated", "DUnknown", "Consistent", "UpToDate"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}
bool drbd_connection(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "StandAlone", "Disconnecting", "Unconnected", "Timeout",     "BrokenPipe",  "NetworkFailure", "ProtocolError",
      "TearDown",   "WFConnection",  "WFReportParams", "Connected", "StartingSyncS", "StartingSyncT", "WFBitMapS",
      "WFBitMapT",  "WFSyncUUID",    "SyncSource",  "SyncTarget",  "PausedSyncS", "PausedSyncT",    "VerifyS",
      "VerifyT",    "Ahead",         "Behind",      "Connecting",  "Established", "Off"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

}  // namespace

DrbdStatus parse_proc_drbd(std::string_view output, int minor) {
  DrbdStatus d;
  if (contains(output, "No such file or directory")) {  // module not loaded: nothing is up
    d.known = true;
    return d;
  }
  const auto lines = lines_of(output);
  bool version = false;
  for (std::string_view l : lines) {
    if (trim(l).starts_with("version: 9")) {
      d.why = "DRBD 9: /proc/drbd shows no resource states (probe with drbdadm status)";
      return d;
    }
    if (trim(l).starts_with("version: 8.")) version = true;
  }
  const std::string prefix = std::to_string(minor) + ":";
  bool seen = false;
  for (std::string_view l : lines) {
    const auto w = words_of(l);
    if (w.empty() || w[0] != prefix) continue;
    if (seen) {  // a minor listed twice: not what /proc/drbd prints
      d = DrbdStatus{};
      d.why = "minor " + std::to_string(minor) + " is listed twice";
      return d;
    }
    seen = true;
    for (std::size_t i = 1; i < w.size(); ++i) {
      auto pair = [&](std::string_view tag, std::string& a, std::string* b) {
        if (!w[i].starts_with(tag)) return;
        std::string_view v = w[i].substr(tag.size());
        const std::size_t slash = v.find('/');
        a = std::string(v.substr(0, slash));
        if (b && slash != std::string_view::npos) *b = std::string(v.substr(slash + 1));
      };
      pair("cs:", d.connection, nullptr);
      pair("ro:", d.role, &d.peer_role);
      pair("ds:", d.disk, &d.peer_disk);
    }
    if (d.connection == "Unconfigured" && w.size() == 2) {
      d.connection.clear();
      d.known = true;
      continue;
    }
    if (!drbd_connection(d.connection) || !drbd_role(d.role) || !drbd_role(d.peer_role) || !drbd_disk(d.disk) ||
        !drbd_disk(d.peer_disk)) {
      d = DrbdStatus{};
      d.why = "garbled /proc/drbd line: " + first_line(l);
      return d;
    }
    d.known = d.configured = true;
  }
  if (seen) return d;
  if (version) {  // module loaded, minor not listed: the resource is down
    d.known = true;
    return d;
  }
  d.why = unexpected(output, 0);
  return d;
}

// drbdadm status (drbd-utils 8.9.x to 9.x): the resource line, local lines
// indented 2 ("disk:", "volume:0 disk:"), a peer line indented 2 ("NAME role:"
// or "NAME connection:") and its device lines indented deeper, spelt
// "replication:X peer-disk:Y" by newer drbd-utils and "disk:Y" by older ones.
DrbdStatus parse_drbdadm_status(std::string_view output, std::string_view resource, int exit_status) {
  DrbdStatus d;
  if (contains(output, "No such resource") || contains(output, "not defined in your config") ||
      contains(output, "No currently configured DRBD found")) {
    d.known = true;  // configured in drbd.conf maybe, but not up
    return d;
  }
  if (exit_status != 0) {
    d.why = unexpected(output, exit_status);
    return d;
  }
  auto fail = [&](std::string why) {
    d = DrbdStatus{};
    d.why = std::move(why);
    return d;
  };
  bool in_block = false, in_peer = false;
  int peers = 0, local_disks = 0;
  std::size_t peer_indent = 0;
  for (std::string_view l : lines_of(output)) {
    if (trim(l).empty()) {
      if (in_block) break;
      continue;
    }
    const std::size_t indent = l.find_first_not_of(" \t");
    const auto w = words_of(l);
    if (indent == 0) {
      if (in_block) break;
      if (w[0] != resource) continue;
      in_block = true;
    } else if (!in_block) {
      continue;
    } else if (w[0].find(':') == std::string_view::npos) {  // "NAME role:Secondary": a peer
      if (in_peer && indent > peer_indent) return fail("garbled peer line: " + first_line(l));
      in_peer = true;
      peer_indent = indent;
      ++peers;
    } else if (in_peer && indent <= peer_indent) {
      return fail("local line after a peer line: " + first_line(l));
    }
    const bool peer_device = in_peer && indent > peer_indent;
    for (std::size_t i = indent == 0 ? 1 : 0; i < w.size(); ++i) {
      const std::string_view word = w[i];
      const std::size_t colon = word.find(':');
      if (colon == std::string_view::npos) {
        if (!(in_peer && i == 0 && !peer_device)) return fail("garbled drbdadm status line: " + first_line(l));
        continue;
      }
      const std::string_view key = word.substr(0, colon), value = word.substr(colon + 1);
      // The keys drbdadm/drbdsetup status print (plain, --verbose, --statistics); any other word is damage.
      static constexpr std::string_view kKeys[] = {
          "role", "disk", "peer-disk", "connection", "replication", "suspended", "volume", "minor", "done", "blocked",
          "quorum", "open", "client", "peer-client", "write-ordering", "congested", "size", "read", "written",
          "al-writes", "bm-writes", "upper-pending", "lower-pending", "al-suspended", "resync-suspended", "received",
          "sent", "out-of-sync", "pending", "unacked", "node-id", "local", "peer", "ap-in-flight", "rs-in-flight",
          "may_promote", "promotion_score", "eta", "dbdt1", "dbdt2"};
      if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys))
        return fail("unrecognised word in drbdadm status: " + std::string(word));
      const bool peer = in_peer;
      if (key == "role") {
        if (!drbd_role(value)) return fail("unknown role " + std::string(value));
        (peer ? d.peer_role : d.role) = std::string(value);
      } else if (key == "disk" || key == "peer-disk") {
        if (!drbd_disk(value)) return fail("unknown disk state " + std::string(value));
        if (peer) d.peer_disk = std::string(value);  // older drbd-utils spell the peer's disk "disk:"
        else if (key == "peer-disk") return fail("peer-disk outside a peer block: " + first_line(l));
        else if (++local_disks > 1) return fail("more than one volume: the model knows one device per resource");
        else d.disk = std::string(value);
      } else if (key == "connection" || key == "replication") {
        if (!peer || !drbd_connection(value)) return fail("unexpected " + std::string(word));
        if (key == "connection" && !d.connection.empty()) continue;  // the device's replication state wins
        d.connection = std::string(value == "Established" ? "Connected" : value);
      }
    }
  }
  if (!in_block) return fail("resource " + std::string(resource) + " not in the output: " + first_line(output));
  if (peers > 1) return fail("more than one peer: the model knows two-node DRBD only");
  // A connected peer always has its device line ("peer-disk:" or older "disk:").
  if (peers == 1 && (d.connection.empty() || d.connection == "Connected") && d.peer_disk.empty())
    return fail("peer of " + std::string(resource) + " without its device line");
  if (d.connection == "Connecting") d.connection = "WFConnection";  // 9's name for 8.4's WFConnection
  if (d.connection.empty() && peers == 1) d.connection = "Connected";
  if (peers == 0 && d.connection.empty()) d.connection = "StandAlone";
  if (d.role.empty() || d.disk.empty()) return fail("no role or disk for " + std::string(resource) + ": " + first_line(output));
  if (d.peer_role.empty()) d.peer_role = "Unknown";
  if (d.peer_disk.empty()) d.peer_disk = "DUnknown";
  d.known = d.configured = true;
  return d;
}

DrbdStatus parse_drbd_any(std::string_view output, std::string_view resource, int minor, int exit_status) {
  if (contains(output, "version:") || contains(output, "/proc/drbd")) return parse_proc_drbd(output, minor);
  return parse_drbdadm_status(output, resource, exit_status);
}

PcsNodeStatus parse_pcs_status(std::string_view output, std::string_view node, int exit_status) {
  PcsNodeStatus p;
  const PacemakerStatus s = read_pacemaker_status(output, exit_status);
  if (!s.known) {
    p.why = s.why;
    return p;
  }
  if (!s.cluster_running) {
    p.known = true;
    return p;
  }
  p.cluster_running = true;
  const auto it = s.nodes.find(node);
  if (it == s.nodes.end()) {
    p.why = "node " + std::string(node) + " is not listed in pcs status";
    return p;
  }
  const PacemakerNode& n = it->second;
  using M = PacemakerNode::Member;
  if (n.member == M::Unknown) {
    p.why = n.why;
    return p;
  }
  if (n.member == M::Offline) {
    p.known = p.offline = true;
    return p;
  }
  if (s.quorum == Tri::Unknown) {
    p.why = "pcs status shows no partition with or WITHOUT quorum (no Current DC line)";
    return p;
  }
  if (n.active == Tri::Unknown) {
    p.why = n.why;
    return p;
  }
  p.online = true;
  p.standby = n.member == M::Standby;
  p.quorate = s.quorum == Tri::Yes;
  p.resources_started = n.active == Tri::Yes ? n.resources : 0;
  p.failed_start = n.failed_start == Tri::Yes;
  p.known = true;
  return p;
}

SystemState parse_system_running(std::string_view output, int exit_status) {
  using S = SystemState::State;
  const std::string_view t = trim(output);
  if (t == "initializing" || t == "starting") return {S::Booting, ""};
  if (t == "running" || t == "degraded") return {S::Up, ""};  // degraded: booted, some unit failed
  if (t == "stopping") return {S::Stopping, ""};
  // maintenance (rescue shell), offline (no systemd as PID 1), unknown: not a state of the model.
  return {S::Unknown, unexpected(output, exit_status)};
}

bool ssh_refused(std::string_view output) {
  return contains(output, "Host key verification failed") || contains(output, "Permission denied") ||
         contains(output, "REMOTE HOST IDENTIFICATION HAS CHANGED") || contains(output, "No ED25519 host key is known") ||
         contains(output, "host key is known for");
}

VmPower parse_virsh_domstate(std::string_view output, int exit_status) {
  using S = VmPower::State;
  const std::string_view t = trim(output);
  if (exit_status != 0) return {S::Unknown, unexpected(output, exit_status)};
  if (t == "running") return {S::Running, ""};
  if (t == "shut off") return {S::ShutOff, ""};
  if (t == "in shutdown") return {S::ShuttingDown, ""};
  if (t == "paused" || t == "crashed" || t == "pmsuspended" || t == "idle" || t == "blocked")
    return {S::Other, "VM is " + std::string(t) + " (not a state of the model)"};
  return {S::Unknown, unexpected(output, exit_status)};
}

}  // namespace acdsim::live
