// Campaigns split over machines: what `fuzz` and `whatif` share for --shard I/N
// and what `acdsim merge` needs from them (docs/campaigns.md).
#pragma once
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acdsim/model/shard.hpp"
#include "cli_common.hpp"

namespace acdsim::cli {

// --shard I/N if given (OptionError on a bad value).
std::optional<model::Shard> shard_option(const po::variables_map& vm);
// Refuses the report options with --shard: they belong to acdsim merge.
void refuse_with_shard(const po::variables_map& vm, const std::vector<std::string>& report_options);

// Every option in vm that shapes the results (all but `outputs` and the positional
// "file"), as given or defaulted: strings, lists of strings, true for a flag.
nlohmann::ordered_json campaign_options(const po::variables_map& vm, const std::set<std::string>& outputs);
// Those options as command-line arguments again (for parsing them with the command's own rules).
std::vector<std::string> campaign_arguments(const nlohmann::ordered_json& options);
// The campaign's options of shard 0's header parsed by the command's own rules
// (campaign_values: and typed by `typed`); InputError at the header for anything they refuse.
[[noreturn]] void campaign_error(const model::ShardSet& shards, const std::string& pointer, const std::string& message);
// `outputs`: the command's options that a header never holds (refused there).
po::variables_map campaign_vm(const model::ShardSet& shards, const po::options_description& description,
                              const std::set<std::string>& outputs);
template <class Typed>
auto campaign_values(const model::ShardSet& shards, const po::options_description& description,
                     const std::set<std::string>& outputs, Typed typed) {
  const po::variables_map vm = campaign_vm(shards, description, outputs);
  try {
    return typed(vm);
  } catch (const UsageError& e) {
    campaign_error(shards, "/campaign/options", e.what());
  }
}

// A procedure's identity: its path as given, and the SHA-256 of it and of its topology file.
nlohmann::ordered_json procedure_identity(const std::string& path);

// Writes header, records and end record atomically to path ("-": standard output).
void write_shard_file(const std::string& path, const model::ShardHeader& header,
                      const std::vector<nlohmann::ordered_json>& records);

// The outputs a merge was asked for (the report options of fuzz and whatif).
struct MergeOutputs {
  std::string format;              // text, junit, csv, json, html
  std::optional<std::string> output, out_dir, csv, json, svg;
};
int merge_fuzz_campaign(const model::ShardSet& shards, const MergeOutputs& outputs);
int merge_whatif_campaign(const model::ShardSet& shards, const MergeOutputs& outputs);

}  // namespace acdsim::cli
