// The uniform face of every component state machine.
//
// Each component kind (VM, DRBD node, MySQL server, ...) is a Boost.MSM machine
// living in its own translation unit under model/src/. Drivers (checker,
// simulator, live executor) never see MSM types: they hold a Machine and talk
// in event ids and fact bits. Machines are pure: an event carries every fact
// its guards need (FactBits), and a machine never reads another machine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace acdsim::model {

using EventId = std::uint8_t;
using FactBits = std::uint32_t;
using PredicateId = std::uint8_t;

// What process() did with an event.
enum class Outcome : std::uint8_t {
  Taken,          // a transition fired (possibly a self-transition)
  NotEnabled,     // no row for this event in the current state
  GuardRejected,  // rows exist, every guard said no
};

std::string_view to_string(Outcome outcome);

class Machine {
 public:
  virtual ~Machine() = default;

  // A copy that keeps the current state (made from a const&, see STYLE.md).
  virtual std::unique_ptr<Machine> clone() const = 0;

  virtual Outcome process(EventId event, FactBits facts) = 0;

  // Identifies the whole local state: active MSM state plus attributes.
  // Equal keys <=> equal states. Only meaningful within one build: never persist.
  virtual std::uint64_t key() const = 0;

  // Human-readable, unique per state, stable across builds: this is what
  // snapshots persist. Words separated by single spaces, e.g.
  // "WFConnection Primary UpToDate mounted".
  virtual std::string state_name() const = 0;

  // Whether a named predicate of this kind holds in the current state.
  virtual bool holds(PredicateId predicate) const = 0;
};

// Static description of one component kind.
struct KindSpec {
  std::string_view name;                       // "drbd"
  std::span<const std::string_view> events;    // index = EventId
  std::span<const std::string_view> facts;     // index = bit number in FactBits
  std::span<const std::string_view> predicates;  // index = PredicateId
  std::unique_ptr<Machine> (*make_initial)();  // a machine in its initial state
  std::size_t msm_states;                      // states in the MSM table
  std::size_t msm_rows;                        // rows of the MSM transition table
};

}  // namespace acdsim::model
