#include "commands.hpp"

#include <iostream>
#include <optional>

#include "acdsim/model/dot.hpp"
#include "acdsim/model/output.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"

#include "cli_common.hpp"

namespace acdsim::cli {

using namespace acdsim::model;

int graph_command(const std::vector<std::string>& args) {
  po::options_description opts("acdsim graph FILE : dependency graph of a topology, or a procedure's step order\noptions");
  opts.add_options()("help,h", "show this help")
      ("format,f", po::value<std::string>()->default_value("dot"),
       "output format: dot (Graphviz source) or svg (laid out by Graphviz 'dot', which must be installed)")
      ("output,o", po::value<std::string>(), "write to this file (atomically; - is standard output) instead of standard output");
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::string>(), "");
  po::positional_options_description pos;
  pos.add("file", 1);
  auto vm = parse(args, opts, pos, hidden);
  if (vm.count("help")) {
    std::cout << opts << "\nExamples:\n  acdsim graph --format svg -o topology.svg TOPOLOGY\n"
                         "  acdsim graph PROCEDURE | dot -Tpng > steps.png\n";
    return kOk;
  }
  if (!vm.count("file")) throw UsageError("graph needs a FILE");
  const std::string format = vm["format"].as<std::string>();
  if (format != "dot" && format != "svg") throw UsageError("unknown --format " + format + " (expected dot or svg)");
  const std::string path = vm["file"].as<std::string>();
  const bool topology = sniff(path) == FileType::Topology;
  std::string out = topology ? topology_dot(load_topology(path)) : procedure_dot(load_procedure(path));
  if (format == "svg") {
    std::string error;
    std::optional<std::string> svg = svg_element(render_dot(out, "svg", error));
    if (!svg) {
      std::cerr << "acdsim graph: " << error << "\n";
      return kBadInput;
    }
    out = std::move(*svg);
  }
  write_output_option(vm, out);
  return kOk;
}

}  // namespace acdsim::cli
