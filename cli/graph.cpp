#include "commands.hpp"

#include <iostream>

#include "acdsim/model/dot.hpp"
#include "acdsim/model/output.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"

#include "cli_common.hpp"

namespace acdsim::cli {

using namespace acdsim::model;

int graph_command(const std::vector<std::string>& args) {
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

}  // namespace acdsim::cli
