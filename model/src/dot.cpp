#include "acdsim/model/dot.hpp"

#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "dot_text.hpp"

namespace acdsim::model {
namespace {

using dot_text::quoted;

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

std::string procedure_dot(const Procedure& p) {
  std::ostringstream o;
  o << "digraph " << quoted(p.name) << " {\n  rankdir=TB;\n  fontname=\"Helvetica\";\n  labelloc=t;\n"
    << "  label=" << quoted("procedure " + p.name + ": an arrow from a step to the steps that wait for it") << ";\n"
    << "  node [shape=box, style=filled, fillcolor=white, fontname=\"Helvetica\"];\n";
  std::string open_phase, title_beside;
  bool has_check = false;
  for (const Step& s : p.steps) {
    if (s.phase != open_phase) {
      if (!open_phase.empty()) o << "  }\n";
      if (!s.phase.empty()) {
        std::string label = s.phase;
        for (const Procedure::Phase& ph : p.phases)
          if (ph.id == s.phase) label = ph.name;
        // The phase's name as a node beside its first step, not as the box's label:
        // arrows between phases cross the top of a box but never run through a node.
        o << "  subgraph " << quoted("cluster_" + s.phase) << " {\n    label=\"\";\n    style=\"rounded,filled\";\n"
          << "    fillcolor=\"#f4f4f4\";\n    " << quoted("phase:" + s.phase) << " [shape=plaintext, style=\"\", label="
          << quoted(label) << "];\n";
        title_beside = s.phase;
      }
      open_phase = s.phase;
    }
    std::string label = s.id + "\n" + s.action + (s.target.empty() ? "" : " " + s.target);
    if (s.wait) label += "\nwait: " + condition_text(*s.wait);
    if (s.timeout_s > 0) label += "\ntimeout " + std::to_string(static_cast<long long>(s.timeout_s)) + " s";
    has_check |= s.action == "check";
    o << (open_phase.empty() ? "  " : "    ") << quoted(s.id) << " [label=" << quoted(label)
      << (s.action == "check" ? ", style=\"rounded,filled\", fillcolor=\"#fff4cc\"" : "") << "];\n";
    if (!title_beside.empty())
      o << "    { rank=same; " << quoted("phase:" + title_beside) << "; " << quoted(s.id) << "; }\n", title_beside.clear();
  }
  if (!open_phase.empty()) o << "  }\n";
  if (has_check)
    o << "  legend [shape=plaintext, style=\"\", label=<<table border=\"1\" cellborder=\"0\" cellspacing=\"0\" "
         "cellpadding=\"4\" color=\"#888888\"><tr><td border=\"1\" style=\"rounded\" bgcolor=\"#fff4cc\">check</td>"
         "<td align=\"left\">waits until its condition holds (or its timeout)</td></tr><tr><td border=\"1\">step</td>"
         "<td align=\"left\">an operator action on a host</td></tr></table>>];\n";
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
