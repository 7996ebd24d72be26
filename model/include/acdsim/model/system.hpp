// A topology instantiated: component instances, the facts each one sees
// (wired from other components' states), and the moves that change them.
//
// Every driver works through this one object. A state of the whole system is
// a Snapshot (one LocalCode per component). A Move fires events on one or
// more components atomically (e.g. a VM finishing its boot also mounts the
// share and starts the services on that host); every participant's facts are
// computed from the state before the move.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "acdsim/model/components.hpp"
#include "acdsim/model/kind_table.hpp"
#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/topology.hpp"

namespace acdsim::model {

using ComponentIndex = std::uint16_t;

// "component is (not) in a state where predicate holds"
struct Term {
  ComponentIndex component;
  PredicateId predicate;
  bool negated = false;
};

// How one fact bit of a component is computed from the system state.
struct FactRule {
  enum class Mode : std::uint8_t { False, True, Any, All, None } mode = Mode::False;
  std::vector<Term> terms;  // Any: some term holds; All: every term holds; None: no term holds
};

enum class MoveClass : std::uint8_t { Command, Environment, Fault };
std::string_view to_string(MoveClass move_class);

struct Participant {
  ComponentIndex component;
  EventId event;
  bool required = true;  // a required participant must be enabled, an optional one fires if it can
  bool needs_host_up = false;  // operator commands reach only hosts whose VM is up
};

struct Move {
  MoveClass move_class = MoveClass::Environment;
  std::string label;                      // "acd-dbm: boot complete"
  std::vector<Term> requires_;            // extra preconditions on the state before the move
  std::vector<Participant> participants;  // processed in order
};

// One component's change in a move.
struct Change {
  ComponentIndex component;
  LocalCode from, to;
};

class System {
 public:
  explicit System(Topology topology);

  const Topology& topology() const { return topology_; }
  std::size_t size() const { return components_.size(); }
  const ComponentRef& component(ComponentIndex i) const { return components_[i].ref; }
  KindId kind(ComponentIndex i) const { return components_[i].ref.kind; }
  const KindTable& table(ComponentIndex i) const { return *components_[i].table; }
  std::optional<ComponentIndex> find(std::string_view path) const;
  // Components on a host, vm first.
  std::vector<ComponentIndex> on_host(std::string_view alias) const;
  std::optional<ComponentIndex> vm_of(std::string_view alias) const;

  const SnapshotLayout& layout() const { return layout_; }
  Snapshot all_off() const;
  // Every VM up, every service running, replication streaming, shares mounted,
  // Hazelcast one cluster, storage serving from the first cluster node.
  Snapshot all_up() const;

  FactBits facts(const Snapshot& state, ComponentIndex component) const;
  // How each fact bit of a component is computed (index = bit).
  const std::vector<FactRule>& fact_rules(ComponentIndex component) const { return components_[component].facts; }
  bool holds(const Snapshot& state, const Term& term) const;

  // Environment moves and faults of this topology (fixed list, index is stable
  // for one System).
  const std::vector<Move>& environment_moves() const { return environment_; }
  const std::vector<Move>& fault_moves() const { return faults_; }
  // The moves an operator action causes on a target (one per host for role
  // and cluster targets is NOT done here: target is one host or one component).
  // Throws std::invalid_argument for an action/target mismatch (the procedure
  // parser has already rejected those for user input).
  Move command(std::string_view action, std::string_view target) const;

  // Applies a move; nullopt if it is not enabled in state. Changes (if given)
  // receives what changed, in participant order.
  std::optional<Snapshot> apply(const Snapshot& state, const Move& move, std::vector<Change>* changes = nullptr) const;
  bool enabled(const Snapshot& state, const Move& move) const { return apply(state, move).has_value(); }

  std::string describe(const Snapshot& state, ComponentIndex component) const;

 private:
  struct Instance {
    ComponentRef ref;
    const KindTable* table;
    std::vector<FactRule> facts;  // one per fact bit of the kind
    ComponentIndex vm;            // the vm of its host
  };
  void wire_facts();
  void build_moves();
  Move host_cascade(MoveClass cls, std::string label, std::string_view alias, bool clean) const;

  // Looking a component up by path or host must not scan every component: the
  // fact wiring does it per component and peer, which made 1,000 hosts take a minute.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <class V>
  using NameMap = std::unordered_map<std::string, V, NameHash, std::equal_to<>>;

  Topology topology_;
  std::vector<Instance> components_;
  NameMap<ComponentIndex> by_path_;
  NameMap<std::vector<ComponentIndex>> by_host_;
  SnapshotLayout layout_;
  std::vector<Move> environment_, faults_;
};

}  // namespace acdsim::model
