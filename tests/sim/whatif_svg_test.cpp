// The what-if plot and its axis helpers: round ticks, labels that tell ticks
// apart, ticks at the swept loads, the limit line, a legend, nothing clipped.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <regex>
#include <set>

#include "acdsim/sim/plot_axis.hpp"
#include "acdsim/sim/whatif_svg.hpp"

namespace acdsim::sim {
namespace {

using plot::nice_ticks;
using plot::short_number;
using plot::tick_label;
using plot::tick_step;

bool is_round_step(double step) {
  const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  return std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 5) < 1e-9;
}

TEST(NiceTicks, SmallPercentagesGetRoundTicksAndDistinctLabels) {
  const std::vector<double> ticks = nice_ticks(0, 0.0123);
  ASSERT_GE(ticks.size(), 4u);
  EXPECT_DOUBLE_EQ(ticks.front(), 0);
  EXPECT_GE(ticks.back(), 0.0123);
  EXPECT_NEAR(tick_step(ticks), 0.002, 1e-12);
  std::vector<std::string> labels;
  for (double t : ticks) labels.push_back(tick_label(t, tick_step(ticks)));
  EXPECT_EQ(labels[0], "0");
  EXPECT_EQ(labels[1], "0.002");
  EXPECT_EQ(labels.back(), "0.014");
  EXPECT_EQ(std::set<std::string>(labels.begin(), labels.end()).size(), labels.size());  // never "0.01 0.01 0.00"
}

TEST(NiceTicks, CommonRanges) {
  // exact values: 0.6 is 3 x 2 / 10, not 3 x 0.2 = 0.6000000000000001
  EXPECT_EQ(nice_ticks(0, 3.2), (std::vector<double>{0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5}));
  EXPECT_EQ(nice_ticks(0, 67), (std::vector<double>{0, 10, 20, 30, 40, 50, 60, 70}));
  EXPECT_EQ(nice_ticks(2, 6), (std::vector<double>{2, 3, 4, 5, 6}));
  EXPECT_EQ(nice_ticks(0, 0), (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));  // an empty range is widened
  EXPECT_EQ(nice_ticks(0.3, 1.3), (std::vector<double>{0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4}));
}

TEST(TickLabel, DecimalsFollowTheStep) {
  EXPECT_EQ(tick_label(1.5, 0.5), "1.5");
  EXPECT_EQ(tick_label(40, 20), "40");
  EXPECT_EQ(tick_label(0.004, 0.002), "0.004");
  EXPECT_EQ(tick_label(-1e-17, 0.1), "0");  // never "-0.0"
  EXPECT_EQ(short_number(0.3), "0.3");
  EXPECT_EQ(short_number(2), "2");
  EXPECT_EQ(short_number(1.25), "1.25");
}

RC_GTEST_PROP(NiceTicks, CoverTheRangeWithRoundStepsAndDistinctLabels, ()) {
  const double scale = std::pow(10.0, *rc::gen::inRange(-4, 5));
  const double lo = *rc::gen::inRange(0, 1000) * scale / 100;
  const double hi = lo + *rc::gen::inRange(1, 1000) * scale / 100;
  const std::vector<double> ticks = nice_ticks(lo, hi);
  RC_ASSERT(ticks.size() >= 3u);
  RC_ASSERT(ticks.size() <= 12u);
  RC_ASSERT(ticks.front() <= lo + 1e-12 * scale);
  RC_ASSERT(ticks.back() >= hi - 1e-12 * scale);
  const double step = tick_step(ticks);
  RC_ASSERT(is_round_step(step));
  std::set<std::string> labels;
  for (double t : ticks) labels.insert(tick_label(t, step));
  RC_ASSERT(labels.size() == ticks.size());
}

PointResult point(std::string strategy, unsigned group, double load, double abandoned, double queue) {
  PointResult p;
  p.params = {{"strategy", strategy}, {"group-size", std::to_string(group)}, {"load", short_number(load)}};
  p.strategy = std::move(strategy);
  p.group_size = group;
  p.load = load;
  p.runs = p.completed = 10;
  p.abandoned_pct_mean = abandoned;
  p.max_queue_mean = queue;
  return p;
}

std::vector<std::string> texts_of_class(const std::string& svg, const std::string& cls) {
  std::vector<std::string> out;
  const std::regex re("<text class=\"" + cls + "\"[^>]*>([^<]*)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

TEST(WhatIfSvg, XTicksAreTheSweptLoads) {
  std::vector<PointResult> points;
  for (double load : {2.0, 4.0, 6.0}) points.push_back(point("atomic", 1, load, load / 10, load));
  const std::string svg = whatif_svg(points, WhatIfPlotOptions{"s.json", 1});
  const std::vector<std::string> x = texts_of_class(svg, "x-tick");
  EXPECT_EQ(x, (std::vector<std::string>{"2", "4", "6", "2", "4", "6"})) << svg;  // both panels
}

TEST(WhatIfSvg, CloseSweptLoadsDoNotOverlapTheirLabels) {
  std::vector<PointResult> points;
  for (double load : {1.0, 1.01, 1.02, 1.5, 2.0}) points.push_back(point("atomic", 1, load, load, load));
  const std::string svg = whatif_svg(points, WhatIfPlotOptions{"s.json", 1});
  const std::vector<std::string> x = texts_of_class(svg, "x-tick");
  EXPECT_EQ(x, (std::vector<std::string>{"1", "1.5", "2", "1", "1.5", "2"})) << svg;
}

TEST(WhatIfSvg, ASeriesKeepsItsColourWhateverElseIsPlotted) {
  const std::string with_atomic = whatif_svg({point("atomic", 1, 1, 1, 1), point("group", 2, 1, 1, 1)}, WhatIfPlotOptions{"s.json", 1});
  const std::string without = whatif_svg({point("group", 2, 1, 1, 1)}, WhatIfPlotOptions{"s.json", 1});
  const std::regex colour("<polyline class=\"series\" points=\"[^\"]*\" fill=\"none\" stroke=\"(#[0-9a-f]+)\"");
  std::smatch a, b;
  ASSERT_TRUE(std::regex_search(without, b, colour));
  std::string last;
  for (auto it = std::sregex_iterator(with_atomic.begin(), with_atomic.end(), colour); it != std::sregex_iterator(); ++it)
    last = (*it)[1];
  EXPECT_EQ(last, b[1].str());  // group of 2 drawn after atomic, in the same colour as alone
}

TEST(WhatIfSvg, SmallAbandonmentHasDistinctPercentTicks) {
  std::vector<PointResult> points;
  for (double load : {0.3, 0.5}) points.push_back(point("group", 1, load, 0.0123 * load, 0.2));
  const std::string svg = whatif_svg(points, WhatIfPlotOptions{"s.json", 0.01});
  const std::vector<std::string> y = texts_of_class(svg, "y-tick");
  ASSERT_FALSE(y.empty()) << svg;
  std::set<std::string> abandoned;
  for (const std::string& t : y)
    if (t.size() > 2 && t.substr(t.size() - 2) == " %") abandoned.insert(t);
  EXPECT_GE(abandoned.size(), 4u) << svg;
  EXPECT_TRUE(abandoned.count("0.002 %") || abandoned.count("0.005 %")) << svg;
  // the queue axis counts whole calls: no "0.2" ticks
  for (const std::string& t : y) {
    if (t.find('%') != std::string::npos) continue;
    EXPECT_EQ(t.find('.'), std::string::npos) << t;
  }
}

TEST(WhatIfSvg, TitleLegendLimitAndUnits) {
  std::vector<PointResult> points;
  for (double load : {0.5, 1.0})
    for (unsigned g : {1u, 2u}) points.push_back(point("group", g, load, 0.4 * load * g, 10 * load * g));
  for (double load : {0.5, 1.0}) points.push_back(point("atomic", 1, load, 1.5 * load, 30 * load));
  const std::string svg = whatif_svg(points, WhatIfPlotOptions{"rollouts/a&b.json", 1});
  // the title says what was swept; the path is a subtitle, escaped
  EXPECT_NE(svg.find("swept: strategy group, atomic; group size 1, 2; load 0.5, 1 \u00d7 peak; 10 runs a point"), std::string::npos)
      << svg;
  EXPECT_NE(svg.find(">scenario rollouts/a&amp;b.json</text>"), std::string::npos) << svg;
  // legend: every series and the limit
  const auto legend = svg.substr(svg.find("<g id=\"legend\">"));
  for (const char* entry : {">atomic</text>", ">group of 1</text>", ">group of 2</text>", ">limit: 1 % abandoned</text>"})
    EXPECT_NE(legend.find(entry), std::string::npos) << entry;
  // the 1 % line sits at the 1 % tick
  const std::smatch limit = [&] {
    std::smatch m;
    std::regex_search(svg, m, std::regex("<line id=\"abandon-limit\" x1=\"[0-9.]+\" y1=\"([0-9.]+)\""));
    return m;
  }();
  ASSERT_FALSE(limit.empty()) << svg;
  std::smatch tick;
  ASSERT_TRUE(std::regex_search(svg, tick, std::regex("<text class=\"y-tick\" x=\"[0-9.]+\" y=\"([0-9.]+)\" text-anchor=\"end\">1.0 %")))
      << svg;
  EXPECT_NEAR(std::stod(limit[1]) + 4, std::stod(tick[1]), 0.11);
  // units on the axes
  EXPECT_NE(svg.find("abandoned (% of offered sessions)"), std::string::npos);
  EXPECT_NE(svg.find("max queue (calls waiting)"), std::string::npos);
  EXPECT_NE(svg.find("load (\u00d7 peak call load)"), std::string::npos);
}

TEST(WhatIfSvg, ScenarioAndLimitAsPlainArguments) {
  const std::string svg = whatif_svg({point("atomic", 1, 1, 0.5, 3)}, std::string("r.json"), 2);
  EXPECT_NE(svg.find(">scenario r.json</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">limit: 2 % abandoned</text>"), std::string::npos) << svg;
}

TEST(WhatIfSvg, NoLabelRunsOffTheRightEdge) {
  std::vector<PointResult> points;
  for (double load : {0.3, 0.6, 0.9, 1.2, 1.3}) points.push_back(point("atomic", 1, load, 3 * load, 70 * load));
  const std::string svg = whatif_svg(points, WhatIfPlotOptions{"s.json", 1});
  std::smatch w;
  ASSERT_TRUE(std::regex_search(svg, w, std::regex("<svg [^>]*width=\"([0-9.]+)\"")));
  const double width = std::stod(w[1]);
  const std::regex text("<text([^>]*)>([^<]*)</text>");
  int checked = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), text); it != std::sregex_iterator(); ++it, ++checked) {
    const std::string attributes = (*it)[1];
    std::smatch x, size;
    ASSERT_TRUE(std::regex_search(attributes, x, std::regex(" x=\"([0-9.]+)\""))) << (*it)[0];
    const double px_a_char = 0.6 * (std::regex_search(attributes, size, std::regex("font-size=\"([0-9]+)\"")) ? std::stod(size[1]) : 12);
    const double wide = px_a_char * static_cast<double>((*it)[2].length());
    const double left = std::stod(x[1]);
    const double right = attributes.find("text-anchor=\"end\"") != std::string::npos      ? left
                         : attributes.find("text-anchor=\"middle\"") != std::string::npos ? left + wide / 2
                                                                                          : left + wide;
    EXPECT_LE(right, width - 4) << (*it)[0];
  }
  EXPECT_GT(checked, 20);
}

}  // namespace
}  // namespace acdsim::sim
