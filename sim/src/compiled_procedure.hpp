// The compiled form of a procedure over a topology, shared read-only by every
// run of a Simulator: the checker's compiled moves (plus hard power-offs),
// the steps as the simulator runs them, durations, the goal, the workload's
// servers and how hosts are named on the timeline.
#pragma once
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "acdsim/checker/compiled.hpp"
#include "acdsim/checker/invariants.hpp"
#include "acdsim/sim/simulator.hpp"

namespace acdsim::sim {
namespace detail {

using checker::CompiledTerm;
using checker::Word;

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// The checker's goal for a procedure kind (a rollout ends with every server back too).
checker::Goal goal_of(const std::string& kind);

struct SimStep {
  std::string label;
  std::uint32_t move = kNone;  // compiled command; kNone for a check
  std::vector<std::uint32_t> deps;
  model::Condition::Mode mode = model::Condition::Mode::All;
  std::vector<CompiledTerm> wait;
  SimTime hold = 0, timeout = 0;
  const model::StepGuard* guard = nullptr;
};

struct ServerRef {  // one server of a workload class
  CompiledTerm in_service, up, new_edition;
  std::optional<CompiledTerm> router_down, router_new;
  std::string alias;
};

// What the load-aware guard weighs before a group leaves service.
struct GuardLoad {
  double offered = 0;       // Erlangs of the class the leaving servers serve
  double stays = 0;         // capacity of its servers that stay in service
  bool whole_pool = false;  // every server of that class leaves
};

struct HostView {  // how a host's track is named
  CompiledTerm vm_off, vm_booting, vm_up;
  std::optional<model::ComponentIndex> app;
};

}  // namespace detail

struct Simulator::Impl {
  using SimStep = detail::SimStep;
  using ServerRef = detail::ServerRef;
  using HostView = detail::HostView;
  using CompiledTerm = checker::CompiledTerm;
  using Word = checker::Word;

  model::Procedure procedure;
  model::System system;
  checker::Layout layout;
  checker::CompiledModel model;
  std::size_t words;
  std::deque<model::Move> commands;
  std::vector<SimStep> steps;
  std::vector<model::Duration> env_duration;  // per environment move
  std::vector<bool> env_is_boot;
  std::vector<std::uint32_t> env_host;  // per environment move: the host of its first participant
  std::map<std::string, std::uint32_t> host_index;
  std::map<std::string, std::uint32_t> step_by_label, env_by_label, fault_by_label;  // for replays
  // Rollout pools too large for the checker's subset clauses: counted here.
  std::vector<CompiledTerm> pool_in_service;
  unsigned pool_max_out = 0, pool_floor = 0;
  bool count_pool = false;
  checker::Properties properties;
  std::vector<checker::Clause> goal;  // reached when none is violated; empty: no goal
  std::string goal_name;
  std::vector<bool> accepted;  // by severity
  std::vector<Word> initial;
  std::vector<std::vector<ServerRef>> class_servers;  // per workload class
  std::vector<std::vector<std::uint32_t>> class_capacity;
  std::vector<HostView> hosts;
  std::map<std::string, std::uint32_t> power_off;  // host -> compiled fault move
  bool pinned = false;  // atomic rollout: only the routed edition takes work

  Impl(const model::Procedure& p, const model::Topology& t);
  CompiledTerm pred(model::ComponentIndex c, model::PredicateId p) const { return model.term(model::Term{c, p, false}); }
  void build_steps();
  void build_workload();
  // The guard's numbers in state st (model_views.cpp): the first class that does not fit, else the last
  // affected one; offered(c): class c's offered load now.
  detail::GuardLoad guard_load(const model::StepGuard& g, double threshold, const Word* st,
                               const std::function<double(std::uint32_t)>& offered) const;
  // The fault move a scheduled fault names: "power_off HOST" or a part of its label.
  std::optional<std::uint32_t> fault_move(const std::string& what) const;
  // A host's timeline slice name in state st: "serving (new)", "draining", "offline", ...
  std::string host_status(std::size_t h, const Word* st) const;
};

}  // namespace acdsim::sim
