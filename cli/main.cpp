// acdsim: the command line. Option parsing only; the work is in the libraries.
// Each command lives in its own file (commands.hpp).
#include <iostream>
#include <string>
#include <vector>

#include "acdsim/model/input_error.hpp"
#include "cli_common.hpp"
#include "commands.hpp"

using namespace acdsim::cli;

namespace {

const char* const kUsage =
    "usage: acdsim <command> [options]\n"
    "\n"
    "commands:\n"
    "  check PROCEDURE...   prove a procedure safe over every interleaving, or show the shortest way it breaks\n"
    "  simulate PROCEDURE   timed runs: workload, router queue, rollouts, faults; metrics and Chrome traces\n"
    "  whatif SCENARIO      a rollout over a grid (strategy, group size, drain, load) x seeds: table, CSV/JSON, SVG\n"
    "  validate FILE...     check topology and procedure files; exit 2 on the first bad one\n"
    "  graph FILE           dependency graph of a topology, or step order of a procedure, as DOT\n"
    "  machines [KIND]      the component machines: sizes, or one machine's state graph as DOT\n"
    "  plan TOPOLOGY        derive a startup, shutdown, failover or rollout procedure; prove it safe\n"
    "  fuzz PROCEDURE       random timed runs with faults; shrinks a failure to a replayable case\n"
    "  run PROCEDURE        run a procedure on real hosts, re-checked before each step (dry run by default)\n"
    "  observe              probe every host of an inventory once: the cluster as the model sees it, as a snapshot\n"
    "  export cib TOPOLOGY  the storage cluster as Pacemaker's CIB for a model state (for crm_simulate)\n"
    "  import cib FILE      a real CIB (pcs cluster cib) as the topology's storage_cluster object\n"
    "\n"
    "Run 'acdsim <command> --help' for a command's options.\n"
    "Exit codes: 0 ok, 1 a property violated, 2 bad input or usage, 3 check: incomplete (a limit\n"
    "stopped the search), 4 internal error.\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      std::cout << kUsage;
      return args.empty() ? kBadInput : kOk;
    }
    if (args[0] == "--version") {
      std::cout << "acdsim 0.1.0\n";
      return kOk;
    }
    const std::string verb = args[0];
    args.erase(args.begin());
    if (verb == "check") return check_command(args);
    if (verb == "simulate") return simulate_command(args);
    if (verb == "whatif") return whatif_command(args);
    if (verb == "validate") return validate_command(args);
    if (verb == "graph") return graph_command(args);
    if (verb == "machines") return machines_command(args);
    if (verb == "run") return run_command(args);
    if (verb == "plan") return plan_command(args);
    if (verb == "fuzz") return fuzz_command(args);
    if (verb == "observe") return observe_command(args);
    if (verb == "export") return export_command(args);
    if (verb == "import") return import_command(args);
    throw UsageError("unknown command \"" + verb + "\"");
  } catch (const UsageError& e) {
    std::cerr << "acdsim: " << e.what() << "\n\n" << kUsage;
    return kBadInput;
  } catch (const acdsim::model::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kBadInput;
  } catch (const std::logic_error& e) {
    std::cerr << "acdsim: internal error (please report): " << e.what() << "\n";
    return kInternalError;
  } catch (const std::exception& e) {  // I/O problems: unreadable input, unwritable output
    std::cerr << "acdsim: " << e.what() << "\n";
    return kBadInput;
  }
}
