#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "acdsim/report/whatif_html.hpp"
#include "acdsim/sim/whatif.hpp"
#include "acdsim/sim/whatif_svg.hpp"
#include "cli_common.hpp"
#include "commands.hpp"

namespace acdsim::cli {

sim::Options simulation_options(const po::variables_map& vm);
void add_simulation_options(po::options_description& opts);

int whatif_command(const std::vector<std::string>& args) {
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
      ("quiet,q", "no progress on standard error");
  add_simulation_options(opts);
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::vector<std::string>>(), "");
  po::positional_options_description pos;
  pos.add("file", -1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    std::cout << opts << "\nThe load-aware guard is off in sweeps unless a guard axis or value is given.\n"
                         "Exit codes: 0 ok, 2 bad input or usage. Details: docs/simulator.md.\n";
    return kOk;
  }
  if (!vm.count("file") || vm["file"].as<std::vector<std::string>>().size() != 1)
    throw UsageError("whatif needs exactly one SCENARIO (a procedure with a \"rollout\" block)");
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "csv" && format != "json" && format != "html")
    throw UsageError("unknown --format " + format + " (expected text, csv, json or html)");
  std::vector<sim::SweepAxis> axes;
  if (vm.count("sweep"))
    for (const std::string& s : vm["sweep"].as<std::vector<std::string>>()) {
      try {
        axes.push_back(sim::parse_sweep(s));
      } catch (const std::invalid_argument& e) {
        throw OptionError(e.what());
      }
    }
  sim::WhatIfOptions o;
  o.seeds = static_cast<unsigned>(whole_option(vm, "seeds", 1, limits::kMaxSeeds, "a number of runs per grid point"));
  o.first_seed = whole_option(vm, "seed", 0, UINT64_MAX, "a seed");
  o.threads = static_cast<unsigned>(whole_option(vm, "threads", 0, limits::kMaxThreads, "a number of threads"));
  const double abandon_limit = real_option(vm, "abandon-limit", 0, 100, "a percentage");
  o.base = simulation_options(vm);
  // the grid is built in memory and every run kept: refuse a grid that could not finish
  if (const std::string why = sim::grid_too_large(axes, o.seeds); !why.empty()) throw OptionError(why);
  if (!vm.count("quiet") && ::isatty(2))
    o.progress = [](std::size_t done, std::size_t total) {
      std::fprintf(stderr, "\r%zu/%zu runs%s", done, total, done == total ? "\n" : "");
    };
  const std::string path = vm["file"].as<std::vector<std::string>>()[0];
  std::vector<sim::PointResult> points;
  try {
    points = sim::run_whatif(path, axes, o);
  } catch (const std::invalid_argument& e) {
    throw OptionError(e.what());
  }
  const sim::WhatIfAnswers answers = sim::answer(points, abandon_limit);
  if (vm.count("csv")) write_output(vm["csv"].as<std::string>(), sim::whatif_csv(points));
  if (vm.count("json")) write_output(vm["json"].as<std::string>(), sim::whatif_json(points, answers));
  if (vm.count("svg"))
    write_output(vm["svg"].as<std::string>(), sim::whatif_svg(points, path, abandon_limit));
  if (format == "csv") std::cout << sim::whatif_csv(points);
  else if (format == "html") std::cout << report::whatif_html({path, axes, o.seeds, o.first_seed}, points, answers);
  else if (format == "json") std::cout << sim::whatif_json(points, answers);
  else std::cout << sim::whatif_table(points) << "\n" << sim::answers_text(answers);
  return kOk;
}

}  // namespace acdsim::cli
