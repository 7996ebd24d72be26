#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "acdsim/checker/invariants.hpp"
#include "acdsim/live/executor.hpp"
#include "acdsim/live/inventory.hpp"
#include "acdsim/live/journal.hpp"
#include "acdsim/live/transport.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"
#include "cli_common.hpp"
#include "commands.hpp"

namespace acdsim::cli {

int run_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "acdsim run PROCEDURE --inventory FILE : run a procedure on real hosts, checked step by step\n"
      "The dry run (default) reviews the plan: the checker's verdict from the initial state (or --observed),\n"
      "the waits the configured probes can never prove, every command and probe, and a summary.\noptions");
  opts.add_options()("help,h", "show this help")
      ("inventory,i", po::value<std::string>(), "where each host is and how it is reached (acdsim-inventory/1)")
      ("execute", "act: run the commands (default: dry run, print commands, targets and checks)")
      ("step", "with --execute: ask for confirmation before each step")
      ("journal,j", po::value<std::string>(), "with --execute: append-only journal (JSON lines) of the run")
      ("resume", po::value<std::string>(), "continue the run of this journal (implies --execute); re-probes first")
      ("wait-timeout", po::value<std::string>()->default_value("600"),
       "seconds to wait for a step whose wait has no timeout (greater than 0, at most one year: 31536000)")
      ("max-states", po::value<std::string>()->default_value("20000000"),
       "limit of each check (no verdict when reached; 1 to 1000000000000)")
      ("observed", po::value<std::string>(), "start from this snapshot (acdsim observe --out) instead of the procedure's initial state")
      ("accept", po::value<std::vector<std::string>>()->composing(),
       "also accept violations of this severity (data-loss, outage, manual-fix, warning); repeatable")
      ("force-unsafe", "with --execute: act although the checker does not call the procedure safe (recorded in the journal)")
      ("accept-unprovable-waits", "with --execute: act although some waits can never be proven by the configured probes")
      ("rerun-unfinished", "with --resume: run again a command that began before the interruption and has no result, "
                           "even if the probes show it may have taken effect")
      ("accept-unfinished", "with --resume: such a command took effect (checked by hand): do not run it again, await it");
  po::options_description hidden;
  hidden.add_options()("procedure", po::value<std::string>(), "");
  po::positional_options_description pos;
  pos.add("procedure", 1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    std::cout << opts << "\nExit codes (as acdsim check): 0 safe plan / run done; 1 violated plan, refused, deviation,\n"
                         "timeout or declined; 2 bad input, or an action the inventory cannot map; 3 no verdict (a\n"
                         "limit stopped the checker). Format and safety rules: docs/live.md.\n";
    return kOk;
  }
  for (const char* o : {"rerun-unfinished", "accept-unfinished"})
    if (vm.count(o) && !vm.count("resume")) throw UsageError(std::string("--") + o + " needs --resume JOURNAL");
  if (vm.count("rerun-unfinished") && vm.count("accept-unfinished"))
    throw UsageError("--rerun-unfinished and --accept-unfinished contradict each other: give one");
  live::RunOptions options;
  options.default_wait_s = positive_option(vm, "wait-timeout", limits::kMaxDurationS, "seconds");
  options.check.max_states = whole_option(vm, "max-states", 1, limits::kMaxStates, "a number of states");
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
  for (const char* o : {"force-unsafe", "accept-unprovable-waits"})
    if (vm.count(o) && !options.execute) throw UsageError(std::string("--") + o + " needs --execute");
  options.rerun_unfinished = vm.count("rerun-unfinished") > 0;
  options.accept_unfinished = vm.count("accept-unfinished") > 0;
  options.force_unsafe = vm.count("force-unsafe") > 0;
  options.accept_unprovable_waits = vm.count("accept-unprovable-waits") > 0;
  options.live_status = options.execute && isatty(STDOUT_FILENO);
  if (vm.count("accept"))
    for (const std::string& s : vm["accept"].as<std::vector<std::string>>()) {
      auto sev = checker::severity_by_name(s);
      if (!sev) throw UsageError("unknown severity \"" + s + "\" (expected data-loss, outage, manual-fix, warning)");
      options.check.accepted.push_back(*sev);
    }
  options.confirm_each = vm.count("step") > 0;
  options.procedure_file = std::filesystem::absolute(procedure_file).string();
  options.inventory_file = std::filesystem::absolute(inventory_file).string();

  model::Topology topology;
  const model::Procedure procedure = model::load_procedure(procedure_file, &topology);
  live::Inventory inventory = live::load_inventory(inventory_file, topology);
  if (vm.count("observed")) {
    options.observed_file = vm["observed"].as<std::string>();
    options.observed = model::load_snapshot(model::System(topology), options.observed_file);
  }
  const live::SshMultiplexer multiplexer(inventory);
  const live::RunOutcome outcome = live::run_procedure(procedure, topology, inventory, live::process_runner(inventory.ssh),
                                                       options, std::cout, std::cin);
  return live::exit_code(outcome);
}

}  // namespace acdsim::cli
