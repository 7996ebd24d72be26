// Snapshots survive encode/decode (packed words and the JSON file form) in
// every state a random walk over the model reaches.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>

#include "acdsim/model/snapshot.hpp"
#include "acdsim/model/system.hpp"
#include "generators.hpp"

namespace acdsim::property {
namespace {

RC_GTEST_PROP(Snapshot, EncodeDecodeRoundTripsOnRandomWalks, ()) {
  const model::System system(topology_of(*shapes()));
  std::vector<model::Move> moves = system.environment_moves();
  moves.insert(moves.end(), system.fault_moves().begin(), system.fault_moves().end());
  for (const auto& h : system.topology().hosts)
    for (const char* action : {"power_on", "shutdown", "power_off"}) moves.push_back(system.command(action, h.alias));
  model::Snapshot state = *rc::gen::element(system.all_off(), system.all_up());
  const int length = *rc::gen::inRange(0, 60);
  for (int i = 0; i < length; ++i) {
    std::vector<model::Snapshot> next;
    for (const auto& m : moves)
      if (auto s = system.apply(state, m)) next.push_back(std::move(*s));
    if (next.empty()) break;
    state = *rc::gen::elementOf(next);
  }
  RC_ASSERT(system.layout().unpack(system.layout().pack(state)) == state);
  const nlohmann::json j = model::snapshot_to_json(system, state);
  RC_ASSERT(model::snapshot_from_json(system, nlohmann::json::parse(j.dump()), "walk.json") == state);
}

}  // namespace
}  // namespace acdsim::property
