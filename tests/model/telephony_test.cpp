#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "acdsim/model/app_server.hpp"
#include "app_server_test_common.hpp"
#include "machine_test_support.hpp"

namespace acdsim::model::app_server_test {
namespace {

INSTANTIATE_TEST_SUITE_P(Telephony, AppServerMachine,
                         ::testing::Values(AppServerCase{"NoEditions", &telephony::kind, "telephony", false, false}),
                         [](const auto& info) { return std::string(info.param.label); });

TEST(TelephonyMachine, HasNoEditions) {
  for (const Situation& s : situations()) {
    SCOPED_TRACE(s.label);
    auto m = telephony::kind().make_initial();
    for (const Step& step : s.path) ASSERT_EQ(m->process(id(step.event), step.facts), Outcome::Taken);
    const std::string name = m->state_name();
    for (FactBits facts : {FactBits{0}, kAllFacts})
      EXPECT_EQ(m->process(id(Event::UpdateEdition), facts), Outcome::NotEnabled);
    EXPECT_EQ(m->state_name(), name);
    EXPECT_EQ(name.find("edition"), std::string::npos);
    EXPECT_FALSE(m->holds(id(Pred::NewEdition)));
    EXPECT_FALSE(m->holds(id(Pred::ServingNew)));
    EXPECT_EQ(m->holds(id(Pred::ServingOld)), m->holds(id(Pred::InService)));
  }
}

TEST(TelephonyMachine, ReachableStates) {
  const std::vector<std::string> names = test_support::reachable_names(telephony::kind());
  RecordProperty("reachable_local_states", static_cast<int>(names.size()));
  // The 8 states plus Degraded and Stopping with share-broken.
  EXPECT_EQ(names.size(), 10u);
  EXPECT_EQ(names, (std::vector<std::string>{"Degraded", "Degraded share-broken", "Deploying", "Draining", "Failed",
                                             "Running", "Starting", "Stopped", "Stopping",
                                             "Stopping share-broken"}));
}

}  // namespace
}  // namespace acdsim::model::app_server_test
