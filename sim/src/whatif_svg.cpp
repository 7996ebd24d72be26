#include "acdsim/sim/whatif_svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "acdsim/model/output.hpp"
#include "acdsim/sim/plot_axis.hpp"

namespace acdsim::sim {
namespace {

using model::xml_escape;

std::string px(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

// Colours (tab10) and markers, so lines differ in print and for colour-blind readers too.
const char* const kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
enum class Marker { Circle, Square, Triangle, Diamond };

std::string marker(Marker m, double x, double y, const char* colour) {
  const std::string fill = "\" fill=\"" + std::string(colour) + "\"/>";
  switch (m) {
    case Marker::Circle: return "<circle cx=\"" + px(x) + "\" cy=\"" + px(y) + "\" r=\"3.5" + fill;
    case Marker::Square: return "<rect x=\"" + px(x - 3.5) + "\" y=\"" + px(y - 3.5) + "\" width=\"7\" height=\"7" + fill;
    case Marker::Triangle:
      return "<polygon points=\"" + px(x) + "," + px(y - 4.5) + " " + px(x - 4) + "," + px(y + 3) + " " + px(x + 4) + "," +
             px(y + 3) + fill;
    case Marker::Diamond:
      return "<polygon points=\"" + px(x) + "," + px(y - 4.5) + " " + px(x + 4.5) + "," + px(y) + " " + px(x) + "," +
             px(y + 4.5) + " " + px(x - 4.5) + "," + px(y) + fill;
  }
  return "";
}

struct Series {
  std::string name;
  unsigned style = 0;  // colour and marker: atomic 0, group of N: N, the same in every plot
  std::map<double, std::pair<double, double>> by_load;  // load -> (abandoned %, max queue), averaged
};

std::vector<Series> series_of(const std::vector<PointResult>& points) {
  std::map<std::string, std::map<double, std::pair<double, double>>> sums;
  std::map<std::string, std::map<double, int>> counts;
  std::map<std::string, unsigned> order;  // atomic first, then group sizes ascending
  for (const PointResult& p : points) {
    const std::string name = p.strategy == "group" ? "group of " + std::to_string(p.group_size) : p.strategy;
    auto& s = sums[name][p.load];
    s.first += p.abandoned_pct_mean, s.second += p.max_queue_mean;
    ++counts[name][p.load];
    order[name] = p.strategy == "group" ? p.group_size : 0;
  }
  std::vector<Series> out;
  for (auto& [name, loads] : sums) {
    Series s{name, order[name], {}};
    for (const auto& [load, sum] : loads) {
      const double n = counts[name][load];
      s.by_load[load] = {sum.first / n, sum.second / n};
    }
    out.push_back(std::move(s));
  }
  std::stable_sort(out.begin(), out.end(), [&](const Series& a, const Series& b) { return order[a.name] < order[b.name]; });
  return out;
}

// "swept: strategy group, atomic; group size 1, 2; load 0.3 ... 1.3 × peak (9 values); 20 runs a point"
std::string swept_text(const std::vector<PointResult>& points) {
  if (points.empty()) return "";
  std::string out;
  for (std::size_t k = 0; k < points[0].params.size(); ++k) {
    std::vector<std::string> values;
    for (const PointResult& p : points)
      if (k < p.params.size() && std::find(values.begin(), values.end(), p.params[k].second) == values.end())
        values.push_back(p.params[k].second);
    std::string key = points[0].params[k].first;
    std::replace(key.begin(), key.end(), '-', ' ');
    std::string list;
    if (values.size() > 4) list = values.front() + " ... " + values.back();
    else
      for (const std::string& v : values) list += (list.empty() ? "" : ", ") + v;
    if (key == "load") list += " \u00d7 peak";
    if (values.size() > 4) list += " (" + std::to_string(values.size()) + " values)";
    out += (out.empty() ? "" : "; ") + key + " " + list;
  }
  return (out.empty() ? std::string("nothing swept") : "swept: " + out) + "; " + std::to_string(points[0].runs) +
         " runs a point";
}

struct Panel {
  double left, top, width, height;
  double x_lo, x_hi, y_lo, y_hi;
  double x(double v) const { return left + width * (v - x_lo) / (x_hi - x_lo); }
  double y(double v) const { return top + height - height * (v - y_lo) / (y_hi - y_lo); }
};

}  // namespace

std::string whatif_svg(const std::vector<PointResult>& points, const WhatIfPlotOptions& options) {
  const std::vector<Series> series = series_of(points);
  std::set<double> loads;
  double max_ab = 0, max_q = 0;
  for (const Series& s : series)
    for (const auto& [load, v] : s.by_load) loads.insert(load), max_ab = std::max(max_ab, v.first), max_q = std::max(max_q, v.second);

  // x: ticks at the swept loads when they are few enough to label, else round ones
  std::vector<double> x_ticks(loads.begin(), loads.end());
  if (x_ticks.size() > 12 || x_ticks.empty()) x_ticks = plot::nice_ticks(loads.empty() ? 0 : *loads.begin(), loads.empty() ? 1 : *loads.rbegin());
  const double x_min = x_ticks.front(), x_max = x_ticks.back();
  const double x_pad = x_max > x_min ? (x_max - x_min) * 0.05 : std::max(0.1, x_min * 0.1);
  // y: from 0; abandoned always shows the limit (the point is how far from it), queue in whole calls
  const std::vector<double> ab_ticks = plot::nice_ticks(0, std::max(max_ab, options.abandon_limit_pct * 1.15));
  std::vector<double> q_ticks = plot::nice_ticks(0, std::max(max_q, 1.0));
  if (plot::tick_step(q_ticks) < 1) q_ticks = plot::nice_ticks(0, std::max(std::ceil(max_q), 4.0), 4);

  const double width = 1000, top = 96, ph = 270, pw = 370;
  const Panel ab{90, top, pw, ph, x_min - x_pad, x_max + x_pad, ab_ticks.front(), ab_ticks.back()};
  const Panel q{90 + pw + 125, top, pw, ph, x_min - x_pad, x_max + x_pad, q_ticks.front(), q_ticks.back()};

  // legend: wrapped rows below the panels
  struct Item {
    std::string label;
    int index;  // series index, -1: the limit line
  };
  std::vector<Item> items;
  for (const Series& one : series) items.push_back({one.name, static_cast<int>(one.style)});
  char limit_text[64];
  std::snprintf(limit_text, sizeof limit_text, "limit: %s %% abandoned", plot::short_number(options.abandon_limit_pct).c_str());
  items.push_back({limit_text, -1});
  const double legend_top = top + ph + 62, row_h = 22, legend_left = ab.left;
  std::vector<std::pair<double, double>> item_at;  // (x, y) of each item
  double lx = legend_left + 12, ly = legend_top + 18;
  for (const Item& it : items) {
    const double w = 36 + 7.2 * static_cast<double>(it.label.size()) + 24;
    if (lx + w > q.left + q.width && lx > legend_left + 12) lx = legend_left + 12, ly += row_h;
    item_at.emplace_back(lx, ly);
    lx += w;
  }
  const double legend_bottom = ly + 10, height = legend_bottom + 14;

  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << px(height) << "\" viewBox=\"0 0 "
    << width << " " << px(height) << "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n";
  s << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s << "<text x=\"" << width / 2 << "\" y=\"26\" text-anchor=\"middle\" font-size=\"17\" font-weight=\"bold\">"
    << "What-if rollout: abandoned web sessions and router queue against load</text>\n";
  s << "<text x=\"" << width / 2 << "\" y=\"48\" text-anchor=\"middle\" font-size=\"13\">" << xml_escape(swept_text(points))
    << "</text>\n";
  if (!options.scenario.empty())
    s << "<text x=\"" << width / 2 << "\" y=\"66\" text-anchor=\"middle\" font-size=\"11\" fill=\"#666\">scenario "
      << xml_escape(options.scenario) << "</text>\n";

  auto axes = [&](const Panel& p, const std::vector<double>& y_ticks, const std::string& y_unit, const std::string& title,
                  const std::string& y_title) {
    s << "<text x=\"" << px(p.left + p.width / 2) << "\" y=\"" << px(p.top - 10) << "\" text-anchor=\"middle\" font-size=\"13\""
      << " font-weight=\"bold\">" << title << "</text>\n";
    const double step = plot::tick_step(y_ticks);
    for (double t : y_ticks) {
      const double y = p.y(t);
      s << "<line x1=\"" << px(p.left) << "\" y1=\"" << px(y) << "\" x2=\"" << px(p.left + p.width) << "\" y2=\"" << px(y)
        << "\" stroke=\"#e4e4e4\"/>\n";
      s << "<text class=\"y-tick\" x=\"" << px(p.left - 6) << "\" y=\"" << px(y + 4) << "\" text-anchor=\"end\">"
        << plot::tick_label(t, step) << y_unit << "</text>\n";
    }
    double labelled_right = -1e9;  // right end of the last label: close swept loads keep their tick, not an overlapping label
    for (double t : x_ticks) {
      const double x = p.x(t);
      s << "<line x1=\"" << px(x) << "\" y1=\"" << px(p.top + p.height) << "\" x2=\"" << px(x) << "\" y2=\""
        << px(p.top + p.height + 5) << "\" stroke=\"#444\"/>\n";
      const std::string label = plot::short_number(t);
      const double half = 3.6 * static_cast<double>(label.size());
      if (x - half < labelled_right + 6) continue;
      labelled_right = x + half;
      s << "<text class=\"x-tick\" x=\"" << px(x) << "\" y=\"" << px(p.top + p.height + 19) << "\" text-anchor=\"middle\">"
        << label << "</text>\n";
    }
    s << "<rect x=\"" << px(p.left) << "\" y=\"" << px(p.top) << "\" width=\"" << px(p.width) << "\" height=\"" << px(p.height)
      << "\" fill=\"none\" stroke=\"#444\"/>\n";
    s << "<text x=\"" << px(p.left + p.width / 2) << "\" y=\"" << px(p.top + p.height + 40)
      << "\" text-anchor=\"middle\">load (\u00d7 peak call load)</text>\n";
    const double yx = p.left - 62, yy = p.top + p.height / 2;
    s << "<text x=\"" << px(yx) << "\" y=\"" << px(yy) << "\" transform=\"rotate(-90 " << px(yx) << " " << px(yy)
      << ")\" text-anchor=\"middle\">" << y_title << "</text>\n";
  };
  auto lines = [&](const Panel& p, bool abandoned) {
    for (const Series& line_series : series) {
      const char* colour = kColours[line_series.style % 8];
      std::string line;
      std::string markers;
      for (const auto& [load, v] : line_series.by_load) {
        const double x = p.x(load), y = p.y(abandoned ? v.first : v.second);
        line += (line.empty() ? "" : " ") + px(x) + "," + px(y);
        markers += marker(static_cast<Marker>(line_series.style % 4), x, y, colour) + "\n";
      }
      s << "<polyline class=\"series\" points=\"" << line << "\" fill=\"none\" stroke=\"" << colour
        << "\" stroke-width=\"2\"/>\n" << markers;
    }
  };
  axes(ab, ab_ticks, " %", "Abandoned web sessions", "abandoned (% of offered sessions)");
  // the abandoned-calls target
  const double limit_y = ab.y(options.abandon_limit_pct);
  s << "<line id=\"abandon-limit\" x1=\"" << px(ab.left) << "\" y1=\"" << px(limit_y) << "\" x2=\"" << px(ab.left + ab.width)
    << "\" y2=\"" << px(limit_y) << "\" stroke=\"#333\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n";
  s << "<text x=\"" << px(ab.left + 6) << "\" y=\"" << px(limit_y - 5) << "\" font-size=\"11\" fill=\"#333\">limit "
    << plot::short_number(options.abandon_limit_pct) << " %</text>\n";
  lines(ab, true);
  axes(q, q_ticks, "", "Longest router queue", "max queue (calls waiting)");
  lines(q, false);

  s << "<g id=\"legend\">\n<rect x=\"" << px(legend_left) << "\" y=\"" << px(legend_top) << "\" width=\""
    << px(q.left + q.width - legend_left) << "\" height=\"" << px(legend_bottom - legend_top)
    << "\" fill=\"none\" stroke=\"#bbb\"/>\n";
  for (std::size_t k = 0; k < items.size(); ++k) {
    const auto [x, y] = item_at[k];
    if (items[k].index < 0)
      s << "<line x1=\"" << px(x) << "\" y1=\"" << px(y - 4) << "\" x2=\"" << px(x + 28) << "\" y2=\"" << px(y - 4)
        << "\" stroke=\"#333\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n";
    else {
      const char* colour = kColours[items[k].index % 8];
      s << "<line x1=\"" << px(x) << "\" y1=\"" << px(y - 4) << "\" x2=\"" << px(x + 28) << "\" y2=\"" << px(y - 4)
        << "\" stroke=\"" << colour << "\" stroke-width=\"2\"/>\n"
        << marker(static_cast<Marker>(items[k].index % 4), x + 14, y - 4, colour) << "\n";
    }
    s << "<text x=\"" << px(x + 36) << "\" y=\"" << px(y) << "\">" << xml_escape(items[k].label) << "</text>\n";
  }
  s << "</g>\n";
  if (series.empty())
    s << "<text x=\"" << width / 2 << "\" y=\"" << px(top + ph / 2) << "\" text-anchor=\"middle\" font-size=\"14\">"
      << "no points</text>\n";
  s << "</svg>\n";
  return s.str();
}

}  // namespace acdsim::sim
