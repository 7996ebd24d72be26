// What-if outputs are well-formed whatever the scenario's path contains.
#include "acdsim/sim/whatif.hpp"
#include "acdsim/sim/whatif_svg.hpp"

#include <gtest/gtest.h>

namespace acdsim::sim {
namespace {

TEST(WhatIfSvg, TitleIsEscaped) {
  PointResult p;
  p.strategy = "atomic";
  p.runs = p.completed = 1;
  const std::string svg = whatif_svg({p}, "what-if: rollouts/a&b<c>.json");
  EXPECT_NE(svg.find("what-if: rollouts/a&amp;b&lt;c&gt;.json"), std::string::npos) << svg;
  EXPECT_EQ(svg.find("a&b"), std::string::npos);
}

}  // namespace
}  // namespace acdsim::sim
