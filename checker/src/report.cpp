#include "acdsim/checker/report.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <sstream>

#include "acdsim/model/output.hpp"

namespace acdsim::checker {
namespace {

std::string verdict_word(Verdict v) {
  switch (v) {
    case Verdict::Safe: return "safe";
    case Verdict::Violated: return "violated";
    case Verdict::Incomplete: return "incomplete";
  }
  return "?";
}

std::string stats(const Result& r) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "%llu states, %llu transitions, depth %u, %.2f s, %.1f bytes/state",
                static_cast<unsigned long long>(r.states), static_cast<unsigned long long>(r.transitions), r.depth,
                r.seconds, r.states ? static_cast<double>(r.bytes) / static_cast<double>(r.states) : 0.0);
  return buf;
}

// "path: A -> A" (a command accepted without changing anything, e.g. drbdadm
// secondary on a Secondary): not worth a line.
bool is_no_change(std::string_view change) {
  const auto colon = change.find(": ");
  const auto arrow = change.rfind(" -> ");
  if (colon == std::string_view::npos || arrow == std::string_view::npos || arrow < colon) return false;
  return change.substr(colon + 2, arrow - colon - 2) == change.substr(arrow + 4);
}

// {"component", "from", "to"} of "path: A -> B"; nullopt for other lines ("refused: ...").
std::optional<nlohmann::json> parse_change(std::string_view change) {
  const auto colon = change.find(": ");
  const auto arrow = change.rfind(" -> ");
  if (colon == std::string_view::npos || arrow == std::string_view::npos || arrow < colon) return std::nullopt;
  return nlohmann::json{{"component", change.substr(0, colon)},
                        {"from", change.substr(colon + 2, arrow - colon - 2)},
                        {"to", change.substr(arrow + 4)}};
}

// The violations of a result (a hand-built Result may set only `violation`).
std::vector<Violation> violations_of(const Result& r) {
  if (r.violations.empty() && r.violation) return {*r.violation};
  return r.violations;
}

// "consumer.storage-lost (outage) on acd-jb1/jboss"
std::string headline(const Violation& v) {
  return std::string(v.spec->id) + " (" + std::string(to_string(v.spec->severity)) + ")" +
         (v.subject.empty() ? "" : " on " + v.subject);
}

void trace_text(std::ostringstream& o, const Violation& v) {
  o << "  shortest trace (" << v.trace.size() << (v.trace.size() == 1 ? " move" : " moves") << "):\n";
  for (std::size_t i = 0; i < v.trace.size(); ++i) {
    const TraceLine& t = v.trace[i];
    char num[32];
    std::snprintf(num, sizeof num, "%4zu. ", i + 1);
    o << num << t.what << std::string(t.what.size() < 12 ? 12 - t.what.size() : 1, ' ') << t.label << "\n";
    std::size_t shown = 0;
    for (const std::string& ch : t.changes) {
      if (is_no_change(ch)) continue;
      o << "                   " << ch << "\n";
      ++shown;
    }
    if (shown == 0) o << "                   (no state change)\n";
  }
  if (v.trace_maybe_longer) o << "  (found with partial-order reduction: a shorter trace may exist)\n";
  o << "  broken: " << headline(v) << "\n";
  if (!v.detail.empty()) o << "  state: " << v.detail << "\n";
  o << "  why: " << v.spec->reason << "\n";
  if (!v.spec->fix.empty()) o << "  fix: " << v.spec->fix << "\n";
}

nlohmann::json violation_json(const Violation& v) {
  nlohmann::json trace = nlohmann::json::array();
  for (const TraceLine& t : v.trace) {
    nlohmann::json changed = nlohmann::json::array();
    for (const std::string& ch : t.changes)
      if (auto parsed = parse_change(ch)) changed.push_back(std::move(*parsed));
    trace.push_back({{"what", t.what}, {"label", t.label}, {"changes", t.changes}, {"changed", std::move(changed)}});
  }
  return {{"invariant", v.spec->id}, {"severity", to_string(v.spec->severity)},
          {"subject", v.subject},    {"kind", v.kind},
          {"detail", v.detail},      {"reason", v.spec->reason},
          {"fix", v.spec->fix},      {"trace_maybe_longer", v.trace_maybe_longer},
          {"trace", std::move(trace)}};
}

}  // namespace

std::string report_text(const Checked& c) {
  std::ostringstream o;
  const Result& r = c.result;
  std::string verdict = verdict_word(r.verdict);
  for (char& ch : verdict) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  o << c.file << ": " << verdict << "  (" << c.procedure.name << ")\n";
  o << "  " << stats(r) << "\n";
  if (r.verdict == Verdict::Incomplete) o << "  not proven: " << r.incomplete_reason << "\n";
  if (r.verdict == Verdict::Violated && !r.incomplete_reason.empty())
    o << "  search incomplete: " << r.incomplete_reason << " (more violations may exist)\n";
  for (const std::string& n : r.not_checked) o << "  not checked: " << n << "\n";
  if (!r.accepted.empty()) {
    o << "  accepted (seen, not failing the verdict):";
    for (const std::string& id : r.accepted) o << " " << id;
    o << "\n";
  }
  const std::vector<Violation> all = violations_of(r);
  if (all.size() == 1) trace_text(o, all[0]);
  if (all.size() < 2) return o.str();
  o << "  " << all.size() << " violations:";
  for (std::size_t i = 0; i < all.size(); ++i) o << (i ? "; " : " ") << headline(all[i]);
  o << "\n";
  for (std::size_t i = 0; i < all.size(); ++i) {
    o << "  --- violation " << i + 1 << " of " << all.size() << ": " << all[i].spec->id << " ---\n";
    trace_text(o, all[i]);
  }
  return o.str();
}

nlohmann::json report_json(const Checked& c) {
  const Result& r = c.result;
  nlohmann::json j = {
      {"format", "acdsim-check/1"},
      {"file", c.file},
      {"procedure", c.procedure.name},
      {"topology", c.procedure.topology_file},
      {"kind", c.procedure.kind},
      {"verdict", verdict_word(r.verdict)},
      {"stats",
       {{"states", r.states},
        {"transitions", r.transitions},
        {"depth", r.depth},
        {"seconds", r.seconds},
        {"bytes", r.bytes},
        {"words_per_state", r.words_per_state}}},
      {"accepted", r.accepted},
  };
  if (!r.incomplete_reason.empty()) j["incomplete_reason"] = r.incomplete_reason;
  if (!r.not_checked.empty()) j["not_checked"] = r.not_checked;
  const std::vector<Violation> all = violations_of(r);
  if (!all.empty()) {
    j["violation"] = violation_json(all.front());  // the first, as before "violations"
    j["violations"] = nlohmann::json::array();
    for (const Violation& v : all) j["violations"].push_back(violation_json(v));
  }
  return j;
}

std::string report_junit(const std::vector<Checked>& all) {
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"acdsim check\">\n";
  for (const Checked& c : all) {
    const Result& r = c.result;
    const std::vector<Violation> found = violations_of(r);
    // One case per catalogue invariant; one per violation instead where it was
    // violated ("id (kind)" when one invariant broke on several kinds), and
    // one per violated invariant outside the catalogue (a procedure's own).
    struct Case {
      std::string name;
      const Violation* failed = nullptr;
    };
    std::vector<Case> cases;
    auto failures_of = [&](std::string_view id) {
      std::vector<const Violation*> out;
      for (const Violation& v : found)
        if (v.spec->id == id) out.push_back(&v);
      return out;
    };
    for (const InvariantSpec& spec : catalogue()) {
      const auto failed = failures_of(spec.id);
      if (failed.empty()) cases.push_back({std::string(spec.id)});
      for (const Violation* v : failed)
        cases.push_back({failed.size() == 1 || v->kind.empty() ? std::string(spec.id) : std::string(spec.id) + " (" + v->kind + ")", v});
    }
    for (const Violation& v : found)
      if (std::none_of(catalogue().begin(), catalogue().end(), [&](const InvariantSpec& s) { return s.id == v.spec->id; }))
        cases.push_back({std::string(v.spec->id), &v});
    const bool unproven = !r.incomplete_reason.empty();
    std::size_t skipped = 0;
    for (const Case& k : cases) skipped += !k.failed && unproven;
    o << "  <testsuite name=\"" << model::xml_escape(c.procedure.name) << "\" tests=\"" << cases.size() << "\" failures=\""
      << found.size() << "\" skipped=\"" << skipped << "\" time=\"" << r.seconds << "\" file=\"" << model::xml_escape(c.file)
      << "\">\n";
    for (const Case& k : cases) {
      o << "    <testcase classname=\"" << model::xml_escape(c.file) << "\" name=\"" << model::xml_escape(k.name) << "\"";
      if (!k.failed && !unproven) {
        o << "/>\n";
        continue;
      }
      o << ">\n";
      if (k.failed) {
        const Violation& v = *k.failed;
        std::ostringstream body;
        trace_text(body, v);
        o << "      <failure message=\"" << model::xml_escape(std::string(v.spec->id) + " on " + v.subject) << "\" type=\""
          << to_string(v.spec->severity) << "\">" << model::xml_escape(c.file + ": " + c.procedure.name + "\n" + body.str())
          << "</failure>\n";
      } else {
        o << "      <skipped message=\"" << model::xml_escape("not proven: " + r.incomplete_reason) << "\"/>\n";
      }
      o << "    </testcase>\n";
    }
    o << "  </testsuite>\n";
  }
  o << "</testsuites>\n";
  return o.str();
}

}  // namespace acdsim::checker
