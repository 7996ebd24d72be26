#include "durations.hpp"

#include <map>

namespace acdsim::sim {
namespace {
using Shape = model::Duration::Shape;
model::Duration fixed(double s) { return {Shape::Fixed, s, 0, {}}; }
model::Duration uniform(double a, double b) { return {Shape::Uniform, a, b, {}}; }
model::Duration lognormal(double median, double sigma) { return {Shape::Lognormal, median, sigma, {}}; }
}  // namespace

model::Duration default_duration(const std::string& key) {
  // DOMAIN.md 9 where it gives a figure; otherwise our reading (docs/simulator.md).
  static const std::map<std::string, model::Duration> kDefaults = {
      {"vm.boot_complete", lognormal(70, 0.2)},       {"vm.shutdown_complete", uniform(10, 40)},
      {"service.start_complete", uniform(5, 60)},     {"service.stop_complete", uniform(2, 20)},
      {"replication.connected", lognormal(1, 0.5)},   {"replication.master_lost", fixed(0.01)},
      {"jboss.start_complete", uniform(5, 20)},       {"jboss.deploy_complete", lognormal(120, 0.3)},
      {"jboss.stop_complete", uniform(5, 30)},        {"jboss.deps_back", fixed(10)},
      {"telephony.start_complete", uniform(5, 20)},   {"telephony.deploy_complete", lognormal(90, 0.3)},
      {"telephony.stop_complete", uniform(5, 30)},    {"telephony.deps_back", fixed(10)},
      {"hazelcast.join", uniform(2, 10)},             {"hazelcast.merge", fixed(300)},
      {"router.backends_up", fixed(10)},              {"drbd.handshake", fixed(10)},
      {"drbd.sync_done", uniform(10, 120)},           {"pacemaker.see_peer", fixed(20)},
      {"pacemaker.start_resources", fixed(5)},        {"pacemaker.resources_started", uniform(5, 15)},
      {"pacemaker.stop_complete", uniform(5, 15)},    {"share_mount.storage_back", fixed(10)},
  };
  auto it = kDefaults.find(key);
  return it != kDefaults.end() ? it->second : fixed(1);  // reactions (a loss noticed, ...): one second
}

model::Duration duration_of(const model::System& system, model::ComponentIndex component, model::EventId event) {
  const auto& ref = system.component(component);
  const std::string ev(system.table(component).spec().events[event]);
  const auto& durations = system.topology().params.durations;
  if (auto it = durations.find(ref.path() + "." + ev); it != durations.end()) return it->second;
  const std::string key = std::string(system.table(component).spec().name) + "." + ev;
  if (auto it = durations.find(key); it != durations.end()) return it->second;
  return default_duration(key);
}

}  // namespace acdsim::sim
