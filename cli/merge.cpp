#include <iostream>

#include "campaign.hpp"
#include "cli_common.hpp"
#include "commands.hpp"

namespace acdsim::cli {

int merge_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "acdsim merge SHARD... : the shard files of one fuzz or whatif campaign (--shard I/N) combined into the\n"
      "outputs one unsplit run gives, byte for byte\noptions");
  opts.add_options()("help,h", "show this help")
      ("format,f", po::value<std::string>()->default_value("text"), "fuzz: text or junit; whatif: text, csv, json or html")
      ("output,o", po::value<std::string>(), "write the report to this file (atomically; - is standard output)")
      ("out", po::value<std::string>(), "fuzz: directory for the shrunk cases, as acdsim fuzz --out")
      ("csv", po::value<std::string>(), "whatif: also write the table as CSV to this file")
      ("json", po::value<std::string>(), "whatif: also write points and answers as JSON to this file")
      ("svg", po::value<std::string>(), "whatif: write the plot to this SVG file");
  auto vm = parse_files(args, opts);
  if (vm.count("help")) {
    std::cout << opts << "\nEvery shard 0..N-1 of one campaign must be given once, written by the same command with the\n"
                         "same options and procedure contents. Exit codes: as the command (fuzz: 1 when a run failed),\n"
                         "2 bad input or usage (a located error for a missing, repeated, foreign or damaged shard).\n"
                         "Recipes for CI matrices and Slurm job arrays: docs/campaigns.md.\n";
    return kOk;
  }
  if (!vm.count("file")) throw UsageError("merge needs the shard files of a campaign (acdsim fuzz|whatif --shard I/N --output FILE)");
  MergeOutputs outputs;
  outputs.format = vm["format"].as<std::string>();
  for (const auto& [name, into] : {std::pair{"output", &outputs.output}, {"out", &outputs.out_dir}, {"csv", &outputs.csv},
                                   {"json", &outputs.json}, {"svg", &outputs.svg}})
    if (vm.count(name)) *into = vm[name].as<std::string>();
  const model::ShardSet shards = model::read_shard_set(vm["file"].as<std::vector<std::string>>());
  if (shards.header.command == "fuzz") return merge_fuzz_campaign(shards, outputs);
  return merge_whatif_campaign(shards, outputs);
}

}  // namespace acdsim::cli
