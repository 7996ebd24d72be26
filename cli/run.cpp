#include <filesystem>
#include <iostream>

#include "acdsim/live/executor.hpp"
#include "acdsim/live/inventory.hpp"
#include "acdsim/live/journal.hpp"
#include "acdsim/live/transport.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "cli_common.hpp"
#include "commands.hpp"

namespace acdsim::cli {

int run_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "acdsim run PROCEDURE --inventory FILE : run a procedure on real hosts, checked step by step\n"
      "(dry run unless --execute)\noptions");
  opts.add_options()("help,h", "show this help")
      ("inventory,i", po::value<std::string>(), "where each host is and how it is reached (acdsim-inventory/1)")
      ("execute", "act: run the commands (default: dry run, print commands, targets and checks)")
      ("step", "with --execute: ask for confirmation before each step")
      ("journal,j", po::value<std::string>(), "with --execute: append-only journal (JSON lines) of the run")
      ("resume", po::value<std::string>(), "continue the run of this journal (implies --execute); re-probes first")
      ("wait-timeout", po::value<double>()->default_value(600), "seconds to wait for a step whose wait has no timeout")
      ("max-states", po::value<std::uint64_t>()->default_value(20'000'000), "limit of each re-check (refuses when reached)");
  po::options_description hidden;
  hidden.add_options()("procedure", po::value<std::string>(), "");
  po::positional_options_description pos;
  pos.add("procedure", 1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    std::cout << opts << "\nExit codes: 0 done (or dry run printed), 1 refused, deviation, timeout or declined,\n"
                         "2 bad input, or an action the inventory cannot map. Format and safety rules: docs/live.md.\n";
    return kOk;
  }
  live::RunOptions options;
  options.default_wait_s = vm["wait-timeout"].as<double>();
  options.check.max_states = vm["max-states"].as<std::uint64_t>();
  std::string procedure_file, inventory_file;
  if (vm.count("resume")) {
    options.resume = options.execute = true;
    options.journal = vm["resume"].as<std::string>();
    const live::JournalState state = live::read_journal(options.journal);
    procedure_file = state.start.value("procedure_file", "");
    inventory_file = state.start.value("inventory_file", "");
  } else {
    if (!vm.count("procedure")) throw UsageError("run needs a PROCEDURE file (or --resume JOURNAL)");
    if (!vm.count("inventory")) throw UsageError("run needs --inventory FILE");
    procedure_file = vm["procedure"].as<std::string>();
    inventory_file = vm["inventory"].as<std::string>();
    options.execute = vm.count("execute") > 0;
    if (options.execute) {
      if (!vm.count("journal")) throw UsageError("--execute needs --journal FILE (the record that makes --resume possible)");
      options.journal = vm["journal"].as<std::string>();
      if (std::filesystem::exists(options.journal))
        throw UsageError("journal " + options.journal + " exists: use --resume " + options.journal + " or another file");
    }
  }
  if (vm.count("step") && !options.execute) throw UsageError("--step needs --execute");
  options.confirm_each = vm.count("step") > 0;
  options.procedure_file = std::filesystem::absolute(procedure_file).string();
  options.inventory_file = std::filesystem::absolute(inventory_file).string();

  model::Topology topology;
  const model::Procedure procedure = model::load_procedure(procedure_file, &topology);
  live::Inventory inventory = live::load_inventory(inventory_file, topology);
  const live::SshMultiplexer multiplexer(inventory);
  const live::RunOutcome outcome = live::run_procedure(procedure, topology, inventory, live::process_runner(inventory.ssh),
                                                       options, std::cout, std::cin);
  return live::exit_code(outcome);
}

}  // namespace acdsim::cli
