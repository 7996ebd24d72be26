#include "commands.hpp"

#include <cstdio>
#include <iostream>

#include "acdsim/model/dot.hpp"
#include "acdsim/model/kind_table.hpp"

#include "cli_common.hpp"

namespace acdsim::cli {

using namespace acdsim::model;

int machines_command(const std::vector<std::string>& args) {
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

}  // namespace acdsim::cli
