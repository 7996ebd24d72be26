// Private plumbing shared by the component machines (never include from a
// public header: every machine stays in its own translation unit).
#pragma once

// Larger transition tables need bigger MPL containers; defined in one place,
// before any Boost include (STYLE.md).
#ifndef BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS
#define BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS
#endif
#ifndef BOOST_MPL_LIMIT_VECTOR_SIZE
#define BOOST_MPL_LIMIT_VECTOR_SIZE 50
#endif
#ifndef BOOST_MPL_LIMIT_MAP_SIZE
#define BOOST_MPL_LIMIT_MAP_SIZE 50
#endif

#include <array>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "acdsim/model/machine.hpp"

namespace acdsim::model::msm_support {

namespace msmf = boost::msm::front;

// Every event of every kind is an Ev<enumerator>: distinct per kind because
// each kind has its own Event enum type. It carries the facts guards read.
template <auto E>
struct Ev {
  FactBits facts = 0;
};

// Guard: fact bit(s) all set / all clear in the event.
template <FactBits Bits>
struct IfFacts {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& e, Fsm&, Source&, Target&) const {
    return (e.facts & Bits) == Bits;
  }
};
template <FactBits Bits>
struct IfNoFacts {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& e, Fsm&, Source&, Target&) const {
    return (e.facts & Bits) == 0;
  }
};
// Guard combinators for functor rows.
template <class... Guards>
struct All {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& e, Fsm& f, Source& s, Target& t) const {
    return (Guards()(e, f, s, t) && ...);
  }
};
template <class Guard>
struct Not {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& e, Fsm& f, Source& s, Target& t) const {
    return !Guard()(e, f, s, t);
  }
};
// Action sequence for functor rows.
template <class... Actions>
struct Seq {
  template <class Event, class Fsm, class Source, class Target>
  void operator()(const Event& e, Fsm& f, Source& s, Target& t) const {
    (Actions()(e, f, s, t), ...);
  }
};

// Front-end base: a rejected event is a normal answer for a driver that probes
// what is enabled, so no_transition must not assert; exceptions propagate.
template <class Derived>
struct FrontBase : msmf::state_machine_def<Derived> {
  template <class Event, class Fsm>
  void no_transition(const Event&, Fsm&, int) {}
  template <class Event, class Fsm>
  void exception_caught(const Event&, Fsm&, std::exception& e) {
    throw std::runtime_error(std::string("component machine threw: ") + e.what());
  }
};

inline Outcome to_outcome(boost::msm::back::HandledEnum handled) {
  if (handled & boost::msm::back::HANDLED_TRUE) return Outcome::Taken;
  if (handled & boost::msm::back::HANDLED_GUARD_REJECT) return Outcome::GuardRejected;
  return Outcome::NotEnabled;
}

// Index of the active state of region 0, as MSM numbers it (table order: use
// only inside one build, e.g. in key()).
template <class Backend>
int active_state(const Backend& fsm) {
  return fsm.current_state()[0];
}

// Whether State is the active state of region 0.
template <class State, class Backend>
bool in_state(const Backend& fsm) {
  using Table = typename Backend::stt;
  return fsm.current_state()[0] == boost::msm::back::get_state_id<Table, State>::value;
}

// Sizes of a compiled MSM machine, for KindSpec.
template <class Backend>
constexpr std::size_t state_count() {
  return boost::mpl::size<typename boost::msm::back::generate_state_set<typename Backend::stt>::type>::value;
}
template <class Backend>
constexpr std::size_t row_count() {
  return boost::mpl::size<typename Backend::stt>::value;
}

// The Machine facade over one MSM back-end. Traits supplies:
//   using Event = <the kind's Event enum>;  static constexpr std::size_t kEventCount;
//   static std::uint64_t key(const Backend&);
//   static std::string name(const Backend&);
//   static bool holds(const Backend&, PredicateId);
template <class Backend, class Traits>
class MsmMachine final : public Machine {
 public:
  MsmMachine() { fsm_.start(); }
  // Copy from a const& so MSM's forwarding constructor is not picked
  // (it would reset the active state to the initial one).
  MsmMachine(const MsmMachine& other) : Machine(), fsm_(static_cast<const Backend&>(other.fsm_)) {}
  MsmMachine& operator=(const MsmMachine&) = delete;

  std::unique_ptr<Machine> clone() const override { return std::make_unique<MsmMachine>(*this); }

  Outcome process(EventId event, FactBits facts) override {
    return dispatch(event, facts, std::make_index_sequence<Traits::kEventCount>{});
  }
  std::uint64_t key() const override { return Traits::key(fsm_); }
  std::string state_name() const override { return Traits::name(fsm_); }
  bool holds(PredicateId predicate) const override { return Traits::holds(fsm_, predicate); }

  const Backend& backend() const { return fsm_; }

 private:
  template <std::size_t... Ids>
  Outcome dispatch(EventId event, FactBits facts, std::index_sequence<Ids...>) {
    using Handler = boost::msm::back::HandledEnum (*)(Backend&, FactBits);
    static constexpr std::array<Handler, sizeof...(Ids)> handlers = {
        [](Backend& m, FactBits f) {
          return m.process_event(Ev<static_cast<typename Traits::Event>(Ids)>{f});
        }...};
    if (event >= handlers.size()) return Outcome::NotEnabled;
    return to_outcome(handlers[event](fsm_, facts));
  }

  Backend fsm_;
};

}  // namespace acdsim::model::msm_support
