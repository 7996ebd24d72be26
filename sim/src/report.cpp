#include "acdsim/sim/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace acdsim::sim {
namespace {
double pct(std::uint64_t part, std::uint64_t whole) { return whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0; }

struct Stat {
  double sum = 0, lo = 1e300, hi = -1e300;
  std::size_t n = 0;
  void add(double v) { sum += v, lo = std::min(lo, v), hi = std::max(hi, v), ++n; }
  double mean() const { return n ? sum / static_cast<double>(n) : 0; }
  nlohmann::json json() const { return {{"mean", mean()}, {"min", n ? lo : 0}, {"max", n ? hi : 0}}; }
};
}  // namespace

nlohmann::json run_json(const RunResult& r) {
  nlohmann::json j{{"seed", r.seed},           {"load", r.load},         {"completed", r.completed},
                   {"window_s", r.window_s},   {"procedure_start_s", r.procedure_start_s},
                   {"procedure_end_s", r.procedure_end_s}, {"events", r.events}, {"log_hash", r.log_hash}};
  j["goal"] = r.goal;
  j["commands_done_s"] = r.commands_done_s ? nlohmann::json(*r.commands_done_s) : nlohmann::json();
  j["goal_s"] = r.goal_s ? nlohmann::json(*r.goal_s) : nlohmann::json();
  j["critical_chain"] = nlohmann::json::array();
  for (const ChainLink& l : r.critical_chain)
    j["critical_chain"].push_back({{"what", l.what}, {"label", l.label}, {"ready_s", l.ready_s}, {"at_s", l.at_s}});
  if (!r.refused.empty()) j["refused"] = r.refused;
  j["pauses"] = r.pauses;
  j["classes"] = nlohmann::json::array();
  for (const ClassMetrics& m : r.classes)
    j["classes"].push_back({{"name", m.name}, {"offered_erlangs_peak", m.offered_erlangs_peak}, {"offered", m.offered},
                            {"served", m.served}, {"queued", m.queued}, {"abandoned", m.abandoned},
                            {"abandoned_pct", pct(m.abandoned, m.offered)}, {"dropped", m.dropped},
                            {"max_queue", m.max_queue}, {"wait_mean_s", m.wait_mean_s}, {"wait_p50_s", m.wait_p50_s},
                            {"wait_p95_s", m.wait_p95_s}, {"wait_p99_s", m.wait_p99_s},
                            {"below_capacity_s", m.below_capacity_s}});
  j["findings"] = nlohmann::json::array();
  for (const Finding& f : r.findings)
    j["findings"].push_back({{"id", f.id}, {"severity", f.severity}, {"subject", f.subject}, {"detail", f.detail},
                             {"seed", r.seed}, {"time_s", f.time_s}, {"event_index", f.event_index}, {"accepted", f.accepted}});
  if (!r.replayed.empty()) {
    j["replayed"] = nlohmann::json::array();
    for (const ReplayedMove& m : r.replayed) j["replayed"].push_back({{"time_s", m.time_s}, {"what", m.what}, {"label", m.label}});
  }
  j["outages"] = nlohmann::json::array();
  for (const Outage& o : r.outages) j["outages"].push_back({{"class", o.cls}, {"start_s", o.start_s}, {"end_s", o.end_s}, {"duration_s", o.end_s - o.start_s}});
  return j;
}

nlohmann::json summary_json(const std::vector<RunResult>& runs) {
  nlohmann::json j{{"runs", runs.size()}};
  Stat window, commands, goal;
  std::size_t goal_reached = 0;
  std::size_t completed = 0, refused = 0;
  std::map<std::string, std::map<std::string, Stat>> cls;
  std::map<std::string, std::size_t> findings;
  for (const RunResult& r : runs) {
    completed += r.completed, refused += !r.refused.empty();
    if (r.completed) window.add(r.window_s);
    if (r.commands_done_s) commands.add(*r.commands_done_s);
    if (r.goal_s && r.commands_done_s) goal.add(*r.goal_s), ++goal_reached;
    for (const ClassMetrics& m : r.classes) {
      auto& s = cls[m.name];
      s["abandoned_pct"].add(pct(m.abandoned, m.offered));
      s["max_queue"].add(static_cast<double>(m.max_queue));
      s["wait_p95_s"].add(m.wait_p95_s);
      s["wait_p99_s"].add(m.wait_p99_s);
      s["below_capacity_s"].add(m.below_capacity_s);
      s["offered"].add(static_cast<double>(m.offered));
    }
    for (const Finding& f : r.findings) ++findings[f.id + (f.subject.empty() ? "" : " " + f.subject) + (f.accepted ? " (accepted)" : "")];
  }
  j["completed"] = completed;
  j["refused"] = refused;
  j["window_s"] = window.json();
  j["commands_done_s"] = commands.json();
  j["goal"] = runs.empty() ? "" : runs[0].goal;
  j["goal_reached"] = goal_reached;
  j["goal_s"] = goal.json();
  for (auto& [name, stats] : cls)
    for (auto& [key, s] : stats) j["classes"][name][key] = s.json();
  j["findings"] = findings;
  return j;
}

std::string summary_text(const std::string& name, const std::vector<RunResult>& runs) {
  const nlohmann::json s = summary_json(runs);
  char line[512];
  std::string out = name + ": " + std::to_string(runs.size()) + " run(s), " + std::to_string(s["completed"].get<std::size_t>()) +
                    " completed";
  if (s["refused"].get<std::size_t>()) out += ", " + std::to_string(s["refused"].get<std::size_t>()) + " refused by the load guard";
  out += "\n";
  if (runs.size() == 1 && !runs[0].refused.empty()) out += "  " + runs[0].refused + "\n";
  for (const std::string& p : runs.size() == 1 ? runs[0].pauses : std::vector<std::string>{}) out += "  guard: " + p + "\n";
  const std::string goal = runs.empty() ? "" : runs[0].goal;
  auto spread = [&](const char* key) {
    return "mean " + duration_text(s[key]["mean"].get<double>()) + " (min " + duration_text(s[key]["min"].get<double>()) +
           ", max " + duration_text(s[key]["max"].get<double>()) + ")";
  };
  if (runs.size() == 1) {
    const RunResult& r = runs[0];
    out += "  commands done: " + (r.commands_done_s ? duration_text(*r.commands_done_s) : std::string("not completed")) + "\n";
    if (!goal.empty() && r.completed)
      out += "  " + goal + ": " + (r.goal_s ? duration_text(*r.goal_s) : std::string("not within the simulated time")) + "\n";
    out += "  window: " + (r.completed ? duration_text(r.window_s) : std::string("not completed")) +
           (goal.empty() || !r.completed ? "" : r.goal_s ? " (until " + goal + ")" : " (commands only)") + "\n";
    out += chain_text(r);
  } else if (s["completed"].get<std::size_t>()) {
    out += "  commands done: " + spread("commands_done_s") + "\n";
    if (!goal.empty())
      out += "  " + goal + ": " +
             (s["goal_reached"].get<std::size_t>() ? spread("goal_s") + ", in " + std::to_string(s["goal_reached"].get<std::size_t>()) +
                                                         " of " + std::to_string(s["completed"].get<std::size_t>()) + " completed runs"
                                                   : std::string("in no run")) +
             "\n";
    out += "  window: " + spread("window_s") + "\n";
  }
  if (s.contains("classes"))
    for (auto& [cls, m] : s["classes"].items()) {
      std::snprintf(line, sizeof line,
                    "  %-6s offered %.0f, abandoned %.2f %% (max %.2f), max queue %.0f (max %.0f), wait p95 %.1f s, p99 %.1f s, "
                    "below capacity %s\n",
                    cls.c_str(), m["offered"]["mean"].get<double>(), m["abandoned_pct"]["mean"].get<double>(),
                    m["abandoned_pct"]["max"].get<double>(), m["max_queue"]["mean"].get<double>(),
                    m["max_queue"]["max"].get<double>(), m["wait_p95_s"]["mean"].get<double>(),
                    m["wait_p99_s"]["mean"].get<double>(), duration_text(m["below_capacity_s"]["mean"].get<double>()).c_str());
      out += line;
    }
  for (auto& [f, n] : s["findings"].items())
    out += "  finding: " + f + " in " + std::to_string(n.get<std::size_t>()) + " run(s)\n";
  if (runs.size() == 1)
    for (const Finding& f : runs[0].findings) {
      std::snprintf(line, sizeof line, "    %s %s at %s (event %llu, seed %llu)\n", f.id.c_str(), f.subject.c_str(),
                    clock_text(f.time_s).c_str(),
                    static_cast<unsigned long long>(f.event_index), static_cast<unsigned long long>(runs[0].seed));
      out += line;
    }
  return out;
}

std::string chain_text(const RunResult& r) {
  if (r.critical_chain.empty()) return "";
  std::string out = "  critical chain (" + (r.goal_s && r.commands_done_s && *r.goal_s > *r.commands_done_s ? r.goal : std::string("commands done")) +
                    " at " + duration_text(r.window_s) + "; @ when it happened, + how long it took):\n";
  char line[512];
  for (const ChainLink& l : r.critical_chain) {
    const std::string took = l.at_s > l.ready_s ? "+" + duration_text(l.at_s - l.ready_s) : "";
    std::snprintf(line, sizeof line, "    @%-8s %-12s %-12s %s\n", clock_text(std::round(l.at_s)).c_str(), took.c_str(), l.what.c_str(),
                  l.label.c_str());
    out += line;
  }
  return out;
}

nlohmann::json chrome_trace(const RunResult& r) {
  nlohmann::json events = nlohmann::json::array();
  const Timeline& t = r.timeline;
  events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", 1}, {"args", {{"name", "hosts"}}}});
  events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", 2}, {"args", {{"name", "router and load"}}}});
  for (std::size_t i = 0; i < t.tracks.size(); ++i)
    events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 1}, {"tid", i + 1}, {"args", {{"name", t.tracks[i]}}}});
  for (const Timeline::Slice& s : t.slices)
    events.push_back({{"name", s.name}, {"cat", "host"}, {"ph", "X"}, {"pid", 1}, {"tid", s.track + 1}, {"ts", s.start}, {"dur", s.end - s.start}});
  for (const Timeline::Sample& s : t.samples)
    events.push_back({{"name", t.series[s.series]}, {"ph", "C"}, {"pid", 2}, {"ts", s.time}, {"args", {{"value", s.value}}}});
  for (const Timeline::Instant& i : t.instants)
    events.push_back({{"name", i.name}, {"ph", "i"}, {"s", "g"}, {"pid", 2}, {"tid", 0}, {"ts", i.time}});
  // The procedure's steps, on as many lanes as overlap (slices on one track must nest).
  events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", 3}, {"args", {{"name", "procedure steps"}}}});
  std::vector<const Timeline::Slice*> steps;
  for (const Timeline::Slice& s : t.steps) steps.push_back(&s);
  std::stable_sort(steps.begin(), steps.end(), [](auto* a, auto* b) { return a->start < b->start; });
  std::vector<SimTime> lane_end;
  for (const Timeline::Slice* s : steps) {
    std::size_t lane = 0;
    while (lane < lane_end.size() && lane_end[lane] > s->start) ++lane;
    if (lane == lane_end.size()) {
      lane_end.push_back(0);
      events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 3}, {"tid", lane + 1},
                        {"args", {{"name", "steps " + std::to_string(lane + 1)}}}});
    }
    lane_end[lane] = std::max(s->end, s->start + 1);
    events.push_back({{"name", s->name}, {"cat", "step"}, {"ph", "X"}, {"pid", 3}, {"tid", lane + 1}, {"ts", s->start},
                      {"dur", std::max<SimTime>(s->end - s->start, 1)}});
  }
  const SimTime origin = from_seconds(r.procedure_start_s);
  if (r.commands_done_s)
    events.push_back({{"name", "commands done"}, {"ph", "i"}, {"s", "g"}, {"pid", 3}, {"tid", 0}, {"ts", origin + from_seconds(*r.commands_done_s)}});
  if (r.goal_s)
    events.push_back({{"name", r.goal}, {"ph", "i"}, {"s", "g"}, {"pid", 3}, {"tid", 0}, {"ts", origin + from_seconds(*r.goal_s)}});
  return {{"traceEvents", std::move(events)}, {"displayTimeUnit", "ms"},
          {"otherData", {{"seed", r.seed}, {"time_unit", "microseconds of simulated time"}}}};
}

}  // namespace acdsim::sim
