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
using Resume = Ev<Event::Resume>;
using Outdate = Ev<Event::Outdate>;

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
  // A frozen Primary counts as diverged: its writes wait to be replicated (and with fencing a
  // diverged peer cannot exist unless this node was fenced first, which unfreezes it).
  const bool diverged = f.diverged || f.frozen;
  if (diverged && peer_diverged) {
    if (f.discard && !peer_discard) return Shake::Discard;
    if (peer_discard && !f.discard) return Shake::PeerDiscard;
    return Shake::SplitBrain;
  }
  if (diverged) return Shake::Diverged;
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
struct IsFrozen {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E&, Fsm& f, S&, T&) const {
    return f.frozen;
  }
};
// outdate: only a good disk of a Secondary that holds no writes of its own can be marked Outdated.
struct CanOutdate {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E&, Fsm& f, S&, T&) const {
    return f.role == Role::Secondary && (f.disk == Disk::UpToDate || f.disk == Disk::Consistent) && !f.diverged &&
           !f.discard;
  }
};
// secondary: refused while mounted, and while I/O is suspended (it would hang).
struct CanDemote {
  template <class E, class Fsm, class S, class T>
  bool operator()(const E&, Fsm& f, S&, T&) const {
    return !f.mounted && !f.frozen;
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
// The replication link breaks while Primary. With `fencing resource-and-stonith` DRBD suspends
// I/O and calls the fence-peer handler: nothing is written (nothing diverges) until it returns.
struct LoseLink {
  template <class E, class Fsm, class S, class T>
  void operator()(const E& e, Fsm& f, S&, T&) const {
    if (f.role != Role::Primary) return;
    if ((e.facts & fact::kFencing) != 0) f.frozen = true;
    else f.diverged = true;
  }
};
// The fence-peer handler returned: I/O resumes, writes are no longer replicated.
struct ResumeIo {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.frozen = false;
    if (f.role == Role::Primary) f.diverged = true;
  }
};
// A frozen node counts as diverged at the handshake; when that is a split brain it stays so.
struct FrozenToDiverged {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    if (f.frozen) f.diverged = true;
    f.frozen = false;
  }
};
struct ClearFrozen {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.frozen = false;
  }
};
struct BecomeOutdated {
  template <class E, class Fsm, class S, class T>
  void operator()(const E&, Fsm& f, S&, T&) const {
    f.disk = Disk::Outdated;
  }
};
// A Secondary that leaves a connected Primary gracefully (down, disconnect, clean host
// shutdown) knows it misses the writes to come: it marks its own disk Outdated (DOMAIN.md 3a).
struct OutdateIfLeavingPrimary {
  template <class E, class Fsm, class S, class T>
  void operator()(const E& e, Fsm& f, S&, T&) const {
    if (kLinked<S> && f.role == Role::Secondary && (e.facts & fact::kPeerPrimary) != 0 &&
        (f.disk == Disk::UpToDate || f.disk == Disk::Consistent))
      f.disk = Disk::Outdated;
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

// drbdadm down (also at a clean OS shutdown) = secondary, disconnect, detach: the demotion comes
// first, so a Primary leaving a dual-primary peer outdates itself as well.
using DownAction = Seq<BecomeSecondary, OutdateIfLeavingPrimary, ClearSplitBrain, ClearDiscard, ClearFrozen>;
using HostShutdownAction = Seq<Unmounted, BecomeSecondary, OutdateIfLeavingPrimary, ClearSplitBrain, ClearDiscard, ClearFrozen>;
using HostLostAction = Seq<BecomeSecondary, Unmounted, ClearSplitBrain, ClearDiscard, ClearFrozen>;
using ConnectDiscardAction = Seq<ClearSplitBrain, SetDiscard>;
// disconnect also drops a pending --discard-my-data (it belongs to the connection's net options);
// an explicit disconnect resumes suspended I/O.
using DisconnectAction = Seq<OutdateIfLeavingPrimary, DivergeIfPrimary, ClearDiscard, ClearFrozen>;
using DiscardAction = Seq<BecomeInconsistent, LoseOwnWrites, ClearDiverged, ClearDiscard, ClearFrozen>;

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
  bool frozen = false;

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
      msmf::Row<StandAlone,   Demote,         StandAlone,   BecomeSecondary,      CanDemote>,
      msmf::Row<WFConnection, Demote,         WFConnection, BecomeSecondary,      CanDemote>,
      msmf::Row<Connected,    Demote,         Connected,    BecomeSecondary,      CanDemote>,
      msmf::Row<SyncSource,   Demote,         SyncSource,   BecomeSecondary,      CanDemote>,
      msmf::Row<SyncTarget,   Demote,         SyncTarget,   BecomeSecondary,      CanDemote>,
      msmf::Row<StandAlone,   Connect,        WFConnection, ClearSplitBrain,      msmf::none>,
      msmf::Row<StandAlone,   ConnectDiscard, WFConnection, ConnectDiscardAction, IsSecondary>,
      msmf::Row<WFConnection, Disconnect,     StandAlone,   DisconnectAction,     msmf::none>,
      msmf::Row<Connected,    Disconnect,     StandAlone,   DisconnectAction,     msmf::none>,
      msmf::Row<SyncSource,   Disconnect,     StandAlone,   DisconnectAction,     msmf::none>,
      msmf::Row<SyncTarget,   Disconnect,     StandAlone,   DisconnectAction,     msmf::none>,
      msmf::Row<WFConnection, Handshake,      SyncTarget,   DiscardAction,        IfHandshake<Shake::Discard>>,
      msmf::Row<WFConnection, Handshake,      SyncSource,   Seq<ClearDiscard, ClearDiverged, ClearFrozen>, IfHandshake<Shake::PeerDiscard>>,
      msmf::Row<WFConnection, Handshake,      StandAlone,   Seq<ClearDiscard, MarkSplitBrain, FrozenToDiverged>, IfHandshake<Shake::SplitBrain>>,
      msmf::Row<WFConnection, Handshake,      SyncSource,   Seq<ClearDiscard, ClearDiverged, ClearFrozen>, IfHandshake<Shake::Diverged>>,
      msmf::Row<WFConnection, Handshake,      SyncTarget,   Seq<ClearDiscard, BecomeInconsistent, ClearFrozen>, IfHandshake<Shake::PeerDiverged>>,
      msmf::Row<WFConnection, Handshake,      Connected,    Seq<ClearDiscard, ClearFrozen>, IfHandshake<Shake::BothCurrent>>,
      msmf::Row<WFConnection, Handshake,      SyncSource,   Seq<ClearDiscard, ClearFrozen>, IfHandshake<Shake::PushToPeer>>,
      msmf::Row<WFConnection, Handshake,      SyncTarget,   Seq<ClearDiscard, BecomeInconsistent, ClearFrozen>, IfHandshake<Shake::PullFromPeer>>,
      msmf::Row<WFConnection, Handshake,      Connected,    Seq<ClearDiscard, ClearFrozen>, IfHandshake<Shake::NeitherCurrent>>,
      msmf::Row<SyncSource,   SyncDone,       Connected,    msmf::none,           msmf::none>,
      msmf::Row<SyncTarget,   SyncDone,       Connected,    BecomeUpToDate,       msmf::none>,
      msmf::Row<Connected,    PeerGone,       WFConnection, DivergeIfPrimary,     PeerNotLinked>,
      msmf::Row<SyncSource,   PeerGone,       WFConnection, DivergeIfPrimary,     PeerNotLinked>,
      msmf::Row<SyncTarget,   PeerGone,       WFConnection, DivergeIfPrimary,     PeerNotLinked>,
      msmf::Row<Connected,    LinkLoss,       WFConnection, LoseLink        ,     msmf::none>,
      msmf::Row<SyncSource,   LinkLoss,       WFConnection, LoseLink        ,     msmf::none>,
      msmf::Row<SyncTarget,   LinkLoss,       WFConnection, LoseLink        ,     msmf::none>
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
      msmf::Row<Unconfigured, HostShutdown,   Unconfigured, HostShutdownAction,       msmf::none>,
      msmf::Row<StandAlone,   HostShutdown,   Unconfigured, HostShutdownAction,       msmf::none>,
      msmf::Row<WFConnection, HostShutdown,   Unconfigured, HostShutdownAction,       msmf::none>,
      msmf::Row<Connected,    HostShutdown,   Unconfigured, HostShutdownAction,       msmf::none>,
      msmf::Row<SyncSource,   HostShutdown,   Unconfigured, HostShutdownAction,       msmf::none>,
      msmf::Row<SyncTarget,   HostShutdown,   Unconfigured, HostShutdownAction,       msmf::none>,
      msmf::Row<Unconfigured, HostLost,       Unconfigured, HostLostAction,       msmf::none>,
      msmf::Row<StandAlone,   HostLost,       Unconfigured, HostLostAction,       msmf::none>,
      msmf::Row<WFConnection, HostLost,       Unconfigured, HostLostAction,       msmf::none>,
      msmf::Row<Connected,    HostLost,       Unconfigured, HostLostAction,       msmf::none>,
      msmf::Row<SyncSource,   HostLost,       Unconfigured, HostLostAction,       msmf::none>,
      msmf::Row<SyncTarget,   HostLost,       Unconfigured, HostLostAction,       msmf::none>,
      msmf::Row<StandAlone,   Resume,         StandAlone,   ResumeIo,             IsFrozen>,
      msmf::Row<WFConnection, Resume,         WFConnection, ResumeIo,             IsFrozen>,
      msmf::Row<Unconfigured, Outdate,        Unconfigured, BecomeOutdated,       CanOutdate>,
      msmf::Row<WFConnection, Outdate,        WFConnection, BecomeOutdated,       CanOutdate>
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
           (std::uint64_t{m.discard} << 9) | (std::uint64_t{m.lost_writes} << 10) |
           (std::uint64_t{m.frozen} << 11);
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
    if (m.frozen) s += " frozen";
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
      case Pred::Outdated: return m.disk == Disk::Outdated;
      case Pred::Frozen: return m.frozen;
      case Pred::Count: break;
    }
    return false;
  }
};

constexpr std::array<std::string_view, 17> kEvents = {
    "up",        "down",      "primary",   "secondary", "connect", "connect_discard", "disconnect", "handshake",
    "sync_done", "peer_gone", "link_loss", "mount",     "unmount", "host_shutdown",   "host_lost",  "resume",
    "outdate"};
constexpr std::array<std::string_view, 8> kFacts = {"peer_primary",  "peer_linked",  "peer_waiting",
                                                    "peer_diverged", "peer_uptodate", "peer_discard",
                                                    "allow_two_primaries", "fencing"};
constexpr std::array<std::string_view, 19> kPredicates = {
    "unconfigured", "standalone", "wfconnection", "connected", "sync_source", "sync_target",
    "linked",       "primary",    "secondary",    "uptodate",  "inconsistent", "mounted",
    "diverged",     "split_brain", "lost_writes", "promotable", "discard", "outdated", "frozen"};
static_assert(kEvents.size() == Traits::kEventCount);
static_assert(kFacts.size() == 8);
static_assert(kPredicates.size() == static_cast<std::size_t>(Pred::Count));

std::unique_ptr<Machine> make() { return std::make_unique<msm_support::MsmMachine<Backend, Traits>>(); }

}  // namespace

const KindSpec& kind() {
  static const KindSpec spec{"drbd", kEvents, kFacts, kPredicates, &make,
                             msm_support::state_count<Backend>(), msm_support::row_count<Backend>()};
  return spec;
}

}  // namespace acdsim::model::drbd
