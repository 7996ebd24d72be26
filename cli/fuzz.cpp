#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "acdsim/model/output.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/planner/fuzz.hpp"
#include "acdsim/planner/fuzz_shard.hpp"
#include "campaign.hpp"
#include "cli_common.hpp"
#include "commands.hpp"

namespace acdsim::cli {

namespace {

struct Fuzzed {
  std::string file;
  planner::FuzzResult result;
  std::string saved;  // case file written, if any
};

std::string text_report(const Fuzzed& f, const planner::FuzzOptions& o) {
  std::ostringstream out;
  out << f.file << ": " << f.result.runs << " runs from seed " << o.seed << ", " << f.result.failed << " failed\n";
  if (!f.result.shrunk) return out.str();
  const planner::FuzzCase& first = *f.result.first_failure;
  const planner::FuzzCase& c = *f.result.shrunk;
  out << "  FAILED: " << c.failure << " (" << c.detail << ") at " << c.time_s << " s, seed " << c.seed << "\n";
  out << "  shrunk from " << first.faults.size() << " to " << c.faults.size() << " faults in " << f.result.shrink_runs
      << " runs:\n";
  for (const auto& fault : c.faults) out << "    " << fault.at_s << " s  " << fault.what << "\n";
  if (c.typical_all) out << "  timing shrunk: every duration at its median\n";
  else if (!c.typical.empty())
    out << "  timing shrunk: " << c.typical.size() << " of " << f.result.environment_moves << " environment moves at their median duration\n";
  out << "  replay: " << planner::replay_command(c, f.file) << "\n";
  if (!f.saved.empty()) out << "  case saved to " << f.saved << "\n";
  return out.str();
}

std::string junit_report(const std::vector<Fuzzed>& all, const planner::FuzzOptions& o) {
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"acdsim fuzz\">\n";
  for (const Fuzzed& f : all) {
    out << "  <testsuite name=\"" << model::xml_escape(f.file) << "\" tests=\"1\" failures=\"" << (f.result.shrunk ? 1 : 0) << "\">\n";
    out << "    <testcase classname=\"" << model::xml_escape(f.file) << "\" name=\"fuzz " << f.result.runs << " runs from seed " << o.seed
        << "\">\n";
    if (f.result.shrunk)
      out << "      <failure message=\"" << model::xml_escape(f.result.shrunk->failure + " (seed " + std::to_string(f.result.shrunk->seed) + ")")
          << "\">" << model::xml_escape(text_report(f, o)) << "</failure>\n";
    out << "    </testcase>\n  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return out.str();
}

// The options of acdsim fuzz; those not in kOutputs shape the results and go into a shard's header.
po::options_description fuzz_description() {
  po::options_description opts(
      "acdsim fuzz PROCEDURE... : random timed runs with faults; a failure is shrunk and saved\noptions");
  opts.add_options()("help,h", "show this help")
      ("runs", po::value<std::string>()->default_value("100"), "runs per procedure (1 to 1000000)")
      ("seed", po::value<std::string>()->default_value("1"), "first seed (run i uses seed + i)")
      ("faults", po::value<std::string>()->default_value(""),
       "KIND:RATE,... faults per hour by kind: a part of the fault's label (crashes, start fails, SQL thread,\n"
       "link lost, resource start) or any, each rate at most 3600; default none")
      ("window", po::value<std::string>()->default_value("3600"), "faults are drawn within this many seconds of the start (at most one year)")
      ("accept", po::value<std::vector<std::string>>()->composing(),
       "also accept findings of this severity (data-loss, outage, manual-fix, warning); repeatable")
      ("format,f", po::value<std::string>()->default_value("text"), "text or junit")
      ("out", po::value<std::string>(), "directory for the shrunk cases (acdsim-fuzz-case/1 JSON): STEM.seed-N.case.json, "
                                        "STEM.2.seed-N.case.json for the second procedure file of that name")
      ("output,o", po::value<std::string>(), "write the report (with --shard: the shard file) to this file (atomically; - is standard output)")
      ("shard", po::value<std::string>(), "I/N: run only shard I of N (0 <= I < N; runs i with i mod N = I) and write its "
                                          "acdsim-shard/1 JSON lines for acdsim merge (exit 0 even if a run failed; docs/campaigns.md)");
  return opts;
}
const std::set<std::string> kOutputs = {"help", "format", "out", "output", "shard", "follow-symlinks"};

planner::FuzzOptions fuzz_options(const po::variables_map& vm) {
  planner::FuzzOptions o;
  o.runs = static_cast<unsigned>(whole_option(vm, "runs", 1, limits::kMaxFuzzRuns, "a number of runs"));
  o.seed = whole_option(vm, "seed", 0, UINT64_MAX, "a seed");
  o.window_s = real_option(vm, "window", 0, limits::kMaxDurationS, "seconds");
  try {
    o.faults = planner::parse_fault_rates(vm["faults"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw OptionError(std::string("--faults: ") + e.what());
  }
  for (const planner::FaultRate& rate : o.faults)
    if (rate.per_hour > limits::kMaxFaultRate)
      throw OptionError("--faults: expected a rate from 0 to 3600 faults per hour after \"" + rate.kind + ":\", got " +
                        nlohmann::json(rate.per_hour).dump());
  if (vm.count("accept"))
    for (const std::string& s : vm["accept"].as<std::vector<std::string>>()) {
      if (s != "data-loss" && s != "outage" && s != "manual-fix" && s != "warning")
        throw UsageError("unknown severity \"" + s + "\" (expected data-loss, outage, manual-fix, warning)");
      o.accepted.push_back(s);
    }
  return o;
}

void check_format(const std::string& format) {
  if (format != "text" && format != "junit") throw UsageError("unknown --format " + format + " (expected text or junit)");
}

// The case files (--out), the report and the exit code of a whole campaign: the
// same for a single run and for a merge of its shards.
int fuzz_report(const std::vector<std::string>& files, std::vector<planner::FuzzResult> results, const planner::FuzzOptions& o,
                const MergeOutputs& outputs) {
  std::vector<Fuzzed> all;
  std::map<std::string, unsigned> stems;  // case file names: the n-th file of one stem gets ".n"
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string& path = files[i];
    std::string stem = std::filesystem::path(path).stem().string();
    if (const unsigned n = ++stems[stem]; n > 1) stem += "." + std::to_string(n);
    Fuzzed f{path, std::move(results[i]), ""};
    if (f.result.shrunk && outputs.out_dir) {
      const std::filesystem::path dir = *outputs.out_dir;
      std::filesystem::create_directories(dir);
      f.saved = (dir / (stem + ".seed-" + std::to_string(f.result.shrunk->seed) + ".case.json")).string();
      write_output(f.saved, planner::case_json(*f.result.shrunk, path).dump(2) + "\n");
    }
    all.push_back(std::move(f));
  }
  std::string report;
  if (outputs.format == "junit") report = junit_report(all, o);
  else
    for (const Fuzzed& f : all) report += text_report(f, o);
  if (outputs.output) write_output(*outputs.output, report);
  else std::cout << report;
  for (const Fuzzed& f : all)
    if (f.result.shrunk) return kViolation;
  return kOk;
}

}  // namespace

int fuzz_command(const std::vector<std::string>& args) {
  const po::options_description opts = fuzz_description();
  auto vm = parse_files(args, opts);
  if (vm.count("help")) {
    std::cout << opts << "\nExit codes: 0 no run failed, 1 a run failed (the shrunk case and its seed are printed),\n"
                         "2 bad input or usage. CI recipe: docs/fuzz.md; split over machines: docs/campaigns.md.\n";
    return kOk;
  }
  if (!vm.count("file")) throw UsageError("fuzz needs at least one PROCEDURE file");
  MergeOutputs outputs;
  outputs.format = vm["format"].as<std::string>();
  check_format(outputs.format);
  if (vm.count("output")) outputs.output = vm["output"].as<std::string>();
  if (vm.count("out")) outputs.out_dir = vm["out"].as<std::string>();
  const std::optional<model::Shard> shard = shard_option(vm);
  if (shard) refuse_with_shard(vm, {"format", "out"});
  const planner::FuzzOptions o = fuzz_options(vm);
  const std::vector<std::string> files = vm["file"].as<std::vector<std::string>>();
  std::vector<planner::FuzzResult> results;
  std::vector<nlohmann::ordered_json> records;  // --shard
  nlohmann::ordered_json procedures = nlohmann::ordered_json::array();
  for (const std::string& path : files) {
    model::Topology topology;
    const model::Procedure procedure = model::load_procedure(path, &topology);
    // a kind that matches no fault of this topology would silently fuzz nothing
    const std::vector<std::string> labels = planner::fault_labels(topology);
    for (const planner::FaultRate& rate : o.faults) {
      if (rate.kind == "any" ||
          std::any_of(labels.begin(), labels.end(), [&](const std::string& l) { return l.find(rate.kind) != std::string::npos; }))
        continue;
      std::set<std::string> kinds;
      for (const std::string& l : labels) kinds.insert(l.substr(l.find(": ") == std::string::npos ? 0 : l.find(": ") + 2));
      std::string list;
      for (const std::string& k : kinds) list += "\n  " + k;
      throw UsageError("--faults: \"" + rate.kind + "\" matches no fault of " + topology.name +
                       " (give any, or a part of a fault's label); its kinds of fault are:" + list);
    }
    planner::FuzzOptions these = o;
    these.accepted.insert(these.accepted.end(), topology.accepts.begin(), topology.accepts.end());
    if (!shard) {
      results.push_back(planner::fuzz(procedure, topology, these));
      continue;
    }
    procedures.push_back(procedure_identity(path));
    const auto mine =
        planner::fuzz_shard_records(procedures.size() - 1, planner::fuzz_shard(procedure, topology, these, *shard));
    records.insert(records.end(), mine.begin(), mine.end());
  }
  if (!shard) return fuzz_report(files, std::move(results), o, outputs);
  write_shard_file(outputs.output.value_or("-"), {"fuzz", *shard, {{"procedures", procedures}, {"options", campaign_options(vm, kOutputs)}}},
                   records);
  return kOk;
}

int merge_fuzz_campaign(const model::ShardSet& shards, const MergeOutputs& outputs) {
  check_format(outputs.format);
  if (outputs.csv || outputs.json || outputs.svg) throw OptionError("--csv, --json and --svg are whatif outputs; these are fuzz shards");
  const model::JsonLine header(shards.files[0], 1, model::JsonLine::Json{{"campaign", shards.header.campaign}});
  std::vector<std::string> files;
  const auto& procedures = header.at("/campaign/procedures", "an array of procedures");
  if (!procedures.is_array() || procedures.empty()) header.fail("/campaign/procedures", "expected an array of procedures");
  for (std::size_t i = 0; i < procedures.size(); ++i) files.push_back(header.string_at("/campaign/procedures/" + std::to_string(i) + "/path"));
  const planner::FuzzOptions o = campaign_values(shards, fuzz_description(), kOutputs, fuzz_options);
  std::vector<std::vector<planner::FuzzShardResult>> by_procedure(files.size());
  for (std::size_t i = 0; i < shards.bodies.size(); ++i) {
    const model::Shard shard{static_cast<unsigned>(i), static_cast<unsigned>(shards.bodies.size())};
    std::vector<planner::FuzzShardResult> per = planner::read_fuzz_shard(shards.files[i], shards.bodies[i], shard, files.size(), o);
    for (std::size_t k = 0; k < files.size(); ++k) by_procedure[k].push_back(std::move(per[k]));
  }
  std::vector<planner::FuzzResult> results;
  for (const auto& per : by_procedure) results.push_back(planner::merge_fuzz(per));
  return fuzz_report(files, std::move(results), o, outputs);
}

}  // namespace acdsim::cli
