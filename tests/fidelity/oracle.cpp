#include "oracle.hpp"

#include <sstream>
#include <stdexcept>

#include "acdsim/live/process.hpp"
#include "acdsim/model/output.hpp"

namespace acdsim::fidelity {

using model::cib::InstanceRole;

namespace {

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t*");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string section(const std::string& out, const std::string& from, const std::vector<std::string>& to) {
  const auto b = out.find(from);
  if (b == std::string::npos) throw std::runtime_error("crm_simulate output has no \"" + from + "\":\n" + out);
  auto e = std::string::npos;
  for (const std::string& t : to) e = std::min(e, out.find(t, b + from.size()));
  return out.substr(b + from.size(), e == std::string::npos ? std::string::npos : e - b - from.size());
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> w;
  for (std::string x; in >> x;) w.push_back(x);
  return w;
}

}  // namespace

Outcome read_status(const std::string& text, const model::StorageCluster& cluster) {
  Outcome o;
  auto node = [&](const std::string& name, const std::string& line) {
    for (std::size_t n = 0; n < 2; ++n)
      if (cluster.nodes[n] == name) return static_cast<int>(n);
    throw std::runtime_error("unknown node \"" + name + "\" in crm_simulate line: " + line);
  };
  const std::string drbd = cluster.resource, fs = cluster.resource + "-fs";
  bool in_clone = false;
  std::istringstream lines(text);
  for (std::string raw; std::getline(lines, raw);) {
    const std::string line = trim(raw);
    if (line.empty()) continue;
    if (line.starts_with("Clone Set:")) {
      in_clone = true;
      continue;
    }
    const auto bracket = line.find(": [");
    if (bracket != std::string::npos) {  // "Promoted: [ a b ]", "Stopped (disabled): [ a ]", "Online: [ a ]"
      if (!in_clone) continue;
      const std::string what = words(line.substr(0, bracket))[0];
      const auto close = line.find(']', bracket);
      for (const std::string& n : words(line.substr(bracket + 3, close - bracket - 3))) {
        const auto i = static_cast<std::size_t>(node(n, line));
        if (what == "Promoted") o.drbd[i] = InstanceRole::Promoted;
        else if (what == "Unpromoted") o.drbd[i] = InstanceRole::Unpromoted;
        else if (what == "Stopped") o.drbd[i] = InstanceRole::Stopped;
        else throw std::runtime_error("cannot read crm_simulate line: " + line);
      }
      continue;
    }
    const auto paren = line.find('(');
    const auto colon = line.find("):");
    if (paren == std::string::npos || colon == std::string::npos) {
      if (line.starts_with("Resource Group:")) in_clone = false;
      continue;
    }
    std::string name = trim(line.substr(0, paren));
    if (const auto c = name.find(':'); c != std::string::npos) name = name.substr(0, c);  // jtelshared:0
    const std::vector<std::string> w = words(line.substr(colon + 2));
    if (w.empty()) throw std::runtime_error("cannot read crm_simulate line: " + line);
    const std::string& state = w[0];
    const int where = w.size() > 1 && w[1][0] != '(' ? node(w[1], line) : -1;
    if (name == drbd) {
      if (where < 0) continue;
      const auto i = static_cast<std::size_t>(where);
      if (state == "Promoted") o.drbd[i] = InstanceRole::Promoted;
      else if (state == "Unpromoted" || state == "Started") o.drbd[i] = InstanceRole::Unpromoted;
      else throw std::runtime_error("cannot read crm_simulate line: " + line);
      continue;
    }
    int* slot = name == fs ? &o.fs : name == "samba" ? &o.samba : name == "jtel-vip" ? &o.vip : nullptr;
    if (!slot) continue;
    in_clone = false;
    if (state == "Started" && where >= 0) *slot = where;
    else if (state != "Stopped" && state != "FAILED")  // FAILED: a failed start, not running
      throw std::runtime_error("cannot read crm_simulate line: " + line);
  }
  return o;
}

bool crm_simulate_available() {
  const live::RunResult r = live::run_process({"crm_simulate", "--version"}, 20);
  return !r.spawn_failed && r.exit_status == 0;
}

namespace {

// DRBD and the linbit agent between two transitions (see run_oracle).
void drbd_follows(std::array<model::cib::DrbdView, 2>& drbd, const Outcome& before, const Outcome& after) {
  using View = model::cib::DrbdView;
  auto linked = [](const View& v) {
    return v.connection == "Connected" || v.connection == "SyncSource" || v.connection == "SyncTarget";
  };
  for (std::size_t n = 0; n < 2; ++n) {
    const bool was = before.drbd[n] != InstanceRole::Stopped, is = after.drbd[n] != InstanceRole::Stopped;
    if (was && !is) {
      const View& peer = drbd[1 - n];
      if (linked(drbd[n]) && peer.primary && !drbd[n].primary) drbd[n].disk = "Outdated";  // graceful disconnect
      drbd[n].configured = false;
      drbd[n].connection = "Unconfigured";
      drbd[n].primary = false;
    } else if (!was && is) {
      drbd[n].configured = true;
      drbd[n].connection = "WFConnection";
    }
    if (is) drbd[n].primary = after.drbd[n] == InstanceRole::Promoted;
  }
  for (std::size_t n = 0; n < 2; ++n) {
    View& me = drbd[n];
    View& peer = drbd[1 - n];
    if (!me.configured) continue;
    if (!peer.configured) {
      me.connection = "WFConnection";
      continue;
    }
    if (n == 1 || me.connection == "StandAlone" || linked(me)) continue;
    // Handshake (both sides at once): a side that went on as Primary alone, or the only
    // UpToDate side, becomes the sync source; the other is Inconsistent until the resync ends.
    const bool me_source = me.primary || (me.disk == "UpToDate" && peer.disk != "UpToDate");
    const bool peer_source = peer.primary || (peer.disk == "UpToDate" && me.disk != "UpToDate");
    if (me_source == peer_source) {
      me.connection = peer.connection = "Connected";
    } else {
      View& source = me_source ? me : peer;
      View& target = me_source ? peer : me;
      source.connection = "SyncSource";
      target.connection = "SyncTarget";
      target.disk = "Inconsistent";
    }
  }
}

}  // namespace

OracleRun run_oracle(const model::StorageCluster& cluster, model::cib::ClusterStatus status,
                     std::array<model::cib::DrbdView, 2> drbd, const std::string& work_file,
                     int fs_start_fails) {
  OracleRun run;
  const std::string fs = cluster.resource + "-fs";
  for (int round = 0; round < 6; ++round) {
    model::write_file_atomically(work_file, model::cib::cib_xml(cluster, status));
    live::Argv argv{"crm_simulate", "-x", work_file, "-S"};
    std::string failing_node;
    if (fs_start_fails >= 0) {
      failing_node = cluster.nodes[static_cast<std::size_t>(fs_start_fails)];
      argv.insert(argv.end(), {"--op-fail", fs + "_start_0@" + failing_node + "=1"});
    }
    const live::RunResult r = live::run_process(argv, 60);
    if (r.spawn_failed || r.timed_out || r.exit_status != 0)
      throw std::runtime_error("crm_simulate failed (exit " + std::to_string(r.exit_status) + "):\n" + r.output);
    const Outcome current = read_status(section(r.output, "Current cluster status:", {"Transition Summary:",
                                                                                     "Performing Requested"}),
                                        cluster);
    if (round == 0) run.initial = current;
    const Outcome revised = read_status(section(r.output, "Revised Cluster Status:", {}), cluster);
    std::vector<std::string> actions;
    std::istringstream summary(section(r.output, "Transition Summary:", {"Executing Cluster Transition:",
                                                                         "Revised Cluster Status:"}));
    for (std::string line; std::getline(summary, line);)
      if (!trim(line).empty()) actions.push_back(trim(line));
    run.final = revised;
    // Did this transition start the Filesystem where its start fails? ("Start <fs> ( NODE )",
    // "Move <fs> ( A -> NODE )")
    bool failed_now = false;
    for (const std::string& a : actions) {
      const std::vector<std::string> w = words(a);
      if (w.size() >= 4 && (w[0] == "Start" || w[0] == "Move" || w[0] == "Recover") && w[1] == fs &&
          w[w.size() - 2] == failing_node && w.back() == ")")
        failed_now = true;
    }
    if (failed_now) {
      status.nodes[static_cast<std::size_t>(fs_start_fails)].start_failed = true;
      fs_start_fails = -1;
    }
    // Blocked actions stay in the summary for ever; the run has settled when nothing changes.
    if (!failed_now && (actions.empty() || revised == current)) return run;
    ++run.transitions;
    for (std::string& a : actions) run.summary.push_back(std::move(a));
    drbd_follows(drbd, current, revised);
    for (std::size_t n = 0; n < 2; ++n) {
      model::cib::NodeStatus& node = status.nodes[n];
      node.drbd = revised.drbd[n];
      node.master_score = model::cib::master_score(drbd[n]);
      node.share_running = revised.fs == static_cast<int>(n);
    }
  }
  std::string done;
  for (const std::string& a : run.summary) done += "\n  " + a;
  throw std::runtime_error("crm_simulate did not settle in 6 transitions:" + done);
}

}  // namespace acdsim::fidelity
