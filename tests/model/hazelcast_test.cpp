#include "acdsim/model/hazelcast.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "machine_test_support.hpp"

namespace acdsim::model {
namespace {

using hazelcast::Event;
using hazelcast::Pred;
using test_support::id;
using Path = test_support::Path<Event>;
constexpr FactBits kPeer = hazelcast::fact::kPeerInCluster;
constexpr FactBits kOther = hazelcast::fact::kOtherFounder;
constexpr FactBits kAllFacts = kPeer | kOther;

// A machine driven along a path of (event, facts) steps, each of which must be Taken.
std::unique_ptr<Machine> machine_in(const Path& path) { return test_support::machine_in(hazelcast::kind(), path); }

const Path kDown = {};
const Path kJoining = {{Event::AppStarted, 0}};
const Path kMember = {{Event::AppStarted, 0}, {Event::Join, kPeer}};
const Path kFounder = {{Event::AppStarted, 0}, {Event::Join, 0}};

using Names = std::set<std::string_view>;
Names holding(const Machine& m) { return test_support::holding(hazelcast::kind(), m); }

TEST(HazelcastMachine, SpecNamesAndTableSizes) {
  const KindSpec& k = hazelcast::kind();
  EXPECT_EQ(k.name, "hazelcast");
  EXPECT_EQ(std::vector<std::string_view>(k.events.begin(), k.events.end()),
            (std::vector<std::string_view>{"app_started", "join", "merge", "leave"}));
  EXPECT_EQ(std::vector<std::string_view>(k.facts.begin(), k.facts.end()),
            (std::vector<std::string_view>{"peer_in_cluster", "other_founder"}));
  EXPECT_EQ(std::vector<std::string_view>(k.predicates.begin(), k.predicates.end()),
            (std::vector<std::string_view>{"down", "joining", "in_cluster", "founder"}));
  EXPECT_EQ(k.msm_states, 4u);
  EXPECT_EQ(k.msm_rows, 8u);
}

TEST(HazelcastMachine, StartsDown) {
  auto m = hazelcast::kind().make_initial();
  EXPECT_EQ(m->state_name(), "Down");
  EXPECT_EQ(holding(*m), (Names{"down"}));
}

TEST(HazelcastMachine, AppStartedOnlyBeginsTheJoinWhateverThePeersDo) {
  for (FactBits f = 0; f <= kAllFacts; ++f) {
    auto m = hazelcast::kind().make_initial();
    EXPECT_EQ(m->process(id(Event::AppStarted), f), Outcome::Taken);
    EXPECT_EQ(m->state_name(), "Joining");
    EXPECT_EQ(holding(*m), (Names{"joining"}));
    EXPECT_EQ(m->key(), machine_in(kJoining)->key());
  }
}

// TcpIpJoiner: the master found at join time decides, not what was there when
// the application started (issue 12: two members started together used to
// found two clusters).
TEST(HazelcastMachine, JoinFollowsTheClusterFoundAtJoinTime) {
  for (FactBits other : {FactBits{0}, kOther}) {
    auto m = machine_in(kJoining);
    EXPECT_EQ(m->process(id(Event::Join), other | kPeer), Outcome::Taken);
    EXPECT_EQ(m->state_name(), "Member");
    EXPECT_EQ(holding(*m), (Names{"in_cluster"}));
    auto f = machine_in(kJoining);
    EXPECT_EQ(f->process(id(Event::Join), other), Outcome::Taken);
    EXPECT_EQ(f->state_name(), "Founder");
    EXPECT_EQ(holding(*f), (Names{"in_cluster", "founder"}));
  }
}

TEST(HazelcastMachine, TwoMembersStartedTogetherFormOneCluster) {
  // Both start with nobody in a cluster; the first join founds, the second
  // then sees a peer in a cluster (the first) and joins it.
  auto a = hazelcast::kind().make_initial();
  auto b = hazelcast::kind().make_initial();
  EXPECT_EQ(a->process(id(Event::AppStarted), 0), Outcome::Taken);
  EXPECT_EQ(b->process(id(Event::AppStarted), 0), Outcome::Taken);
  EXPECT_EQ(a->process(id(Event::Join), 0), Outcome::Taken);
  EXPECT_EQ(a->state_name(), "Founder");
  EXPECT_EQ(b->process(id(Event::Join), kPeer | kOther), Outcome::Taken);
  EXPECT_EQ(b->state_name(), "Member");
}

TEST(HazelcastMachine, FounderMergesOnlyIntoAnotherFounder) {
  for (FactBits peer : {FactBits{0}, kPeer}) {
    auto m = machine_in(kFounder);
    EXPECT_EQ(m->process(id(Event::Merge), peer), Outcome::GuardRejected);
    EXPECT_EQ(m->state_name(), "Founder");
    EXPECT_EQ(m->process(id(Event::Merge), peer | kOther), Outcome::Taken);
    EXPECT_EQ(m->state_name(), "Member");
    EXPECT_EQ(holding(*m), (Names{"in_cluster"}));
  }
}

TEST(HazelcastMachine, LeaveGoesDownFromEveryStateIncludingDown) {
  for (const Path* p : {&kDown, &kJoining, &kMember, &kFounder})
    for (FactBits f = 0; f <= kAllFacts; ++f) {
      auto m = machine_in(*p);
      const std::string from = m->state_name();
      EXPECT_EQ(m->process(id(Event::Leave), f), Outcome::Taken) << from;
      EXPECT_EQ(m->state_name(), "Down") << from;
      EXPECT_EQ(m->key(), hazelcast::kind().make_initial()->key()) << from;
      EXPECT_EQ(holding(*m), (Names{"down"}));
    }
}

TEST(HazelcastMachine, AMemberWhoseClusterLeftWhileJoiningFounds) {
  // Started while a peer was in a cluster; that peer left before the join.
  auto m = machine_in({{Event::AppStarted, kPeer}});
  EXPECT_EQ(m->process(id(Event::Join), 0), Outcome::Taken);
  EXPECT_EQ(m->state_name(), "Founder");
}

TEST(HazelcastMachine, RejectsEventsThatAreNotEnabled) {
  struct Case {
    const Path* path;
    std::string name;
    std::set<Event> enabled;
  };
  const std::vector<Case> cases = {
      {&kDown, "Down", {Event::AppStarted, Event::Leave}},
      {&kJoining, "Joining", {Event::Join, Event::Leave}},
      {&kMember, "Member", {Event::Leave}},
      {&kFounder, "Founder", {Event::Merge, Event::Leave}},
  };
  for (const Case& c : cases) {
    auto m = machine_in(*c.path);
    EXPECT_EQ(m->state_name(), c.name);
    test_support::expect_only_enabled(hazelcast::kind(), *m, c.enabled, c.name);
  }
}

TEST(HazelcastMachine, CloneKeepsTheCurrentState) {
  auto m = machine_in(kJoining);
  auto copy = m->clone();
  EXPECT_EQ(copy->state_name(), "Joining");
  EXPECT_EQ(copy->key(), m->key());
  EXPECT_EQ(copy->process(id(Event::Join), kPeer), Outcome::Taken);
  EXPECT_EQ(copy->state_name(), "Member");
  EXPECT_EQ(m->state_name(), "Joining");  // the original is independent
}

TEST(HazelcastMachine, ReachableStatesHaveUniqueNames) {
  const std::vector<std::string> names = test_support::reachable_names(hazelcast::kind());
  // Down, Joining, Member, Founder.
  EXPECT_EQ(names.size(), 4u);
  EXPECT_EQ(names, (std::vector<std::string>{"Down", "Founder", "Joining", "Member"}));
  RecordProperty("reachable_local_states", static_cast<int>(names.size()));
}

}  // namespace
}  // namespace acdsim::model
