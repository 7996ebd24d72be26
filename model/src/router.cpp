// Load balancer / On Demand Router machine (see router.hpp for the transition list).
#include "acdsim/model/router.hpp"

#include <array>
#include <cstdint>
#include <string>

#include "msm_common.hpp"

namespace acdsim::model::router {
namespace {

namespace msmf = boost::msm::front;
using msm_support::Ev;
using msm_support::Not;

using HostBooted = Ev<Event::HostBooted>;
using BackendsUp = Ev<Event::BackendsUp>;
using BackendsGone = Ev<Event::BackendsGone>;
using SwitchEdition = Ev<Event::SwitchEdition>;
using ManualMode = Ev<Event::ManualMode>;
using AutoMode = Ev<Event::AutoMode>;
using HostShutdown = Ev<Event::HostShutdown>;
using HostLost = Ev<Event::HostLost>;

// Guard: some backend serves the edition this router routes to.
struct BackendInService {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E& e, Fsm& fsm, S&, T&) const {
    const FactBits wanted = fsm.routed_edition == 1 ? fact::kNewInService : fact::kOldInService;
    return (e.facts & wanted) != 0;
  }
};
using NoBackendInService = Not<BackendInService>;

struct RouteNewEdition {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& fsm, S&, T&) const {
    fsm.routed_edition = 1;
  }
};
template <bool kManual>
struct SetManualMode {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& fsm, S&, T&) const {
    fsm.manual_mode = kManual;
  }
};

struct Front : msm_support::FrontBase<Front> {
  struct Down : msmf::state<> {};
  struct Queuing : msmf::state<> {};
  struct Routing : msmf::state<> {};
  using initial_state = Down;

  // Attributes: configuration, kept while the router is down.
  std::uint8_t routed_edition = 0;
  bool manual_mode = false;

  using None = msmf::none;

  // clang-format off
  struct transition_table : boost::mpl::vector<
      //        Source   Event          Target   Action                Guard
      msmf::Row<Down,    HostBooted,    Routing, None,                 BackendInService>,
      msmf::Row<Down,    HostBooted,    Queuing, None,                 NoBackendInService>,
      msmf::Row<Queuing, BackendsUp,    Routing, None,                 BackendInService>,
      msmf::Row<Routing, BackendsGone,  Queuing, None,                 NoBackendInService>,
      msmf::Row<Queuing, SwitchEdition, Queuing, RouteNewEdition,      None>,
      msmf::Row<Routing, SwitchEdition, Routing, RouteNewEdition,      None>,
      msmf::Row<Queuing, ManualMode,    Queuing, SetManualMode<true>,  None>,
      msmf::Row<Routing, ManualMode,    Routing, SetManualMode<true>,  None>,
      msmf::Row<Queuing, AutoMode,      Queuing, SetManualMode<false>, None>,
      msmf::Row<Routing, AutoMode,      Routing, SetManualMode<false>, None>,
      msmf::Row<Down,    HostShutdown,  Down,    None,                 None>,
      msmf::Row<Queuing, HostShutdown,  Down,    None,                 None>,
      msmf::Row<Routing, HostShutdown,  Down,    None,                 None>,
      msmf::Row<Down,    HostLost,      Down,    None,                 None>,
      msmf::Row<Queuing, HostLost,      Down,    None,                 None>,
      msmf::Row<Routing, HostLost,      Down,    None,                 None>
  > {};
  // clang-format on
};
using Backend = boost::msm::back::state_machine<Front>;

struct Traits {
  using Event = router::Event;
  static constexpr std::size_t kEventCount = static_cast<std::size_t>(Event::Count);

  static Pred state_of(const Backend& m) {
    if (msm_support::in_state<Front::Queuing>(m)) return Pred::Queuing;
    if (msm_support::in_state<Front::Routing>(m)) return Pred::Routing;
    return Pred::Down;
  }
  static std::uint64_t key(const Backend& m) {
    return static_cast<std::uint64_t>(state_of(m)) | (static_cast<std::uint64_t>(m.routed_edition) << 2) |
           (static_cast<std::uint64_t>(m.manual_mode) << 3);
  }
  static std::string name(const Backend& m) {
    static constexpr std::array<const char*, 3> names = {"Down", "Queuing", "Routing"};
    std::string out = names[static_cast<std::size_t>(state_of(m))];
    if (m.routed_edition == 1) out += " edition=new";
    if (m.manual_mode) out += " manual";
    return out;
  }
  static bool holds(const Backend& m, PredicateId p) {
    switch (static_cast<Pred>(p)) {
      case Pred::NewEditionRouted: return m.routed_edition == 1;
      case Pred::ManualMode: return m.manual_mode;
      case Pred::Count: return false;
      default: return static_cast<PredicateId>(state_of(m)) == p;
    }
  }
};

constexpr std::array<std::string_view, 8> kEvents = {"host_booted", "backends_up",   "backends_gone",
                                                     "switch_edition", "manual_mode", "auto_mode",
                                                     "host_shutdown",  "host_lost"};
constexpr std::array<std::string_view, 2> kFacts = {"old_in_service", "new_in_service"};
constexpr std::array<std::string_view, 5> kPredicates = {"down", "queuing", "routing", "new_edition_routed",
                                                         "manual_mode"};
static_assert(kEvents.size() == Traits::kEventCount);
static_assert(kFacts.size() == 2 && fact::kNewInService == 1u << 1);
static_assert(kPredicates.size() == static_cast<std::size_t>(Pred::Count));

std::unique_ptr<Machine> make() { return std::make_unique<msm_support::MsmMachine<Backend, Traits>>(); }

}  // namespace

const KindSpec& kind() {
  static const KindSpec spec{"router", kEvents, kFacts, kPredicates, &make,
                             msm_support::state_count<Backend>(), msm_support::row_count<Backend>()};
  return spec;
}

}  // namespace acdsim::model::router
