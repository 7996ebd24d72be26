#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "acdsim/model/app_server.hpp"
#include "app_server_test_common.hpp"
#include "machine_test_support.hpp"

namespace acdsim::model::app_server_test {
namespace {

// Every common row, once on the old edition and once on the new one.
INSTANTIATE_TEST_SUITE_P(Jboss, AppServerMachine,
                         ::testing::Values(AppServerCase{"OldEdition", &jboss::kind, "jboss", true, false},
                                           AppServerCase{"NewEdition", &jboss::kind, "jboss", true, true}),
                         [](const auto& info) { return std::string(info.param.label); });

TEST(JbossMachine, UpdateEditionOnlyWhileStopped) {
  auto m = jboss::kind().make_initial();
  EXPECT_FALSE(m->holds(id(Pred::NewEdition)));
  EXPECT_EQ(m->process(id(Event::UpdateEdition), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Stopped edition=new");
  EXPECT_TRUE(m->holds(id(Pred::NewEdition)));
  EXPECT_TRUE(m->holds(id(Pred::Stopped)));
  const auto key = m->key();
  EXPECT_EQ(m->process(id(Event::UpdateEdition), kAllFacts), Outcome::Taken);  // idempotent
  EXPECT_EQ(m->key(), key);
  EXPECT_EQ(m->state_name(), "Stopped edition=new");

  for (const Situation& s : situations()) {
    if (s.state == Pred::Stopped) continue;
    SCOPED_TRACE(s.label);
    auto old = jboss::kind().make_initial();
    for (const Step& step : s.path) ASSERT_EQ(old->process(id(step.event), step.facts), Outcome::Taken);
    const std::string name = old->state_name();
    EXPECT_EQ(old->process(id(Event::UpdateEdition), kAllFacts), Outcome::NotEnabled);
    EXPECT_EQ(old->state_name(), name);
    EXPECT_FALSE(old->holds(id(Pred::NewEdition)));
  }
}

TEST(JbossMachine, ServesTheEditionItRuns) {
  auto m = jboss::kind().make_initial();
  for (const Step& step : situation("Running").path) m->process(id(step.event), step.facts);
  EXPECT_EQ(m->state_name(), "Running");
  EXPECT_TRUE(m->holds(id(Pred::ServingOld)));
  EXPECT_FALSE(m->holds(id(Pred::ServingNew)));
  // Group rollout of one server: drain, stop, update, restart.
  EXPECT_EQ(m->process(id(Event::Drain), 0), Outcome::Taken);
  EXPECT_FALSE(m->holds(id(Pred::ServingOld)));
  EXPECT_EQ(m->process(id(Event::Stop), 0), Outcome::Taken);
  EXPECT_EQ(m->process(id(Event::StopComplete), 0), Outcome::Taken);
  EXPECT_EQ(m->process(id(Event::UpdateEdition), 0), Outcome::Taken);
  for (const Step& step : situation("Running").path) m->process(id(step.event), step.facts);
  EXPECT_EQ(m->state_name(), "Running edition=new");
  EXPECT_FALSE(m->holds(id(Pred::ServingOld)));
  EXPECT_TRUE(m->holds(id(Pred::ServingNew)));
  // The edition survives losing the host.
  EXPECT_EQ(m->process(id(Event::HostLost), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Stopped edition=new");
}

TEST(JbossMachine, ReachableStates) {
  const std::vector<std::string> names = test_support::reachable_names(jboss::kind());
  RecordProperty("reachable_local_states", static_cast<int>(names.size()));
  // 10 per edition: the 8 states plus Degraded and Stopping with share-broken.
  EXPECT_EQ(names.size(), 20u);
  EXPECT_EQ(names, (std::vector<std::string>{"Degraded",
                                             "Degraded edition=new",
                                             "Degraded edition=new share-broken",
                                             "Degraded share-broken",
                                             "Deploying",
                                             "Deploying edition=new",
                                             "Draining",
                                             "Draining edition=new",
                                             "Failed",
                                             "Failed edition=new",
                                             "Running",
                                             "Running edition=new",
                                             "Starting",
                                             "Starting edition=new",
                                             "Stopped",
                                             "Stopped edition=new",
                                             "Stopping",
                                             "Stopping edition=new",
                                             "Stopping edition=new share-broken",
                                             "Stopping share-broken"}));
}

}  // namespace
}  // namespace acdsim::model::app_server_test
