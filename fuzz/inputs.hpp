// What each fuzz target feeds its input to: shared by the libFuzzer targets (which wrap each
// call in its contract, fuzz_support.hpp) and by tests/fuzz_regressions (which replays the kept
// findings in the normal build). Header-only and inline, so that a target links only the
// libraries its own parser needs.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "acdsim/live/inventory.hpp"
#include "acdsim/live/journal.hpp"
#include "acdsim/live/pacemaker_status.hpp"
#include "acdsim/live/probes.hpp"
#include "acdsim/model/cib_import.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"
#include "acdsim/model/shard.hpp"
#include "acdsim/planner/fuzz.hpp"
#include "acdsim/planner/fuzz_shard.hpp"
#include "acdsim/sim/replay.hpp"
#include "acdsim/sim/whatif_shard.hpp"
#include "fuzz_support.hpp"

namespace acdsim::fuzz {

inline void read_topology(const std::string& text) { (void)model::parse_topology(text, "fuzz-topology.json"); }

inline void read_cib(const std::string& text) { (void)model::cib::import_cib(text, "fuzz-cib.xml"); }

inline void read_procedure(const std::string& text) {
  (void)model::parse_procedure(text, "fuzz-procedure.json", topology_for(text));
}

inline void read_snapshot(const std::string& text) {
  // Building a System compiles the topology: once per topology, not per input.
  static std::map<const model::Topology*, std::unique_ptr<model::System>> systems;
  const model::Topology& topology = topology_for(text);
  auto& system = systems[&topology];
  if (!system) system = std::make_unique<model::System>(topology);
  (void)model::parse_snapshot(*system, text, "fuzz-snapshot.json");
}

inline void read_inventory(const std::string& text) {
  (void)live::parse_inventory(text, "fuzz-inventory.json", topology_for(text));
}

inline void read_counterexample(const std::string& text) {
  (void)sim::parse_counterexample(text, "fuzz/counterexample.json");
}

// read_journal reads a path: the journal target passes the path of a file holding the input.
inline void read_journal_file(const std::string& path) { (void)live::read_journal(path); }

inline void read_fault_rates(const std::string& text) { (void)planner::parse_fault_rates(text); }

// A shard file as acdsim merge reads each: the header and end, then the body as a fuzz shard
// (10 runs from seed 1 over 2 procedures) or a whatif shard (load 0.3,1 x 3 seeds).
inline void read_shard(const std::string& text) {
  const model::ShardFile f = model::parse_shard_file(text, "fuzz-shard.jsonl");
  if (f.header.command == "fuzz") {
    planner::FuzzOptions o;
    o.runs = 10;
    (void)planner::read_fuzz_shard(f.file, f.body, f.header.shard, 2, o);
  } else {
    std::vector<sim::RunSummary> runs;
    (void)sim::read_whatif_shard(f.file, f.body, f.header.shard, {{"load", {"0.3", "1"}}}, 3, runs);
  }
}

// Each node the reader lists is also asked for by name, and one name that is not listed.
inline void read_pacemaker(const std::string& text) {
  for (int exit_status : {0, 1}) {
    const live::PacemakerStatus status = live::read_pacemaker_status(text, exit_status);
    for (const auto& [node, state] : status.nodes) (void)live::parse_pcs_status(text, node, exit_status);
    (void)live::parse_pcs_status(text, "acd-lb1", exit_status);
  }
}

inline void read_drbd(const std::string& text) {
  for (int minor : {0, 1}) (void)live::parse_proc_drbd(text, minor);
  for (std::string_view resource : {"r0", "jtelshared"}) {
    (void)live::parse_drbdadm_status(text, resource, 0);
    (void)live::parse_drbdadm_status(text, resource, 10);
    (void)live::parse_drbd_any(text, resource, 0, 0);
  }
}

inline void read_mysql(const std::string& text) {
  for (int exit_status : {0, 1}) (void)live::parse_replica_status(text, exit_status);
}

inline void read_probes(const std::string& text) {
  for (int exit_status : {0, 1, 3, 255}) {
    (void)live::parse_service_status(text, exit_status);
    (void)live::parse_mount_status(text, exit_status);
    (void)live::parse_http_status(text, exit_status);
    (void)live::parse_system_running(text, exit_status);
    (void)live::parse_virsh_domstate(text, exit_status);
  }
  (void)live::ssh_refused(text);
}

}  // namespace acdsim::fuzz
