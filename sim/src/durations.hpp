// How long an environment move takes: the topology's "durations" entry for
// "<alias>/<component>.<event>", else "<kind>.<event>", else our default.
#pragma once
#include "acdsim/model/system.hpp"

namespace acdsim::sim {

model::Duration duration_of(const model::System& system, model::ComponentIndex component, model::EventId event);
// The built-in default for "<kind>.<event>" (docs/simulator.md lists them).
model::Duration default_duration(const std::string& key);

}  // namespace acdsim::sim
