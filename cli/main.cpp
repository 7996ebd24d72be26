// acdsim: the command line. Option parsing only; the work is in the libraries.
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "acdsim/checker/checker.hpp"
#include "acdsim/checker/report.hpp"
#include "acdsim/model/dot.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/kind_table.hpp"
#include "acdsim/model/output.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/step_targets.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"

namespace po = boost::program_options;
using namespace acdsim::model;

namespace {

constexpr int kOk = 0;
constexpr int kBadInput = 2;

const char* const kUsage =
    "usage: acdsim <command> [options]\n"
    "\n"
    "commands:\n"
    "  check PROCEDURE...   prove a procedure safe over every interleaving, or show the shortest way it breaks\n"
    "  validate FILE...     check topology and procedure files; exit 2 on the first bad one\n"
    "  graph FILE           dependency graph of a topology, or step order of a procedure, as DOT\n"
    "  machines [KIND]      the component machines: sizes, or one machine's state graph as DOT\n"
    "\n"
    "Run 'acdsim <command> --help' for a command's options.\n"
    "Exit codes: 0 ok, 1 a property violated, 2 bad input or usage.\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class FileType { Topology, Procedure };

// Which format a file declares (without parsing it: the loaders report errors).
FileType sniff(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "", 0, "cannot open the file");
  std::stringstream text;
  text << in.rdbuf();
  static const std::regex format(R"re("format"\s*:\s*"acdsim-(topology|procedure)/)re");
  std::smatch m;
  const std::string s = text.str();
  if (!std::regex_search(s, m, format))
    throw InputError(path, "/format", 0, R"(expected "format": "acdsim-topology/1" or "acdsim-procedure/1")");
  return m[1] == "topology" ? FileType::Topology : FileType::Procedure;
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible,
                        const po::positional_options_description& positional,
                        const po::options_description& hidden = po::options_description()) {
  po::options_description all;
  all.add(visible).add(hidden);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  return vm;
}

int validate(const std::vector<std::string>& args) {
  po::options_description opts("acdsim validate FILE... : check topology and procedure files\noptions");
  opts.add_options()("help,h", "show this help")("quiet,q", "print only errors");
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::vector<std::string>>(), "");
  po::positional_options_description pos;
  pos.add("file", -1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    std::cout << opts << "\nEach FILE is a topology (format acdsim-topology/1) or a procedure\n"
                         "(format acdsim-procedure/1, validated against its topology).\n";
    return kOk;
  }
  if (!vm.count("file")) throw UsageError("validate needs at least one FILE");
  int status = kOk;
  for (const std::string& path : vm["file"].as<std::vector<std::string>>()) {
    try {
      if (sniff(path) == FileType::Topology) {
        System system(load_topology(path));
        system.all_up();  // the model can represent this topology fully running
        if (!vm.count("quiet"))
          std::cout << "ok: " << path << " (topology " << system.topology().name << ": " << system.topology().hosts.size()
                    << " hosts, " << system.size() << " components)\n";
      } else {
        Topology topology;
        Procedure p = load_procedure(path, &topology);
        System system(topology);
        for (const Step& step : p.steps)
          for (const std::string& target : expand_target(topology, step)) system.command(step.action, target);
        if (p.initial != "all_off" && p.initial != "all_up")
          load_snapshot(system, (std::filesystem::path(path).parent_path() / p.initial).string());
        if (!vm.count("quiet"))
          std::cout << "ok: " << path << " (procedure \"" << p.name << "\", " << p.kind << ", " << p.steps.size()
                    << " steps on " << topology.name << ")\n";
      }
    } catch (const InputError& e) {
      std::cerr << "error: " << e.what() << "\n";
      status = kBadInput;
    }
  }
  return status;
}

int graph(const std::vector<std::string>& args) {
  po::options_description opts("acdsim graph FILE : dependency graph of a topology, or a procedure's step order\noptions");
  opts.add_options()("help,h", "show this help")("format,f", po::value<std::string>()->default_value("dot"),
                                                  "output format (dot)")(
      "output,o", po::value<std::string>(), "write to this file (atomically) instead of standard output");
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::string>(), "");
  po::positional_options_description pos;
  pos.add("file", 1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    std::cout << opts << "\nRender with Graphviz, e.g.: acdsim graph FILE | dot -Tsvg > graph.svg\n";
    return kOk;
  }
  if (!vm.count("file")) throw UsageError("graph needs a FILE");
  if (vm["format"].as<std::string>() != "dot") throw UsageError("unknown --format " + vm["format"].as<std::string>() + " (expected dot)");
  const std::string path = vm["file"].as<std::string>();
  const std::string dot = sniff(path) == FileType::Topology ? topology_dot(load_topology(path))
                                                            : procedure_dot(load_procedure(path));
  if (vm.count("output")) write_file_atomically(vm["output"].as<std::string>(), dot);
  else std::cout << dot;
  return kOk;
}

int check(const std::vector<std::string>& args) {
  po::options_description opts("acdsim check PROCEDURE... : every interleaving of the steps with the environment\noptions");
  opts.add_options()("help,h", "show this help")
      ("format,f", po::value<std::string>()->default_value("text"), "text, json or junit")
      ("faults", po::value<unsigned>()->default_value(0), "also explore up to this many faults anywhere")
      ("max-states", po::value<std::uint64_t>()->default_value(200'000'000), "stop (verdict incomplete) after this many states")
      ("max-memory", po::value<std::uint64_t>()->default_value(16384), "stop (verdict incomplete) above this many MiB")
      ("accept", po::value<std::vector<std::string>>()->composing(),
       "also accept violations of this severity (data-loss, outage, manual-fix, warning); repeatable")
      ("trace-out", po::value<std::string>(), "write the counterexample (JSON) to this file; with several procedures, the first")
      ("output,o", po::value<std::string>(), "write the report to this file (atomically) instead of standard output")
      ("quiet,q", "no progress on standard error");
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::vector<std::string>>(), "");
  po::positional_options_description pos;
  pos.add("file", -1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    std::cout << opts << "\nExit codes: 0 every procedure safe, 1 a violation (or a limit stopped the search:\n"
                         "verdict incomplete), 2 bad input or usage. Invariants: docs/invariants.md.\n";
    return kOk;
  }
  if (!vm.count("file")) throw UsageError("check needs at least one PROCEDURE file");
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json" && format != "junit")
    throw UsageError("unknown --format " + format + " (expected text, json or junit)");
  acdsim::checker::Options options;
  options.faults = vm["faults"].as<unsigned>();
  options.max_states = vm["max-states"].as<std::uint64_t>();
  options.max_memory_bytes = vm["max-memory"].as<std::uint64_t>() << 20;
  options.progress = !vm.count("quiet");
  if (vm.count("accept"))
    for (const std::string& s : vm["accept"].as<std::vector<std::string>>()) {
      auto sev = acdsim::checker::severity_by_name(s);
      if (!sev) throw UsageError("unknown severity \"" + s + "\" (expected data-loss, outage, manual-fix, warning)");
      options.accepted.push_back(*sev);
    }
  std::vector<acdsim::checker::Checked> all;
  for (const std::string& path : vm["file"].as<std::vector<std::string>>()) {
    Topology topology;
    Procedure procedure = load_procedure(path, &topology);
    acdsim::checker::Checker checker(procedure, topology, options);
    acdsim::checker::Result result = checker.run();
    all.push_back({path, procedure, std::move(result), snapshot_to_json(System(topology), checker.initial())});
  }
  std::string out;
  if (format == "junit") {
    out = acdsim::checker::report_junit(all);
  } else if (format == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& c : all) j.push_back(acdsim::checker::report_json(c));
    out = (all.size() == 1 ? j[0] : j).dump(2) + "\n";
  } else {
    for (const auto& c : all) out += acdsim::checker::report_text(c);
  }
  if (vm.count("output")) write_file_atomically(vm["output"].as<std::string>(), out);
  else std::cout << out;
  int status = kOk;
  for (const auto& c : all) {
    if (c.result.verdict == acdsim::checker::Verdict::Safe) continue;
    status = 1;
    if (vm.count("trace-out") && c.result.violation) {
      nlohmann::json t = acdsim::checker::report_json(c);
      t["format"] = "acdsim-counterexample/1";
      t["initial"] = c.initial;
      write_file_atomically(vm["trace-out"].as<std::string>(), t.dump(2) + "\n");
      break;
    }
  }
  return status;
}

int machines(const std::vector<std::string>& args) {
  po::options_description opts("acdsim machines [KIND] : the component state machines\noptions");
  opts.add_options()("help,h", "show this help")("format,f", po::value<std::string>()->default_value("text"),
                                                  "text (sizes of every machine) or dot (KIND's state graph)");
  po::options_description hidden;
  hidden.add_options()("kind", po::value<std::string>(), "");
  po::positional_options_description pos;
  pos.add("kind", 1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    std::cout << opts << "\nKinds: vm service replication share_mount jboss telephony hazelcast router drbd pacemaker\n";
    return kOk;
  }
  const std::string format = vm["format"].as<std::string>();
  if (format == "dot") {
    if (!vm.count("kind")) throw UsageError("machines --format dot needs a KIND");
    auto kind = kind_by_name(vm["kind"].as<std::string>());
    if (!kind) throw UsageError("unknown kind \"" + vm["kind"].as<std::string>() + "\"");
    std::cout << kind_dot(KindTable::of(*kind));
    return kOk;
  }
  if (format != "text") throw UsageError("unknown --format " + format + " (expected text or dot)");
  std::printf("%-12s %10s %8s %8s %8s %12s %12s\n", "kind", "MSM states", "rows", "events", "facts", "reachable",
              "transitions");
  for (KindId id : all_kinds()) {
    const KindTable& t = KindTable::of(id);
    if (vm.count("kind") && t.spec().name != vm["kind"].as<std::string>()) continue;
    std::printf("%-12s %10zu %8zu %8zu %8zu %12zu %12zu\n", std::string(t.spec().name).c_str(), t.spec().msm_states,
                t.spec().msm_rows, t.spec().events.size(), t.spec().facts.size(), t.size(), t.transition_count());
  }
  std::cout << "(reachable: local states incl. attributes; transitions: taken (state, event, facts) entries)\n";
  return kOk;
}

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
    if (verb == "check") return check(args);
    if (verb == "validate") return validate(args);
    if (verb == "graph") return graph(args);
    if (verb == "machines") return machines(args);
    throw UsageError("unknown command \"" + verb + "\"");
  } catch (const UsageError& e) {
    std::cerr << "acdsim: " << e.what() << "\n\n" << kUsage;
    return kBadInput;
  } catch (const InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kBadInput;
  } catch (const std::logic_error& e) {
    std::cerr << "acdsim: internal error (please report): " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {  // I/O problems: unreadable input, unwritable output
    std::cerr << "acdsim: " << e.what() << "\n";
    return kBadInput;
  }
}
