// One node's view of a DRBD resource (see drbd.hpp for the transition list).
#include "acdsim/model/drbd.hpp"

#include <array>
#include <type_traits>

#include "msm_common.hpp"

namespace acdsim::model::drbd {
namespace {

namespace msmf = boost::msm::front;
using msm_support::Ev;
using msm_support::IfNoFacts;
using msm_support::Seq;

using Up = Ev<Event::Up>;
using Down = Ev<Event::Down>;
using Promote = Ev<Event::Primary>;
using Demote = Ev<Event::Secondary>;
using Connect = Ev<Event::Connect>;
using ConnectDiscard = Ev<Event::ConnectDiscard>;
using Disconnect = Ev<Event::Disconnect>;
using Handshake = Ev<Event::Handshake>;
using SyncDone = Ev<Event::SyncDone>;
using PeerGone = Ev<Event::PeerGone>;
using LinkLoss = Ev<Event::LinkLoss>;
using Mount = Ev<Event::Mount>;
using Unmount = Ev<Event::Unmount>;
using HostShutdown = Ev<Event::HostShutdown>;
using HostLost = Ev<Event::HostLost>;

// Connection states (the MSM states).
struct Unconfigured : msmf::state<> {};
struct StandAlone : msmf::state<> {};
struct WFConnection : msmf::state<> {};
struct Connected : msmf::state<> {};
struct SyncSource : msmf::state<> {};
struct SyncTarget : msmf::state<> {};

template <class S>
constexpr bool kLinked =
    std::is_same_v<S, Connected> || std::is_same_v<S, SyncSource> || std::is_same_v<S, SyncTarget>;

enum class Role : std::uint8_t { Secondary, Primary };
enum class Disk : std::uint8_t { UpToDate, Outdated, Inconsistent, Consistent };

// The outcome of a handshake (see the header's list).
enum class Shake : std::uint8_t {
  Discard,         // -> SyncTarget, my writes are thrown away
  PeerDiscard,     // -> SyncSource
  SplitBrain,      // -> StandAlone
  Diverged,        // -> SyncSource
  PeerDiverged,    // -> SyncTarget
  BothCurrent,     // -> Connected
  PushToPeer,      // -> SyncSource
  PullFromPeer,    // -> SyncTarget
  NeitherCurrent,  // -> Connected
};

template <class Fsm>
Shake handshake_outcome(const Fsm& f, FactBits facts) {
  const bool peer_discard = (facts & fact::kPeerDiscard) != 0;
  const bool peer_diverged = (facts & fact::kPeerDiverged) != 0;
  const bool peer_uptodate = (facts & fact::kPeerUpToDate) != 0;
  const bool uptodate = f.disk == Disk::UpToDate;
  // --discard-my-data only settles a detected split brain (both diverged);
  // if both sides ask to discard, or neither, they stay split.
  if (f.diverged && peer_diverged) {
    if (f.discard && !peer_discard) return Shake::Discard;
    if (peer_discard && !f.discard) return Shake::PeerDiscard;
    return Shake::SplitBrain;
  }
  if (f.diverged) return Shake::Diverged;
  if (peer_diverged) return Shake::PeerDiverged;
  if (uptodate && peer_uptodate) return Shake::BothCurrent;
  if (uptodate) return Shake::PushToPeer;
  if (peer_uptodate) return Shake::PullFromPeer;
  return Shake::NeitherCurrent;
}

// ---- guards -------------------------------------------------------------
struct NotMounted {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E&, Fsm& f, S&, T&) const {
    return !f.mounted;
  }
};
struct IsMounted {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E&, Fsm& f, S&, T&) const {
    return f.mounted;
  }
};
struct IsPrimary {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E&, Fsm& f, S&, T&) const {
    return f.role == Role::Primary;
  }
};
struct IsSecondary {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E&, Fsm& f, S&, T&) const {
    return f.role == Role::Secondary;
  }
};
// primary: [disk UpToDate && state != SyncTarget && (!(peer_primary && Linked) || allow_two_primaries)]
struct CanPromote {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E& e, Fsm& f, S&, T&) const {
    if (f.disk != Disk::UpToDate) return false;
    if (std::is_same_v<S, SyncTarget>) return false;
    const bool peer_primary = (e.facts & fact::kPeerPrimary) != 0;
    const bool allow_two = (e.facts & fact::kAllowTwoPrimaries) != 0;
    return !(peer_primary && kLinked<S>) || allow_two;
  }
};
// handshake: [peer_waiting && the first matching case is Outcome]
template <Shake Outcome>
struct IfHandshake {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E& e, Fsm& f, S&, T&) const {
    return (e.facts & fact::kPeerWaiting) != 0 && handshake_outcome(f, e.facts) == Outcome;
  }
};

// ---- actions ------------------------------------------------------------
struct BecomeSecondary {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.role = Role::Secondary;
  }
};
struct BecomePrimary {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.role = Role::Primary;
    if (!kLinked<S>) f.diverged = true;
    f.discard = false;  // DRBD 8.4 drbd_set_role: promoting drops a pending --discard-my-data
  }
};
struct ClearSplitBrain {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.split_brain = false;
  }
};
struct SetDiscard {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.discard = true;
  }
};
struct ClearDiscard {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.discard = false;
  }
};
struct Unmounted {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.mounted = false;
  }
};
struct Mounted {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.mounted = true;
  }
};
// Losing or dropping the connection while Primary: writes from now on are not replicated.
struct DivergeIfPrimary {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    if (f.role == Role::Primary) f.diverged = true;
  }
};
struct ClearDiverged {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.diverged = false;
  }
};
struct BecomeInconsistent {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.disk = Disk::Inconsistent;
  }
};
struct BecomeUpToDate {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.disk = Disk::UpToDate;
  }
};
struct LoseOwnWrites {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.lost_writes = f.lost_writes || f.diverged;
  }
};
struct MarkSplitBrain {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.split_brain = true;
  }
};

using DownAction = Seq<BecomeSecondary, ClearSplitBrain, ClearDiscard>;
using HostDownAction = Seq<BecomeSecondary, Unmounted, ClearSplitBrain, ClearDiscard>;
using ConnectDiscardAction = Seq<ClearSplitBrain, SetDiscard>;
// disconnect also drops a pending --discard-my-data (it belongs to the connection's net options).
using DisconnectAction = Seq<DivergeIfPrimary, ClearDiscard>;
using DiscardAction = Seq<BecomeInconsistent, LoseOwnWrites, ClearDiverged, ClearDiscard>;

using PeerNotLinked = IfNoFacts<fact::kPeerLinked>;

struct Front : msm_support::FrontBase<Front> {
  using initial_state = Unconfigured;

  Role role = Role::Secondary;
  Disk disk = Disk::UpToDate;
  bool mounted = false;
  bool diverged = false;
  bool split_brain = false;
  bool discard = false;
  bool lost_writes = false;

  // msm_common caps an mpl::vector at 50 entries, so the table is two vectors
  // joined (typeof-based MPL sequences grow past that limit).
  // clang-format off
  using TableA = boost::mpl::vector<
      //        Source        Event           Target        Action                Guard
      msmf::Row<Unconfigured, Up,             WFConnection, BecomeSecondary,      msmf::none>,
      msmf::Row<StandAlone,   Down,           Unconfigured, DownAction,           NotMounted>,
      msmf::Row<WFConnection, Down,           Unconfigured, DownAction,           NotMounted>,
      msmf::Row<Connected,    Down,           Unconfigured, DownAction,           NotMounted>,
      msmf::Row<SyncSource,   Down,           Unconfigured, DownAction,           NotMounted>,
      msmf::Row<SyncTarget,   Down,           Unconfigured, DownAction,           NotMounted>,
      msmf::Row<StandAlone,   Promote,        StandAlone,   BecomePrimary,        CanPromote>,
      msmf::Row<WFConnection, Promote,        WFConnection, BecomePrimary,        CanPromote>,
      msmf::Row<Connected,    Promote,        Connected,    BecomePrimary,        CanPromote>,
      msmf::Row<SyncSource,   Promote,        SyncSource,   BecomePrimary,        CanPromote>,
      msmf::Row<SyncTarget,   Promote,        SyncTarget,   BecomePrimary,        CanPromote>,
      msmf::Row<StandAlone,   Demote,         StandAlone,   BecomeSecondary,      NotMounted>,
      msmf::Row<WFConnection, Demote,         WFConnection, BecomeSecondary,      NotMounted>,
      msmf::Row<Connected,    Demote,         Connected,    BecomeSecondary,      NotMounted>,
      msmf::Row<SyncSource,   Demote,         SyncSource,   BecomeSecondary,      NotMounted>,
      msmf::Row<SyncTarget,   Demote,         SyncTarget,   BecomeSecondary,      NotMounted>,
      msmf::Row<StandAlone,   Connect,        WFConnection, ClearSplitBrain,      msmf::none>,
      msmf::Row<StandAlone,   ConnectDiscard, WFConnection, ConnectDiscardAction, IsSecondary>,
      msmf::Row<WFConnection, Disconnect,     StandAlone,   DisconnectAction,     msmf::none>,
      msmf::Row<Connected,    Disconnect,     StandAlone,   DisconnectAction,     msmf::none>,
      msmf::Row<SyncSource,   Disconnect,     StandAlone,   DisconnectAction,     msmf::none>,
      msmf::Row<SyncTarget,   Disconnect,     StandAlone,   DisconnectAction,     msmf::none>,
      msmf::Row<WFConnection, Handshake,      SyncTarget,   DiscardAction,        IfHandshake<Shake::Discard>>,
      msmf::Row<WFConnection, Handshake,      SyncSource,   Seq<ClearDiscard, ClearDiverged>,        IfHandshake<Shake::PeerDiscard>>,
      msmf::Row<WFConnection, Handshake,      StandAlone,   Seq<ClearDiscard, MarkSplitBrain>,       IfHandshake<Shake::SplitBrain>>,
      msmf::Row<WFConnection, Handshake,      SyncSource,   Seq<ClearDiscard, ClearDiverged>,        IfHandshake<Shake::Diverged>>,
      msmf::Row<WFConnection, Handshake,      SyncTarget,   Seq<ClearDiscard, BecomeInconsistent>,   IfHandshake<Shake::PeerDiverged>>,
      msmf::Row<WFConnection, Handshake,      Connected,    ClearDiscard,           IfHandshake<Shake::BothCurrent>>,
      msmf::Row<WFConnection, Handshake,      SyncSource,   ClearDiscard,           IfHandshake<Shake::PushToPeer>>,
      msmf::Row<WFConnection, Handshake,      SyncTarget,   Seq<ClearDiscard, BecomeInconsistent>,   IfHandshake<Shake::PullFromPeer>>,
      msmf::Row<WFConnection, Handshake,      Connected,    ClearDiscard,           IfHandshake<Shake::NeitherCurrent>>,
      msmf::Row<SyncSource,   SyncDone,       Connected,    msmf::none,           msmf::none>,
      msmf::Row<SyncTarget,   SyncDone,       Connected,    BecomeUpToDate,       msmf::none>,
      msmf::Row<Connected,    PeerGone,       WFConnection, DivergeIfPrimary,     PeerNotLinked>,
      msmf::Row<SyncSource,   PeerGone,       WFConnection, DivergeIfPrimary,     PeerNotLinked>,
      msmf::Row<SyncTarget,   PeerGone,       WFConnection, DivergeIfPrimary,     PeerNotLinked>,
      msmf::Row<Connected,    LinkLoss,       WFConnection, DivergeIfPrimary,     msmf::none>,
      msmf::Row<SyncSource,   LinkLoss,       WFConnection, DivergeIfPrimary,     msmf::none>,
      msmf::Row<SyncTarget,   LinkLoss,       WFConnection, DivergeIfPrimary,     msmf::none>
  >;
  using TableB = boost::mpl::vector<
      msmf::Row<StandAlone,   Mount,          StandAlone,   Mounted,              IsPrimary>,
      msmf::Row<WFConnection, Mount,          WFConnection, Mounted,              IsPrimary>,
      msmf::Row<Connected,    Mount,          Connected,    Mounted,              IsPrimary>,
      msmf::Row<SyncSource,   Mount,          SyncSource,   Mounted,              IsPrimary>,
      msmf::Row<SyncTarget,   Mount,          SyncTarget,   Mounted,              IsPrimary>,
      msmf::Row<StandAlone,   Unmount,        StandAlone,   Unmounted,            IsMounted>,
      msmf::Row<WFConnection, Unmount,        WFConnection, Unmounted,            IsMounted>,
      msmf::Row<Connected,    Unmount,        Connected,    Unmounted,            IsMounted>,
      msmf::Row<SyncSource,   Unmount,        SyncSource,   Unmounted,            IsMounted>,
      msmf::Row<SyncTarget,   Unmount,        SyncTarget,   Unmounted,            IsMounted>,
      msmf::Row<Unconfigured, HostShutdown,   Unconfigured, HostDownAction,       msmf::none>,
      msmf::Row<StandAlone,   HostShutdown,   Unconfigured, HostDownAction,       msmf::none>,
      msmf::Row<WFConnection, HostShutdown,   Unconfigured, HostDownAction,       msmf::none>,
      msmf::Row<Connected,    HostShutdown,   Unconfigured, HostDownAction,       msmf::none>,
      msmf::Row<SyncSource,   HostShutdown,   Unconfigured, HostDownAction,       msmf::none>,
      msmf::Row<SyncTarget,   HostShutdown,   Unconfigured, HostDownAction,       msmf::none>,
      msmf::Row<Unconfigured, HostLost,       Unconfigured, HostDownAction,       msmf::none>,
      msmf::Row<StandAlone,   HostLost,       Unconfigured, HostDownAction,       msmf::none>,
      msmf::Row<WFConnection, HostLost,       Unconfigured, HostDownAction,       msmf::none>,
      msmf::Row<Connected,    HostLost,       Unconfigured, HostDownAction,       msmf::none>,
      msmf::Row<SyncSource,   HostLost,       Unconfigured, HostDownAction,       msmf::none>,
      msmf::Row<SyncTarget,   HostLost,       Unconfigured, HostDownAction,       msmf::none>
  >;
  // clang-format on
  using transition_table = boost::mpl::copy<TableB, boost::mpl::back_inserter<TableA>>::type;
};
using Backend = boost::msm::back::state_machine<Front>;

// Connection state in the order of the names below (independent of MSM's ids).
enum class Conn : std::uint8_t { Unconfigured, StandAlone, WFConnection, Connected, SyncSource, SyncTarget };

struct Traits {
  using Event = drbd::Event;
  static constexpr std::size_t kEventCount = static_cast<std::size_t>(Event::Count);

  static Conn conn_of(const Backend& m) {
    if (msm_support::in_state<StandAlone>(m)) return Conn::StandAlone;
    if (msm_support::in_state<WFConnection>(m)) return Conn::WFConnection;
    if (msm_support::in_state<Connected>(m)) return Conn::Connected;
    if (msm_support::in_state<SyncSource>(m)) return Conn::SyncSource;
    if (msm_support::in_state<SyncTarget>(m)) return Conn::SyncTarget;
    return Conn::Unconfigured;
  }
  static bool linked(Conn c) { return c == Conn::Connected || c == Conn::SyncSource || c == Conn::SyncTarget; }

  static std::uint64_t key(const Backend& m) {
    return static_cast<std::uint64_t>(conn_of(m)) | (static_cast<std::uint64_t>(m.role) << 3) |
           (static_cast<std::uint64_t>(m.disk) << 4) | (std::uint64_t{m.mounted} << 6) |
           (std::uint64_t{m.diverged} << 7) | (std::uint64_t{m.split_brain} << 8) |
           (std::uint64_t{m.discard} << 9) | (std::uint64_t{m.lost_writes} << 10);
  }
  static std::string name(const Backend& m) {
    static constexpr std::array<const char*, 6> conns = {"Unconfigured", "StandAlone", "WFConnection",
                                                         "Connected",    "SyncSource", "SyncTarget"};
    static constexpr std::array<const char*, 2> roles = {"Secondary", "Primary"};
    static constexpr std::array<const char*, 4> disks = {"UpToDate", "Outdated", "Inconsistent", "Consistent"};
    std::string s = conns[static_cast<std::size_t>(conn_of(m))];
    s += ' ';
    s += roles[static_cast<std::size_t>(m.role)];
    s += ' ';
    s += disks[static_cast<std::size_t>(m.disk)];
    if (m.mounted) s += " mounted";
    if (m.diverged) s += " diverged";
    if (m.split_brain) s += " split-brain";
    if (m.discard) s += " discard";
    if (m.lost_writes) s += " lost-writes";
    return s;
  }
  static bool holds(const Backend& m, PredicateId p) {
    const Conn c = conn_of(m);
    switch (static_cast<Pred>(p)) {
      case Pred::Unconfigured: return c == Conn::Unconfigured;
      case Pred::StandAlone: return c == Conn::StandAlone;
      case Pred::WFConnection: return c == Conn::WFConnection;
      case Pred::Connected: return c == Conn::Connected;
      case Pred::SyncSource: return c == Conn::SyncSource;
      case Pred::SyncTarget: return c == Conn::SyncTarget;
      case Pred::Linked: return linked(c);
      case Pred::Primary: return m.role == Role::Primary;
      case Pred::Secondary: return m.role == Role::Secondary;
      case Pred::UpToDate: return m.disk == Disk::UpToDate;
      case Pred::Inconsistent: return m.disk == Disk::Inconsistent;
      case Pred::Mounted: return m.mounted;
      case Pred::Diverged: return m.diverged;
      case Pred::SplitBrain: return m.split_brain;
      case Pred::LostWrites: return m.lost_writes;
      case Pred::Promotable:
        return c != Conn::Unconfigured && c != Conn::SyncTarget && m.disk == Disk::UpToDate;
      case Pred::Discard: return m.discard;
      case Pred::Count: break;
    }
    return false;
  }
};

constexpr std::array<std::string_view, 15> kEvents = {
    "up",        "down",      "primary",   "secondary", "connect", "connect_discard", "disconnect", "handshake",
    "sync_done", "peer_gone", "link_loss", "mount",     "unmount", "host_shutdown",   "host_lost"};
constexpr std::array<std::string_view, 7> kFacts = {"peer_primary",  "peer_linked",  "peer_waiting",
                                                    "peer_diverged", "peer_uptodate", "peer_discard",
                                                    "allow_two_primaries"};
constexpr std::array<std::string_view, 17> kPredicates = {
    "unconfigured", "standalone", "wfconnection", "connected", "sync_source", "sync_target",
    "linked",       "primary",    "secondary",    "uptodate",  "inconsistent", "mounted",
    "diverged",     "split_brain", "lost_writes", "promotable", "discard"};
static_assert(kEvents.size() == Traits::kEventCount);
static_assert(kFacts.size() == 7);
static_assert(kPredicates.size() == static_cast<std::size_t>(Pred::Count));

std::unique_ptr<Machine> make() { return std::make_unique<msm_support::MsmMachine<Backend, Traits>>(); }

}  // namespace

const KindSpec& kind() {
  static const KindSpec spec{"drbd", kEvents, kFacts, kPredicates, &make,
                             msm_support::state_count<Backend>(), msm_support::row_count<Backend>()};
  return spec;
}

}  // namespace acdsim::model::drbd
