// acdsim fuzz --shard I/N: one procedure's runs in one shard, their records in
// a shard file (acdsim-shard/1, docs/formats.md), and the merge back to the
// FuzzResult one unsplit run gives. fuzz() itself is fuzz_shard over shard 0/1
// merged, so a single run and a merge cannot differ.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "acdsim/model/shard.hpp"
#include "acdsim/planner/fuzz.hpp"

namespace acdsim::planner {

struct FuzzShardResult {
  unsigned runs = 0;                                       // runs this shard made
  std::vector<std::pair<unsigned, std::string>> failures;  // (run index, failed invariant), in run order
  std::optional<FuzzCase> first_failure;                   // this shard's first failing run ...
  std::optional<FuzzCase> shrunk;                          // ... shrunk (the same shrink a single run makes)
  unsigned shrink_runs = 0;
  std::size_t environment_moves = 0;
};

// Runs i (seed options.seed + i) for every i < options.runs the shard owns; shrinks its first failure.
FuzzShardResult fuzz_shard(const model::Procedure& procedure, const model::Topology& topology, const FuzzOptions& options,
                           model::Shard shard);
// Shards of one procedure in shard order: the counts summed, the failure of the lowest run index first.
FuzzResult merge_fuzz(const std::vector<FuzzShardResult>& shards);

// The records of procedure number `procedure` (0-based, in command-line order):
// one per failing run, then one with the shard's totals and its cases.
std::vector<nlohmann::ordered_json> fuzz_shard_records(std::size_t procedure, const FuzzShardResult& result);
// A shard's records (between header and end) back, one result per procedure;
// InputError at the line for anything that this shard of this campaign cannot have written.
std::vector<FuzzShardResult> read_fuzz_shard(const std::string& file, const std::vector<model::JsonLine>& body,
                                             model::Shard shard, std::size_t procedures, const FuzzOptions& options);

}  // namespace acdsim::planner
