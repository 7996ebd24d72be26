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

TEST(Rollout, GroupOfTheWholePoolIsKeptAndBreaksTheFloorOfOne) {
  // N is never silently changed to N-1: the group takes every server out, which
  // the floor of one server (DOMAIN.md 8) reports as rollout.below-floor.
  const Procedure p = rollout(R"({"group_size": 3})");
  EXPECT_EQ(p.rollout->group_size, 3u);
  EXPECT_EQ(p.rollout->max_out(), 3u);
  EXPECT_EQ(p.rollout->floor, 1u);
  EXPECT_EQ(p.rollout->min_in_service(), 1u);
  const auto v = ids(p);
  EXPECT_NE(std::find(v.begin(), v.end(), "g1.drain@acd-jb3"), v.end());  // one group of all three
  EXPECT_NE(error_of(R"({"group_size": 7})").find("/rollout/group_size: expected a whole number of servers from 1 to 3 (pool \"web\" has 3), got 7"),
            std::string::npos)
      << error_of(R"({"group_size": 7})");
  EXPECT_NE(error_of(R"({"group_size": 2.5})").find("/rollout/group_size"), std::string::npos);
  EXPECT_EQ(rollout(R"({"group_size": 2})").rollout->floor, 0u);  // the default: N - 2
}

TEST(Rollout, AtomicQuiescesTheSecondHalfAndSwitchesAtOnceThenWaitsTheDrainBeforeStopping) {
  const Procedure p = rollout(R"({"strategy": "atomic", "drain": "10s"})");
  EXPECT_EQ(p.rollout->max_out(), 2u);  // ceil(3/2)
  const auto v = ids(p);
  const auto at = [&](const std::string& id) { return std::find(v.begin(), v.end(), id) - v.begin(); };
  const auto step = [&](const std::string& id) -> const Step& { return p.steps.at(static_cast<std::size_t>(at(id))); };
  EXPECT_LT(at("first.start@acd-jb2"), at("second.drain@acd-jb3"));
  EXPECT_EQ(step("first.drain@acd-jb1").hold_s, 10);  // the wait before stopping
  // the switch follows the quiesce itself, not the drain interval
  EXPECT_EQ(step("second.drain@acd-jb3").hold_s, 0);
  EXPECT_EQ(step("rollout.switch-edition").after, std::vector<std::string>{"second.drain@acd-jb3"});
  // the drain interval is the wait before stopping, counted from the quiesce
  EXPECT_EQ(step("second.drained@acd-jb3").after, std::vector<std::string>{"second.drain@acd-jb3"});
  EXPECT_EQ(step("second.drained@acd-jb3").hold_s, 10);
  EXPECT_EQ(step("second.drained@acd-jb3").wait->atoms.at(0).text, "acd-jb3/jboss not in_service");
  EXPECT_EQ(step("second.stop@acd-jb3").after, (std::vector<std::string>{"second.drained@acd-jb3", "rollout.switch-edition"}));
  EXPECT_LT(at("rollout.switch-edition"), at("second.stop@acd-jb3"));
}

TEST(Rollout, ServerRestartAddsItsTimeBetweenStopAndStart) {
  const Procedure app = rollout(R"({"restart": "application"})");
  const Procedure srv = rollout(R"({"restart": "server", "server_restart": "40s"})");
  EXPECT_EQ(srv.steps.size(), app.steps.size() + 3);  // one pause per server
  for (const Step& s : app.steps) EXPECT_EQ(s.id.find("server-restart"), std::string::npos);
  const auto v = ids(srv);
  const auto at = [&](const std::string& id) { return std::find(v.begin(), v.end(), id) - v.begin(); };
  const Step& jvm = srv.steps.at(static_cast<std::size_t>(at("g2.server-restart@acd-jb2")));
  EXPECT_EQ(jvm.action, "check");
  EXPECT_EQ(jvm.hold_s, 40);  // all of it, on top of the application's stop and start
  EXPECT_EQ(jvm.after, std::vector<std::string>{"g2.stop@acd-jb2"});
  EXPECT_EQ(srv.steps.at(static_cast<std::size_t>(at("g2.update@acd-jb2"))).after, std::vector<std::string>{jvm.id});
  for (const Step& s : srv.steps)
    if (s.action != "check" && s.action != "app_drain") {
      EXPECT_EQ(s.hold_s, 0) << s.id;  // not a minimum duration
    }
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
