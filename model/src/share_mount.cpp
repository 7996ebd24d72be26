// CIFS share mount machine (see share_mount.hpp for the transition list).
#include "acdsim/model/share_mount.hpp"

#include <array>

#include "msm_common.hpp"

namespace acdsim::model::share_mount {
namespace {

namespace msmf = boost::msm::front;
using msm_support::Ev;
using msm_support::IfFacts;
using msm_support::IfNoFacts;

using HostBooted = Ev<Event::HostBooted>;
using Remount = Ev<Event::Remount>;
using StorageLost = Ev<Event::StorageLost>;
using StorageBack = Ev<Event::StorageBack>;
using HostShutdown = Ev<Event::HostShutdown>;
using HostLost = Ev<Event::HostLost>;

struct Front : msm_support::FrontBase<Front> {
  struct Unmounted : msmf::state<> {};
  struct Mounted : msmf::state<> {};
  struct MountFailed : msmf::state<> {};
  struct Stale : msmf::state<> {};
  using initial_state = Unmounted;

  using Serving = IfFacts<fact::kStorageServing>;
  using NotServing = IfNoFacts<fact::kStorageServing>;

  // clang-format off
  struct transition_table : boost::mpl::vector<
      //        Source       Event         Target       Action      Guard
      msmf::Row<Unmounted,   HostBooted,   Mounted,     msmf::none, Serving>,
      msmf::Row<Unmounted,   HostBooted,   MountFailed, msmf::none, NotServing>,
      msmf::Row<MountFailed, Remount,      Mounted,     msmf::none, Serving>,
      msmf::Row<Stale,       Remount,      Mounted,     msmf::none, Serving>,
      msmf::Row<Mounted,     StorageLost,  Stale,       msmf::none, NotServing>,
      msmf::Row<Stale,       StorageBack,  Mounted,     msmf::none, Serving>,
      msmf::Row<Unmounted,   HostShutdown, Unmounted,   msmf::none, msmf::none>,
      msmf::Row<Mounted,     HostShutdown, Unmounted,   msmf::none, msmf::none>,
      msmf::Row<MountFailed, HostShutdown, Unmounted,   msmf::none, msmf::none>,
      msmf::Row<Stale,       HostShutdown, Unmounted,   msmf::none, msmf::none>,
      msmf::Row<Unmounted,   HostLost,     Unmounted,   msmf::none, msmf::none>,
      msmf::Row<Mounted,     HostLost,     Unmounted,   msmf::none, msmf::none>,
      msmf::Row<MountFailed, HostLost,     Unmounted,   msmf::none, msmf::none>,
      msmf::Row<Stale,       HostLost,     Unmounted,   msmf::none, msmf::none>
  > {};
  // clang-format on
};
using Backend = boost::msm::back::state_machine<Front>;

struct Traits {
  using Event = share_mount::Event;
  static constexpr std::size_t kEventCount = static_cast<std::size_t>(Event::Count);

  static Pred pred_of(const Backend& m) {
    if (msm_support::in_state<Front::Mounted>(m)) return Pred::Mounted;
    if (msm_support::in_state<Front::MountFailed>(m)) return Pred::MountFailed;
    if (msm_support::in_state<Front::Stale>(m)) return Pred::Stale;
    return Pred::Unmounted;
  }
  static std::uint64_t key(const Backend& m) { return static_cast<std::uint64_t>(pred_of(m)); }
  static std::string name(const Backend& m) {
    static constexpr std::array<const char*, 4> names = {"Unmounted", "Mounted", "MountFailed", "Stale"};
    static_assert(names.size() == static_cast<std::size_t>(Pred::Count));
    return names[static_cast<std::size_t>(pred_of(m))];
  }
  static bool holds(const Backend& m, PredicateId p) { return static_cast<PredicateId>(pred_of(m)) == p; }
};

constexpr std::array<std::string_view, 6> kEvents = {"host_booted",  "remount",       "storage_lost",
                                                     "storage_back", "host_shutdown", "host_lost"};
constexpr std::array<std::string_view, 1> kFacts = {"storage_serving"};
constexpr std::array<std::string_view, 4> kPredicates = {"unmounted", "mounted", "mount_failed", "stale"};
static_assert(kEvents.size() == Traits::kEventCount);
static_assert(kPredicates.size() == static_cast<std::size_t>(Pred::Count));

std::unique_ptr<Machine> make() { return std::make_unique<msm_support::MsmMachine<Backend, Traits>>(); }

}  // namespace

const KindSpec& kind() {
  static const KindSpec spec{"share_mount", kEvents, kFacts, kPredicates, &make,
                             msm_support::state_count<Backend>(), msm_support::row_count<Backend>()};
  return spec;
}

}  // namespace acdsim::model::share_mount
