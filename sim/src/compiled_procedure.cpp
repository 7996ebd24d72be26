#include "compiled_procedure.hpp"

#include <algorithm>
#include <filesystem>

#include "acdsim/model/app_server.hpp"
#include "acdsim/model/router.hpp"
#include "acdsim/model/step_targets.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/vm.hpp"
#include "durations.hpp"

namespace acdsim::sim {
namespace detail {
// The checker's goal for a procedure kind (a rollout ends with every server back too).
checker::Goal goal_of(const std::string& kind) {
  if (kind == "startup" || kind == "failover" || kind == "failback" || kind == "rollout") return checker::Goal::Healthy;
  if (kind == "shutdown") return checker::Goal::AllOff;
  return checker::Goal::None;
}
}  // namespace detail

using namespace detail;

Simulator::Impl::Impl(const model::Procedure& p, const model::Topology& t) : procedure(p), system(t), model(system, layout) {
  build_steps();
  for (const model::Host& h : t.hosts) {
    model::Move m = system.command("power_off", h.alias);
    m.move_class = model::MoveClass::Fault;
    m.label = h.alias + ": hard power-off";
    power_off[h.alias] = model.add_move(commands.emplace_back(std::move(m)));
  }
  words = layout.words();
  for (std::uint32_t m = 0; m < model.environment_end(); ++m) {
    const model::Move& mv = *model.moves()[m].move;
    const model::Participant& first = mv.participants.front();
    env_duration.push_back(duration_of(system, first.component, first.event));
    env_is_boot.push_back(system.kind(first.component) == model::KindId::Vm &&
                          system.table(first.component).spec().events[first.event] == "boot_complete");
    env_by_label.emplace(mv.label, m);
  }
  for (std::uint32_t i = 0; i < t.hosts.size(); ++i) host_index[t.hosts[i].alias] = i;
  for (std::uint32_t m = 0; m < model.environment_end(); ++m)
    env_host.push_back(host_index.at(system.component(model.moves()[m].move->participants.front().component).host));
  for (std::uint32_t m = model.environment_end(); m < model.faults_end(); ++m) fault_by_label.emplace(model.moves()[m].move->label, m);
  for (const auto& [alias, m] : power_off) fault_by_label.emplace(model.moves()[m].move->label, m);
  for (std::uint32_t i = 0; i < steps.size(); ++i) step_by_label.emplace(steps[i].label, i);
  properties = checker::compile_properties(model, checker::Goal::None);
  const checker::Goal g = goal_of(p.kind);
  goal = checker::compile_properties(model, g).goal;
  if (p.rollout) {
    // a rollout's service is its pool: back when every rolled server is in service
    // again (the other routers' and hosts' health is not the rollout's business)
    goal.clear();
    for (const std::string& sv : p.rollout->servers) {
      const auto c = *system.find(sv + "/jboss");
      const auto in = static_cast<model::PredicateId>(model::app_server::Pred::InService);
      goal.push_back(checker::Clause{&checker::invariant("goal.healthy"), sv + "/jboss", {model.term(model::Term{c, in, true})}});
    }
  }
  goal_name = g == checker::Goal::Healthy ? "service back" : g == checker::Goal::AllOff ? "all off" : "";
  if (p.rollout) {
    const std::size_t before = properties.always.size();
    checker::add_rollout_properties(properties, model, *p.rollout);
    pinned = p.rollout->strategy == model::Rollout::Strategy::Atomic;
    bool counted = false;
    for (std::size_t i = before; i < properties.always.size(); ++i)
      counted |= properties.always[i].spec->id == "rollout.too-many-out";
    if (!counted && p.rollout->max_out() < p.rollout->servers.size()) {  // the checker left the pool out
      count_pool = true;
      pool_max_out = p.rollout->max_out();
      pool_floor = p.rollout->floor;
      for (const std::string& sv : p.rollout->servers)
        pool_in_service.push_back(pred(*system.find(sv + "/jboss"), static_cast<model::PredicateId>(model::app_server::Pred::InService)));
    }
  }
  accepted.assign(4, false);
  for (const std::string& s : p.accepts)
    if (auto sev = checker::severity_by_name(s)) accepted[static_cast<int>(*sev)] = true;
  model::Snapshot snap;
  if (p.initial == "all_off" || (p.initial.empty() && p.kind == "startup")) snap = system.all_off();
  else if (p.initial == "all_up" || p.initial.empty()) snap = system.all_up();
  else
    snap = model::load_snapshot(system,
                                (std::filesystem::path(p.source_file).parent_path() / p.initial).string());
  initial.assign(words, 0);
  model.pack(snap, initial.data());
  build_workload();
}


void Simulator::Impl::build_steps() {
  std::map<std::string, std::vector<std::uint32_t>> completes;
  auto compile_wait = [&](SimStep& s, const model::Step& step) {
    if (!step.wait) return;
    s.mode = step.wait->mode;
    for (const model::ConditionAtom& a : step.wait->atoms) {
      const auto comp = *system.find(a.component);
      const auto& preds = system.table(comp).spec().predicates;
      const auto pi = static_cast<model::PredicateId>(std::find(preds.begin(), preds.end(), a.predicate) - preds.begin());
      s.wait.push_back(model.term(model::Term{comp, pi, a.negated}));
    }
    s.timeout = from_seconds(step.timeout_s);
  };
  for (const model::Step& step : procedure.steps) {
    std::vector<std::uint32_t> deps;
    for (const std::string& a : step.after) deps.insert(deps.end(), completes[a].begin(), completes[a].end());
    const std::vector<std::string> targets = model::expand_target(system.topology(), step);
    std::vector<std::uint32_t> subs;
    if (step.action == "check" || targets.size() <= 1) {
      SimStep s;
      s.deps = deps;
      s.label = step.id + ": " + (step.action == "check" ? std::string("check") : step.action + " " + targets.at(0));
      if (step.action != "check") s.move = model.add_move(commands.emplace_back(system.command(step.action, targets[0])));
      compile_wait(s, step);
      s.hold = from_seconds(step.hold_s);
      s.guard = step.guard ? &*step.guard : nullptr;
      steps.push_back(std::move(s));
      completes[step.id] = {static_cast<std::uint32_t>(steps.size() - 1)};
      continue;
    }
    for (const std::string& target : targets) {
      SimStep s;
      s.deps = deps;
      s.label = step.id + ": " + step.action + " " + target;
      s.move = model.add_move(commands.emplace_back(system.command(step.action, target)));
      s.hold = from_seconds(step.hold_s);
      steps.push_back(std::move(s));
      subs.push_back(static_cast<std::uint32_t>(steps.size() - 1));
    }
    if (step.wait) {
      SimStep join;
      join.deps = subs;
      join.label = step.id + ": check";
      compile_wait(join, step);
      steps.push_back(std::move(join));
      completes[step.id] = {static_cast<std::uint32_t>(steps.size() - 1)};
    } else {
      completes[step.id] = subs;
    }
  }
}

void Simulator::Impl::build_workload() {
  const model::Topology& t = system.topology();
  for (const model::WorkloadClass& wc : t.params.workload) {
    std::vector<ServerRef> servers;
    std::vector<std::uint32_t> caps;
    for (const model::Host& h : t.hosts) {
      if (!t.has_role(h.alias, wc.role)) continue;
      const auto app = system.find(h.alias + (wc.role == model::Role::Jb ? "/jboss" : "/telephony"));
      if (!app) continue;
      using model::app_server::Pred;
      ServerRef s{pred(*app, static_cast<model::PredicateId>(Pred::InService)),
                  pred(*app, static_cast<model::PredicateId>(Pred::Up)),
                  pred(*app, static_cast<model::PredicateId>(Pred::NewEdition)), std::nullopt, std::nullopt, h.alias};
      for (const model::RouterPool& pool : t.pools)
        if (std::find(pool.backends.begin(), pool.backends.end(), h.alias) != pool.backends.end())
          if (auto r = system.find(pool.router + "/router"); r && !s.router_down) {  // its first pool routes it
            s.router_down = pred(*r, static_cast<model::PredicateId>(model::router::Pred::Down));
            s.router_new = pred(*r, static_cast<model::PredicateId>(model::router::Pred::NewEditionRouted));
          }
      servers.push_back(std::move(s));
      caps.push_back(static_cast<std::uint32_t>(std::max(1.0, t.params.capacity_of(h))));
    }
    class_servers.push_back(std::move(servers));
    class_capacity.push_back(std::move(caps));
  }
  for (const model::Host& h : t.hosts) {
    const auto vm = *system.vm_of(h.alias);
    HostView v{pred(vm, static_cast<model::PredicateId>(model::vm::Pred::Off)),
               pred(vm, static_cast<model::PredicateId>(model::vm::Pred::Booting)),
               pred(vm, static_cast<model::PredicateId>(model::vm::Pred::Up)), std::nullopt};
    for (auto c : system.on_host(h.alias))
      if (system.kind(c) == model::KindId::Jboss || system.kind(c) == model::KindId::Telephony) v.app = c;
    hosts.push_back(v);
  }
}

Simulator::Simulator(const model::Procedure& procedure, const model::Topology& topology)
    : impl_(std::make_unique<Impl>(procedure, topology)) {}
Simulator::~Simulator() = default;

const model::Procedure& Simulator::procedure() const { return impl_->procedure; }
const model::System& Simulator::system() const { return impl_->system; }
std::vector<std::string> Simulator::environment_labels() const {
  std::vector<std::string> out;
  for (const auto& [label, m] : impl_->env_by_label) out.push_back(label);
  return out;
}

std::vector<std::string> Simulator::fault_labels() const {
  std::vector<std::string> out;
  for (const auto& [label, m] : impl_->fault_by_label) out.push_back(label);
  return out;
}

namespace {
std::string listed(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += "\n  " + i;
  return out;
}
}  // namespace

std::string Simulator::invalid_options(const Options& o) const {
  for (const std::string& label : o.typical)
    if (!impl_->env_by_label.count(label))
      return "--median-duration \"" + label + "\" names no environment move; the environment moves are:" +
             listed(environment_labels());
  std::vector<std::string> hosts;
  for (const model::Host& h : impl_->system.topology().hosts) hosts.push_back(h.alias);
  for (const ScheduledFault& f : o.faults) {
    std::string host;
    for (const char* prefix : {"power_off ", "slow_boot "})
      if (f.what.rfind(prefix, 0) == 0) host = f.what.substr(std::string(prefix).size());
    if (!host.empty()) {
      if (impl_->host_index.count(host)) continue;
      return "--fault \"" + f.what + "\" names no host of topology " + impl_->system.topology().name + "; its hosts are:" +
             listed(hosts);
    }
    const auto& faults = impl_->fault_by_label;
    if (std::any_of(faults.begin(), faults.end(), [&](const auto& kv) { return kv.first.find(f.what) != std::string::npos; }))
      continue;
    return "--fault \"" + f.what + "\" matches no fault move (give a part of its label, power_off HOST or slow_boot HOST); "
           "the fault moves are:" + listed(fault_labels());
  }
  return "";
}


}  // namespace acdsim::sim
