// VM power machine (see vm.hpp for the transition list).
#include "acdsim/model/vm.hpp"

#include <array>

#include "msm_common.hpp"

namespace acdsim::model::vm {
namespace {

namespace msmf = boost::msm::front;
using msm_support::Ev;
using msm_support::IfFacts;

using PowerOn = Ev<Event::PowerOn>;
using BootComplete = Ev<Event::BootComplete>;
using Shutdown = Ev<Event::Shutdown>;
using ShutdownComplete = Ev<Event::ShutdownComplete>;
using PowerOff = Ev<Event::PowerOff>;
using Crash = Ev<Event::Crash>;

struct Front : msm_support::FrontBase<Front> {
  struct Off : msmf::state<> {};
  struct Booting : msmf::state<> {};
  struct Up : msmf::state<> {};
  struct ShuttingDown : msmf::state<> {};
  using initial_state = Off;

  using ServicesStopped = IfFacts<fact::kServicesStopped>;

  // clang-format off
  struct transition_table : boost::mpl::vector<
      //        Source        Event             Target        Action       Guard
      msmf::Row<Off,          PowerOn,          Booting,      msmf::none,  msmf::none>,
      msmf::Row<Booting,      BootComplete,     Up,           msmf::none,  msmf::none>,
      msmf::Row<Up,           Shutdown,         ShuttingDown, msmf::none,  msmf::none>,
      msmf::Row<ShuttingDown, ShutdownComplete, Off,          msmf::none,  ServicesStopped>,
      msmf::Row<Booting,      PowerOff,         Off,          msmf::none,  msmf::none>,
      msmf::Row<Up,           PowerOff,         Off,          msmf::none,  msmf::none>,
      msmf::Row<ShuttingDown, PowerOff,         Off,          msmf::none,  msmf::none>,
      msmf::Row<Booting,      Crash,            Off,          msmf::none,  msmf::none>,
      msmf::Row<Up,           Crash,            Off,          msmf::none,  msmf::none>,
      msmf::Row<ShuttingDown, Crash,            Off,          msmf::none,  msmf::none>
  > {};
  // clang-format on
};
using Backend = boost::msm::back::state_machine<Front>;

struct Traits {
  using Event = vm::Event;
  static constexpr std::size_t kEventCount = static_cast<std::size_t>(Event::Count);

  static Pred pred_of(const Backend& m) {
    if (msm_support::in_state<Front::Booting>(m)) return Pred::Booting;
    if (msm_support::in_state<Front::Up>(m)) return Pred::Up;
    if (msm_support::in_state<Front::ShuttingDown>(m)) return Pred::ShuttingDown;
    return Pred::Off;
  }
  static std::uint64_t key(const Backend& m) { return static_cast<std::uint64_t>(pred_of(m)); }
  static std::string name(const Backend& m) {
    static constexpr std::array<const char*, 4> names = {"Off", "Booting", "Up", "ShuttingDown"};
    return names[static_cast<std::size_t>(pred_of(m))];
  }
  static bool holds(const Backend& m, PredicateId p) { return static_cast<PredicateId>(pred_of(m)) == p; }
};

constexpr std::array<std::string_view, 6> kEvents = {"power_on", "boot_complete", "shutdown",
                                                     "shutdown_complete", "power_off", "crash"};
constexpr std::array<std::string_view, 1> kFacts = {"services_stopped"};
constexpr std::array<std::string_view, 4> kPredicates = {"off", "booting", "up", "shutting_down"};
static_assert(kEvents.size() == Traits::kEventCount);
static_assert(kPredicates.size() == static_cast<std::size_t>(Pred::Count));

std::unique_ptr<Machine> make() { return std::make_unique<msm_support::MsmMachine<Backend, Traits>>(); }

}  // namespace

const KindSpec& kind() {
  static const KindSpec spec{"vm", kEvents, kFacts, kPredicates, &make,
                             msm_support::state_count<Backend>(), msm_support::row_count<Backend>()};
  return spec;
}

}  // namespace acdsim::model::vm
