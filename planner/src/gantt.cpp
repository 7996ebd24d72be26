#include "acdsim/planner/gantt.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "acdsim/model/output.hpp"

namespace acdsim::planner {

namespace {

struct StateColour {
  const char* prefix;  // the word the simulator's host tracks start with
  const char* fill;
};
constexpr std::array<StateColour, 8> kColours{{{"offline", "#bdbdbd"},
                                               {"booting", "#ffb300"},
                                               {"serving", "#4caf50"},
                                               {"degraded", "#ef6c00"},
                                               {"draining", "#29b6f6"},
                                               {"crashed", "#d32f2f"},
                                               {"shutting down", "#8d6e63"},
                                               {"up (no application)", "#90a4ae"}}};
constexpr const char* kChain = "#6a1b9a";
constexpr const char* kDone = "#1565c0";
constexpr const char* kGoal = "#2e7d32";

const char* colour(const std::string& name) {
  for (const StateColour& c : kColours) {
    const std::string p = c.prefix;
    if (name.rfind(p.substr(0, p.find(" (")), 0) == 0) return c.fill;
  }
  return "#90a4ae";
}

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

}  // namespace

Axis time_axis(double span_s) {
  // round steps: seconds, then minutes, then hours; about 6 to 10 ticks
  static constexpr double kSteps[] = {0.1, 0.2, 0.5, 1,   2,    5,    10,   15,   30,    60,    120,
                                      300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
  Axis a;
  a.step_s = kSteps[std::size(kSteps) - 1];
  for (double s : kSteps)
    if (span_s / s <= 10) {
      a.step_s = s;
      break;
    }
  a.end_s = std::max(a.step_s, std::ceil(span_s / a.step_s - 1e-9) * a.step_s);
  for (double t = 0; t <= a.end_s + 1e-9; t += a.step_s) {
    const double r = std::round(t * 10) / 10;
    char b[32];
    if (a.step_s < 1) std::snprintf(b, sizeof b, "%.1f s", r);
    else if (a.step_s < 60) std::snprintf(b, sizeof b, "%.0f s", r);
    else if (a.step_s < 3600) std::snprintf(b, sizeof b, "%.0f min", r / 60);
    else std::snprintf(b, sizeof b, "%.0f h", r / 3600);
    a.ticks.emplace_back(t, t == 0 ? std::string("0") : std::string(b));
  }
  return a;
}

std::string gantt_svg(const sim::RunResult& run, const std::string& title) {
  const auto& tl = run.timeline;
  const double start = run.procedure_start_s;
  // to the end of the window (service back), a little beyond the last command
  double span = run.window_s;
  if (run.commands_done_s) span = std::max(span, *run.commands_done_s);
  if (run.goal_s) span = std::max(span, *run.goal_s);
  const Axis axis = time_axis(std::max(span * 1.04, 1.0));
  const double end = start + axis.end_s;
  const int label_w = 150, plot_w = 800, width = label_w + plot_w + 50, row_h = 22, top = 104;
  const int rows = static_cast<int>(tl.tracks.size()) + 1;  // hosts, then the critical chain
  const int axis_y = top + rows * row_h + 4;
  const int chain_top = axis_y + 44;
  const int height = chain_top + 16 * static_cast<int>(run.critical_chain.size()) + 20;
  const double scale = plot_w / axis.end_s;
  auto x_of = [&](double t) { return label_w + (t - start) * scale; };
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  std::string headline = title + " (seed " + std::to_string(run.seed) + ")";
  svg << "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">" << model::xml_escape(headline) << "</text>\n";
  std::string summary = "commands done " + (run.commands_done_s ? sim::duration_text(*run.commands_done_s) : std::string("never"));
  if (!run.goal.empty()) summary += ", " + run.goal + " " + (run.goal_s ? sim::duration_text(*run.goal_s) : std::string("not reached"));
  svg << "<text x=\"10\" y=\"38\">" << model::xml_escape(summary) << "</text>\n";
  // legend
  int lx = 10;
  for (const StateColour& c : kColours) {
    svg << "<rect x=\"" << lx << "\" y=\"46\" width=\"12\" height=\"12\" fill=\"" << c.fill << "\"/><text x=\"" << lx + 16
        << "\" y=\"56\">" << c.prefix << "</text>\n";
    lx += 26 + 7 * static_cast<int>(std::string(c.prefix).size()) + 10;
  }
  lx = 10;  // second row: what the lines and outlines mean
  svg << "<rect x=\"" << lx << "\" y=\"64\" width=\"12\" height=\"12\" fill=\"none\" stroke=\"" << kChain
      << "\" stroke-width=\"2\"/><text x=\"" << lx + 16 << "\" y=\"74\">critical chain (the moves that decided the end)</text>\n";
  lx += 330;
  svg << "<line x1=\"" << lx << "\" y1=\"70\" x2=\"" << lx + 14 << "\" y2=\"70\" stroke=\"" << kDone
      << "\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/><text x=\"" << lx + 18 << "\" y=\"74\">commands done</text>\n";
  lx += 124;
  svg << "<line x1=\"" << lx << "\" y1=\"70\" x2=\"" << lx + 14 << "\" y2=\"70\" stroke=\"" << kGoal
      << "\" stroke-width=\"2\"/><text x=\"" << lx + 18 << "\" y=\"74\">"
      << model::xml_escape(run.goal.empty() ? "end" : run.goal + " (the goal holds)") << "</text>\n";
  // grid and axis
  for (const auto& [t, text] : axis.ticks) {
    const double x = label_w + t * scale;
    svg << "<line x1=\"" << num(x) << "\" y1=\"" << top << "\" x2=\"" << num(x) << "\" y2=\"" << axis_y
        << "\" stroke=\"#e0e0e0\"/><text x=\"" << num(x) << "\" y=\"" << axis_y + 15 << "\" text-anchor=\"middle\">" << text
        << "</text>\n";
  }
  svg << "<text x=\"" << label_w + plot_w / 2 << "\" y=\"" << axis_y + 32
      << "\" text-anchor=\"middle\" fill=\"#555\">time after the procedure start</text>\n";
  // host rows
  for (std::size_t i = 0; i < tl.tracks.size(); ++i)
    svg << "<text x=\"10\" y=\"" << top + static_cast<int>(i) * row_h + 15 << "\">" << model::xml_escape(tl.tracks[i]) << "</text>\n";
  std::vector<sim::Timeline::Slice> bars = tl.slices;
  for (sim::Timeline::Slice s : tl.last) {  // the state at the end lasts to the right edge
    s.end = sim::from_seconds(end);
    bars.push_back(s);
  }
  for (const auto& s : bars) {
    const double a = std::max(sim::to_seconds(s.start), start), b = std::min(sim::to_seconds(s.end), end);
    if (b <= a) continue;
    svg << "<rect x=\"" << num(x_of(a)) << "\" y=\"" << top + static_cast<int>(s.track) * row_h + 3 << "\" width=\""
        << num(std::max((b - a) * scale, 0.5)) << "\" height=\"" << row_h - 6 << "\" fill=\"" << colour(s.name) << "\"><title>"
        << model::xml_escape(tl.tracks[s.track] + " " + s.name) << ": " << sim::duration_text(a - start) << " to "
        << sim::duration_text(b - start) << "</title></rect>\n";
  }
  // the critical chain: its own row, and outlined on the host it happened on
  const int chain_row = top + static_cast<int>(tl.tracks.size()) * row_h;
  svg << "<text x=\"10\" y=\"" << chain_row + 15 << "\" fill=\"" << kChain << "\">critical chain</text>\n";
  for (const sim::ChainLink& l : run.critical_chain) {
    const double a = start + l.ready_s, b = start + l.at_s;
    int row = -1;
    for (std::size_t i = 0; i < tl.tracks.size(); ++i) {
      const std::string& h = tl.tracks[i];
      const bool prefix = l.label.rfind(h, 0) == 0 && l.label.size() > h.size() && (l.label[h.size()] == '/' || l.label[h.size()] == ':');
      const bool suffix = l.label.size() > h.size() && l.label.compare(l.label.size() - h.size(), h.size(), h) == 0 &&
                          l.label[l.label.size() - h.size() - 1] == ' ';
      if (prefix || suffix) row = static_cast<int>(i);
    }
    const std::string tip = "<title>" + model::xml_escape(l.what + ": " + l.label) + " (" + sim::duration_text(l.ready_s) + " to " +
                            sim::duration_text(l.at_s) + ")</title>";
    const double w = std::max((b - a) * scale, 2.0);
    svg << "<rect x=\"" << num(x_of(a)) << "\" y=\"" << chain_row + 6 << "\" width=\"" << num(w) << "\" height=\"" << row_h - 12
        << "\" fill=\"" << kChain << "\">" << tip << "</rect>\n";
    if (row >= 0)
      svg << "<rect x=\"" << num(x_of(a)) << "\" y=\"" << top + row * row_h + 2 << "\" width=\"" << num(w) << "\" height=\""
          << row_h - 4 << "\" fill=\"none\" stroke=\"" << kChain << "\" stroke-width=\"2\">" << tip << "</rect>\n";
  }
  // markers
  // markers, labelled above the rows (right-aligned to the line when it is right of the middle)
  auto marker = [&](double t, const char* colour_, const char* dash, const std::string& text, int dy) {
    const double x = x_of(start + t);
    const bool right = x > label_w + plot_w / 2.0;
    svg << "<line x1=\"" << num(x) << "\" y1=\"" << top - 16 - dy << "\" x2=\"" << num(x) << "\" y2=\"" << axis_y
        << "\" stroke=\"" << colour_ << "\" stroke-width=\"2\"" << dash << "/>\n<text x=\"" << num(right ? x - 4 : x + 4)
        << "\" y=\"" << top - 6 - dy << "\" text-anchor=\"" << (right ? "end" : "start") << "\" fill=\"" << colour_ << "\">"
        << model::xml_escape(text) << "</text>\n";
  };
  const bool same = run.goal_s && run.commands_done_s && std::abs(*run.goal_s - *run.commands_done_s) < 0.5;
  if (run.goal_s)
    marker(*run.goal_s, kGoal, "", (same ? "commands done, " : "") + run.goal + " " + sim::duration_text(*run.goal_s), 0);
  if (run.commands_done_s && !same)
    marker(*run.commands_done_s, kDone, " stroke-dasharray=\"5 3\"", "commands done " + sim::duration_text(*run.commands_done_s),
           run.goal_s && std::abs(*run.goal_s - *run.commands_done_s) * scale < 220 ? 13 : 0);
  // the chain, one link a line
  if (!run.critical_chain.empty())
    svg << "<text x=\"10\" y=\"" << chain_top - 8 << "\" font-weight=\"bold\" fill=\"" << kChain
        << "\">critical chain (@ when it happened, + how long it took)</text>\n";
  int y = chain_top + 8;
  for (const sim::ChainLink& l : run.critical_chain) {
    const std::string took = l.at_s > l.ready_s ? "+" + sim::duration_text(l.at_s - l.ready_s) : "";
    svg << "<text x=\"10\" y=\"" << y << "\" font-family=\"monospace\" font-size=\"11\">@" << model::xml_escape(sim::clock_text(std::round(l.at_s)))
        << "</text><text x=\"110\" y=\"" << y << "\" font-family=\"monospace\" font-size=\"11\">" << model::xml_escape(took)
        << "</text><text x=\"220\" y=\"" << y << "\" font-family=\"monospace\" font-size=\"11\">"
        << model::xml_escape(l.what + "  " + l.label) << "</text>\n";
    y += 16;
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace acdsim::planner
