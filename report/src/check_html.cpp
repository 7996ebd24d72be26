#include "acdsim/report/check_html.hpp"

#include <set>

#include "acdsim/report/html.hpp"
#include "acdsim/report/swimlanes.hpp"
#include "timeline_html.hpp"

namespace acdsim::report {
namespace {

using CV = checker::Verdict;

std::string word(CV v) {
  switch (v) {
    case CV::Safe: return "SAFE";
    case CV::Violated: return "VIOLATED";
    case CV::Incomplete: return "INCOMPLETE";
  }
  return "?";
}

Tone tone(CV v) {
  return v == CV::Safe ? Tone::Good : v == CV::Violated ? Tone::Bad : Tone::Unknown;
}

// One sentence a person can repeat in a meeting.
std::string summary(const checker::Checked& c) {
  const checker::Result& r = c.result;
  const auto violations = violations_of(r);
  switch (r.verdict) {
    case CV::Safe:
      return "Every interleaving of the " + std::to_string(c.procedure.steps.size()) +
             " steps with the environment reaches the goal without breaking an invariant (" + count_text(r.states) +
             " states explored).";
    case CV::Violated: {
      if (violations.empty()) return "An invariant is broken.";
      std::string s = std::to_string(violations.size()) + (violations.size() == 1 ? " violation: " : " violations: ");
      for (std::size_t i = 0; i < violations.size(); ++i) {
        const checker::Violation& v = *violations[i];
        s += (i ? "; " : "") + (v.spec ? std::string(v.spec->id) : std::string("?")) + (v.subject.empty() ? "" : " on " + v.subject);
      }
      return s + ".";
    }
    case CV::Incomplete:
      return "Not proven: the search stopped (" + r.incomplete_reason + ") before every state was explored.";
  }
  return "";
}

std::vector<Fact> facts(const checker::Checked& c, const model::Topology& topology) {
  const checker::Result& r = c.result;
  std::vector<Fact> f{{"procedure", c.procedure.name + " (" + c.procedure.kind + ", " +
                                        std::to_string(c.procedure.steps.size()) + " steps)"},
                      {"file", c.file},
                      {"topology", topology.name + " (" + std::to_string(topology.hosts.size()) + " hosts)"},
                      {"states explored", count_text(r.states) + " (" + count_text(r.transitions) +
                                              " transitions, depth " + std::to_string(r.depth) + ")"}};
  if (!r.symmetry.empty()) f.push_back({"interchangeable hosts", r.symmetry});
  if (!r.incomplete_reason.empty()) f.push_back({"search stopped by", r.incomplete_reason});
  if (!r.accepted.empty()) {
    std::string a;
    for (const std::string& id : r.accepted) a += (a.empty() ? "" : ", ") + id;
    f.push_back({"accepted (seen, not failing)", a});
  }
  for (const std::string& n : r.not_checked) f.push_back({"not checked", n});
  if (r.trace_maybe_longer) f.push_back({"note", "a trace may not be the shortest (partial-order reduction)"});
  return f;
}

std::string procedure_body(const checker::Checked& c, const model::Topology& topology, bool heading) {
  std::string out;
  if (heading)
    out += "<p><span class=\"tone-tag " + std::string(tone(c.result.verdict) == Tone::Good ? "tone-good"
                                                      : tone(c.result.verdict) == Tone::Bad ? "tone-bad"
                                                                                            : "tone-unknown") +
           " verdict-word\">" + word(c.result.verdict) + "</span> " + esc(summary(c)) + "</p>\n" + facts_html(facts(c, topology));
  const auto violations = violations_of(c.result);
  for (std::size_t i = 0; i < violations.size(); ++i) out += swimlanes_html(*violations[i], topology, i + 1, violations.size());
  out += "<h3>Steps</h3>\n" + steps_html(c.procedure);
  return out;
}

}  // namespace

std::vector<const checker::Violation*> violations_of(const checker::Result& result) {
  std::vector<const checker::Violation*> out;
  for (const checker::Violation& v : result.violations) out.push_back(&v);
  if (out.empty() && result.violation) out.push_back(&*result.violation);
  return out;
}

std::string check_html(const std::vector<checker::Checked>& all, const std::vector<model::Topology>& topologies) {
  CV worst = CV::Safe;
  for (const auto& c : all)
    if (c.result.verdict == CV::Violated || (c.result.verdict == CV::Incomplete && worst == CV::Safe))
      worst = c.result.verdict;
  Headline top;
  std::string body;
  if (all.size() == 1) {
    top = {word(worst), tone(worst), summary(all[0]), facts(all[0], topologies[0])};
    body += section("procedure", violations_of(all[0].result).empty() ? "The procedure" : "What goes wrong, host by host",
                    procedure_body(all[0], topologies[0], false));
  } else {
    std::size_t counts[3] = {0, 0, 0};
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : all) {
      ++counts[static_cast<int>(c.result.verdict)];
      rows.push_back({word(c.result.verdict), c.procedure.name, c.file, count_text(c.result.states)});
    }
    top = {word(worst), tone(worst),
           std::to_string(counts[1]) + " violated, " + std::to_string(counts[2]) + " incomplete, " +
               std::to_string(counts[0]) + " safe of " + std::to_string(all.size()) + " procedures.",
           {}};
    body += section("procedures", "Procedures", table_html({"verdict", "procedure", "file", "states"}, rows));
    for (std::size_t i = 0; i < all.size(); ++i)
      body += section("procedure-" + std::to_string(i + 1), all[i].procedure.name, procedure_body(all[i], topologies[i], true));
  }
  std::set<std::string> drawn;
  for (const model::Topology& t : topologies)
    if (drawn.insert(t.name + "\n" + t.source_file).second)
      body += section("topology-" + std::to_string(drawn.size()), "Topology: " + t.name, topology_figure(t));
  const std::string title = "acdsim check: " + (all.size() == 1 ? all[0].procedure.name : std::to_string(all.size()) + " procedures");
  return document(title, top, body);
}

}  // namespace acdsim::report
