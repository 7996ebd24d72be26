// MySQL replication channel machine (see replication.hpp for the transition list).
#include "acdsim/model/replication.hpp"

#include <array>

#include "msm_common.hpp"

namespace acdsim::model::replication {
namespace {

namespace msmf = boost::msm::front;
using msm_support::Ev;
using msm_support::IfFacts;
using msm_support::IfNoFacts;

using ServerUp = Ev<Event::ServerUp>;
using Connected = Ev<Event::Connected>;
using MasterLost = Ev<Event::MasterLost>;
using StopSlave = Ev<Event::StopSlave>;
using StartSlave = Ev<Event::StartSlave>;
using ServerDown = Ev<Event::ServerDown>;
using SqlError = Ev<Event::SqlError>;

// The four MSM states, numbered for key() and name() (independent of MSM's ids).
enum class Where : std::uint8_t { Off, Connecting, Streaming, Stopped };

struct Front : msm_support::FrontBase<Front> {
  struct Off : msmf::state<> {};
  struct Connecting : msmf::state<> {};
  struct Streaming : msmf::state<> {};
  struct Stopped : msmf::state<> {};
  using initial_state = Off;

  // Attribute: the SQL thread runs (cleared by an SQL error, set again by START SLAVE).
  bool sql_running = true;

  using MasterRunning = IfFacts<fact::kMasterRunning>;
  using MasterNotRunning = IfNoFacts<fact::kMasterRunning>;
  using SkipSlaveStart = IfFacts<fact::kSkipSlaveStart>;
  using NoSkipSlaveStart = IfNoFacts<fact::kSkipSlaveStart>;

  template <bool Value>
  struct SetSqlRunning {
    template <class E, class Fsm, class S, class T>
    void operator()(const E&, Fsm& fsm, S&, T&) const {
      fsm.sql_running = Value;
    }
  };

  // clang-format off
  struct transition_table : boost::mpl::vector<
      //        Source      Event       Target      Action                Guard
      msmf::Row<Off,        ServerUp,   Connecting, msmf::none,           NoSkipSlaveStart>,
      msmf::Row<Off,        ServerUp,   Stopped,    msmf::none,           SkipSlaveStart>,
      msmf::Row<Connecting, Connected,  Streaming,  msmf::none,           MasterRunning>,
      msmf::Row<Streaming,  MasterLost, Connecting, msmf::none,           MasterNotRunning>,
      msmf::Row<Connecting, StopSlave,  Stopped,    msmf::none,           msmf::none>,
      msmf::Row<Streaming,  StopSlave,  Stopped,    msmf::none,           msmf::none>,
      msmf::Row<Stopped,    StartSlave, Connecting, SetSqlRunning<true>,  msmf::none>,
      msmf::Row<Connecting, ServerDown, Off,        msmf::none,           msmf::none>,
      msmf::Row<Streaming,  ServerDown, Off,        msmf::none,           msmf::none>,
      msmf::Row<Stopped,    ServerDown, Off,        msmf::none,           msmf::none>,
      msmf::Row<Streaming,  SqlError,   Streaming,  SetSqlRunning<false>, msmf::none>
  > {};
  // clang-format on
};
using Backend = boost::msm::back::state_machine<Front>;

struct Traits {
  using Event = replication::Event;
  static constexpr std::size_t kEventCount = static_cast<std::size_t>(Event::Count);

  static Where where(const Backend& m) {
    if (msm_support::in_state<Front::Connecting>(m)) return Where::Connecting;
    if (msm_support::in_state<Front::Streaming>(m)) return Where::Streaming;
    if (msm_support::in_state<Front::Stopped>(m)) return Where::Stopped;
    return Where::Off;
  }
  static std::uint64_t key(const Backend& m) {
    return (static_cast<std::uint64_t>(where(m)) << 1) | (m.sql_running ? 0u : 1u);
  }
  static std::string name(const Backend& m) {
    static constexpr std::array<const char*, 4> names = {"Off", "Connecting", "Streaming", "Stopped"};
    std::string out = names[static_cast<std::size_t>(where(m))];
    if (!m.sql_running) out += " sql-stopped";
    return out;
  }
  static bool holds(const Backend& m, PredicateId p) {
    const Where w = where(m);
    switch (static_cast<Pred>(p)) {
      case Pred::Off: return w == Where::Off;
      case Pred::Connecting: return w == Where::Connecting;
      case Pred::IoRunning: return w == Where::Streaming;
      case Pred::Stopped: return w == Where::Stopped;
      case Pred::SqlRunning: return m.sql_running;
      case Pred::Healthy: return w == Where::Streaming && m.sql_running;
      case Pred::Count: break;
    }
    return false;
  }
};

constexpr std::array<std::string_view, 7> kEvents = {"server_up",   "connected",   "master_lost", "stop_slave",
                                                     "start_slave", "server_down", "sql_error"};
constexpr std::array<std::string_view, 2> kFacts = {"master_running", "skip_slave_start"};
constexpr std::array<std::string_view, 6> kPredicates = {"off",     "connecting",  "io_running",
                                                         "stopped", "sql_running", "healthy"};
static_assert(kEvents.size() == Traits::kEventCount);
static_assert(kPredicates.size() == static_cast<std::size_t>(Pred::Count));

std::unique_ptr<Machine> make() { return std::make_unique<msm_support::MsmMachine<Backend, Traits>>(); }

}  // namespace

const KindSpec& kind() {
  static const KindSpec spec{"replication", kEvents, kFacts, kPredicates, &make,
                             msm_support::state_count<Backend>(), msm_support::row_count<Backend>()};
  return spec;
}

}  // namespace acdsim::model::replication
