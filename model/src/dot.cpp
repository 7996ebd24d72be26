#include "acdsim/model/dot.hpp"

#include <map>
#include <set>
#include <sstream>
#include <vector>

namespace acdsim::model {
namespace {

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string roles_text(const Host& h) {
  std::string out;
  for (Role r : h.roles) out += (out.empty() ? "" : ", ") + std::string(to_string(r));
  return out;
}

// Atoms as written: a role-wide atom expands to one atom per host, all with
// the text the author wrote, which is shown once.
std::string condition_text(const Condition& c) {
  std::string out;
  std::set<std::string> shown;
  for (const ConditionAtom& a : c.atoms)
    if (shown.insert(a.text).second)
      out += (out.empty() ? "" : (c.mode == Condition::Mode::All ? "\nand " : "\nor ")) + a.text;
  return out;
}

// Edges of the step order without the ones implied by others (transitive
// reduction): phases make every step depend on all of the previous phase.
std::vector<std::pair<std::string, std::string>> direct_edges(const Procedure& p) {
  std::map<std::string, std::vector<std::string>> successors;
  for (const Step& s : p.steps)
    for (const std::string& dep : s.after) successors[dep].push_back(s.id);
  auto reachable_avoiding = [&](const std::string& from, const std::string& to) {
    std::vector<std::string> todo;
    std::set<std::string> seen;
    for (const std::string& n : successors[from])
      if (n != to) todo.push_back(n);
    while (!todo.empty()) {
      const std::string n = todo.back();
      todo.pop_back();
      if (n == to) return true;
      if (!seen.insert(n).second) continue;
      for (const std::string& m : successors[n]) todo.push_back(m);
    }
    return false;
  };
  std::vector<std::pair<std::string, std::string>> out;
  for (const Step& s : p.steps)
    for (const std::string& dep : s.after)
      if (!reachable_avoiding(dep, s.id)) out.emplace_back(dep, s.id);
  return out;
}

}  // namespace

std::string topology_dot(const Topology& t) {
  std::ostringstream o;
  o << "digraph " << quoted(t.name) << " {\n  rankdir=BT;\n  node [shape=box, fontname=\"Helvetica\"];\n";
  std::set<std::string> clustered;
  if (t.storage_cluster) {
    o << "  subgraph \"cluster_" << t.storage_cluster->name << "\" {\n    label="
      << quoted("pacemaker cluster " + t.storage_cluster->name + " (DRBD " + t.storage_cluster->resource + ", " +
                (t.storage_cluster->construction == DrbdConstruction::PrimaryPrimary ? "primary/primary" : "primary/secondary") + ")")
      << ";\n";
    for (const std::string& n : t.storage_cluster->nodes) {
      clustered.insert(n);
      o << "    " << quoted(n) << " [label=" << quoted(n + "\n" + roles_text(*t.find_host(n))) << "];\n";
    }
    o << "    " << quoted(t.storage_cluster->nodes[0]) << " -> " << quoted(t.storage_cluster->nodes[1])
      << " [dir=both, style=bold, label=\"DRBD\"];\n  }\n";
  }
  for (const Host& h : t.hosts)
    if (!clustered.count(h.alias)) o << "  " << quoted(h.alias) << " [label=" << quoted(h.alias + "\n" + roles_text(h)) << "];\n";
  const std::string share_node = t.storage_cluster && t.share_server == t.storage_cluster->name
                                     ? t.storage_cluster->nodes[0]
                                     : t.share_server;
  for (const Host& h : t.hosts) {
    if (t.has_role(h.alias, Role::Jb) || t.has_role(h.alias, Role::Tel))
      o << "  " << quoted(h.alias) << " -> " << quoted(share_node) << " [label=\"share\", color=\"#1f77b4\"];\n";
    const bool app = t.has_role(h.alias, Role::Jb) || t.has_role(h.alias, Role::Tel) || t.has_role(h.alias, Role::Api) ||
                     t.has_role(h.alias, Role::Chat) || t.has_role(h.alias, Role::Chatbot);
    if (app)
      for (const Host& m : t.hosts)
        if (t.has_role(m.alias, Role::Dbm))
          o << "  " << quoted(h.alias) << " -> " << quoted(m.alias) << " [label=\"db\", color=\"#2ca02c\"];\n";
  }
  for (const ReplicationLink& r : t.replication)
    o << "  " << quoted(r.replica) << " -> " << quoted(r.master) << " [label=\"replicates\", color=\"#d62728\"];\n";
  for (const RouterPool& p : t.pools)
    for (const std::string& b : p.backends)
      o << "  " << quoted(p.router) << " -> " << quoted(b) << " [label=" << quoted("pool " + p.name) << ", style=dashed];\n";
  for (const HazelcastGroup& g : t.hazelcast)
    for (std::size_t i = 1; i < g.members.size(); ++i)
      o << "  " << quoted(g.members[i - 1]) << " -> " << quoted(g.members[i])
        << " [dir=none, style=dotted, color=\"#9467bd\", label=" << quoted(i == 1 ? "hazelcast " + g.name : "") << "];\n";
  o << "}\n";
  return o.str();
}

std::string procedure_dot(const Procedure& p) {
  std::ostringstream o;
  o << "digraph " << quoted(p.name) << " {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n";
  std::string open_phase;
  for (const Step& s : p.steps) {
    if (s.phase != open_phase) {
      if (!open_phase.empty()) o << "  }\n";
      if (!s.phase.empty()) {
        std::string label = s.phase;
        for (const Procedure::Phase& ph : p.phases)
          if (ph.id == s.phase) label = ph.name;
        o << "  subgraph " << quoted("cluster_" + s.phase) << " {\n    label=" << quoted(label) << ";\n";
      }
      open_phase = s.phase;
    }
    std::string label = s.id + "\n" + s.action + (s.target.empty() ? "" : " " + s.target);
    if (s.wait) label += "\nwait: " + condition_text(*s.wait);
    if (s.timeout_s > 0) label += "\ntimeout " + std::to_string(static_cast<long long>(s.timeout_s)) + " s";
    o << (open_phase.empty() ? "  " : "    ") << quoted(s.id) << " [label=" << quoted(label)
      << (s.action == "check" ? ", shape=hexagon" : "") << "];\n";
  }
  if (!open_phase.empty()) o << "  }\n";
  for (const auto& [from, to] : direct_edges(p)) o << "  " << quoted(from) << " -> " << quoted(to) << ";\n";
  o << "}\n";
  return o.str();
}

std::string kind_dot(const KindTable& t) {
  const KindSpec& spec = t.spec();
  const std::size_t combos = std::size_t{1} << spec.facts.size();
  std::ostringstream o;
  o << "digraph " << quoted(spec.name) << " {\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n";
  for (LocalCode c = 0; c < t.size(); ++c)
    o << "  s" << c << " [label=" << quoted(t.name(c)) << (c == KindTable::initial() ? ", penwidth=2" : "") << "];\n";
  for (LocalCode c = 0; c < t.size(); ++c) {
    for (EventId e = 0; e < spec.events.size(); ++e) {
      // Group fact combinations by target; label with the facts that are
      // always set / always clear among them.
      std::map<LocalCode, std::pair<FactBits, FactBits>> targets;  // target -> (and of facts, or of facts)
      std::map<LocalCode, std::size_t> count;
      for (FactBits f = 0; f < combos; ++f) {
        const LocalCode n = t.next(c, e, f);
        if (n >= KindTable::kGuardRejected) continue;
        auto [it, fresh] = targets.emplace(n, std::make_pair(f, f));
        if (!fresh) it->second = {it->second.first & f, it->second.second | f};
        ++count[n];
      }
      for (const auto& [n, bits] : targets) {
        std::string guard;
        if (count[n] != combos) {
          for (std::size_t b = 0; b < spec.facts.size(); ++b) {
            if (bits.first >> b & 1u) guard += (guard.empty() ? "" : " && ") + std::string(spec.facts[b]);
            else if (!(bits.second >> b & 1u)) guard += (guard.empty() ? "!" : " && !") + std::string(spec.facts[b]);
          }
          if (guard.empty()) guard = "some facts";
        }
        o << "  s" << c << " -> s" << n << " [label=" << quoted(std::string(spec.events[e]) + (guard.empty() ? "" : "\n[" + guard + "]"))
          << "];\n";
      }
    }
  }
  o << "}\n";
  return o.str();
}

}  // namespace acdsim::model
