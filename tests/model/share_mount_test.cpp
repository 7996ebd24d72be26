#include "acdsim/model/share_mount.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "machine_test_support.hpp"

namespace acdsim::model {
namespace {

using share_mount::Event;
using share_mount::Pred;
using test_support::id;
using Path = test_support::Path<Event>;
constexpr FactBits kServing = share_mount::fact::kStorageServing;

// A machine driven along a path of (event, facts) steps, each of which must be Taken.
std::unique_ptr<Machine> machine_in(const Path& path) { return test_support::machine_in(share_mount::kind(), path); }

const Path kUnmounted = {};
const Path kMounted = {{Event::HostBooted, kServing}};
const Path kMountFailed = {{Event::HostBooted, 0}};
const Path kStale = {{Event::HostBooted, kServing}, {Event::StorageLost, 0}};

// m is named name and p is the only predicate that holds.
void expect_in(const Machine& m, Pred p, const char* name) {
  EXPECT_EQ(m.state_name(), name);
  EXPECT_EQ(test_support::holding(share_mount::kind(), m),
            std::set<std::string_view>{share_mount::kind().predicates[id(p)]})
      << m.state_name();
}

TEST(ShareMountMachine, SpecNamesAndTableSizes) {
  const KindSpec& k = share_mount::kind();
  EXPECT_EQ(k.name, "share_mount");
  EXPECT_EQ(std::vector<std::string_view>(k.events.begin(), k.events.end()),
            (std::vector<std::string_view>{"host_booted", "remount", "storage_lost", "storage_back", "host_shutdown",
                                           "host_lost"}));
  EXPECT_EQ(std::vector<std::string_view>(k.facts.begin(), k.facts.end()),
            (std::vector<std::string_view>{"storage_serving"}));
  EXPECT_EQ(std::vector<std::string_view>(k.predicates.begin(), k.predicates.end()),
            (std::vector<std::string_view>{"unmounted", "mounted", "mount_failed", "stale"}));
  EXPECT_EQ(k.msm_states, 4u);
  EXPECT_EQ(k.msm_rows, 14u);
}

TEST(ShareMountMachine, StartsUnmounted) {
  auto m = share_mount::kind().make_initial();
  expect_in(*m, Pred::Unmounted, "Unmounted");
}

TEST(ShareMountMachine, BootMountsOnlyWhileStorageServes) {
  auto ok = share_mount::kind().make_initial();
  EXPECT_EQ(ok->process(id(Event::HostBooted), kServing), Outcome::Taken);
  expect_in(*ok, Pred::Mounted, "Mounted");
  auto failed = share_mount::kind().make_initial();
  EXPECT_EQ(failed->process(id(Event::HostBooted), 0), Outcome::Taken);
  expect_in(*failed, Pred::MountFailed, "MountFailed");
}

TEST(ShareMountMachine, RemountNeedsServingStorage) {
  auto failed = machine_in(kMountFailed);
  EXPECT_EQ(failed->process(id(Event::Remount), 0), Outcome::GuardRejected);
  expect_in(*failed, Pred::MountFailed, "MountFailed");
  EXPECT_EQ(failed->process(id(Event::Remount), kServing), Outcome::Taken);
  expect_in(*failed, Pred::Mounted, "Mounted");

  auto stale = machine_in(kStale);
  EXPECT_EQ(stale->process(id(Event::Remount), 0), Outcome::GuardRejected);
  expect_in(*stale, Pred::Stale, "Stale");
  EXPECT_EQ(stale->process(id(Event::Remount), kServing), Outcome::Taken);
  expect_in(*stale, Pred::Mounted, "Mounted");
}

TEST(ShareMountMachine, StorageLostMakesTheMountStaleOnlyWhenStorageIsGone) {
  auto m = machine_in(kMounted);
  EXPECT_EQ(m->process(id(Event::StorageLost), kServing), Outcome::GuardRejected);
  expect_in(*m, Pred::Mounted, "Mounted");
  EXPECT_EQ(m->process(id(Event::StorageLost), 0), Outcome::Taken);
  expect_in(*m, Pred::Stale, "Stale");
}

TEST(ShareMountMachine, StaleMountRecoversWhenStorageComesBack) {
  auto m = machine_in(kStale);
  EXPECT_EQ(m->process(id(Event::StorageBack), 0), Outcome::GuardRejected);
  expect_in(*m, Pred::Stale, "Stale");
  EXPECT_EQ(m->process(id(Event::StorageBack), kServing), Outcome::Taken);
  expect_in(*m, Pred::Mounted, "Mounted");
}

TEST(ShareMountMachine, HostShutdownAndHostLostUnmountFromEveryState) {
  for (Event e : {Event::HostShutdown, Event::HostLost})
    for (const Path* p : {&kUnmounted, &kMounted, &kMountFailed, &kStale})
      for (FactBits f : {FactBits{0}, kServing}) {
        auto m = machine_in(*p);
        const std::string from = m->state_name();
        EXPECT_EQ(m->process(id(e), f), Outcome::Taken) << from << " / " << share_mount::kind().events[id(e)];
        expect_in(*m, Pred::Unmounted, "Unmounted");
      }
}

TEST(ShareMountMachine, RejectsEventsThatAreNotEnabled) {
  struct Case {
    const Path* path;
    std::string name;
    std::set<Event> enabled;
  };
  const std::vector<Case> cases = {
      {&kUnmounted, "Unmounted", {Event::HostBooted, Event::HostShutdown, Event::HostLost}},
      {&kMounted, "Mounted", {Event::StorageLost, Event::HostShutdown, Event::HostLost}},
      {&kMountFailed, "MountFailed", {Event::Remount, Event::HostShutdown, Event::HostLost}},
      {&kStale, "Stale", {Event::Remount, Event::StorageBack, Event::HostShutdown, Event::HostLost}},
  };
  for (const Case& c : cases) {
    auto m = machine_in(*c.path);
    EXPECT_EQ(m->state_name(), c.name);
    test_support::expect_only_enabled(share_mount::kind(), *m, c.enabled, c.name);
  }
}

TEST(ShareMountMachine, CloneKeepsTheCurrentState) {
  auto m = machine_in(kStale);
  auto copy = m->clone();
  EXPECT_EQ(copy->state_name(), "Stale");
  EXPECT_EQ(copy->key(), m->key());
  EXPECT_EQ(copy->process(id(Event::StorageBack), kServing), Outcome::Taken);
  EXPECT_EQ(copy->state_name(), "Mounted");
  EXPECT_EQ(m->state_name(), "Stale");  // the original is independent
}

TEST(ShareMountMachine, ReachableStatesHaveUniqueNames) {
  const std::vector<std::string> names = test_support::reachable_names(share_mount::kind());
  EXPECT_EQ(names.size(), 4u);
  EXPECT_EQ(names, (std::vector<std::string>{"MountFailed", "Mounted", "Stale", "Unmounted"}));
  RecordProperty("reachable_local_states", static_cast<int>(names.size()));
}

}  // namespace
}  // namespace acdsim::model
