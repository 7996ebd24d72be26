// A topology as a Graphviz graph: hosts as nodes, an edge from a host to what
// it needs, the storage cluster and each Hazelcast group as boxes, a legend of
// the edge kinds present. Laid out bottom-up: what is needed ends up on top.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "acdsim/model/dot.hpp"
#include "dot_text.hpp"

namespace acdsim::model {
namespace {

using dot_text::quoted;

enum class EdgeKind { Share, Db, Replication, Route, Drbd };

struct EdgeStyle {
  const char* attributes;  // DOT attributes of the edge
  const char* sample;      // the legend's picture of it (HTML-like label text)
  const char* meaning;
};

// Colours from the tab10 palette (told apart with colour-blindness too).
const EdgeStyle& style_of(EdgeKind k) {
  static const std::map<EdgeKind, EdgeStyle> styles = {
      {EdgeKind::Share,
       {"color=\"#1f77b4\"", "<font color=\"#1f77b4\">&#9473;&#9473;&#9473;&#9654;</font>", "mounts the share (storage)"}},
      {EdgeKind::Db, {"color=\"#2ca02c\"", "<font color=\"#2ca02c\">&#9473;&#9473;&#9473;&#9654;</font>", "uses the DB master"}},
      {EdgeKind::Replication,
       {"color=\"#d62728\"", "<font color=\"#d62728\">&#9473;&#9473;&#9473;&#9654;</font>", "DB replica of its master"}},
      {EdgeKind::Route, {"style=dashed", "&#9548;&#9548;&#9548;&#9654;", "router to its pool's backends"}},
      {EdgeKind::Drbd, {"dir=both, style=bold", "&#9664;&#9473;&#9473;&#9654;", "DRBD replication"}},
  };
  return styles.at(k);
}

struct Edge {
  Edge() = default;
  Edge(std::string f, std::string t, EdgeKind k, std::string tip)
      : from(std::move(f)), to(std::move(t)), kind(k), tooltip(std::move(tip)) {}
  std::string from, to;
  EdgeKind kind = EdgeKind::Share;
  std::string tooltip;
  bool ranks = true;            // false: does not push its ends apart in rank
  std::string tail_cluster;     // drawn from this cluster's box (every host in it)
  std::string head_cluster;     // drawn to this cluster's box
  bool invisible = false;       // only ranks its ends (a bundled member's own edge)
};

struct Cluster {
  std::string id, label;
  std::vector<std::string> members;
  bool hazelcast = false;
};

std::string roles_text(const Host& h) {
  std::string out;
  for (Role r : h.roles) out += (out.empty() ? "" : ", ") + std::string(to_string(r));
  return out;
}

bool has(const Host& h, Role r) { return std::find(h.roles.begin(), h.roles.end(), r) != h.roles.end(); }

// Everything below is linear in hosts + edges (a topology of thousands of
// hosts draws in well under a second): roles read from the host itself, the
// DB masters found once, one reverse search per router.
std::vector<Edge> dependency_edges(const Topology& t) {
  std::vector<Edge> edges;
  const bool share_is_cluster = t.storage_cluster && t.share_server == t.storage_cluster->name;
  const std::string share_node = share_is_cluster ? t.storage_cluster->nodes[0] : t.share_server;
  std::vector<std::string> db_masters;
  for (const Host& m : t.hosts)
    if (has(m, Role::Dbm)) db_masters.push_back(m.alias);
  for (const Host& h : t.hosts) {
    if (has(h, Role::Jb) || has(h, Role::Tel)) {
      Edge e{h.alias, share_node, EdgeKind::Share, "mounts the share from " + t.share_server};
      if (share_is_cluster) e.head_cluster = "cluster_" + t.storage_cluster->name;  // served by whichever node is primary
      edges.push_back(e);
    }
    const bool app = has(h, Role::Jb) || has(h, Role::Tel) || has(h, Role::Api) || has(h, Role::Chat) || has(h, Role::Chatbot);
    if (app)
      for (const std::string& m : db_masters) edges.emplace_back(h.alias, m, EdgeKind::Db, "uses the DB master " + m);
  }
  for (const ReplicationLink& r : t.replication) {
    Edge e{r.replica, r.master, EdgeKind::Replication, r.replica + " replicates from " + r.master};
    // master-master: neither is above the other
    for (const ReplicationLink& back : t.replication) e.ranks &= !(back.replica == r.master && back.master == r.replica);
    edges.push_back(e);
  }
  // A route ranks the router below its backends (traffic comes in from the
  // bottom) unless the backend needs the router's host: a router on the
  // storage hosts routes to the servers that mount its share.
  std::map<std::string, std::vector<std::string>> needed_by;  // host -> the hosts that need it directly
  for (const Edge& e : edges) {
    needed_by[e.to].push_back(e.from);
    if (!e.head_cluster.empty())
      for (const std::string& n : t.storage_cluster->nodes)
        if (n != e.to) needed_by[n].push_back(e.from);
  }
  std::map<std::string, std::set<std::string>> needing;  // router -> every host needing it, transitively
  for (const RouterPool& p : t.pools) {
    if (needing.count(p.router)) continue;
    std::set<std::string>& reached = needing[p.router];
    std::vector<std::string> todo{p.router};
    while (!todo.empty()) {
      const std::string n = todo.back();
      todo.pop_back();
      for (const std::string& m : needed_by[n])
        if (reached.insert(m).second) todo.push_back(m);
    }
  }
  for (const RouterPool& p : t.pools)
    for (const std::string& b : p.backends) {
      Edge e{p.router, b, EdgeKind::Route, "pool " + p.name + ": " + p.router + " routes to " + b};
      e.ranks = !needing[p.router].count(b);
      edges.push_back(e);
    }
  if (t.storage_cluster) {
    Edge e{t.storage_cluster->nodes[0], t.storage_cluster->nodes[1], EdgeKind::Drbd,
           "DRBD replication" + (t.storage_cluster->resource.empty() ? "" : " of " + t.storage_cluster->resource)};
    e.ranks = false;  // the pair side by side
    edges.push_back(e);
  }
  return edges;
}

// A Graphviz node sits in one cluster only: the storage cluster first, then
// the first Hazelcast group naming it (the others get an external label).
std::vector<Cluster> clusters_of(const Topology& t, std::map<std::string, std::string>& extra_labels) {
  std::vector<Cluster> out;
  std::set<std::string> placed;
  if (t.storage_cluster) {
    const StorageCluster& c = *t.storage_cluster;
    out.push_back({"cluster_" + c.name,
                   "pacemaker cluster " + c.name + " (DRBD " + c.resource + ", " +
                       (c.construction == DrbdConstruction::PrimaryPrimary ? "primary/primary" : "primary/secondary") + ")",
                   c.nodes, false});
    placed.insert(c.nodes.begin(), c.nodes.end());
  }
  for (const HazelcastGroup& g : t.hazelcast) {
    Cluster c{"cluster_hazelcast_" + g.name, "Hazelcast group " + g.name, {}, true};
    for (const std::string& m : g.members)
      if (placed.insert(m).second) c.members.push_back(m);
      else extra_labels[m] += (extra_labels[m].empty() ? "" : ", ") + ("Hazelcast " + g.name);
    if (!c.members.empty()) out.push_back(std::move(c));
  }
  return out;
}

// When every member of a Hazelcast group has the same kind of edge to the same
// host, one edge from the group's box is drawn instead of them: the picture says "all of
// these need that" without a fan of parallel lines.
void bundle(std::vector<Edge>& edges, const std::vector<Cluster>& clusters) {
  // Edges by their tail host: a group looks at its members' edges only (a scan
  // of every edge per group made thousands of hosts quadratic). A bundled edge
  // leaves a member of its own group, and groups share no member, so the
  // index of the edges written before the loop is all a later group needs.
  std::unordered_map<std::string, std::vector<std::size_t>> edges_from;
  for (std::size_t i = 0; i < edges.size(); ++i) edges_from[edges[i].from].push_back(i);
  for (const Cluster& c : clusters) {
    if (!c.hazelcast || c.members.size() < 2) continue;
    const std::set<std::string> members(c.members.begin(), c.members.end());
    std::vector<std::size_t> theirs;  // the members' edges, in order
    for (const std::string& m : members)
      if (auto it = edges_from.find(m); it != edges_from.end()) theirs.insert(theirs.end(), it->second.begin(), it->second.end());
    std::sort(theirs.begin(), theirs.end());
    std::map<std::pair<EdgeKind, std::string>, std::set<std::string>> sources;  // (kind, to) -> members with the edge
    for (std::size_t i : theirs) {
      const Edge& e = edges[i];
      if (!members.count(e.to) && e.tail_cluster.empty()) sources[{e.kind, e.to}].insert(e.from);
    }
    for (const auto& [key, from] : sources) {
      if (from != members) continue;
      Edge bundled;
      for (std::size_t i : theirs) {
        Edge& e = edges[i];
        if (e.kind != key.first || e.to != key.second) continue;
        bundled = e;  // the last one written
        e.invisible = true;  // kept invisible: each member still ranks below what it needs
      }
      bundled.from = c.members[c.members.size() / 2];
      bundled.tail_cluster = c.id;
      bundled.tooltip = "every host in " + c.label + ": " + bundled.tooltip;
      edges.push_back(bundled);
    }
  }
}

void write_legend(std::ostringstream& o, const std::vector<Edge>& edges, bool hazelcast) {
  std::set<EdgeKind> kinds;
  bool from_box = false, to_box = false;
  for (const Edge& e : edges) {
    if (e.invisible) continue;
    kinds.insert(e.kind);
    from_box |= !e.tail_cluster.empty(), to_box |= !e.head_cluster.empty();
  }
  if (kinds.empty() && !hazelcast) return;
  o << "  legend [shape=plaintext, style=\"\", label=<<table border=\"1\" cellborder=\"0\" cellspacing=\"0\" "
       "cellpadding=\"3\" color=\"#888888\"><tr><td colspan=\"2\"><b>legend</b></td></tr>";
  auto row = [&](const std::string& sample, const std::string& meaning) {
    o << "<tr><td align=\"left\">" << sample << "</td><td align=\"left\">" << meaning << "</td></tr>";
  };
  for (EdgeKind k : kinds) row(style_of(k).sample, style_of(k).meaning);
  if (hazelcast)
    o << "<tr><td border=\"1\" style=\"dashed\" color=\"#9467bd\" bgcolor=\"#f3eefa\"> </td>"
         "<td align=\"left\">Hazelcast group (members, not a dependency)</td></tr>";
  if (from_box) row("box &#9473;&#9654;", "every host in the box needs it");
  if (to_box) row("&#9473;&#9654; box", "whichever node of the cluster serves it");
  o << "</table>>];\n";
}

}  // namespace

std::string topology_dot(const Topology& t) {
  std::map<std::string, std::string> extra_labels;
  const std::vector<Cluster> clusters = clusters_of(t, extra_labels);
  std::vector<Edge> edges = dependency_edges(t);
  bundle(edges, clusters);

  std::ostringstream o;
  o << "digraph " << quoted(t.name) << " {\n  rankdir=BT;\n  newrank=true;\n  compound=true;\n  ranksep=0.8;\n"
    << "  labelloc=t;\n  fontname=\"Helvetica\";\n"
    << "  label=" << quoted("topology " + t.name + ": arrows point from a host to what it needs") << ";\n"
    << "  node [shape=box, style=filled, fillcolor=white, fontname=\"Helvetica\"];\n"
    << "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  std::map<std::string, const Host*> host_of;
  for (const Host& h : t.hosts) host_of[h.alias] = &h;
  auto node = [&](const std::string& alias, const char* indent) {
    const Host& h = *host_of.at(alias);
    std::string label = h.alias + "\n" + roles_text(h);
    for (const RouterPool& p : t.pools)  // one label per pool instead of one per backend edge
      if (p.router == h.alias) label += "\nroutes pool " + p.name;
    o << indent << quoted(alias) << " [label=" << quoted(label);
    if (extra_labels.count(alias)) o << ", xlabel=" << quoted(extra_labels.at(alias));
    o << "];\n";
  };
  std::set<std::string> clustered;
  for (const Cluster& c : clusters) {
    o << "  subgraph " << quoted(c.id) << " {\n    label=" << quoted(c.label) << ";\n";
    if (c.hazelcast)
      o << "    style=\"dashed,rounded,filled\";\n    color=\"#9467bd\";\n    fillcolor=\"#f3eefa\";\n    fontcolor=\"#6b3fa0\";\n";
    else o << "    style=rounded;\n    labelloc=b;\n";  // b: the top, rankdir=BT flips it
    for (const std::string& m : c.members) node(m, "    "), clustered.insert(m);
    if (!c.hazelcast) {  // the storage pair side by side
      o << "    { rank=same;";
      for (const std::string& m : c.members) o << " " << quoted(m) << ";";
      o << " }\n";
    }
    o << "  }\n";
  }
  for (const Host& h : t.hosts)
    if (!clustered.count(h.alias)) node(h.alias, "  ");
  for (const Edge& e : edges) {
    if (e.invisible) {
      o << "  " << quoted(e.from) << " -> " << quoted(e.to) << " [style=invis];\n";
      continue;
    }
    o << "  " << quoted(e.from) << " -> " << quoted(e.to) << " [" << style_of(e.kind).attributes
      << ", tooltip=" << quoted(e.tooltip);
    if (!e.ranks) o << ", constraint=false";
    if (!e.tail_cluster.empty()) o << ", ltail=" << quoted(e.tail_cluster);
    if (!e.head_cluster.empty()) o << ", lhead=" << quoted(e.head_cluster);
    o << "];\n";
  }
  write_legend(o, edges, std::any_of(clusters.begin(), clusters.end(), [](const Cluster& c) { return c.hazelcast; }));
  o << "}\n";
  return o.str();
}

}  // namespace acdsim::model
