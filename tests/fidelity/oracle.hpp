// Pacemaker's own scheduler as the oracle: crm_simulate on the exported CIB (docs/fidelity.md).
#pragma once
#include <array>
#include <string>
#include <vector>

#include "acdsim/model/cib.hpp"
#include "situation.hpp"

namespace acdsim::fidelity {

// Reads a "Current cluster status" or "Revised Cluster Status" section of crm_simulate's output
// (pacemaker 2.1). Throws std::runtime_error on a line about our resources it cannot read.
Outcome read_status(const std::string& section, const model::StorageCluster& cluster);

struct OracleRun {
  Outcome initial;                     // crm_simulate's reading of the exported status
  Outcome final;                       // after the last transition
  int transitions = 0;                 // rounds that did something
  std::vector<std::string> summary;    // every round's "Transition Summary" lines
};

// Runs crm_simulate -S on the CIB of status, then again on the state it reaches, until a
// transition does nothing (at most 5 rounds). Between rounds the DRBD instances and their master
// scores change as DRBD and the linbit agent would (drbd holds each node's DRBD state: a
// started instance connects to a running peer and a non-UpToDate one becomes SyncTarget; a
// Secondary stopped while connected to a Primary outdates itself); resyncs do not finish.
// With fs_start_fails >= 0 the first Filesystem start scheduled on that node fails
// (crm_simulate --op-fail <fs>_start_0@NODE=1); the node then carries the failcount.
// Throws std::runtime_error when crm_simulate fails or its output cannot be read.
OracleRun run_oracle(const model::StorageCluster& cluster, model::cib::ClusterStatus status,
                     std::array<model::cib::DrbdView, 2> drbd, const std::string& work_file,
                     int fs_start_fails = -1);

// Whether crm_simulate can be run here.
bool crm_simulate_available();

}  // namespace acdsim::fidelity
