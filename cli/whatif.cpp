#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "acdsim/report/whatif_html.hpp"
#include "acdsim/sim/whatif.hpp"
#include "acdsim/sim/whatif_shard.hpp"
#include "acdsim/sim/whatif_svg.hpp"
#include "campaign.hpp"
#include "cli_common.hpp"
#include "commands.hpp"

namespace acdsim::cli {

sim::Options simulation_options(const po::variables_map& vm);
void add_simulation_options(po::options_description& opts);

namespace {

// The options of acdsim whatif; those not in kOutputs shape the results and go into a shard's header.
po::options_description whatif_description() {
  po::options_description opts(
      "acdsim whatif SCENARIO --sweep KEY=V1,V2 ... : a rollout over a parameter grid x seeds, on all cores\noptions");
  opts.add_options()("help,h", "show this help")
      ("sweep", po::value<std::vector<std::string>>()->composing(),
       "KEY=V1,V2 or KEY=A..B; keys: strategy (group,atomic), group-size, drain (10s,30s), restart "
       "(application,server), load (low,peak,over-peak or numbers), guard (off,on or a threshold); repeatable")
      ("seeds", po::value<std::string>()->default_value("10"), "runs per grid point (at most 10000; grid points x seeds at most 100000)")
      ("seed", po::value<std::string>()->default_value("1"), "first seed")
      ("threads,j", po::value<std::string>()->default_value("0"), "worker threads (0: every core; at most 4096; fewer if the system cannot create them)")
      ("abandon-limit", po::value<std::string>()->default_value("1"), "abandonment limit (%, 0 to 100) for the atomic-load answer")
      ("format,f", po::value<std::string>()->default_value("text"), "standard output: text, csv, json or html (one self-contained page, docs/reports.md)")
      ("csv", po::value<std::string>(), "also write the table as CSV to this file")
      ("json", po::value<std::string>(), "also write points and answers as JSON to this file")
      ("svg", po::value<std::string>(), "write a plot (abandoned % and max queue against load) to this SVG file")
      ("output,o", po::value<std::string>(), "write what goes to standard output (with --shard: the shard file) to this file instead (atomically)")
      ("shard", po::value<std::string>(), "I/N: run only shard I of N (0 <= I < N; run j = point x seeds + seed index, j mod N = I) "
                                          "and write its acdsim-shard/1 JSON lines for acdsim merge (docs/campaigns.md)")
      ("quiet,q", "no progress on standard error");
  add_simulation_options(opts);
  return opts;
}
const std::set<std::string> kOutputs = {"help", "format", "csv", "json", "svg", "output", "shard", "threads", "quiet", "follow-symlinks"};

struct Sweep {
  std::vector<sim::SweepAxis> axes;
  sim::WhatIfOptions options;
  double abandon_limit = 1;
};

Sweep sweep_options(const po::variables_map& vm) {
  Sweep w;
  if (vm.count("sweep"))
    for (const std::string& s : vm["sweep"].as<std::vector<std::string>>()) {
      try {
        w.axes.push_back(sim::parse_sweep(s));
      } catch (const std::invalid_argument& e) {
        throw OptionError(e.what());
      }
    }
  sim::WhatIfOptions& o = w.options;
  o.seeds = static_cast<unsigned>(whole_option(vm, "seeds", 1, limits::kMaxSeeds, "a number of runs per grid point"));
  o.first_seed = whole_option(vm, "seed", 0, UINT64_MAX, "a seed");
  o.threads = static_cast<unsigned>(whole_option(vm, "threads", 0, limits::kMaxThreads, "a number of threads"));
  w.abandon_limit = real_option(vm, "abandon-limit", 0, 100, "a percentage");
  o.base = simulation_options(vm);
  // the grid is built in memory and every run kept: refuse a grid that could not finish
  if (const std::string why = sim::grid_too_large(w.axes, o.seeds); !why.empty()) throw OptionError(why);
  return w;
}

void check_format(const std::string& format) {
  if (format != "text" && format != "csv" && format != "json" && format != "html")
    throw UsageError("unknown --format " + format + " (expected text, csv, json or html)");
}

// Every output of a sweep: the same for a single run and for a merge of its shards.
int whatif_report(const std::string& path, const Sweep& w, const std::vector<sim::PointResult>& points,
                  const MergeOutputs& outputs) {
  const sim::WhatIfAnswers answers = sim::answer(points, w.abandon_limit);
  if (outputs.csv) write_output(*outputs.csv, sim::whatif_csv(points));
  if (outputs.json) write_output(*outputs.json, sim::whatif_json(points, answers));
  if (outputs.svg) write_output(*outputs.svg, sim::whatif_svg(points, path, w.abandon_limit));
  std::string text;
  if (outputs.format == "csv") text = sim::whatif_csv(points);
  else if (outputs.format == "html") text = report::whatif_html({path, w.axes, w.options.seeds, w.options.first_seed}, points, answers);
  else if (outputs.format == "json") text = sim::whatif_json(points, answers);
  else text = sim::whatif_table(points) + "\n" + sim::answers_text(answers);
  if (outputs.output) write_output(*outputs.output, text);
  else std::cout << text;
  return kOk;
}

}  // namespace

int whatif_command(const std::vector<std::string>& args) {
  const po::options_description opts = whatif_description();
  auto vm = parse_files(args, opts);
  if (vm.count("help")) {
    std::cout << opts << "\nThe load-aware guard is off in sweeps unless a guard axis or value is given.\n"
                         "Exit codes: 0 ok, 2 bad input or usage. Details: docs/simulator.md; split over machines: docs/campaigns.md.\n";
    return kOk;
  }
  if (!vm.count("file") || vm["file"].as<std::vector<std::string>>().size() != 1)
    throw UsageError("whatif needs exactly one SCENARIO (a procedure with a \"rollout\" block)");
  MergeOutputs outputs;
  outputs.format = vm["format"].as<std::string>();
  check_format(outputs.format);
  for (const auto& [name, into] : {std::pair{"output", &outputs.output}, {"csv", &outputs.csv}, {"json", &outputs.json}, {"svg", &outputs.svg}})
    if (vm.count(name)) *into = vm[name].as<std::string>();
  const std::optional<model::Shard> shard = shard_option(vm);
  if (shard) refuse_with_shard(vm, {"format", "csv", "json", "svg"});
  Sweep w = sweep_options(vm);
  if (!vm.count("quiet") && ::isatty(2))
    w.options.progress = [](std::size_t done, std::size_t total) {
      std::fprintf(stderr, "\r%zu/%zu runs%s", done, total, done == total ? "\n" : "");
    };
  const std::string path = vm["file"].as<std::vector<std::string>>()[0];
  sim::WhatIfGrid grid;
  std::vector<sim::RunSummary> runs;
  try {
    grid = sim::prepare_whatif(path, w.axes, w.options);
    runs = sim::run_whatif_jobs(grid, w.options, shard.value_or(model::Shard{0, 1}));
  } catch (const std::invalid_argument& e) {
    throw OptionError(e.what());
  }
  if (!shard) return whatif_report(path, w, sim::aggregate_whatif(grid.points, w.options.seeds, runs), outputs);
  write_shard_file(outputs.output.value_or("-"),
                   {"whatif", *shard, {{"procedures", {procedure_identity(path)}}, {"options", campaign_options(vm, kOutputs)}}},
                   sim::whatif_shard_records(grid.points, *shard, w.options.seeds, runs));
  return kOk;
}

int merge_whatif_campaign(const model::ShardSet& shards, const MergeOutputs& outputs) {
  check_format(outputs.format);
  if (outputs.out_dir) throw OptionError("--out is a fuzz output (the shrunk cases); these are whatif shards");
  const model::JsonLine header(shards.files[0], 1, model::JsonLine::Json{{"campaign", shards.header.campaign}});
  const std::string path = header.string_at("/campaign/procedures/0/path");
  const Sweep w = campaign_values(shards, whatif_description(), kOutputs, sweep_options);
  std::vector<sim::RunSummary> runs;
  std::vector<sim::PointResult> points;
  for (std::size_t i = 0; i < shards.bodies.size(); ++i) {
    const model::Shard shard{static_cast<unsigned>(i), static_cast<unsigned>(shards.bodies.size())};
    std::vector<sim::PointResult> these = sim::read_whatif_shard(shards.files[i], shards.bodies[i], shard, w.axes,
                                                                 w.options.seeds, runs, i ? &points : nullptr);
    if (i == 0) points = std::move(these);
  }
  return whatif_report(path, w, sim::aggregate_whatif(std::move(points), w.options.seeds, runs), outputs);
}

}  // namespace acdsim::cli
