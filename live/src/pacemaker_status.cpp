#include "acdsim/live/pacemaker_status.hpp"

#include "text.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>
#include <string>
#include <set>
#include <vector>

// Layouts read (tests/live/corpus/README.md has a real sample of each):
// - pacemaker 1.0/1.1 crm_mon and pcs 0.9: "====" header, "Online: [ a b ]",
//   "Node a (1): standby", resources at column 1, "Failed actions:" with
//   "rsc_start_0 (node=a, call=5, rc=1, ...)" or "* rsc_start_0 on a 'unknown error' (1): ...";
// - pacemaker 2.0/2.1 and pcs 0.10/0.11: "Cluster Summary:", "Node List:", "* " bullets,
//   "Full List of Resources:", "Failed Resource Actions:" (technical or friendly wording).
// A fact is read only when the output proves it: every line must be understood,
// and anything failed, unmanaged, in maintenance, moving or partly started makes
// the nodes it concerns Unknown, with the reason.

namespace acdsim::live {

namespace {

using text::contains;
using text::trim;
using text::words_of;

std::size_t indent_of(std::string_view l) {
  std::size_t n = 0;
  while (n < l.size() && (l[n] == ' ' || l[n] == '\t')) ++n;
  return n;
}

// "[ a b ]" at the end of a line; nullopt when the brackets are not well formed.
std::optional<std::vector<std::string_view>> bracket_list(std::string_view l) {
  const std::size_t open = l.find('['), close = l.rfind(']');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open ||
      l.find('[', open + 1) != std::string_view::npos || !trim(l.substr(close + 1)).empty())
    return std::nullopt;
  return words_of(l.substr(open + 1, close - open - 1));
}

enum class Section : std::uint8_t { Top, Nodes, Resources, Failed, Skip, MigrationSummary };

struct Header {
  std::string_view text;
  Section section;
  bool full_list = false;
};

// Section headers of every version (column 0, ending with ':').
constexpr Header kHeaders[] = {
    {"Node List:", Section::Nodes},
    {"Full list of resources:", Section::Resources, true},
    {"Full List of Resources:", Section::Resources, true},
    {"Active resources:", Section::Resources},
    {"Active Resources:", Section::Resources},
    {"Inactive resources:", Section::Resources, true},
    {"Inactive Resources:", Section::Resources, true},
    {"Failed actions:", Section::Failed},
    {"Failed Actions:", Section::Failed},
    {"Failed Resource Actions:", Section::Failed},
    {"Migration summary:", Section::MigrationSummary},
    {"Migration Summary:", Section::MigrationSummary},
    {"Node Attributes:", Section::Skip},
    {"Operations:", Section::Skip},
    {"Negative Location Constraints:", Section::Skip},
    {"Tickets:", Section::Skip},
    {"Daemon Status:", Section::Skip},
    {"PCSD Status:", Section::Skip},
    {"Failed Fencing Actions:", Section::Skip},
    {"Pending Fencing Actions:", Section::Skip},
    {"Fencing History:", Section::Skip},
    {"Cluster Summary:", Section::Top},
    {"WARNINGS:", Section::Skip},
};

// Lines of the summary above the node list (1.x) or under "Cluster Summary:" (2.x).
bool summary_line(std::string_view b) {
  static constexpr std::string_view kStarts[] = {"Cluster name:", "Stack:",   "Current DC:", "Last updated:", "Last change:",
                                                 "Version:",      "WARNING:", "=====",       "*** Resource management is DISABLED",
                                                 "The cluster will not attempt"};
  if (std::any_of(std::begin(kStarts), std::end(kStarts), [&](std::string_view s) { return b.starts_with(s); })) return true;
  // "2 nodes configured", "2 Nodes configured, 2 expected votes", "5 resource instances configured (1 DISABLED)"
  const auto w = words_of(b);
  return w.size() >= 3 && std::all_of(w[0].begin(), w[0].end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         (w[2].starts_with("configured") || (w.size() >= 4 && w[3].starts_with("configured")) ||
          (w[1] == "of" && contains(b, "DISABLED")));
}

// A status line where it does not belong (a section we skip must not hide one).
bool looks_like_status(std::string_view b) {
  return b.starts_with("Online:") || b.starts_with("OFFLINE:") || b.starts_with("Offline:") || contains(b, "(node=") ||
         (contains(b, " on ") && contains(b, "'")) || contains(b, "): ") || contains(b, "):\t") || contains(b, "FAILED") ||
         contains(b, "Started") || contains(b, "Stopped") || contains(b, "Resource Group") || contains(b, "Clone Set");
}

struct Reader {
  PacemakerStatus out;
  std::set<std::string, std::less<>> other_nodes;                    // guests and remotes
  std::map<std::string, std::string, std::less<>> tainted;           // node -> why active is unknown
  std::string taint_all;                                             // why every node's activity is unknown
  std::map<std::string, int, std::less<>> runs;                      // node -> resources it runs
  std::set<std::string, std::less<>> failed_start;
  std::set<std::string, std::less<>> mentioned;                      // nodes resource lines name
  std::vector<std::string> stopped;                                  // primitives outside clones, stopped
  struct Group {
    std::string name;
    std::set<std::string, std::less<>> on;  // nodes a member is Started on
    bool some_not_started = false;
  };
  std::vector<Group> groups;
  bool full_list = false, saw_resources = false;
  // "N resource instances configured" (1.1+: instances; 1.0: top-level resources) against the list.
  int configured = -1, listed_instances = 0, listed_top = 0;
  bool one_oh = false, uncountable = false;
  std::optional<std::size_t> top_indent;

  void fail(std::string why) {
    if (out.why.empty()) out.why = std::move(why);
  }
  void taint(std::string_view node, std::string why) { tainted.emplace(std::string(node), std::move(why)); }
  void taint_every(std::string why) {
    if (taint_all.empty()) taint_all = std::move(why);
  }

  void member(std::string_view node, PacemakerNode::Member m, std::string why = "") {
    auto [it, fresh] = out.nodes.try_emplace(std::string(node));
    if (fresh || it->second.member == m) {
      it->second.member = m;
      if (m == PacemakerNode::Member::Unknown && it->second.why.empty()) it->second.why = std::move(why);
      return;
    }
    it->second.member = PacemakerNode::Member::Unknown;
    it->second.why = "node " + std::string(node) + " is listed twice with different states";
  }

  // "Online: [ a b ]", "Node a: standby", "Node a (1): OFFLINE": true when b is a node line.
  bool node_line(std::string_view b) {
    using M = PacemakerNode::Member;
    static constexpr std::pair<std::string_view, M> kLists[] = {
        {"Online:", M::Online}, {"OFFLINE:", M::Offline}, {"Offline:", M::Offline}};
    for (const auto& [label, m] : kLists) {
      if (!b.starts_with(label)) continue;
      const auto list = bracket_list(b.substr(label.size()));
      if (!list) return fail("garbled node list: " + std::string(b)), true;
      for (std::string_view n : *list) member(n, m);
      return true;
    }
    for (std::string_view label : {"GuestOnline:", "RemoteOnline:", "RemoteOFFLINE:", "GuestOFFLINE:"}) {
      if (!b.starts_with(label)) continue;
      const auto list = bracket_list(b.substr(label.size()));
      if (!list) return fail("garbled node list: " + std::string(b)), true;
      for (std::string_view n : *list) other_nodes.emplace(n.substr(0, n.find('@')));
      return true;
    }
    for (std::string_view label : {"GuestNode ", "RemoteNode "}) {  // "GuestNode httpd-bundle-0@cluster01: online"
      if (!b.starts_with(label) || b.find(':') == std::string_view::npos) continue;
      const auto w = words_of(b.substr(label.size(), b.find(':') - label.size()));
      if (w.size() != 1) return fail("garbled node line: " + std::string(b)), true;
      other_nodes.emplace(w[0].substr(0, w[0].find('@')));
      return true;
    }
    if (!b.starts_with("Node ")) return false;
    const std::size_t colon = b.find(':');
    if (colon == std::string_view::npos) return false;
    auto w = words_of(b.substr(5, colon - 5));
    if (w.empty() || w.size() > 2 || (w.size() == 2 && !(w[1].starts_with("(") && w[1].ends_with(")")))) return false;
    const std::string_view name = w[0];
    const std::string_view status = trim(b.substr(colon + 1));
    if (status == "online") member(name, M::Online);
    else if (status == "standby" || status == "standby (with active resources)") member(name, M::Standby);
    else if (status == "OFFLINE" || status == "offline" || status == "UNCLEAN (offline)" || status == "OFFLINE (standby)")
      member(name, M::Offline);
    else member(name, M::Unknown, "node " + std::string(name) + " is " + std::string(status));
    return true;
  }

  // "rsc_start_0 on a 'unknown error' (1): call=..." (1.1.12-2.1), "rsc start on a returned 'error'"
  // (2.1), "rsc_start_0 (node=a, call=5, rc=1, status=complete): unknown error" (1.0-1.1.11).
  void failed_action(std::string_view b) {
    const auto w = words_of(b);
    std::string_view node, op;
    const auto on = std::find(w.begin(), w.end(), std::string_view("on"));
    if (on != w.end() && on + 1 != w.end() && on != w.begin()) {
      node = *(on + 1);
      op = on - w.begin() >= 2 ? *(on - 1) : w[0];
    } else if (w.size() >= 2 && w[1].starts_with("(node=")) {
      node = w[1].substr(6);
      op = w[0];
    } else {
      return fail("unrecognised failed action: " + std::string(b));
    }
    while (!node.empty() && (node.back() == ',' || node.back() == ':' || node.back() == ')')) node.remove_suffix(1);
    static constexpr std::string_view kOps[] = {"start",        "stop",   "monitor", "promote", "demote", "migrate_to",
                                                "migrate_from", "notify", "reload",  "reload-agent", "probe"};
    if (const std::size_t u = op.rfind('_'); u != std::string_view::npos && op.find('_') != std::string_view::npos &&
                                             std::all_of(op.begin() + static_cast<std::ptrdiff_t>(u) + 1, op.end(),
                                                         [](char c) { return c >= '0' && c <= '9'; })) {
      const std::string_view key = op.substr(0, u);  // rsc_op_interval
      op = {};
      for (std::string_view known : kOps)
        if (key.ends_with("_" + std::string(known))) op = known;
    }
    if (std::find(std::begin(kOps), std::end(kOps), op) == std::end(kOps))
      return fail("unrecognised operation in failed action: " + std::string(b));
    if (node.empty() || (!out.nodes.contains(node) && !other_nodes.contains(node)))
      return fail("failed action on a node the output does not list: " + std::string(b));
    if (op == "start") failed_start.emplace(node);
    else taint(node, "failed " + std::string(op) + " on " + std::string(node) + ": " + std::string(b.substr(0, 80)));
  }

  struct Context {
    std::size_t indent;
    enum class Kind : std::uint8_t { Group, Clone, Bundle } kind;
    std::size_t group = 0;  // index in groups
    std::string child;      // a clone's "[child]": the name its instance lines carry
    int id = 0;             // which clone: keys of its instances
  };
  int clones = 0;
  std::set<std::string, std::less<>> listed_keys;  // each resource instance is listed once
  bool listed_once(const std::string& key, std::string_view b) {
    if (listed_keys.insert(key).second) return true;
    fail("listed twice: " + std::string(b));
    return false;
  }
  std::string clone_key() const {
    for (auto it = stack.rbegin(); it != stack.rend(); ++it)
      if (it->kind != Context::Kind::Group) return "clone" + std::to_string(it->id) + "/";
    return "";
  }
  std::vector<Context> stack;

  void resource_line(std::string_view raw, std::string_view b) {
    saw_resources = true;
    const std::size_t ind = indent_of(raw);
    while (!stack.empty() && stack.back().indent >= ind) stack.pop_back();
    if (stack.empty()) {  // a top-level line: every one is indented alike
      if (!top_indent) top_indent = ind;
      // (a group's members stand deeper: one lost header must not make them top-level)
      if (ind != *top_indent) return fail("unexpected indentation: " + std::string(b));
      ++listed_top;
    }
    const bool in_clone = std::any_of(stack.begin(), stack.end(), [](const Context& c) { return c.kind != Context::Kind::Group; });
    const Context* group = nullptr;
    for (const Context& c : stack)
      if (c.kind == Context::Kind::Group && !in_clone) group = &c;
    if (b == "No resources" || b == "No active resources") return;
    auto header_flags = [&](std::string_view rest) {
      for (std::string_view f : words_of(rest))
        if (f != "(promotable):" && f != "(promotable)" && f != "(unique):" && f != "(unique)" && !f.starts_with("["))
          taint_every("resource collection marked " + std::string(f) + ": " + std::string(b));
    };
    if (b.starts_with("Resource Group:")) {
      const auto w = words_of(b.substr(15));
      if (w.empty()) return fail("garbled line: " + std::string(b));
      // Nested only as the child of a cloned group: "Clone Set: g-clone [g]" then "Resource Group: g:0".
      if (!stack.empty()) {
        const std::string_view gname = w[0].substr(0, w[0].size() - (w[0].ends_with(":") ? 1 : 0));
        if (stack.back().kind != Context::Kind::Clone || stack.back().child.empty() ||
            (gname != stack.back().child && !gname.starts_with(stack.back().child + ":")))
          return fail("group nested where no group belongs: " + std::string(b));
      }
      groups.push_back({std::string(w[0].substr(0, w[0].find(':'))), {}, false});
      stack.push_back({ind, Context::Kind::Group, groups.size() - 1, {}, 0});
      header_flags(b.substr(15 + b.substr(15).find(w[0]) + w[0].size()));
      return;
    }
    for (std::string_view label : {"Clone Set:", "Master/Slave Set:", "Container bundle set:", "Container bundle:",
                                    "Docker container set:", "Docker container:"}) {
      if (!b.starts_with(label)) continue;
      const auto w = words_of(b.substr(label.size()));
      if (w.empty()) return fail("garbled line: " + std::string(b));
      const bool clone = label == "Clone Set:" || label == "Master/Slave Set:";
      if (!stack.empty()) return fail("collection nested in another: " + std::string(b));
      std::string child;
      if (w.size() >= 2 && w[1].starts_with("[") && w[1].find(']') != std::string_view::npos)
        child = std::string(w[1].substr(1, w[1].find(']') - 1));
      if (!clone) uncountable = true;  // a bundle replica line stands for several instances
      stack.push_back({ind, clone ? Context::Kind::Clone : Context::Kind::Bundle, 0, std::move(child), ++clones});
      std::string_view rest = b.substr(label.size());
      rest = rest.substr(rest.find(w[0]) + w[0].size());
      header_flags(rest);
      return;
    }
    // Clone instance lists: "Started: [ a b ]", "Masters: [ a ]", "Stopped (disabled): [ b ]".
    if (const std::size_t colon = b.find(':'); colon != std::string_view::npos && b.find('[') != std::string_view::npos &&
                                               b.find('(') == std::string_view::npos && !contains(b, "):")) {
      const std::string_view label = b.substr(0, colon);
      const auto list = bracket_list(b.substr(colon + 1));
      if (!list || !in_clone) return fail("garbled resource line: " + std::string(b));
      listed_instances += static_cast<int>(list->size());
      for (std::string_view n : *list)
        if (!listed_once(clone_key() + std::string(n), b)) return;
      if (label != "Stopped") mentioned.insert(list->begin(), list->end());  // 1.0 lists instance names as Stopped
      if (label == "Masters" || label == "Promoted") {
        for (std::string_view n : *list) ++runs[std::string(n)];
      } else if (label != "Started" && label != "Slaves" && label != "Unpromoted" && label != "Stopped") {
        for (std::string_view n : *list) taint(n, "clone instances " + std::string(label) + " on " + std::string(n));
      }
      return;
    }
    if (b.starts_with("Stopped (disabled): [") || b.starts_with("Stopped: [")) return;  // handled above
    // Primitive: "name (class::provider:type): State [NODE] [flags]".
    std::size_t agent_end = b.find("):");
    if (agent_end == std::string_view::npos) return fail("unrecognised resource line: " + std::string(b));
    const auto name_words = words_of(b.substr(0, agent_end));
    if (name_words.empty()) return fail("resource line without a name: " + std::string(b));
    const std::string_view name = name_words.front();
    ++listed_instances;
    if (!stack.empty() && stack.back().kind == Context::Kind::Clone && !stack.back().child.empty() &&
        name != stack.back().child && !name.starts_with(stack.back().child + ":"))
      return fail("resource " + std::string(name) + " inside the clone of " + stack.back().child);
    const auto w = words_of(b.substr(agent_end + 2));
    if (w.empty()) return fail("resource line without a state: " + std::string(b));
    const std::string_view role = w[0];
    if (!listed_once(clone_key() + std::string(name) + (in_clone && w.size() >= 2 ? "@" + std::string(w[1]) : ""), b)) return;
    const bool running_role = role == "Started" || role == "Master" || role == "Promoted" || role == "Slave" || role == "Unpromoted";
    const std::string what = "resource " + std::string(name) + " is " + std::string(trim(b.substr(agent_end + 2)));
    if (role == "Stopped") {
      for (std::size_t i = 1; i < w.size(); ++i)
        if (w[i] != "(disabled)") taint_every(what);
      if (!in_clone) stopped.emplace_back(name);
      if (group) groups[group->group].some_not_started = true;
      return;
    }
    static constexpr std::string_view kMoving[] = {"FAILED",  "Starting", "Stopping", "Promoting",
                                                   "Demoting", "Migrating", "ORPHANED", "Monitoring"};
    if (!running_role && std::find(std::begin(kMoving), std::end(kMoving), role) == std::end(kMoving))
      return fail("unrecognised resource state: " + std::string(b));
    if (!running_role || w.size() < 2 || w[1].starts_with("(") || w[1].starts_with("[")) {
      // FAILED, Starting, Stopping, Migrating, ORPHANED, multi-active "Started [ a b ]", ...
      if (w.size() >= 2 && !w[1].starts_with("(") && !w[1].starts_with("[")) taint(w[1], what);
      else if (const auto list = bracket_list(b); list && role == "Started")
        for (std::string_view n : *list) taint(n, what);
      else taint_every(what);
      if (group) groups[group->group].some_not_started = true;
      return;
    }
    const std::string_view node = w[1];
    mentioned.emplace(node);
    if (w.size() > 2) taint(node, what);  // FAILED, (unmanaged), (maintenance), (blocked), (disabled), ...
    if (group) {
      if (role == "Started") groups[group->group].on.emplace(node);
      else groups[group->group].some_not_started = true;
    }
    if (role == "Master" || role == "Promoted" || (!in_clone && role == "Started")) ++runs[std::string(node)];
  }

  void finish() {
    for (const std::string& n : mentioned)
      if (!out.nodes.contains(n) && !other_nodes.contains(n))
        taint_every("a resource is on " + n + ", a node the output does not list");
    for (const Group& g : groups) {
      if (g.on.size() > 1 || (!g.on.empty() && g.some_not_started))
        for (const std::string& n : g.on) taint(n, "group " + g.name + " is only partly started on " + n);
    }
    for (auto& [name, node] : out.nodes) {
      node.failed_start = failed_start.contains(name) ? Tri::Yes : Tri::No;
      auto t = tainted.find(name);
      if (node.member == PacemakerNode::Member::Offline) {
        node.active = Tri::No;
      } else if (!taint_all.empty()) {
        node.active = Tri::Unknown;
        if (node.why.empty()) node.why = taint_all;
      } else if (t != tainted.end()) {
        node.active = Tri::Unknown;
        if (node.why.empty()) node.why = t->second;
      } else if (runs.contains(name)) {
        if (!full_list) {
          node.active = Tri::Unknown;
          if (node.why.empty()) node.why = "only active resources are listed (no inactive ones): cannot tell a partly started stack";
        } else if (const int listed = one_oh ? listed_top : listed_instances; uncountable || listed != configured) {
          node.active = Tri::Unknown;
          if (node.why.empty())
            node.why = configured < 0 ? "no resource count (N resources configured) to check the list against"
                                      : "the list shows " + std::to_string(listed) + " of " + std::to_string(configured) +
                                            " configured resources: cannot tell what is missing";
        } else if (!stopped.empty()) {
          node.active = Tri::Unknown;
          if (node.why.empty()) node.why = "resource " + stopped.front() + " is stopped while " + name + " runs others: partly started";
        } else {
          node.active = Tri::Yes;
        }
      } else if (!saw_resources) {
        node.active = Tri::Unknown;
        if (node.why.empty()) node.why = "the output has no resource list";
      } else {
        node.active = Tri::No;
      }
      if (auto it = runs.find(name); it != runs.end()) node.resources = it->second;
    }
  }
};

// pcs / crm_mon saying the cluster stack does not run on this node.
std::optional<bool> stack_not_running(const std::vector<std::string_view>& lines, int exit_status) {
  std::vector<std::string_view> nonblank;
  for (std::string_view l : lines)
    if (!trim(l).empty()) nonblank.push_back(l);
  if (nonblank.empty()) return std::nullopt;
  const std::string_view first = trim(nonblank.front());
  if (first == "Error: cluster is not currently running on this node") return nonblank.size() == 1;
  const bool crm_mon_down = first == "Error: error running crm_mon, is pacemaker running?" ||
                            first.starts_with("crm_mon: Connection to cluster failed:") ||
                            first.starts_with("Connection to cluster failed:") ||
                            first == "crm_mon: Error: cluster is not available on this node";
  if (!crm_mon_down) return std::nullopt;
  if (exit_status == 0) return false;
  // pcs 0.10/0.11 adds crm_mon's own words, indented.
  for (std::size_t i = 1; i < nonblank.size(); ++i)
    if (indent_of(nonblank[i]) == 0 || !(contains(nonblank[i], "onnect") || contains(nonblank[i], "not available") ||
                                         contains(nonblank[i], "not currently running")))
      return false;
  return true;
}

}  // namespace

PacemakerStatus read_pacemaker_status(std::string_view output, int exit_status) {
  Reader r;
  std::vector<std::string_view> lines;
  for (std::string_view text = output; !text.empty();) {
    const std::size_t nl = text.find('\n');
    std::string_view l = text.substr(0, nl);
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ' || l.back() == '\t')) l.remove_suffix(1);
    lines.push_back(l);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  if (const auto down = stack_not_running(lines, exit_status)) {
    if (*down) {
      r.out.known = true;
      return r.out;
    }
    r.out.why = "unexpected output (exit " + std::to_string(exit_status) + "): " + std::string(trim(lines.front()));
    return r.out;
  }
  // Real output ends with a newline; without one it was cut off (a timeout, the size cap).
  if (!output.ends_with('\n')) {
    r.out.why = "output cut off (no final newline)";
    return r.out;
  }
  Section section = Section::Top;
  bool failed_entries = true, after_failed_entry = false;
  std::string header, summary_node;  // the current section's header; the migration summary's "Node N:"
  for (std::string_view raw : lines) {
    const std::string_view t = trim(raw);
    if (t.empty()) continue;
    std::string_view b = t;
    if (b.starts_with("* ")) b = trim(b.substr(2));
    // Quorum and the maintenance-mode banner may stand in any summary layout.
    if (b.starts_with("Current DC:")) {
      const Tri q = contains(b, "partition with quorum") ? Tri::Yes : contains(b, "partition WITHOUT quorum") ? Tri::No : Tri::Unknown;
      if (r.out.quorum != Tri::Unknown && r.out.quorum != q) r.fail("two different Current DC lines");
      r.out.quorum = q;
    }
    if (contains(b, "Resource management is DISABLED")) r.taint_every("resource management is disabled (maintenance-mode)");
    if (b.starts_with("Version: 1.0")) r.one_oh = true;
    if (const auto w = words_of(b); w.size() >= 3 && (w[1] == "Resources" || w[1] == "resources" || w[1] == "resource") &&
                                    (w[2].starts_with("configured") || (w.size() >= 4 && w[2].starts_with("instance") && w[3] == "configured"))) {
      if (r.configured >= 0) r.fail("two resource counts");
      try {
        r.configured = std::stoi(std::string(w[0]));
      } catch (const std::exception&) {
        r.fail("garbled resource count: " + std::string(b));
      }
    }
    const auto h = std::find_if(std::begin(kHeaders), std::end(kHeaders), [&](const Header& x) { return x.text == t; });
    if (indent_of(raw) == 0 && t.ends_with(":") && (h != std::end(kHeaders) || (!t.starts_with("Node ") && !t.starts_with("*")))) {
      if (h == std::end(kHeaders)) {
        r.fail("unrecognised section: " + std::string(t));
        continue;
      }
      if (!failed_entries) r.fail("empty section " + header);
      section = h->section;
      if (h->section == Section::Resources) {
        r.full_list = r.full_list || h->full_list;
        r.saw_resources = true;
      }
      failed_entries = section != Section::Failed;
      header = t;
      summary_node.clear();
      after_failed_entry = false;
      continue;
    }
    switch (section) {
      case Section::Top:
        if (summary_line(b) || r.node_line(b)) break;
        r.resource_line(raw, b);  // 1.x: resources follow the node lines without a header
        break;
      case Section::Nodes:
        if (!r.node_line(b)) r.fail("unrecognised line in the node list: " + std::string(b));
        break;
      case Section::Resources: r.resource_line(raw, b); break;
      case Section::Failed:
        // 1.1.12-2.0 wrap an entry: "    last-rc-change='...', queued=0ms, exec=83ms".
        // 1.1.10 prints ctime()'s newline inside an entry: ", queued=0ms, exec=0ms" and "): unknown error".
        if (after_failed_entry && (b.starts_with("last-rc-change=") || b.starts_with("exitreason=") ||
                                   b.starts_with(", queued=") || b.starts_with("): ")))
          break;
        r.failed_action(b);
        failed_entries = after_failed_entry = true;
        break;
      case Section::MigrationSummary:
        // "* Node N:" (1.1) or "* Node: N:" (2.x), then "rsc: migration-threshold=... fail-count=..."
        if ((b.starts_with("Node ") || b.starts_with("Node: ")) && b.ends_with(":")) {
          summary_node = std::string(trim(b.substr(b[4] == ':' ? 5 : 4, b.size() - (b[4] == ':' ? 6 : 5))));
          break;
        }
        if (contains(b, "fail-count=") && !summary_node.empty())
          r.taint(summary_node, "fail-count on " + summary_node + ": " + std::string(b));
        else if (!contains(b, "migration-threshold=") || summary_node.empty())
          r.fail("unrecognised line in the migration summary: " + std::string(b));
        break;
      case Section::Skip:
        if (looks_like_status(b)) r.fail("status line out of place: " + std::string(b));
        break;
    }
  }
  if (!failed_entries) r.fail("empty section " + header);
  if (!r.out.why.empty()) return PacemakerStatus{false, false, Tri::Unknown, {}, r.out.why};
  if (r.out.nodes.empty()) return PacemakerStatus{false, false, Tri::Unknown, {}, "no node list in the output"};
  r.finish();
  r.out.known = r.out.cluster_running = true;
  return r.out;
}

}  // namespace acdsim::live
