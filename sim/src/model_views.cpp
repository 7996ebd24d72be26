// What a run reads from the model besides its moves: the load-aware guard's
// numbers before a rollout group leaves service (docs/simulator.md "Rollouts"),
// the fault move a scheduled fault names, and the hosts' timeline slice names.
#include <algorithm>

#include "compiled_procedure.hpp"

namespace acdsim::sim {

detail::GuardLoad Simulator::Impl::guard_load(const model::StepGuard& g, double threshold, const Word* st,
                                              const std::function<double(std::uint32_t)>& offered) const {
  // each class served by a leaving server must fit into what stays; the first that does not decides
  detail::GuardLoad out;
  for (std::uint32_t c = 0; c < class_servers.size(); ++c) {
    const auto& servers = class_servers[c];
    bool affected = false, all_leave = true;
    double stays = 0;
    for (std::uint32_t k = 0; k < servers.size(); ++k) {
      const bool leaving = std::find(g.leaving.begin(), g.leaving.end(), servers[k].alias) != g.leaving.end();
      affected |= leaving;
      all_leave &= leaving;
      if (!leaving && servers[k].in_service.holds(st)) stays += class_capacity[c][k];
    }
    if (!affected) continue;
    out = detail::GuardLoad{offered(c), stays, all_leave};
    if (out.offered > threshold * stays) break;
  }
  return out;
}

std::optional<std::uint32_t> Simulator::Impl::fault_move(const std::string& what) const {
  if (what.rfind("power_off ", 0) == 0) {
    auto it = power_off.find(what.substr(10));
    if (it != power_off.end()) return it->second;
    return std::nullopt;
  }
  for (std::uint32_t m = model.environment_end(); m < model.faults_end(); ++m)
    if (model.moves()[m].move->label.find(what) != std::string::npos) return m;
  return std::nullopt;
}

std::string Simulator::Impl::host_status(std::size_t h, const Word* st) const {
  const HostView& v = hosts[h];
  if (v.vm_off.holds(st)) return "offline";
  if (v.vm_booting.holds(st)) return "booting";
  if (!v.vm_up.holds(st)) return "shutting down";
  if (!v.app) return "up";
  const model::Snapshot snap = model.unpack(st);
  std::string name = system.table(*v.app).name(snap[*v.app]);
  const std::string state = name.substr(0, name.find(' '));
  const std::string edition = name.find("edition=new") != std::string::npos ? " (new)" : "";
  if (state == "Running") return "serving" + edition;
  if (state == "Starting" || state == "Deploying") return "booting" + edition;
  if (state == "Draining") return "draining" + edition;
  if (state == "Degraded") return "degraded" + edition;
  if (state == "Failed") return "crashed";
  return "offline" + edition;
}

}  // namespace acdsim::sim
