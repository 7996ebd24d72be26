// systemd-managed service machine (see service.hpp for the transition list).
#include "acdsim/model/service.hpp"

#include <array>

#include "msm_common.hpp"

namespace acdsim::model::service {
namespace {

namespace msmf = boost::msm::front;
using msm_support::Ev;
using msm_support::IfFacts;

using HostBooted = Ev<Event::HostBooted>;
using Start = Ev<Event::Start>;
using StartComplete = Ev<Event::StartComplete>;
using StartFailed = Ev<Event::StartFailed>;
using Stop = Ev<Event::Stop>;
using HostShutdown = Ev<Event::HostShutdown>;
using StopComplete = Ev<Event::StopComplete>;
using HostLost = Ev<Event::HostLost>;

struct Front : msm_support::FrontBase<Front> {
  struct Stopped : msmf::state<> {};
  struct Starting : msmf::state<> {};
  struct Running : msmf::state<> {};
  struct Stopping : msmf::state<> {};
  struct Failed : msmf::state<> {};
  using initial_state = Stopped;

  using Autostart = IfFacts<fact::kAutostart>;

  // clang-format off
  struct transition_table : boost::mpl::vector<
      //        Source     Event          Target     Action      Guard
      msmf::Row<Stopped,   HostBooted,    Starting,  msmf::none, Autostart>,
      msmf::Row<Stopped,   Start,         Starting,  msmf::none, msmf::none>,
      msmf::Row<Failed,    Start,         Starting,  msmf::none, msmf::none>,
      msmf::Row<Starting,  StartComplete, Running,   msmf::none, msmf::none>,
      msmf::Row<Starting,  StartFailed,   Failed,    msmf::none, msmf::none>,
      msmf::Row<Running,   Stop,          Stopping,  msmf::none, msmf::none>,
      msmf::Row<Starting,  Stop,          Stopping,  msmf::none, msmf::none>,
      msmf::Row<Running,   HostShutdown,  Stopping,  msmf::none, msmf::none>,
      msmf::Row<Starting,  HostShutdown,  Stopping,  msmf::none, msmf::none>,
      msmf::Row<Stopping,  StopComplete,  Stopped,   msmf::none, msmf::none>,
      msmf::Row<Stopped,   HostLost,      Stopped,   msmf::none, msmf::none>,
      msmf::Row<Starting,  HostLost,      Stopped,   msmf::none, msmf::none>,
      msmf::Row<Running,   HostLost,      Stopped,   msmf::none, msmf::none>,
      msmf::Row<Stopping,  HostLost,      Stopped,   msmf::none, msmf::none>,
      msmf::Row<Failed,    HostLost,      Stopped,   msmf::none, msmf::none>
  > {};
  // clang-format on
};
using Backend = boost::msm::back::state_machine<Front>;

struct Traits {
  using Event = service::Event;
  static constexpr std::size_t kEventCount = static_cast<std::size_t>(Event::Count);

  static Pred pred_of(const Backend& m) {
    if (msm_support::in_state<Front::Starting>(m)) return Pred::Starting;
    if (msm_support::in_state<Front::Running>(m)) return Pred::Running;
    if (msm_support::in_state<Front::Stopping>(m)) return Pred::Stopping;
    if (msm_support::in_state<Front::Failed>(m)) return Pred::Failed;
    return Pred::Stopped;
  }
  static std::uint64_t key(const Backend& m) { return static_cast<std::uint64_t>(pred_of(m)); }
  static std::string name(const Backend& m) {
    static constexpr std::array<const char*, 5> names = {"Stopped", "Starting", "Running", "Stopping", "Failed"};
    static_assert(names.size() == static_cast<std::size_t>(Pred::Count));
    return names[static_cast<std::size_t>(pred_of(m))];
  }
  static bool holds(const Backend& m, PredicateId p) { return static_cast<PredicateId>(pred_of(m)) == p; }
};

constexpr std::array<std::string_view, 8> kEvents = {"host_booted",  "start",         "start_complete",
                                                     "start_failed", "stop",          "host_shutdown",
                                                     "stop_complete", "host_lost"};
constexpr std::array<std::string_view, 1> kFacts = {"autostart"};
constexpr std::array<std::string_view, 5> kPredicates = {"stopped", "starting", "running", "stopping", "failed"};
static_assert(kEvents.size() == Traits::kEventCount);
static_assert(kPredicates.size() == static_cast<std::size_t>(Pred::Count));

std::unique_ptr<Machine> make() { return std::make_unique<msm_support::MsmMachine<Backend, Traits>>(); }

}  // namespace

const KindSpec& kind() {
  static const KindSpec spec{"service", kEvents, kFacts, kPredicates, &make,
                             msm_support::state_count<Backend>(), msm_support::row_count<Backend>()};
  return spec;
}

}  // namespace acdsim::model::service
