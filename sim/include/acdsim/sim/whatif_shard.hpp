// acdsim whatif --shard I/N: the records of a shard file (acdsim-shard/1,
// docs/formats.md) and reading them back for acdsim merge, which aggregates
// with aggregate_whatif exactly as an unsplit run does.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acdsim/model/shard.hpp"
#include "acdsim/sim/whatif.hpp"

namespace acdsim::sim {

// One record per grid point (its params and what they resolved to), then one per run of the shard.
std::vector<nlohmann::ordered_json> whatif_shard_records(const std::vector<PointResult>& points, model::Shard shard,
                                                         unsigned seeds, const std::vector<RunSummary>& runs);

// A shard's records (between header and end): the grid's points, and its runs
// stored into `runs` (every job of the campaign, in job order). InputError at the
// line for a record this shard of this sweep cannot have written, or for a
// point that differs from `expected` (another shard's points) when given.
std::vector<PointResult> read_whatif_shard(const std::string& file, const std::vector<model::JsonLine>& body,
                                           model::Shard shard, const std::vector<SweepAxis>& axes, unsigned seeds,
                                           std::vector<RunSummary>& runs, const std::vector<PointResult>* expected = nullptr);

}  // namespace acdsim::sim
