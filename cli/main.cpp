// acdsim: the command line. Option parsing only; the work is in the libraries.
// Each command lives in its own file (commands.hpp).
#include <iostream>
#include <new>
#include <nlohmann/json.hpp>
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
    "  merge SHARD...       combine the shards of a fuzz or whatif campaign (--shard I/N) into its reports\n"
    "  run PROCEDURE        run a procedure on real hosts, re-checked before each step (dry run by default)\n"
    "  observe              probe every host of an inventory once: the cluster as the model sees it, as a snapshot\n"
    "  export cib TOPOLOGY  the storage cluster as Pacemaker's CIB for a model state (for crm_simulate)\n"
    "  export promela PROCEDURE  the procedure as a Promela model, to re-verify a verdict with SPIN\n"
    "  import cib FILE      a real CIB (pcs cluster cib) as the topology's storage_cluster object\n"
    "  import spin-trail MODEL.pml REPLAY  a SPIN trail (spin -t output) as a counterexample for simulate --replay\n"
    "\n"
    "Run 'acdsim <command> --help' for a command's options.\n"
    "Exit codes: 0 ok, 1 a property violated, 2 bad input or usage, 3 check: incomplete (a limit\n"
    "stopped the search; any command: out of memory), 4 internal error.\n"
    "Every command: '-o -' writes to standard output; an output path that is a symlink is refused\n"
    "unless --follow-symlinks is given; an output never replaces an input of the same run.\n";

// What to change when memory runs out, by command (exit 3, one line).
std::string memory_hint(const std::string& verb) {
  if (verb == "check") return "lower --max-memory (MiB; the default is 3/4 of this machine's memory) or --max-states, or use fewer --faults";
  if (verb == "whatif") return "sweep fewer grid points, fewer --seeds or fewer --threads";
  if (verb == "plan") return "lower --max-states, --seeds or --threads";
  if (verb == "simulate") return "use fewer --runs, a shorter --horizon or a lower --load";
  if (verb == "fuzz") return "use fewer --runs or a shorter --window";
  return "the input is too large for the memory available (ulimit -v, cgroup or RAM)";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const std::string verb = args.empty() ? "" : args[0];
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      std::cout << kUsage;
      return args.empty() ? kBadInput : kOk;
    }
    if (args[0] == "--version") {
      std::cout << "acdsim 0.1.0\n";
      return kOk;
    }
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
    if (verb == "merge") return merge_command(args);
    if (verb == "observe") return observe_command(args);
    if (verb == "export") return export_command(args);
    if (verb == "import") return import_command(args);
    throw UsageError("unknown command \"" + verb + "\"");
  } catch (const OptionError& e) {  // a bad value: the option and its range say enough
    std::cerr << "acdsim " << verb << ": " << e.what() << "\n";
    return kBadInput;
  } catch (const UsageError& e) {
    std::cerr << "acdsim: " << e.what() << "\n\n" << kUsage;
    return kBadInput;
  } catch (const acdsim::model::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kBadInput;
  } catch (const nlohmann::json::exception& e) {  // a JSON path no loader located: still one line, no raw id
    std::string what = e.what();
    if (const auto close = what.find("] "); what.rfind("[json.exception.", 0) == 0 && close != std::string::npos)
      what = what.substr(close + 2);
    std::cerr << "acdsim " << verb << ": unexpected JSON in an input: " << what << "\n";
    return kBadInput;
  } catch (const std::bad_alloc&) {
    std::cerr << "acdsim " << verb << ": out of memory: " << memory_hint(verb) << "\n";
    return kIncomplete;
  } catch (const std::logic_error& e) {
    std::cerr << "acdsim: internal error (please report): " << e.what() << "\n";
    return kInternalError;
  } catch (const std::exception& e) {  // I/O problems: unreadable input, unwritable output
    std::cerr << "acdsim: " << e.what() << "\n";
    return kBadInput;
  }
}
