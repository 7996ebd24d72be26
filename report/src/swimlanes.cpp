#include "acdsim/report/swimlanes.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "acdsim/report/html.hpp"

namespace acdsim::report {
namespace {

struct Change {
  std::string component, from, to;
};

// "path: A -> B" split; nullopt for other lines ("refused: ...").
std::optional<Change> parse_change(const std::string& line) {
  const auto colon = line.find(": ");
  const auto arrow = line.rfind(" -> ");
  if (colon == std::string::npos || arrow == std::string::npos || arrow < colon) return std::nullopt;
  return Change{line.substr(0, colon), line.substr(colon + 2, arrow - colon - 2), line.substr(arrow + 4)};
}

std::string roles_text(const model::Host& host) {
  std::string out;
  for (model::Role r : host.roles) out += (out.empty() ? "" : " ") + std::string(model::to_string(r));
  return out;
}

std::string severity_text(const checker::Violation& v) {
  return v.spec ? std::string(checker::to_string(v.spec->severity)) : "";
}

}  // namespace

std::string host_of(const std::string& component) {
  const auto slash = component.find('/');
  return slash == std::string::npos ? "" : component.substr(0, slash);
}

std::vector<std::string> lanes_of(const checker::Violation& violation, const model::Topology& topology) {
  std::vector<std::string> seen;
  auto note = [&](const std::string& host) {
    if (!host.empty() && std::find(seen.begin(), seen.end(), host) == seen.end()) seen.push_back(host);
  };
  for (const checker::TraceLine& t : violation.trace)
    for (const std::string& line : t.changes)
      if (auto c = parse_change(line); c && c->from != c->to) note(host_of(c->component));
  note(host_of(violation.subject));
  std::vector<std::string> lanes;
  for (const model::Host& h : topology.hosts)
    if (std::find(seen.begin(), seen.end(), h.alias) != seen.end()) lanes.push_back(h.alias);
  for (const std::string& h : seen)
    if (!topology.find_host(h)) lanes.push_back(h);
  return lanes;
}

std::string swimlanes_html(const checker::Violation& v, const model::Topology& topology, std::size_t index,
                           std::size_t total) {
  const std::vector<std::string> lanes = lanes_of(v, topology);
  const std::string id = v.spec ? std::string(v.spec->id) : "?";
  std::string out = "<div class=\"counterexample\" data-invariant=\"" + esc(id) + "\">\n<h3>Counterexample " +
                    std::to_string(index) + " of " + std::to_string(total) + ": " + esc(id) + " (" + esc(severity_text(v)) +
                    ")" + (v.subject.empty() ? "" : " on " + esc(v.subject)) + ", " + std::to_string(v.trace.size()) +
                    (v.trace.size() == 1 ? " move" : " moves") + "</h3>\n";
  out += "<p class=\"note\">One lane per host the trace changes, moves in order from the top (shortest trace from the "
         "initial state). Click a change to highlight that component.</p>\n";
  out += "<div class=\"scroll\"><table class=\"swimlanes\" style=\"min-width:" + std::to_string(18 + 9 * lanes.size()) +
         "em\">\n<colgroup><col class=\"pos\"><col class=\"move\">";
  for (const std::string& h : lanes) out += "<col class=\"lane\" data-host=\"" + esc(h) + "\">";
  out += "</colgroup>\n<thead><tr><th>#</th><th>move</th>";
  for (const std::string& h : lanes) {
    const model::Host* host = topology.find_host(h);
    out += "<th class=\"lane-head\">" + esc(h) + (host ? "<small>" + esc(roles_text(*host)) + "</small>" : "") + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < v.trace.size(); ++i) {
    const checker::TraceLine& t = v.trace[i];
    std::map<std::string, std::string> cells;  // host -> changes
    std::string others;                        // lines that name no host component
    for (const std::string& line : t.changes) {
      const auto c = parse_change(line);
      if (c && c->from == c->to) continue;  // a command that changed nothing
      const std::string host = c ? host_of(c->component) : "";
      if (!c || host.empty()) {
        others += "<div class=\"note\">" + esc(line) + "</div>";
        continue;
      }
      const std::string local = c->component.substr(host.size() + 1);
      cells[host] += "<div class=\"change\" data-component=\"" + esc(c->component) + "\" title=\"" + esc(c->component) +
                     "\">" + esc(local) + ": " + esc(c->from) + " → " + esc(c->to) + "</div>";
    }
    if (cells.empty() && others.empty()) others = "<div class=\"note\">(no state change)</div>";
    out += "<tr class=\"what-" + esc(t.what) + "\"><td class=\"num\">" + std::to_string(i + 1) + "</td><td class=\"move\"><span class=\"what\">" +
           esc(t.what) + "</span> " + esc(t.label) + others + "</td>";
    for (const std::string& h : lanes) out += "<td data-host=\"" + esc(h) + "\">" + cells[h] + "</td>";
    out += "</tr>\n";
  }
  // The end: the broken invariant in its subject's lane (across all lanes when it names no host).
  const std::string subject_host = host_of(v.subject);
  out += "<tr class=\"broken\"><td class=\"num\">✗</td><td class=\"move\">broken: " + esc(id) + "</td>";
  if (subject_host.empty()) {
    if (!lanes.empty())
      out += "<td colspan=\"" + std::to_string(lanes.size()) + "\">" + esc(v.detail.empty() ? id : v.detail) + "</td>";
  } else {
    for (const std::string& h : lanes)
      out += "<td data-host=\"" + esc(h) + "\">" + (h == subject_host ? esc(v.subject.substr(h.size() + 1) + ": " + id) : "") + "</td>";
  }
  out += "</tr>\n</tbody></table></div>\n";
  out += "<div class=\"broken-box\">";
  std::vector<Fact> facts{{"broken", id + " (" + severity_text(v) + ")" + (v.subject.empty() ? "" : " on " + v.subject)}};
  if (!v.detail.empty()) facts.push_back({"state", v.detail});
  if (v.spec) facts.push_back({"why", std::string(v.spec->reason)});
  if (v.spec && !v.spec->fix.empty()) facts.push_back({"fix", std::string(v.spec->fix)});
  out += facts_html(facts) + "</div>\n</div>\n";
  return out;
}

}  // namespace acdsim::report
