// Hazelcast member machine (see hazelcast.hpp for the transition list).
#include "acdsim/model/hazelcast.hpp"

#include <array>

#include "msm_common.hpp"

namespace acdsim::model::hazelcast {
namespace {

namespace msmf = boost::msm::front;
using msm_support::Ev;
using msm_support::IfFacts;
using msm_support::IfNoFacts;

using AppStarted = Ev<Event::AppStarted>;
using Join = Ev<Event::Join>;
using Merge = Ev<Event::Merge>;
using Leave = Ev<Event::Leave>;

// The four MSM states, numbered for key() and name() (independent of MSM's ids).
enum class Where : std::uint8_t { Down, Joining, Member, Founder };

struct Front : msm_support::FrontBase<Front> {
  struct Down : msmf::state<> {};
  struct Joining : msmf::state<> {};
  struct Member : msmf::state<> {};
  struct Founder : msmf::state<> {};
  using initial_state = Down;

  using PeerInCluster = IfFacts<fact::kPeerInCluster>;
  // No master answers: this member's claim wins, it founds a cluster.
  using NoCluster = IfNoFacts<fact::kPeerInCluster>;
  using OtherFounder = IfFacts<fact::kOtherFounder>;

  // clang-format off
  struct transition_table : boost::mpl::vector<
      //        Source   Event       Target   Action      Guard
      msmf::Row<Down,    AppStarted, Joining, msmf::none, msmf::none>,
      msmf::Row<Joining, Join,       Member,  msmf::none, PeerInCluster>,
      msmf::Row<Joining, Join,       Founder, msmf::none, NoCluster>,
      msmf::Row<Founder, Merge,      Member,  msmf::none, OtherFounder>,
      msmf::Row<Down,    Leave,      Down,    msmf::none, msmf::none>,
      msmf::Row<Joining, Leave,      Down,    msmf::none, msmf::none>,
      msmf::Row<Member,  Leave,      Down,    msmf::none, msmf::none>,
      msmf::Row<Founder, Leave,      Down,    msmf::none, msmf::none>
  > {};
  // clang-format on
};
using Backend = boost::msm::back::state_machine<Front>;

struct Traits {
  using Event = hazelcast::Event;
  static constexpr std::size_t kEventCount = static_cast<std::size_t>(Event::Count);

  static Where where(const Backend& m) {
    if (msm_support::in_state<Front::Joining>(m)) return Where::Joining;
    if (msm_support::in_state<Front::Member>(m)) return Where::Member;
    if (msm_support::in_state<Front::Founder>(m)) return Where::Founder;
    return Where::Down;
  }
  static std::uint64_t key(const Backend& m) {
    return static_cast<std::uint64_t>(where(m));
  }
  static std::string name(const Backend& m) {
    switch (where(m)) {
      case Where::Down: return "Down";
      case Where::Joining: return "Joining";
      case Where::Member: return "Member";
      case Where::Founder: return "Founder";
    }
    return "?";
  }
  static bool holds(const Backend& m, PredicateId p) {
    const Where w = where(m);
    switch (static_cast<Pred>(p)) {
      case Pred::Down: return w == Where::Down;
      case Pred::Joining: return w == Where::Joining;
      case Pred::InCluster: return w == Where::Member || w == Where::Founder;
      case Pred::Founder: return w == Where::Founder;
      case Pred::Count: break;
    }
    return false;
  }
};

constexpr std::array<std::string_view, 4> kEvents = {"app_started", "join", "merge", "leave"};
constexpr std::array<std::string_view, 2> kFacts = {"peer_in_cluster", "other_founder"};
constexpr std::array<std::string_view, 4> kPredicates = {"down", "joining", "in_cluster", "founder"};
static_assert(kEvents.size() == Traits::kEventCount);
static_assert(kPredicates.size() == static_cast<std::size_t>(Pred::Count));

std::unique_ptr<Machine> make() { return std::make_unique<msm_support::MsmMachine<Backend, Traits>>(); }

}  // namespace

const KindSpec& kind() {
  static const KindSpec spec{"hazelcast", kEvents, kFacts, kPredicates, &make,
                             msm_support::state_count<Backend>(), msm_support::row_count<Backend>()};
  return spec;
}

}  // namespace acdsim::model::hazelcast
