#include "acdsim/model/dot.hpp"

#include <gtest/gtest.h>

#include "acdsim/model/kind_table.hpp"
#include "test_topologies.hpp"

namespace acdsim::model {
namespace {

Step step(std::string id, std::vector<std::string> after, std::string phase = "") {
  Step s;
  s.id = std::move(id);
  s.action = "power_on";
  s.target = "acd-" + s.id;
  s.after = std::move(after);
  s.phase = std::move(phase);
  return s;
}

TEST(ProcedureDot, LeavesOutEdgesImpliedByOthers) {
  Procedure p;
  p.name = "p";
  p.steps = {step("a", {}, "p1"), step("b", {"a"}, "p2"), step("c", {"a", "b"}, "p3")};
  p.phases = {{"p1", "1. Storage"}, {"p2", "2. DB"}, {"p3", "3. Web"}};
  const std::string dot = procedure_dot(p);
  EXPECT_NE(dot.find("\"a\" -> \"b\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"b\" -> \"c\""), std::string::npos) << dot;
  EXPECT_EQ(dot.find("\"a\" -> \"c\""), std::string::npos) << dot;
  // the phase's name is a node beside its first step (arrows do not run through it)
  EXPECT_NE(dot.find("\"phase:p2\" [shape=plaintext, style=\"\", label=\"2. DB\"]"), std::string::npos) << dot;
  EXPECT_NE(dot.find("{ rank=same; \"phase:p2\"; \"b\"; }"), std::string::npos) << dot;
}

TEST(ProcedureDot, ShowsARoleWideAtomOnce) {
  Procedure p;
  p.name = "p";
  Step s = step("check", {});
  s.action = "check";
  s.target.clear();
  Condition c;
  for (const char* host : {"acd-jb1", "acd-jb2"})
    c.atoms.push_back(ConditionAtom{std::string(host) + "/jboss", "running", false, "role:jb/jboss running"});
  c.atoms.push_back(ConditionAtom{"acd-lb/router", "routing", false, "acd-lb/router routing"});
  s.wait = c;
  p.steps = {s};
  const std::string dot = procedure_dot(p);
  EXPECT_NE(dot.find("wait: role:jb/jboss running\\nand acd-lb/router routing"), std::string::npos) << dot;
  EXPECT_EQ(dot.find("running\\nand role:jb"), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"check\" [label=\"check\\ncheck\\nwait: role:jb/jboss running\\nand acd-lb/router routing\", style=\"rounded,filled\""),
            std::string::npos) << dot;
  EXPECT_NE(dot.find("waits until its condition holds"), std::string::npos) << dot;  // the legend says what the yellow box is
}

// The text of one subgraph block, from its header to its closing brace.
std::string block(const std::string& dot, const std::string& header) {
  const auto at = dot.find(header);
  if (at == std::string::npos) return "";
  return dot.substr(at, dot.find("\n  }\n", at) - at);
}

TEST(TopologyDot, DrawsDependenciesAndTheDrbdPair) {
  const std::string dot = topology_dot(testing::redundant_topology());
  const std::string storage = block(dot, "subgraph \"cluster_storage\"");
  EXPECT_NE(dot.find("\"acd-lb1\" -> \"acd-lb2\" [dir=both, style=bold, tooltip=\"DRBD replication of jtelshared\", constraint=false]"),
            std::string::npos) << dot;
  EXPECT_NE(storage.find("rank=same; \"acd-lb1\"; \"acd-lb2\";"), std::string::npos) << dot;
  // the share is served by whichever node is primary: the edge ends at the cluster's box
  EXPECT_NE(dot.find("\"acd-jb1\" -> \"acd-lb1\" [color=\"#1f77b4\", tooltip=\"mounts the share from storage\", lhead=\"cluster_storage\"]"),
            std::string::npos) << dot;
  EXPECT_NE(dot.find("\"acd-jb1\" -> \"acd-dbm\" [color=\"#2ca02c\""), std::string::npos) << dot;
  // jb1 needs lb1 (the share): routing from lb1 to jb1 must not rank them
  EXPECT_NE(dot.find("\"acd-lb1\" -> \"acd-jb1\" [style=dashed, tooltip=\"pool web: acd-lb1 routes to acd-jb1\", constraint=false]"),
            std::string::npos) << dot;
  EXPECT_NE(dot.find("routes pool web"), std::string::npos) << dot;
}

TEST(TopologyDot, HazelcastGroupIsABoxNotAChain) {
  const std::string dot = topology_dot(testing::plain_topology());
  const std::string group = block(dot, "subgraph \"cluster_hazelcast_platform\"");
  ASSERT_FALSE(group.empty()) << dot;
  EXPECT_NE(group.find("label=\"Hazelcast group platform\""), std::string::npos) << dot;
  EXPECT_NE(group.find("\"acd-jb1\" [label="), std::string::npos) << dot;
  EXPECT_NE(group.find("\"acd-tel1\" [label="), std::string::npos) << dot;
  // no edge between members: membership is not a dependency
  EXPECT_EQ(dot.find("\"acd-jb1\" -> \"acd-tel1\""), std::string::npos) << dot;
  EXPECT_EQ(dot.find("\"acd-tel1\" -> \"acd-jb1\""), std::string::npos) << dot;
}

TEST(TopologyDot, OneEdgeFromTheGroupWhenEveryMemberNeedsTheSameHost) {
  const std::string dot = topology_dot(testing::plain_topology());
  // both members mount the share: one visible edge from the group's box, the members' own edges only rank
  EXPECT_NE(dot.find("-> \"acd-store\" [color=\"#1f77b4\", tooltip=\"every host in Hazelcast group platform: mounts the share "
                     "from acd-store\", ltail=\"cluster_hazelcast_platform\"]"),
            std::string::npos) << dot;
  EXPECT_NE(dot.find("\"acd-jb1\" -> \"acd-store\" [style=invis]"), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"acd-tel1\" -> \"acd-store\" [style=invis]"), std::string::npos) << dot;
  // nothing needs the router's host here, so routing ranks it below its backend
  EXPECT_NE(dot.find("\"acd-lb\" -> \"acd-jb1\" [style=dashed, tooltip=\"pool web: acd-lb routes to acd-jb1\"]"),
            std::string::npos) << dot;
}

TEST(TopologyDot, LegendListsTheEdgeKindsPresent) {
  const std::string plain = topology_dot(testing::plain_topology());
  const std::string legend = plain.substr(plain.find("legend [shape=plaintext"));
  for (const char* meaning : {"mounts the share (storage)", "uses the DB master", "DB replica of its master",
                              "router to its pool's backends", "Hazelcast group (members, not a dependency)",
                              "every host in the box needs it"})
    EXPECT_NE(legend.find(meaning), std::string::npos) << meaning << "\n" << legend;
  EXPECT_EQ(legend.find("DRBD replication"), std::string::npos) << legend;  // no storage cluster in it
  const std::string redundant = topology_dot(testing::redundant_topology());
  EXPECT_NE(redundant.find("DRBD replication</td>"), std::string::npos) << redundant;
  EXPECT_EQ(redundant.find("DB replica of its master"), std::string::npos) << redundant;
  EXPECT_EQ(redundant.find("Hazelcast group ("), std::string::npos) << redundant;
}

TEST(KindDot, LabelsGuardedEdgesWithTheirFacts) {
  const std::string dot = kind_dot(KindTable::of(KindId::Vm));
  EXPECT_NE(dot.find("label=\"shutdown_complete\\n[services_stopped]\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"power_on\"]"), std::string::npos) << dot;
}

}  // namespace
}  // namespace acdsim::model
