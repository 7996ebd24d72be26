#include "commands.hpp"

#include <filesystem>
#include <iostream>

#include "acdsim/model/input_error.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/step_targets.hpp"
#include "acdsim/model/system.hpp"
#include "acdsim/model/topology.hpp"

#include "cli_common.hpp"

namespace acdsim::cli {

using namespace acdsim::model;

int validate_command(const std::vector<std::string>& args) {
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

}  // namespace acdsim::cli
