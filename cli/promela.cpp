// acdsim export promela / acdsim import spin-trail: a procedure as a Promela
// model for SPIN, and a SPIN trail back as acdsim's counterexample (issue 16,
// docs/checker.md "Re-verifying a verdict with SPIN").
#include <filesystem>
#include <iostream>
#include <iterator>

#include "acdsim/checker/promela.hpp"
#include "acdsim/checker/report.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/input_file.hpp"
#include "acdsim/model/output.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"

#include "cli_common.hpp"
#include "commands.hpp"

namespace acdsim::cli {

using namespace acdsim::model;

namespace {

// The options that change the model: the same as check's.
void add_model_options(po::options_description& opts) {
  opts.add_options()("faults", po::value<std::string>()->default_value("0"),
                     "also explore up to this many faults anywhere (at most 100), as check --faults")
      ("accept", po::value<std::vector<std::string>>()->composing(),
       "also accept violations of this severity (data-loss, outage, manual-fix, warning); repeatable");
}

acdsim::checker::Options model_options(const po::variables_map& vm, const Topology& topology) {
  acdsim::checker::Options options;
  options.faults = static_cast<unsigned>(whole_option(vm, "faults", 0, limits::kMaxFaults, "a number of faults"));
  if (vm.count("accept"))
    for (const std::string& s : vm["accept"].as<std::vector<std::string>>()) {
      auto sev = acdsim::checker::severity_by_name(s);
      if (!sev) throw UsageError("unknown severity \"" + s + "\" (expected data-loss, outage, manual-fix, warning)");
      options.accepted.push_back(*sev);
    }
  for (const std::string& s : topology.accepts) options.accepted.push_back(*acdsim::checker::severity_by_name(s));
  return options;
}

std::string read_all(std::istream& in) { return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()}; }

}  // namespace

int export_promela_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "acdsim export promela PROCEDURE : the procedure as a Promela model for SPIN, generated from the tables the "
      "checker searches (one atomic transition per move, invariants as assertions)\noptions");
  opts.add_options()("help,h", "show this help")
      ("output,o", po::value<std::string>(), "write to this file (atomically) instead of standard output");
  add_model_options(opts);
  const auto vm = parse_what(args, opts, "promela", {"file"},
                             "\nExample (docs/checker.md, \"Re-verifying a verdict with SPIN\"):\n"
                             "  acdsim export promela scenarios/procedures/jtel-medium/shutdown.json -o model.pml\n"
                             "  spin -a model.pml && gcc -O2 -DSAFETY -DNOREDUCE -DBFS -o pan pan.c && ./pan -c0\n"
                             "  # \"N states, stored\" equals acdsim check --no-symmetry --no-por --after-violation 1000000000;\n"
                             "  # errors: 0 is SAFE. A violation: ./pan (writes model.pml.trail), then\n"
                             "  spin -t model.pml > replay.txt && acdsim import spin-trail model.pml replay.txt -o trace.json\n",
                             "usage: acdsim export promela PROCEDURE", "export promela needs a PROCEDURE");
  if (!vm) return kOk;
  const std::string path = (*vm)["file"].as<std::string>();
  Topology topology;
  const Procedure procedure = load_procedure(path, &topology);
  const std::string text = acdsim::checker::promela_model(procedure, topology, model_options(*vm, topology), path);
  write_output_option(*vm, text);
  return kOk;
}

int import_spin_trail_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "acdsim import spin-trail MODEL.pml REPLAY : a SPIN trail of an exported model (REPLAY: the output of "
      "`spin -t MODEL.pml`, - for standard input) as acdsim's counterexample (acdsim-counterexample/1, as check "
      "--trace-out writes), for acdsim simulate --replay\noptions");
  opts.add_options()("help,h", "show this help")
      ("output,o", po::value<std::string>(), "write the counterexample to this file (atomically) instead of standard output");
  const std::string usage = "usage: acdsim import spin-trail MODEL.pml REPLAY";
  const auto vm = parse_what(args, opts, "spin-trail", {"model", "replay"},
                             "\nExample:\n  ./pan && spin -t model.pml > replay.txt\n"
                             "  acdsim import spin-trail model.pml replay.txt -o trace.json && acdsim simulate --replay trace.json\n"
                             "The model must be unchanged: it is exported again (procedure and options from its first line) "
                             "and compared.\n",
                             usage, usage);
  if (!vm) return kOk;
  const std::string model_path = (*vm)["model"].as<std::string>(), replay_path = (*vm)["replay"].as<std::string>();
  const std::string model_text = read_input_file(model_path);
  // First line: /* acdsim-promela/1 {"procedure": ..., "faults": ..., "accept": [...]} */
  const std::string tag = "/* acdsim-promela/1 ";
  const auto eol = model_text.find('\n');
  const std::string first = model_text.substr(0, eol);
  if (first.rfind(tag, 0) != 0 || first.size() < tag.size() + 3 || first.substr(first.size() - 3) != " */")
    throw InputError(model_path, "", 1, "expected a model written by acdsim export promela (first line \"" + tag + "{...} */\")");
  nlohmann::json header = nlohmann::json::parse(first.substr(tag.size(), first.size() - tag.size() - 3), nullptr, false);
  if (!header.is_object() || !header.contains("procedure") || !header["procedure"].is_string() ||
      !header.contains("faults") || !header["faults"].is_number_unsigned() || !header.contains("accept") ||
      !header["accept"].is_array())
    throw InputError(model_path, "", 1, "the header's JSON must have \"procedure\", \"faults\" and \"accept\"");
  std::string procedure_file = header["procedure"];
  if (!std::filesystem::exists(procedure_file)) {
    const auto beside = std::filesystem::path(model_path).parent_path() / std::filesystem::path(procedure_file).filename();
    if (!std::filesystem::exists(beside))
      throw InputError(model_path, "", 1, "procedure file \"" + procedure_file + "\" not found (as written, nor next to the model)");
    procedure_file = beside.string();
  }
  Topology topology;
  const Procedure procedure = load_procedure(procedure_file, &topology);
  acdsim::checker::Options options;
  options.faults = header["faults"].get<unsigned>();
  for (const auto& s : header["accept"]) {
    const auto sev = s.is_string() ? acdsim::checker::severity_by_name(s.get<std::string>()) : std::nullopt;
    if (!sev) throw InputError(model_path, "", 1, "the header's \"accept\" holds an unknown severity");
    options.accepted.push_back(*sev);
  }
  // The procedure's own accepts are in the header already (export added them).
  if (acdsim::checker::promela_model(procedure, topology, options, header["procedure"]) != model_text)
    throw InputError(model_path, "", 0,
                     "the model differs from what acdsim export promela writes for " + procedure_file +
                         " now (edited, or the procedure or acdsim changed): export it again and re-run SPIN");
  const std::string replay = replay_path == "-" ? read_all(std::cin) : read_input_file(replay_path);
  acdsim::checker::Checked checked{procedure_file, procedure,
                                   acdsim::checker::result_from_spin_replay(procedure, topology, options, replay, replay_path),
                                   {}};
  acdsim::checker::Checker initial(procedure, topology, options);
  checked.initial = snapshot_to_json(System(topology), initial.initial());
  const std::string text = counterexample_text(checked);
  write_output_option(*vm, text);
  return kOk;
}

}  // namespace acdsim::cli
