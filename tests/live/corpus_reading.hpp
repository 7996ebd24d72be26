// The corpus of real status outputs (tests/live/corpus/README.md): what each
// parser reads from a file, as JSON, and the health order the mutation
// property uses. Shared by tests/live/corpus_test.cpp and
// tests/property/probes_test.cpp.
#pragma once
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "acdsim/live/pacemaker_status.hpp"
#include "acdsim/live/probes.hpp"

namespace acdsim::live::corpus {

using nlohmann::json;

inline std::string corpus_dir() { return ACDSIM_SOURCE_DIR "/tests/live/corpus/"; }

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// expected.json: {"files": [{"file": ..., "tool": ..., "exit": ..., "reading": {...}}, ...]}
inline json load_expected() { return json::parse(read_text(corpus_dir() + "expected.json")); }

inline const char* tri(Tri t) { return t == Tri::Yes ? "yes" : t == Tri::No ? "no" : "unknown"; }

// The reading of one output by the parser its entry names, as JSON. Reasons
// (why) are returned under "why" and compared only by the corpus test.
inline json reading_of(const json& entry, const std::string& text) {
  const std::string tool = entry.at("tool");
  const int exit_status = entry.value("exit", 0);
  json r;
  if (tool == "pacemaker") {
    const PacemakerStatus s = read_pacemaker_status(text, exit_status);
    r["known"] = s.known;
    if (!s.known) return r["why"] = s.why, r;
    r["running"] = s.cluster_running;
    if (!s.cluster_running) return r;
    r["quorum"] = tri(s.quorum);
    json nodes = json::object();
    static const char* kMember[] = {"unknown", "offline", "standby", "online"};
    for (const auto& [name, n] : s.nodes) {
      json node = {{"member", kMember[static_cast<int>(n.member)]}, {"active", tri(n.active)}, {"failed_start", tri(n.failed_start)}};
      if (!n.why.empty()) node["why"] = n.why;
      nodes[name] = node;
    }
    r["nodes"] = nodes;
    return r;
  }
  if (tool == "drbd") {
    const DrbdStatus d = entry.at("format") == "proc"
                             ? parse_proc_drbd(text, entry.at("minor").get<int>())
                             : parse_drbdadm_status(text, entry.at("resource").get<std::string>(), exit_status);
    r["known"] = d.known;
    if (!d.known) return r["why"] = d.why, r;
    r["configured"] = d.configured;
    if (!d.configured) return r;
    r["connection"] = d.connection;
    r["role"] = d.role;
    r["peer_role"] = d.peer_role;
    r["disk"] = d.disk;
    r["peer_disk"] = d.peer_disk;
    return r;
  }
  const ReplicaStatus m = parse_replica_status(text, exit_status);
  static const char* kResult[] = {"unknown", "server_down", "not_configured", "status"};
  r["result"] = kResult[static_cast<int>(m.result)];
  if (m.result == ReplicaStatus::Result::Status) {
    r["io"] = m.io_running;
    r["sql"] = m.sql_running;
  } else if (!m.why.empty()) {
    r["why"] = m.why;
  }
  return r;
}

// ---- Health order ------------------------------------------------------------
// A reading of a mutated output may be unknown, or no healthier than the
// original's, component by component; where the original's component is
// unknown, only the least healthy value (or unknown) is acceptable.

inline int rank_of(const std::string& component, const std::string& v) {
  if (v == "unknown") return -1;
  if (component == "member") return v == "offline" ? 0 : v == "standby" ? 1 : 2;
  if (component == "active" || component == "quorum") return v == "no" ? 0 : 1;
  if (component == "failed_start") return v == "yes" ? 0 : 1;
  if (component == "connection") {
    if (v == "Connected") return 2;
    return v.starts_with("Sync") || v.starts_with("PausedSync") ? 1 : 0;
  }
  if (component == "disk" || component == "peer_disk") return v == "UpToDate" ? 2 : v == "DUnknown" || v == "Diskless" ? 0 : 1;
  if (component == "io") return v == "Yes" ? 2 : v == "Connecting" ? 1 : 0;
  if (component == "sql") return v == "Yes" ? 1 : 0;
  return 0;
}

// Empty when `mutated` is no healthier than `original`; else what is healthier.
inline std::string healthier(const json& entry, const json& original, const json& mutated) {
  const std::string tool = entry.at("tool");
  auto component = [&](const std::string& name, const std::string& o, const std::string& m) -> std::string {
    const int rm = rank_of(name, m), ro = rank_of(name, o);
    if (rm < 0 || rm == 0 || (ro >= 0 && rm <= ro)) return "";
    return name + " " + m + " (original: " + o + ")";
  };
  if (tool == "pacemaker") {
    if (!mutated.at("known").get<bool>()) return "";
    if (!mutated.at("running").get<bool>()) return "";  // stack not running: the least healthy reading
    if (!original.at("known").get<bool>()) return "reads a running cluster from an output the original did not prove";
    if (!original.at("running").get<bool>()) return "reads a running cluster where the original said the stack is stopped";
    if (auto q = component("quorum", original.at("quorum"), mutated.at("quorum")); !q.empty()) return q;
    for (const auto& [name, m] : mutated.at("nodes").items()) {
      // A node the original does not list (a corrupted name) is no host of the cluster: never asked about.
      if (!original.at("nodes").contains(name)) continue;
      const json& o = original.at("nodes").at(name);
      for (const char* c : {"member", "active", "failed_start"})
        if (auto h = component(c, o.at(c), m.at(c)); !h.empty()) return "node " + name + ": " + h;
    }
    return "";
  }
  if (tool == "drbd") {
    if (!mutated.at("known").get<bool>() || !mutated.at("configured").get<bool>()) return "";
    if (!original.at("known").get<bool>()) return "reads a DRBD state from an output the original did not prove";
    if (!original.at("configured").get<bool>()) return "reads a configured resource where the original had none";
    for (const char* c : {"role", "peer_role"})
      if (mutated.at(c) != original.at(c) && mutated.at(c) != "Unknown") return std::string(c) + " " + mutated.at(c).get<std::string>() + " (original: " +
                                                  original.at(c).get<std::string>() + ")";
    for (const char* c : {"connection", "disk", "peer_disk"})
      if (auto h = component(c, original.at(c), mutated.at(c)); !h.empty()) return h;
    return "";
  }
  if (mutated.at("result") != "status") return "";  // unknown, not configured (unknown to observe), server down
  if (original.at("result") != "status") return "reads replica threads the original did not show";
  for (const char* c : {"io", "sql"})
    if (auto h = component(c, original.at(c), mutated.at(c)); !h.empty()) return h;
  return "";
}

}  // namespace acdsim::live::corpus
