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
  EXPECT_NE(dot.find("label=\"2. DB\""), std::string::npos) << dot;
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
  EXPECT_NE(dot.find("shape=hexagon"), std::string::npos);
}

TEST(TopologyDot, DrawsDependenciesAndTheDrbdPair) {
  const std::string dot = topology_dot(testing::redundant_topology());
  EXPECT_NE(dot.find("subgraph \"cluster_storage\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"acd-lb1\" -> \"acd-lb2\" [dir=both"), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"acd-jb1\" -> \"acd-lb1\" [label=\"share\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"acd-jb1\" -> \"acd-dbm\" [label=\"db\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"acd-lb1\" -> \"acd-jb1\" [label=\"pool web\""), std::string::npos) << dot;
}

TEST(KindDot, LabelsGuardedEdgesWithTheirFacts) {
  const std::string dot = kind_dot(KindTable::of(KindId::Vm));
  EXPECT_NE(dot.find("label=\"shutdown_complete\\n[services_stopped]\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"power_on\"]"), std::string::npos) << dot;
}

}  // namespace
}  // namespace acdsim::model
