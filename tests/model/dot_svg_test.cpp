// SVG through Graphviz `dot` at run time. CI installs graphviz: these tests
// fail (never skip) without it, so a missing package cannot go unnoticed.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "acdsim/model/dot.hpp"
#include "test_topologies.hpp"

namespace acdsim::model {
namespace {

// Runs a body with PATH pointing at an empty directory, restoring it after.
class WithoutDotOnPath {
 public:
  WithoutDotOnPath() {
    const char* p = std::getenv("PATH");
    saved_ = p ? p : "";
    empty_ = std::filesystem::temp_directory_path() / "acdsim-no-dot";
    std::filesystem::create_directories(empty_);
    ::setenv("PATH", empty_.c_str(), 1);
  }
  ~WithoutDotOnPath() { ::setenv("PATH", saved_.c_str(), 1); }
  WithoutDotOnPath(const WithoutDotOnPath&) = delete;
  WithoutDotOnPath& operator=(const WithoutDotOnPath&) = delete;

 private:
  std::string saved_;
  std::filesystem::path empty_;
};

std::string rendered(const Topology& t) {
  std::string error;
  const std::optional<std::string> svg = topology_svg(t, error);
  if (!svg) ADD_FAILURE() << "topology_svg failed: " << error << " (CI must install the Debian package graphviz)";
  // Graphviz 2.43 writes '-' as "&#45;" in text; later versions do not.
  std::string text = svg.value_or("");
  for (std::size_t at; (at = text.find("&#45;")) != std::string::npos;) text.replace(at, 5, "-");
  return text;
}

TEST(TopologySvg, IsLaidOutByGraphviz) {
  const std::string svg = rendered(testing::plain_topology());
  EXPECT_EQ(svg.rfind("<svg", 0), 0u) << "starts with the <svg> element (inline in HTML): " << svg.substr(0, 200);
  EXPECT_NE(svg.find(">acd-dbm</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">acd-tel1</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

TEST(TopologySvg, AHazelcastMemberInTheStorageClusterStillRenders) {
  // Graphviz clusters cannot overlap: the member stays in the storage box, labelled with its group
  Topology t = testing::redundant_topology();
  t.hazelcast = {HazelcastGroup{"platform", {"acd-lb1", "acd-jb1"}}, HazelcastGroup{"solo", {"acd-jb1"}}};
  const std::string dot = topology_dot(t);
  EXPECT_NE(dot.find("\"acd-lb1\" [label=\"acd-lb1\\nstore, lb\\nroutes pool web\", xlabel=\"Hazelcast platform\"]"), std::string::npos)
      << dot;
  EXPECT_NE(dot.find("\"acd-jb1\" [label=\"acd-jb1\\njb\", xlabel=\"Hazelcast solo\"]"), std::string::npos) << dot;
  const std::string svg = rendered(t);
  EXPECT_NE(svg.find(">Hazelcast group platform</text>"), std::string::npos) << svg;
}

TEST(TopologySvg, MissingDotIsAClearError) {
  WithoutDotOnPath no_dot;
  std::string error;
  EXPECT_FALSE(topology_svg(testing::plain_topology(), error));
  EXPECT_EQ(error, kDotMissing);
  EXPECT_NE(error.find("apt-get install graphviz"), std::string::npos);
}

TEST(RenderDot, ReportsDotsOwnMessageOnBadInput) {
  std::string error;
  EXPECT_FALSE(render_dot("digraph { a -> }\n", "svg", error));
  EXPECT_NE(error.find("failed (exit"), std::string::npos) << error;
  EXPECT_NE(error.find("syntax error"), std::string::npos) << error;
}

TEST(RenderDot, BigInputDoesNotDeadlock) {
  // More than a pipe buffer in each direction: input and output are pumped together.
  std::string dot = "digraph {\n";
  for (int i = 0; i < 3000; ++i) dot += "  n" + std::to_string(i) + " [label=\"node number " + std::to_string(i) + "\"];\n";
  dot += "}\n";
  std::string error;
  const std::optional<std::string> out = render_dot(dot, "plain", error);
  ASSERT_TRUE(out) << error;
  EXPECT_NE(out->find("node number 2999"), std::string::npos);
}

}  // namespace
}  // namespace acdsim::model
