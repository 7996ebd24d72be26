// Private: the one MSM machine behind the application-server kinds "jboss"
// (with editions) and "telephony" (without). app_server.hpp holds the
// transition list. Include only from jboss.cpp and telephony.cpp: each of them
// instantiates its own machine, and everything here has internal linkage so
// no MSM type leaves the including translation unit.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "acdsim/model/app_server.hpp"
#include "msm_common.hpp"

namespace acdsim::model::app_server {
namespace {

namespace msmf = boost::msm::front;
using msm_support::All;
using msm_support::Ev;
using msm_support::IfFacts;
using msm_support::Not;

using HostBooted = Ev<Event::HostBooted>;
using Start = Ev<Event::Start>;
using StartComplete = Ev<Event::StartComplete>;
using DeployComplete = Ev<Event::DeployComplete>;
using StartFailed = Ev<Event::StartFailed>;
using DepsLost = Ev<Event::DepsLost>;
using DepsBack = Ev<Event::DepsBack>;
using Drain = Ev<Event::Drain>;
using Resume = Ev<Event::Resume>;
using Stop = Ev<Event::Stop>;
using HostShutdown = Ev<Event::HostShutdown>;
using StopComplete = Ev<Event::StopComplete>;
using HostLost = Ev<Event::HostLost>;
using UpdateEdition = Ev<Event::UpdateEdition>;

// --- guards -----------------------------------------------------------------
using Autostart = IfFacts<fact::kAutostart>;
using DepsOk = IfFacts<fact::kShareOk | fact::kDbOk>;
using DepsMissing = Not<DepsOk>;
// The part of deps_back that depends on what broke: an application that
// started without the share (share_broken: it wrote into the local directory
// that the later mount hides) heals only if heals_after_share; a loss while
// running (DB down, share stale and reconnected by the kernel) heals if
// heals_after_db.
struct CanHeal {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E& e, Fsm& fsm, S&, T&) const {
    const FactBits needed = fsm.share_broken ? fact::kHealsAfterShare : fact::kHealsAfterDb;
    return (e.facts & needed) != 0;
  }
};
using Heals = All<DepsOk, CanHeal>;

// --- actions ----------------------------------------------------------------
struct RecordShareLoss {  // share_broken = !share_ok
  template <class E, class Fsm, class S, class T>
  void operator()(const E& e, Fsm& fsm, S&, T&) const {
    fsm.share_broken = (e.facts & fact::kShareOk) == 0;
  }
};
struct ClearShareBroken {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& fsm, S&, T&) const {
    fsm.share_broken = false;
  }
};
struct SetNewEdition {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& fsm, S&, T&) const {
    fsm.edition = 1;
  }
};

template <bool kHasEditions>
struct Front : msm_support::FrontBase<Front<kHasEditions>> {
  struct Stopped : msmf::state<> {};
  struct Starting : msmf::state<> {};
  struct Deploying : msmf::state<> {};
  struct Running : msmf::state<> {};
  struct Degraded : msmf::state<> {};
  struct Draining : msmf::state<> {};
  struct Stopping : msmf::state<> {};
  struct Failed : msmf::state<> {};
  using initial_state = Stopped;

  // Attributes. edition stays 0 without editions (no row changes it).
  std::uint8_t edition = 0;
  bool share_broken = false;

  using None = msmf::none;

  // Rows common to both kinds; Extra... are the kind-specific ones.
  // clang-format off
  template <class... Extra>
  struct Table : boost::mpl::vector<
      //        Source      Event           Target      Action            Guard
      msmf::Row<Stopped,    HostBooted,     Starting,   None,             Autostart>,
      msmf::Row<Stopped,    Start,          Starting,   None,             None>,
      msmf::Row<Failed,     Start,          Starting,   None,             None>,
      msmf::Row<Starting,   StartComplete,  Deploying,  None,             None>,
      msmf::Row<Deploying,  DeployComplete, Running,    None,             DepsOk>,
      msmf::Row<Deploying,  DeployComplete, Degraded,   RecordShareLoss,  DepsMissing>,
      msmf::Row<Starting,   StartFailed,    Failed,     None,             None>,
      msmf::Row<Deploying,  StartFailed,    Failed,     None,             None>,
      msmf::Row<Running,    DepsLost,       Degraded,   msmf::none,       DepsMissing>,
      msmf::Row<Draining,   DepsLost,       Degraded,   msmf::none,       DepsMissing>,
      msmf::Row<Degraded,   DepsBack,       Running,    ClearShareBroken, Heals>,
      msmf::Row<Running,    Drain,          Draining,   None,             None>,
      msmf::Row<Draining,   Resume,         Running,    None,             None>,
      msmf::Row<Starting,   Stop,           Stopping,   None,             None>,
      msmf::Row<Deploying,  Stop,           Stopping,   None,             None>,
      msmf::Row<Running,    Stop,           Stopping,   None,             None>,
      msmf::Row<Degraded,   Stop,           Stopping,   None,             None>,
      msmf::Row<Draining,   Stop,           Stopping,   None,             None>,
      msmf::Row<Starting,   HostShutdown,   Stopping,   None,             None>,
      msmf::Row<Deploying,  HostShutdown,   Stopping,   None,             None>,
      msmf::Row<Running,    HostShutdown,   Stopping,   None,             None>,
      msmf::Row<Degraded,   HostShutdown,   Stopping,   None,             None>,
      msmf::Row<Draining,   HostShutdown,   Stopping,   None,             None>,
      msmf::Row<Stopping,   StopComplete,   Stopped,    ClearShareBroken, None>,
      msmf::Row<Stopped,    HostLost,       Stopped,    ClearShareBroken, None>,
      msmf::Row<Starting,   HostLost,       Stopped,    ClearShareBroken, None>,
      msmf::Row<Deploying,  HostLost,       Stopped,    ClearShareBroken, None>,
      msmf::Row<Running,    HostLost,       Stopped,    ClearShareBroken, None>,
      msmf::Row<Degraded,   HostLost,       Stopped,    ClearShareBroken, None>,
      msmf::Row<Draining,   HostLost,       Stopped,    ClearShareBroken, None>,
      msmf::Row<Stopping,   HostLost,       Stopped,    ClearShareBroken, None>,
      msmf::Row<Failed,     HostLost,       Stopped,    ClearShareBroken, None>,
      Extra...
  > {};
  using EditionRows = Table<
      msmf::Row<Stopped,    UpdateEdition,  Stopped,    SetNewEdition,    None>>;
  // clang-format on
  using transition_table = std::conditional_t<kHasEditions, EditionRows, Table<>>;
};

template <bool kHasEditions>
struct Traits {
  using Backend = boost::msm::back::state_machine<Front<kHasEditions>>;
  using F = Front<kHasEditions>;
  using Event = app_server::Event;
  static constexpr std::size_t kEventCount = static_cast<std::size_t>(Event::Count);

  // The active state as its Pred (Stopped..Failed share their order).
  static Pred state_of(const Backend& m) {
    using msm_support::in_state;
    if (in_state<typename F::Starting>(m)) return Pred::Starting;
    if (in_state<typename F::Deploying>(m)) return Pred::Deploying;
    if (in_state<typename F::Running>(m)) return Pred::Running;
    if (in_state<typename F::Degraded>(m)) return Pred::Degraded;
    if (in_state<typename F::Draining>(m)) return Pred::Draining;
    if (in_state<typename F::Stopping>(m)) return Pred::Stopping;
    if (in_state<typename F::Failed>(m)) return Pred::Failed;
    return Pred::Stopped;
  }
  static std::uint64_t key(const Backend& m) {
    return static_cast<std::uint64_t>(state_of(m)) | (static_cast<std::uint64_t>(m.edition) << 4) |
           (static_cast<std::uint64_t>(m.share_broken) << 5);
  }
  static std::string name(const Backend& m) {
    static constexpr std::array<const char*, 8> names = {"Stopped",  "Starting", "Deploying", "Running",
                                                         "Degraded", "Draining", "Stopping",  "Failed"};
    std::string out = names[static_cast<std::size_t>(state_of(m))];
    if (kHasEditions && m.edition == 1) out += " edition=new";
    if (m.share_broken) out += " share-broken";
    return out;
  }
  static bool holds(const Backend& m, PredicateId p) {
    const Pred state = state_of(m);
    const bool in_service = state == Pred::Running;
    switch (static_cast<Pred>(p)) {
      case Pred::InService: return in_service;
      case Pred::NewEdition: return m.edition == 1;
      case Pred::ServingOld: return in_service && m.edition == 0;
      case Pred::ServingNew: return in_service && m.edition == 1;
      case Pred::Up: return state == Pred::Running || state == Pred::Degraded || state == Pred::Draining;
      case Pred::ShareBroken: return m.share_broken;
      case Pred::Count: return false;
      default: return static_cast<PredicateId>(state) == p;
    }
  }
};

constexpr std::array<std::string_view, 14> kEvents = {
    "host_booted", "start",  "start_complete", "deploy_complete", "start_failed",  "deps_lost", "deps_back",
    "drain",       "resume", "stop",           "host_shutdown",   "stop_complete", "host_lost", "update_edition"};
constexpr std::array<std::string_view, 5> kFacts = {"autostart", "share_ok", "db_ok", "heals_after_share",
                                                    "heals_after_db"};
constexpr std::array<std::string_view, 14> kPredicates = {
    "stopped", "starting",   "deploying",   "running",     "degraded",    "draining", "stopping",
    "failed",  "in_service", "new_edition", "serving_old", "serving_new", "up",       "share_broken"};
static_assert(kEvents.size() == static_cast<std::size_t>(Event::Count));
static_assert(kFacts.size() == 5 && fact::kHealsAfterDb == 1u << 4);
static_assert(kPredicates.size() == static_cast<std::size_t>(Pred::Count));

template <bool kHasEditions>
std::unique_ptr<Machine> make() {
  using T = Traits<kHasEditions>;
  return std::make_unique<msm_support::MsmMachine<typename T::Backend, T>>();
}

// The KindSpec of one instantiation; the kind's .cpp keeps it in a static.
template <bool kHasEditions>
KindSpec machine_spec(std::string_view kind_name) {
  using Backend = typename Traits<kHasEditions>::Backend;
  return KindSpec{kind_name,
                  kEvents,
                  kFacts,
                  kPredicates,
                  &make<kHasEditions>,
                  msm_support::state_count<Backend>(),
                  msm_support::row_count<Backend>()};
}

}  // namespace
}  // namespace acdsim::model::app_server
