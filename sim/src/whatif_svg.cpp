#include "acdsim/sim/whatif_svg.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "acdsim/model/output.hpp"

namespace acdsim::sim {
namespace {

std::string fmt(double v, int digits = 1) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

}  // namespace

std::string whatif_svg(const std::vector<PointResult>& points, const std::string& title) {
  // series: strategy (+ group size) -> (load, abandoned %, max queue), averaged over other axes
  std::map<std::string, std::map<double, std::pair<double, double>>> series;
  std::map<std::string, std::map<double, int>> count;
  double max_load = 0, max_ab = 0, max_q = 0;
  for (const PointResult& p : points) {
    const std::string name = p.strategy == "group" ? "group size " + std::to_string(p.group_size) : "atomic";
    auto& s = series[name][p.load];
    s.first += p.abandoned_pct_mean, s.second += p.max_queue_mean;
    ++count[name][p.load];
  }
  for (auto& [name, pts] : series)
    for (auto& [load, v] : pts) {
      v.first /= count[name][load], v.second /= count[name][load];
      max_load = std::max(max_load, load), max_ab = std::max(max_ab, v.first), max_q = std::max(max_q, v.second);
    }
  max_load = max_load > 0 ? max_load : 1, max_ab = max_ab > 0 ? max_ab * 1.1 : 1, max_q = max_q > 0 ? max_q * 1.1 : 1;
  const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
  std::ostringstream s;
  const int w = 900, h = 380, pw = 380, ph = 260, top = 50, left1 = 60, left2 = 510;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  s << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s << "<text x=\"" << w / 2 << "\" y=\"20\" text-anchor=\"middle\" font-size=\"15\">" << model::xml_escape(title) << "</text>\n";
  auto panel = [&](int left, const std::string& ylabel, double ymax, bool abandoned) {
    s << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << pw << "\" height=\"" << ph
      << "\" fill=\"none\" stroke=\"#444\"/>\n";
    s << "<text x=\"" << left + pw / 2 << "\" y=\"" << top + ph + 35 << "\" text-anchor=\"middle\">load (x peak)</text>\n";
    s << "<text x=\"" << left - 45 << "\" y=\"" << top + ph / 2 << "\" transform=\"rotate(-90 " << left - 45 << " "
      << top + ph / 2 << ")\" text-anchor=\"middle\">" << ylabel << "</text>\n";
    for (int t = 0; t <= 4; ++t) {
      const double yv = ymax * t / 4, xv = max_load * t / 4;
      const int y = top + ph - ph * t / 4, x = left + pw * t / 4;
      s << "<text x=\"" << left - 5 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">" << fmt(yv, abandoned ? 2 : 0) << "</text>\n";
      s << "<text x=\"" << x << "\" y=\"" << top + ph + 16 << "\" text-anchor=\"middle\">" << fmt(xv, 2) << "</text>\n";
    }
    int i = 0;
    for (const auto& [name, pts] : series) {
      const char* c = colours[i++ % 8];
      std::string line;
      for (const auto& [load, v] : pts) {
        const double x = left + pw * load / max_load, y = top + ph - ph * (abandoned ? v.first : v.second) / ymax;
        line += (line.empty() ? "" : " ") + fmt(x) + "," + fmt(y);
        s << "<circle cx=\"" << fmt(x) << "\" cy=\"" << fmt(y) << "\" r=\"3\" fill=\"" << c << "\"/>\n";
      }
      s << "<polyline points=\"" << line << "\" fill=\"none\" stroke=\"" << c << "\" stroke-width=\"2\"/>\n";
    }
  };
  panel(left1, "abandoned web sessions (%)", max_ab, true);
  panel(left2, "max router queue", max_q, false);
  int i = 0;
  for (const auto& [name, pts] : series) {
    const int x = left1 + 140 * (i % 6), y = top - 8;
    s << "<text x=\"" << x << "\" y=\"" << y << "\" fill=\"" << colours[i % 8] << "\">" << name << "</text>\n";
    ++i;
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace acdsim::sim
