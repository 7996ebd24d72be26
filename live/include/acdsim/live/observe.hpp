// From probe output to model states. Each probed component gets an
// Observation: which predicates of its kind must hold. The states of its
// KindTable that satisfy them are the candidates; the model's prediction is
// kept when it is a candidate (probes rarely tell every attribute), otherwise
// the first candidate is taken and the component reported as deviating.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "acdsim/live/inventory.hpp"
#include "acdsim/live/transport.hpp"
#include "acdsim/model/system.hpp"

namespace acdsim::live {

struct Observation {
  std::string component;  // "acd-dbs/replication:acd-dbm"
  std::string probe;      // "replication_status"
  bool known = false;     // false: output not understood (seen says why)
  std::string seen;       // what the output said, in words ("IO Connecting, SQL Yes")
  std::vector<std::string> all;  // predicates that hold ("not up" for a negation)
  std::vector<std::string> any;  // at least one of these holds (empty: no constraint)
};

// Kind-level mapping of parsed output (exposed for tests on recorded outputs).
Observation observe_output(model::KindId kind, std::string_view probe, std::string_view output, int exit_status,
                           std::string_view resource = "jtelshared", int drbd_minor = 0, std::string_view node = "");

// Codes of table whose predicates satisfy the observation (in code order).
std::vector<model::LocalCode> candidates(const model::KindTable& table, const Observation& observation);

// A belief updated with observations.
struct Observed {
  model::Snapshot state;
  std::vector<std::string> unknown;    // "acd-dbm/mysql: unexpected output ..."
  std::vector<std::string> deviating;  // "acd-dbm/mysql: predicted Stopped, observed Running"
  std::vector<std::string> lines;      // "acd-dbm/mysql: Running (active)" for reports
  // Per probed component, every state its probe allows: a probe that cannot
  // tell Booting from Up leaves both, and only the whole picture decides.
  std::vector<std::pair<model::ComponentIndex, std::vector<model::LocalCode>>> allowed;
};

class Observer {
 public:
  Observer(const model::System& system, const Inventory& inventory, Runner runner);

  // Runs the probes of every component on these hosts (vm first; a host that
  // cannot be reached gets only its vm observed).
  std::vector<Observation> probe_hosts(const std::vector<std::string>& hosts) const;
  Observed apply(const model::Snapshot& belief, const std::vector<Observation>& observations) const;
  Observed observe(const model::Snapshot& belief, const std::vector<std::string>& hosts) const {
    return apply(belief, probe_hosts(hosts));
  }

  // The probes (name, endpoint, argv) a host's components would get: for dry runs.
  std::vector<std::string> describe_probes(const std::string& host) const;

  // What the configured probes of a host can ever say, per probed component:
  // representative outputs of each probe's command (told by its words:
  // `systemctl is-active`, `curl`, `mysqladmin ping`, `true`, ...; a command
  // not recognised may answer like any of them) read by the same parsers and
  // mappings as real output. Components without a probe (hazelcast) are absent.
  struct Possible {
    model::ComponentIndex component;
    std::string probe;   // "app_state"
    std::string shown;   // its command for people ("systemctl is-active jboss")
    std::vector<Observation> observations;
  };
  std::vector<Possible> possible_observations(const std::string& host) const;

 private:
  struct Planned {
    model::ComponentIndex component;
    std::string probe;
    const Endpoint* endpoint;
    Argv argv;
    std::string shown;  // argv for people: secrets masked
    std::string error;  // template could not be rendered
  };
  std::vector<Planned> plan(const std::string& host) const;
  Observation run(const Planned& p) const;

  const model::System& system_;
  const Inventory& inventory_;
  Runner runner_;
  Endpoint controller_{"controller", "", Transport::Local, "", 0};
};

// The whole cluster probed once (acdsim observe): every host's components as
// the model sees them, starting from all up (a VM seen off takes its host's
// components down through the model's crash cascade).
struct ClusterView {
  Observed observed;                      // state, unknown, lines per probed component
  std::vector<Observation> observations;  // what each probe said
  // Components no probe saw: "acd-jb1/hazelcast: Member (not probed: no Hazelcast probe; taken as ...)".
  std::vector<std::string> assumed;
  std::vector<std::string> unknown;       // observed.unknown plus components of hosts that did not answer
};
ClusterView observe_cluster(const model::System& system, const Inventory& inventory, const Runner& runner);

// A VM that does not answer ssh, as the hypervisor sees it: "running" then
// means booting or shutting down, never up.
Observation unreachable_vm(Observation hypervisor_view);

// Values substituted into a host's templates for a component (alias, address,
// vm, unit, resource, master as they apply).
std::map<std::string, std::string> template_values(const model::System& system, const Inventory& inventory,
                                                   const model::ComponentRef& component);

}  // namespace acdsim::live
