// The rollout block of the procedure format and the workload of the topology format.
#include <gtest/gtest.h>

#include <algorithm>

#include "acdsim/model/input_error.hpp"
#include "acdsim/model/procedure.hpp"

namespace acdsim::model {
namespace {

const Topology& large() {
  static const Topology t = load_topology(std::string(ACDSIM_SOURCE_DIR) + "/scenarios/topologies/jtel-large.json");
  return t;
}

Procedure rollout(const std::string& block) {
  return parse_procedure(R"({"format": "acdsim-procedure/1", "name": "r", "kind": "rollout", "topology": "t.json",
    "rollout": )" + block + "}",
                         "p.json", large());
}

std::vector<std::string> ids(const Procedure& p) {
  std::vector<std::string> out;
  for (const Step& s : p.steps) out.push_back(s.id);
  return out;
}

std::string error_of(const std::string& block) {
  try {
    rollout(block);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Rollout, GroupDefaultsExpandToOneServerAtATime) {
  const Procedure p = rollout("{}");
  ASSERT_TRUE(p.rollout);
  EXPECT_EQ(p.rollout->strategy, Rollout::Strategy::Group);
  EXPECT_EQ(p.rollout->group_size, 1u);
  EXPECT_EQ(p.rollout->drain_s, 30);
  EXPECT_EQ(p.rollout->servers, (std::vector<std::string>{"acd-jb1", "acd-jb2", "acd-jb3"}));
  const auto v = ids(p);
  ASSERT_EQ(v.size(), 15u);  // manual mode, 3 x (drain, stop, update, start), switch, auto mode
  EXPECT_EQ(v.front(), "rollout.manual-mode");
  EXPECT_EQ(v.back(), "rollout.auto-mode");
  const Step& drain2 = p.steps[5];
  EXPECT_EQ(drain2.id, "g2.drain@acd-jb2");
  EXPECT_EQ(drain2.after, std::vector<std::string>{"g1.start@acd-jb1"});
  EXPECT_EQ(drain2.hold_s, 30);
  ASSERT_TRUE(drain2.guard);
  EXPECT_FALSE(drain2.guard->first);
  EXPECT_TRUE(p.steps[1].guard->first);
  EXPECT_EQ(p.steps[4].wait->atoms.at(0).text, "acd-jb1/jboss in_service");
}

TEST(Rollout, GroupSizeIsClampedToAllButOne) {
  const Procedure p = rollout(R"({"group_size": 7})");
  EXPECT_EQ(p.rollout->group_size, 2u);
  EXPECT_EQ(p.rollout->max_out(), 2u);
  EXPECT_EQ(p.rollout->min_in_service(), 1u);
}

TEST(Rollout, AtomicTakesTheFirstHalfThenSwitchesAfterDrainingTheSecond) {
  const Procedure p = rollout(R"({"strategy": "atomic", "drain": "10s", "restart": "server", "server_restart": "40s"})");
  EXPECT_EQ(p.rollout->max_out(), 2u);  // ceil(3/2)
  const auto v = ids(p);
  const auto at = [&](const std::string& id) { return std::find(v.begin(), v.end(), id) - v.begin(); };
  EXPECT_LT(at("first.start@acd-jb2"), at("second.drain@acd-jb3"));
  EXPECT_LT(at("second.drain@acd-jb3"), at("rollout.switch-edition"));
  EXPECT_LT(at("rollout.switch-edition"), at("second.stop@acd-jb3"));
  EXPECT_EQ(p.steps[static_cast<std::size_t>(at("second.drain@acd-jb3"))].hold_s, 10);
  EXPECT_EQ(p.steps[static_cast<std::size_t>(at("first.stop@acd-jb1"))].hold_s, 20);  // half the server restart
}

TEST(Rollout, BadFieldsAreReportedWithTheirPath) {
  EXPECT_NE(error_of(R"({"strategy": "big-bang"})").find("/rollout/strategy: expected \"group\" or \"atomic\""), std::string::npos);
  EXPECT_NE(error_of(R"({"strategy": "atomic", "group_size": 2})").find("/rollout/group_size"), std::string::npos);
  EXPECT_NE(error_of(R"({"group_size": 0})").find(R"("group_size": expected a whole number from 1 to 1000000, got 0)"), std::string::npos);
  EXPECT_NE(error_of(R"({"pool": "nope"})").find("unknown pool \"nope\""), std::string::npos);
  EXPECT_NE(error_of(R"({"floor": 3})").find("/rollout/floor"), std::string::npos);
  EXPECT_NE(error_of(R"({"colour": 1})").find("colour"), std::string::npos);
}

TEST(Rollout, LoadNames) {
  EXPECT_EQ(load_by_name("low"), 0.3);
  EXPECT_EQ(load_by_name("peak"), 1.0);
  EXPECT_EQ(load_by_name("over-peak"), 1.3);
  EXPECT_EQ(load_by_name("0.75"), 0.75);
  EXPECT_FALSE(load_by_name("lots"));
  EXPECT_FALSE(load_by_name("-1"));
}

TEST(Workload, ParsedFromTheTopologyWithCapacities) {
  const auto& w = large().params.workload;
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[1].name, "web");
  EXPECT_EQ(w[1].role, Role::Jb);
  EXPECT_EQ(w[1].profile.size(), 24u);
  EXPECT_EQ(large().params.capacity_of(*large().find_host("acd-jb1")), 200);
}

TEST(Workload, BadProfileIsReportedWithItsPath) {
  const std::string text = R"({"format": "acdsim-topology/1", "name": "x", "hosts": [{"alias": "t1", "roles": ["tel"]}, {"alias": "s", "roles": ["store"]}], "share_server": "s",
    "parameters": {"workload": {"calls": {"role": "tel", "peak_per_hour": 10, "profile": [1, 2]}}}})";
  try {
    parse_topology(text, "t.json");
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/parameters/workload/calls/profile: expected 24 hourly factors"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace acdsim::model
