// One node of the two-node pacemaker/corosync cluster (see pacemaker.hpp for the transition list).
#include "acdsim/model/pacemaker.hpp"

#include <array>

#include "msm_common.hpp"

namespace acdsim::model::pacemaker {
namespace {

namespace msmf = boost::msm::front;
using msm_support::All;
using msm_support::Ev;
using msm_support::IfFacts;
using msm_support::IfNoFacts;
using msm_support::Not;
using msm_support::Seq;

using ClusterStart = Ev<Event::ClusterStart>;
using ClusterStop = Ev<Event::ClusterStop>;
using SeePeer = Ev<Event::SeePeer>;
using StartResources = Ev<Event::StartResources>;
using ResourcesStarted = Ev<Event::ResourcesStarted>;
using ResourcesFailed = Ev<Event::ResourcesFailed>;
using StartFailed = Ev<Event::StartFailed>;
using Standby = Ev<Event::Standby>;
using StopComplete = Ev<Event::StopComplete>;
using Unstandby = Ev<Event::Unstandby>;
using Cleanup = Ev<Event::Cleanup>;
using HostShutdown = Ev<Event::HostShutdown>;
using HostLost = Ev<Event::HostLost>;

struct Offline : msmf::state<> {};
struct Online : msmf::state<> {};
struct Starting : msmf::state<> {};
struct Active : msmf::state<> {};
struct Stopping : msmf::state<> {};

// ---- guards -------------------------------------------------------------
struct IsQuorate {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E&, Fsm& f, S&, T&) const {
    return f.quorate;
  }
};
struct IsBanned {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E&, Fsm& f, S&, T&) const {
    return f.banned;
  }
};
struct InStandby {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E&, Fsm& f, S&, T&) const {
    return f.standby;
  }
};
using PeerSeenFirstTime = All<IfFacts<fact::kPeerOnline>, Not<IsQuorate>>;
using MayStart = All<IsQuorate, Not<IsBanned>, Not<InStandby>, IfNoFacts<fact::kPeerHasResources>>;
using DrbdReady = IfFacts<fact::kDrbdReady>;
using DrbdNotReady = IfNoFacts<fact::kDrbdReady>;

// ---- actions ------------------------------------------------------------
struct SetQuorate {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.quorate = true;
  }
};
struct ClearQuorate {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.quorate = false;
  }
};
struct Ban {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.banned = true;
  }
};
struct ClearBan {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.banned = false;
  }
};
struct SetStandby {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.standby = true;
  }
};
struct ClearStandby {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.standby = false;
  }
};
// The stack stops: quorum and the transient failcount ban are forgotten; standby is in the CIB.
using StackDown = Seq<ClearQuorate, ClearBan>;

struct Front : msm_support::FrontBase<Front> {
  using initial_state = Offline;

  bool quorate = false;
  bool banned = false;
  bool standby = false;

  // clang-format off
  struct transition_table : boost::mpl::vector<
      //        Source    Event             Target    Action        Guard
      msmf::Row<Offline,  ClusterStart,     Online,   ClearQuorate, msmf::none>,
      msmf::Row<Online,   ClusterStop,      Offline,  StackDown,    msmf::none>,
      msmf::Row<Starting, ClusterStop,      Offline,  StackDown,    msmf::none>,
      msmf::Row<Active,   ClusterStop,      Offline,  StackDown,    msmf::none>,
      msmf::Row<Stopping, ClusterStop,      Offline,  StackDown,    msmf::none>,
      msmf::Row<Online,   SeePeer,          Online,   SetQuorate,   PeerSeenFirstTime>,
      msmf::Row<Starting, SeePeer,          Starting, SetQuorate,   PeerSeenFirstTime>,
      msmf::Row<Active,   SeePeer,          Active,   SetQuorate,   PeerSeenFirstTime>,
      msmf::Row<Stopping, SeePeer,          Stopping, SetQuorate,   PeerSeenFirstTime>,
      msmf::Row<Online,   StartResources,   Starting, msmf::none,   MayStart>,
      msmf::Row<Starting, ResourcesStarted, Active,   msmf::none,   DrbdReady>,
      msmf::Row<Starting, ResourcesFailed,  Online,   Ban,          DrbdNotReady>,
      msmf::Row<Starting, StartFailed,      Online,   Ban,          msmf::none>,
      msmf::Row<Active,   Standby,          Stopping, SetStandby,   msmf::none>,
      msmf::Row<Online,   Standby,          Online,   SetStandby,   msmf::none>,
      msmf::Row<Offline,  Standby,          Offline,  SetStandby,   msmf::none>,
      msmf::Row<Stopping, StopComplete,     Online,   msmf::none,   msmf::none>,
      msmf::Row<Offline,  Unstandby,        Offline,  ClearStandby, msmf::none>,
      msmf::Row<Online,   Unstandby,        Online,   ClearStandby, msmf::none>,
      msmf::Row<Starting, Unstandby,        Starting, ClearStandby, msmf::none>,
      msmf::Row<Active,   Unstandby,        Active,   ClearStandby, msmf::none>,
      msmf::Row<Stopping, Unstandby,        Stopping, ClearStandby, msmf::none>,
      msmf::Row<Offline,  Cleanup,          Offline,  ClearBan,     msmf::none>,
      msmf::Row<Online,   Cleanup,          Online,   ClearBan,     msmf::none>,
      msmf::Row<Starting, Cleanup,          Starting, ClearBan,     msmf::none>,
      msmf::Row<Active,   Cleanup,          Active,   ClearBan,     msmf::none>,
      msmf::Row<Stopping, Cleanup,          Stopping, ClearBan,     msmf::none>,
      msmf::Row<Offline,  HostShutdown,     Offline,  StackDown,    msmf::none>,
      msmf::Row<Online,   HostShutdown,     Offline,  StackDown,    msmf::none>,
      msmf::Row<Starting, HostShutdown,     Offline,  StackDown,    msmf::none>,
      msmf::Row<Active,   HostShutdown,     Offline,  StackDown,    msmf::none>,
      msmf::Row<Stopping, HostShutdown,     Offline,  StackDown,    msmf::none>,
      msmf::Row<Offline,  HostLost,         Offline,  StackDown,    msmf::none>,
      msmf::Row<Online,   HostLost,         Offline,  StackDown,    msmf::none>,
      msmf::Row<Starting, HostLost,         Offline,  StackDown,    msmf::none>,
      msmf::Row<Active,   HostLost,         Offline,  StackDown,    msmf::none>,
      msmf::Row<Stopping, HostLost,         Offline,  StackDown,    msmf::none>
  > {};
  // clang-format on
};
using Backend = boost::msm::back::state_machine<Front>;

// Node state in the order of the names below (independent of MSM's ids).
enum class Node : std::uint8_t { Offline, Online, Starting, Active, Stopping };

struct Traits {
  using Event = pacemaker::Event;
  static constexpr std::size_t kEventCount = static_cast<std::size_t>(Event::Count);

  static Node node_of(const Backend& m) {
    if (msm_support::in_state<Online>(m)) return Node::Online;
    if (msm_support::in_state<Starting>(m)) return Node::Starting;
    if (msm_support::in_state<Active>(m)) return Node::Active;
    if (msm_support::in_state<Stopping>(m)) return Node::Stopping;
    return Node::Offline;
  }
  static std::uint64_t key(const Backend& m) {
    return static_cast<std::uint64_t>(node_of(m)) | (std::uint64_t{m.quorate} << 3) |
           (std::uint64_t{m.banned} << 4) | (std::uint64_t{m.standby} << 5);
  }
  static std::string name(const Backend& m) {
    static constexpr std::array<const char*, 5> nodes = {"Offline", "Online", "Starting", "Active", "Stopping"};
    std::string s = nodes[static_cast<std::size_t>(node_of(m))];
    if (m.quorate) s += " quorate";
    if (m.banned) s += " banned";
    if (m.standby) s += " standby";
    return s;
  }
  static bool holds(const Backend& m, PredicateId p) {
    const Node n = node_of(m);
    switch (static_cast<Pred>(p)) {
      case Pred::Offline: return n == Node::Offline;
      case Pred::Online: return n != Node::Offline;
      case Pred::Quorate: return m.quorate;
      case Pred::Starting: return n == Node::Starting;
      case Pred::Active: return n == Node::Active;
      case Pred::Stopping: return n == Node::Stopping;
      case Pred::Banned: return m.banned;
      case Pred::Standby: return m.standby;
      case Pred::HasResources: return n == Node::Starting || n == Node::Active || n == Node::Stopping;
      case Pred::Count: break;
    }
    return false;
  }
};

constexpr std::array<std::string_view, 13> kEvents = {
    "cluster_start", "cluster_stop",  "see_peer",  "start_resources", "resources_started",
    "resources_failed", "start_failed", "standby", "stop_complete",   "unstandby",
    "cleanup",       "host_shutdown", "host_lost"};
constexpr std::array<std::string_view, 3> kFacts = {"peer_online", "peer_has_resources", "drbd_ready"};
constexpr std::array<std::string_view, 9> kPredicates = {"offline", "online",  "quorate", "starting",     "active",
                                                         "stopping", "banned", "standby", "has_resources"};
static_assert(kEvents.size() == Traits::kEventCount);
static_assert(kPredicates.size() == static_cast<std::size_t>(Pred::Count));

std::unique_ptr<Machine> make() { return std::make_unique<msm_support::MsmMachine<Backend, Traits>>(); }

}  // namespace

const KindSpec& kind() {
  static const KindSpec spec{"pacemaker", kEvents, kFacts, kPredicates, &make,
                             msm_support::state_count<Backend>(), msm_support::row_count<Backend>()};
  return spec;
}

}  // namespace acdsim::model::pacemaker
