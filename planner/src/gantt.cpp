#include "acdsim/planner/gantt.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "acdsim/model/output.hpp"

namespace acdsim::planner {

namespace {

// Colours by the word the simulator's host tracks start with.
const char* colour(const std::string& name) {
  if (name.rfind("serving", 0) == 0) return "#4caf50";
  if (name.rfind("booting", 0) == 0) return "#ffb300";
  if (name.rfind("degraded", 0) == 0) return "#ef6c00";
  if (name.rfind("draining", 0) == 0) return "#29b6f6";
  if (name.rfind("crashed", 0) == 0) return "#d32f2f";
  if (name.rfind("offline", 0) == 0) return "#bdbdbd";
  return "#90a4ae";
}

}  // namespace

std::string gantt_svg(const sim::RunResult& run, const std::string& title) {
  const auto& tl = run.timeline;
  const double start = run.procedure_start_s;
  const double end = std::max(run.procedure_end_s, start + 1);
  const double span = end - start;
  const int label_w = 130, width = 900, row_h = 22, top = 40;
  const int height = top + static_cast<int>(tl.tracks.size()) * row_h + 40;
  const double scale = (width - label_w - 20) / span;
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg << "<text x=\"10\" y=\"20\" font-size=\"14\">" << model::xml_escape(title) << " (" << std::lround(span)
      << " s, seed " << run.seed << ")</text>\n";
  for (std::size_t i = 0; i < tl.tracks.size(); ++i)
    svg << "<text x=\"10\" y=\"" << top + static_cast<int>(i) * row_h + 15 << "\">" << model::xml_escape(tl.tracks[i]) << "</text>\n";
  for (const auto& s : tl.slices) {
    const double a = std::max(sim::to_seconds(s.start), start), b = std::min(sim::to_seconds(s.end), end);
    if (b <= a) continue;
    const double x = label_w + (a - start) * scale, w = std::max((b - a) * scale, 0.5);
    svg << "<rect x=\"" << x << "\" y=\"" << top + static_cast<int>(s.track) * row_h + 3 << "\" width=\"" << w
        << "\" height=\"" << row_h - 6 << "\" fill=\"" << colour(s.name) << "\"><title>" << model::xml_escape(s.name) << ": "
        << std::lround(a - start) << "-" << std::lround(b - start) << " s</title></rect>\n";
  }
  // A tick every "nice" interval.
  const double raw = span / 8;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  const double tick = raw / mag < 2 ? 2 * mag : raw / mag < 5 ? 5 * mag : 10 * mag;
  const int axis_y = top + static_cast<int>(tl.tracks.size()) * row_h + 5;
  for (double t = 0; t <= span + 1e-9; t += tick) {
    const double x = label_w + t * scale;
    svg << "<line x1=\"" << x << "\" y1=\"" << top << "\" x2=\"" << x << "\" y2=\"" << axis_y
        << "\" stroke=\"#eeeeee\"/><text x=\"" << x << "\" y=\"" << axis_y + 15 << "\" text-anchor=\"middle\">"
        << std::lround(t) << " s</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace acdsim::planner
