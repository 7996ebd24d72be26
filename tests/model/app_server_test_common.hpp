// Behaviour shared by the application-server kinds "jboss" and "telephony"
// (app_server.hpp): one value-parameterised suite, AppServerMachine, that
// jboss_test.cpp and telephony_test.cpp each instantiate in their own test
// binary. jboss runs it twice, on the old and on the new edition, so every
// row is also checked to keep the edition. Edition-specific behaviour stays in
// the two .cpp files.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "acdsim/model/app_server.hpp"
#include "machine_test_support.hpp"

namespace acdsim::model::app_server_test {

using app_server::Event;
using app_server::Pred;
using test_support::id;
namespace fact = app_server::fact;

constexpr FactBits kDepsOk = fact::kShareOk | fact::kDbOk;
constexpr FactBits kAllFacts = fact::kAutostart | kDepsOk | fact::kHealsAfterShare | fact::kHealsAfterDb;
constexpr FactBits kFactCombinations = kAllFacts + 1;

using Step = test_support::Step<Event>;
using Path = test_support::Path<Event>;

inline Path then(Path path, Step step) {
  path.push_back(step);
  return path;
}

// A local state (per edition) and a path from Stopped that reaches it.
struct Situation {
  const char* label;
  Path path;
  Pred state;
  bool share_broken;
};

// One of each local state an edition can have (10: 8 states, plus Degraded
// and Stopping with share-broken).
inline std::vector<Situation> situations() {
  const Path starting = {{Event::Start}};
  const Path deploying = then(starting, {Event::StartComplete});
  const Path running = then(deploying, {Event::DeployComplete, kDepsOk});
  const Path degraded_by_share = then(deploying, {Event::DeployComplete, fact::kDbOk});
  return {
      {"Stopped", {}, Pred::Stopped, false},
      {"Starting", starting, Pred::Starting, false},
      {"Deploying", deploying, Pred::Deploying, false},
      {"Running", running, Pred::Running, false},
      {"Degraded by db", then(deploying, {Event::DeployComplete, fact::kShareOk}), Pred::Degraded, false},
      {"Degraded by share", degraded_by_share, Pred::Degraded, true},
      {"Draining", then(running, {Event::Drain}), Pred::Draining, false},
      {"Stopping", then(running, {Event::Stop}), Pred::Stopping, false},
      {"Stopping share-broken", then(degraded_by_share, {Event::Stop}), Pred::Stopping, true},
      {"Failed", then(starting, {Event::StartFailed}), Pred::Failed, false},
  };
}

inline Situation situation(const std::string& label) {
  for (Situation& s : situations())
    if (label == s.label) return s;
  ADD_FAILURE() << "no situation " << label;
  return situations().front();
}

// The events the header enables in each state (index = Pred of the state),
// update_edition excepted (jboss only, Stopped only).
inline std::set<Event> enabled_in(Pred state) {
  switch (state) {
    case Pred::Stopped: return {Event::HostBooted, Event::Start, Event::HostLost};
    case Pred::Starting:
      return {Event::StartComplete, Event::StartFailed, Event::Stop, Event::HostShutdown, Event::HostLost};
    case Pred::Deploying:
      return {Event::DeployComplete, Event::StartFailed, Event::Stop, Event::HostShutdown, Event::HostLost};
    case Pred::Running: return {Event::DepsLost, Event::Drain, Event::Stop, Event::HostShutdown, Event::HostLost};
    case Pred::Degraded: return {Event::DepsBack, Event::Stop, Event::HostShutdown, Event::HostLost};
    case Pred::Draining: return {Event::DepsLost, Event::Resume, Event::Stop, Event::HostShutdown, Event::HostLost};
    case Pred::Stopping: return {Event::StopComplete, Event::HostLost};
    case Pred::Failed: return {Event::Start, Event::HostLost};
    default: return {};
  }
}

struct AppServerCase {
  const char* label;  // test-name suffix
  const KindSpec& (*kind)();
  const char* kind_name;
  bool has_editions;
  bool new_edition;  // put the machine on edition 1 before anything else
};

class AppServerMachine : public ::testing::TestWithParam<AppServerCase> {
 protected:
  const KindSpec& spec() const { return GetParam().kind(); }

  std::unique_ptr<Machine> fresh() const {
    auto m = spec().make_initial();
    if (GetParam().new_edition) {
      EXPECT_EQ(m->process(id(Event::UpdateEdition), 0), Outcome::Taken);
    }
    return m;
  }
  std::unique_ptr<Machine> reach(const Path& path) const {
    auto m = fresh();
    test_support::drive(spec(), *m, path);
    return m;
  }
  std::unique_ptr<Machine> reach(const std::string& label) const { return reach(situation(label).path); }

  std::string name(Pred state, bool share_broken) const {
    static constexpr std::array<const char*, 8> names = {"Stopped",  "Starting", "Deploying", "Running",
                                                         "Degraded", "Draining", "Stopping",  "Failed"};
    std::string out = names[static_cast<std::size_t>(state)];
    if (GetParam().new_edition) out += " edition=new";
    if (share_broken) out += " share-broken";
    return out;
  }

  // The exact name and the exact set of predicates that hold.
  void expect_in(const Machine& m, Pred state, bool share_broken = false) const {
    EXPECT_EQ(m.state_name(), name(state, share_broken));
    std::set<Pred> holding = {state};
    if (state == Pred::Running || state == Pred::Degraded || state == Pred::Draining) holding.insert(Pred::Up);
    if (state == Pred::Running) {
      holding.insert(Pred::InService);
      holding.insert(GetParam().new_edition ? Pred::ServingNew : Pred::ServingOld);
    }
    if (GetParam().new_edition) holding.insert(Pred::NewEdition);
    if (share_broken) holding.insert(Pred::ShareBroken);
    for (std::size_t p = 0; p < static_cast<std::size_t>(Pred::Count); ++p)
      EXPECT_EQ(m.holds(static_cast<PredicateId>(p)), holding.count(static_cast<Pred>(p)) == 1)
          << "predicate " << spec().predicates[p] << " in " << m.state_name();
  }
  void expect_in(const Machine& m, const Situation& s) const { expect_in(m, s.state, s.share_broken); }
};

TEST_P(AppServerMachine, Vocabulary) {
  const KindSpec& k = spec();
  EXPECT_EQ(k.name, GetParam().kind_name);
  EXPECT_EQ(k.msm_states, 8u);
  EXPECT_EQ(k.msm_rows, GetParam().has_editions ? 33u : 32u);
  const std::vector<std::string_view> events(k.events.begin(), k.events.end());
  const std::vector<std::string_view> facts(k.facts.begin(), k.facts.end());
  const std::vector<std::string_view> predicates(k.predicates.begin(), k.predicates.end());
  EXPECT_EQ(events, (std::vector<std::string_view>{"host_booted", "start", "start_complete", "deploy_complete",
                                                   "start_failed", "deps_lost", "deps_back", "drain", "resume",
                                                   "stop", "host_shutdown", "stop_complete", "host_lost",
                                                   "update_edition"}));
  EXPECT_EQ(facts,
            (std::vector<std::string_view>{"autostart", "share_ok", "db_ok", "heals_after_share", "heals_after_db"}));
  EXPECT_EQ(predicates, (std::vector<std::string_view>{"stopped", "starting", "deploying", "running", "degraded",
                                                       "draining", "stopping", "failed", "in_service",
                                                       "new_edition", "serving_old", "serving_new", "up", "share_broken"}));
}

TEST_P(AppServerMachine, EveryPathReachesItsState) {
  for (const Situation& s : situations()) {
    SCOPED_TRACE(s.label);
    expect_in(*reach(s.path), s);
  }
}

TEST_P(AppServerMachine, HostBootedStartsOnlyWithAutostart) {
  for (FactBits facts = 0; facts < kFactCombinations; ++facts) {
    auto m = fresh();
    const bool autostart = (facts & fact::kAutostart) != 0;
    EXPECT_EQ(m->process(id(Event::HostBooted), facts), autostart ? Outcome::Taken : Outcome::GuardRejected)
        << facts;
    expect_in(*m, autostart ? Pred::Starting : Pred::Stopped);
  }
}

TEST_P(AppServerMachine, StartFromStoppedAndFromFailed) {
  for (const char* from : {"Stopped", "Failed"}) {
    auto m = reach(from);
    EXPECT_EQ(m->process(id(Event::Start), 0), Outcome::Taken) << from;
    expect_in(*m, Pred::Starting);
  }
}

TEST_P(AppServerMachine, StartCompleteDeploys) {
  auto m = reach("Starting");
  EXPECT_EQ(m->process(id(Event::StartComplete), 0), Outcome::Taken);
  expect_in(*m, Pred::Deploying);
}

TEST_P(AppServerMachine, DeployCompleteRunsWithBothDepsElseDegrades) {
  for (FactBits facts = 0; facts < kFactCombinations; ++facts) {
    SCOPED_TRACE(facts);
    auto m = reach("Deploying");
    EXPECT_EQ(m->process(id(Event::DeployComplete), facts), Outcome::Taken);
    if ((facts & kDepsOk) == kDepsOk)
      expect_in(*m, Pred::Running);
    else
      expect_in(*m, Pred::Degraded, (facts & fact::kShareOk) == 0);
  }
}

TEST_P(AppServerMachine, StartFailedFromStartingAndDeploying) {
  for (const char* from : {"Starting", "Deploying"}) {
    auto m = reach(from);
    EXPECT_EQ(m->process(id(Event::StartFailed), 0), Outcome::Taken) << from;
    expect_in(*m, Pred::Failed);
  }
}

TEST_P(AppServerMachine, DepsLostDegradesRunningAndDrainingOnlyWhenADepIsMissing) {
  for (const char* from : {"Running", "Draining"}) {
    for (FactBits facts = 0; facts < kFactCombinations; ++facts) {
      SCOPED_TRACE(std::string(from) + " facts " + std::to_string(facts));
      auto m = reach(from);
      if ((facts & kDepsOk) == kDepsOk) {
        EXPECT_EQ(m->process(id(Event::DepsLost), facts), Outcome::GuardRejected);
        expect_in(*m, situation(from));
      } else {
        EXPECT_EQ(m->process(id(Event::DepsLost), facts), Outcome::Taken);
        // a loss while running never marks the share broken: nothing was written beside it
        expect_in(*m, Pred::Degraded, false);
      }
    }
  }
}

TEST_P(AppServerMachine, DepsBackAfterALossWhileRunningNeedsBothDepsAndHealsAfterDb) {
  // Degraded at deployment by the DB, or while running / draining by the DB,
  // the share (stale mount) or both.
  const std::vector<Path> degraded = {
      situation("Degraded by db").path,
      then(situation("Running").path, {Event::DepsLost, fact::kShareOk}),
      then(situation("Running").path, {Event::DepsLost, fact::kDbOk}),
      then(situation("Draining").path, {Event::DepsLost, 0}),
  };
  for (const Path& path : degraded) {
    for (FactBits facts = 0; facts < kFactCombinations; ++facts) {
      SCOPED_TRACE(facts);
      auto m = reach(path);
      expect_in(*m, Pred::Degraded, false);
      const bool heals = (facts & kDepsOk) == kDepsOk && (facts & fact::kHealsAfterDb) != 0;
      EXPECT_EQ(m->process(id(Event::DepsBack), facts), heals ? Outcome::Taken : Outcome::GuardRejected);
      if (heals)
        expect_in(*m, Pred::Running);
      else
        expect_in(*m, Pred::Degraded, false);
    }
  }
}

TEST_P(AppServerMachine, StartedWithoutTheShareHealsOnlyIfHealsAfterShare) {
  for (FactBits facts = 0; facts < kFactCombinations; ++facts) {
    SCOPED_TRACE(facts);
    auto m = reach("Degraded by share");
    expect_in(*m, Pred::Degraded, true);
    const bool heals = (facts & kDepsOk) == kDepsOk && (facts & fact::kHealsAfterShare) != 0;
    EXPECT_EQ(m->process(id(Event::DepsBack), facts), heals ? Outcome::Taken : Outcome::GuardRejected);
    if (heals)
      expect_in(*m, Pred::Running);  // healed: share-broken cleared
    else
      expect_in(*m, Pred::Degraded, true);
  }
}

TEST_P(AppServerMachine, HealedShareNoLongerCountsAsBroken) {
  auto m = reach("Degraded by share");
  EXPECT_EQ(m->process(id(Event::DepsBack), kDepsOk | fact::kHealsAfterShare), Outcome::Taken);
  expect_in(*m, Pred::Running);
  // A later loss while running is judged by heals_after_db alone.
  EXPECT_EQ(m->process(id(Event::DepsLost), fact::kShareOk), Outcome::Taken);
  expect_in(*m, Pred::Degraded, false);
  EXPECT_EQ(m->process(id(Event::DepsBack), kDepsOk | fact::kHealsAfterShare), Outcome::GuardRejected);
  EXPECT_EQ(m->process(id(Event::DepsBack), kDepsOk | fact::kHealsAfterDb), Outcome::Taken);
  expect_in(*m, Pred::Running);
}

TEST_P(AppServerMachine, DrainAndResume) {
  auto m = reach("Running");
  EXPECT_EQ(m->process(id(Event::Drain), 0), Outcome::Taken);
  expect_in(*m, Pred::Draining);
  EXPECT_EQ(m->process(id(Event::Resume), 0), Outcome::Taken);
  expect_in(*m, Pred::Running);
}

TEST_P(AppServerMachine, StopAndHostShutdownFromEveryActiveStateThenStopComplete) {
  for (Event stop : {Event::Stop, Event::HostShutdown}) {
    for (const Situation& s : situations()) {
      if (!enabled_in(s.state).contains(Event::Stop)) continue;
      SCOPED_TRACE(std::string(s.label) + " " + std::string(spec().events[id(stop)]));
      auto m = reach(s.path);
      EXPECT_EQ(m->process(id(stop), 0), Outcome::Taken);
      expect_in(*m, Pred::Stopping, s.share_broken);
      EXPECT_EQ(m->process(id(Event::StopComplete), 0), Outcome::Taken);
      expect_in(*m, Pred::Stopped);  // share-broken cleared
    }
  }
}

TEST_P(AppServerMachine, HostLostStopsFromAnyState) {
  for (const Situation& s : situations()) {
    SCOPED_TRACE(s.label);
    auto m = reach(s.path);
    EXPECT_EQ(m->process(id(Event::HostLost), kAllFacts), Outcome::Taken);
    expect_in(*m, Pred::Stopped);  // share-broken cleared
  }
}

TEST_P(AppServerMachine, RejectsEventsThatAreNotEnabled) {
  for (const Situation& s : situations()) {
    std::set<Event> enabled = enabled_in(s.state);
    if (GetParam().has_editions && s.state == Pred::Stopped) enabled.insert(Event::UpdateEdition);
    auto m = reach(s.path);
    expect_in(*m, s);
    test_support::expect_only_enabled(spec(), *m, enabled, s.label);
  }
}

TEST_P(AppServerMachine, CloneKeepsTheCurrentState) {
  for (const Situation& s : situations()) {
    SCOPED_TRACE(s.label);
    auto m = reach(s.path);
    const auto copy = m->clone();
    EXPECT_EQ(copy->key(), m->key());
    expect_in(*copy, s);
    EXPECT_EQ(copy->process(id(Event::HostLost), 0), Outcome::Taken);
    expect_in(*copy, Pred::Stopped);
    expect_in(*m, s);  // the original is independent
  }
}

}  // namespace acdsim::model::app_server_test
