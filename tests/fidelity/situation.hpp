// A storage-cluster situation for the differential test against crm_simulate: what each node
// runs, the cluster options, and how the model and Pacemaker each go on from there.
#pragma once
#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "acdsim/model/cib.hpp"
#include "acdsim/model/system.hpp"

namespace acdsim::fidelity {

enum class Drbd { Down, Secondary, Primary };

struct NodeSituation {
  bool up = true;            // VM up and the cluster stack running (else the VM is off)
  bool standby = false;      // pcs node standby
  bool banned = false;       // a Filesystem start failed here before (fail-count INFINITY)
  Drbd drbd = Drbd::Down;
  std::string disk = "UpToDate";  // UpToDate | Consistent | Outdated | Inconsistent (the metadata)
  bool serving = false;      // Filesystem, Samba and the VIP run here (needs Primary)
};

struct Situation {
  model::NoQuorumPolicy no_quorum_policy = model::NoQuorumPolicy::Stop;
  bool stonith = false;
  int stickiness = 100;
  bool quorum = true;        // a lone member's quorum (two members are always quorate)
  bool standalone = false;   // both DRBD instances up but disconnected (StandAlone)
  int fs_start_fails = -1;   // the next Filesystem start on this node fails (crm_simulate --op-fail; the model's fault)
  std::array<NodeSituation, 2> nodes;
};

std::string describe(const Situation& s);
rc::Gen<Situation> situations();

// Where the storage runs: each node's DRBD instance role, and the node running each of
// Filesystem, Samba and the VIP (-1: stopped).
struct Outcome {
  std::array<model::cib::InstanceRole, 2> drbd{};
  int fs = -1, samba = -1, vip = -1;
  friend auto operator<=>(const Outcome&, const Outcome&) = default;
};
std::string describe(const Outcome& o, const std::array<std::string, 2>& nodes);

// The topology of tests/fidelity/data/storage-pair.json with this situation's cluster options.
model::Topology topology_for(const Situation& s);
// The model state of the situation; nullopt when the model cannot represent it (an unreachable
// component state), with the reason in why.
std::optional<model::Snapshot> snapshot_of(const model::System& system, const Situation& s, std::string& why);
// Where the storage runs in one model state.
Outcome outcome_of(const model::System& system, const model::Snapshot& state);
// Every state the model settles in from state: environment moves (not faults, not the end of a
// resync, which crm_simulate's single transition does not see either) until none is enabled.
// With fs_start_fails >= 0 the first Filesystem start on that node fails (the model's fault
// "resource start fails" instead of "storage resources started").
std::set<Outcome> settled_outcomes(const model::System& system, const model::Snapshot& state, int fs_start_fails = -1);

}  // namespace acdsim::fidelity
