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
using Partition = Ev<Event::Partition>;
using Heal = Ev<Event::Heal>;

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
struct IsPartitioned {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E&, Fsm& f, S&, T&) const {
    return f.partitioned;
  }
};
// With no-quorum-policy=ignore a node without quorum runs resources all the same.
struct QuorumOk {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E& e, Fsm& f, S&, T&) const {
    return f.quorate || (e.facts & fact::kIgnoreQuorum) != 0;
  }
};
// The peer does not hold the resources, as far as this node can tell. Behind a partition the
// peer is unclean: without STONITH it counts as gone; with STONITH it must be fenced (down)
// first, whatever it seemed to run when the link broke.
struct PeerClear {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E& e, Fsm& f, S&, T&) const {
    if (!f.partitioned) return (e.facts & fact::kPeerHasResources) == 0;
    if ((e.facts & fact::kStonith) == 0) return true;
    return (e.facts & fact::kPeerOnline) == 0;
  }
};
// The local DRBD instance can be promoted: it has a master score and the peer is not Primary
// (as far as this node can see it).
struct DrbdReady {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E& e, Fsm& f, S&, T&) const {
    if ((e.facts & fact::kDrbdReady) == 0) return false;
    return (e.facts & fact::kPeerDrbdPrimary) == 0 || f.partitioned;
  }
};
using PeerSeenFirstTime = All<IfFacts<fact::kPeerOnline>, Not<IsQuorate>, Not<IsPartitioned>>;
using MayStart = All<QuorumOk, Not<IsBanned>, Not<InStandby>, PeerClear>;
using DrbdNotReady = Not<DrbdReady>;

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
struct SetPartitioned {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.partitioned = true;
  }
};
struct ClearPartitioned {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.partitioned = false;
  }
};
// The stack stops: quorum and the transient failcount ban are forgotten; standby is in the CIB.
using StackDown = Seq<ClearQuorate, ClearBan>;

struct Front : msm_support::FrontBase<Front> {
  using initial_state = Offline;

  bool quorate = false;
  bool banned = false;
  bool standby = false;
  bool partitioned = false;

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
      msmf::Row<Stopping, HostLost,         Offline,  StackDown,    msmf::none>,
      msmf::Row<Offline,  Partition,        Offline,  SetPartitioned,   Not<IsPartitioned>>,
      msmf::Row<Online,   Partition,        Online,   SetPartitioned,   Not<IsPartitioned>>,
      msmf::Row<Starting, Partition,        Starting, SetPartitioned,   Not<IsPartitioned>>,
      msmf::Row<Active,   Partition,        Active,   SetPartitioned,   Not<IsPartitioned>>,
      msmf::Row<Stopping, Partition,        Stopping, SetPartitioned,   Not<IsPartitioned>>,
      msmf::Row<Offline,  Heal,             Offline,  ClearPartitioned, IsPartitioned>,
      msmf::Row<Online,   Heal,             Online,   ClearPartitioned, IsPartitioned>,
      msmf::Row<Starting, Heal,             Starting, ClearPartitioned, IsPartitioned>,
      msmf::Row<Active,   Heal,             Active,   ClearPartitioned, IsPartitioned>,
      msmf::Row<Stopping, Heal,             Stopping, ClearPartitioned, IsPartitioned>
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
           (std::uint64_t{m.banned} << 4) | (std::uint64_t{m.standby} << 5) | (std::uint64_t{m.partitioned} << 6);
  }
  static std::string name(const Backend& m) {
    static constexpr std::array<const char*, 5> nodes = {"Offline", "Online", "Starting", "Active", "Stopping"};
    std::string s = nodes[static_cast<std::size_t>(node_of(m))];
    if (m.quorate) s += " quorate";
    if (m.banned) s += " banned";
    if (m.standby) s += " standby";
    if (m.partitioned) s += " partitioned";
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
      case Pred::Partitioned: return m.partitioned;
      case Pred::Count: break;
    }
    return false;
  }
};

constexpr std::array<std::string_view, 15> kEvents = {
    "cluster_start", "cluster_stop",  "see_peer",  "start_resources", "resources_started",
    "resources_failed", "start_failed", "standby", "stop_complete",   "unstandby",
    "cleanup",       "host_shutdown", "host_lost", "partition",       "heal"};
constexpr std::array<std::string_view, 6> kFacts = {"peer_online",        "peer_has_resources", "drbd_ready",
                                                    "peer_drbd_primary",  "stonith",            "ignore_quorum"};
constexpr std::array<std::string_view, 10> kPredicates = {"offline", "online",  "quorate", "starting",      "active",
                                                          "stopping", "banned", "standby", "has_resources", "partitioned"};
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
