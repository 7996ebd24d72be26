// Rollouts keep their promise: a group rollout never has more than the group
// size out of service, an atomic one never serves two editions, in the
// checker (every interleaving) and in simulated runs (random durations, load).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "acdsim/checker/checker.hpp"
#include "acdsim/sim/simulator.hpp"
#include "generators.hpp"

namespace acdsim::property {
namespace {

RC_GTEST_PROP(Rollout, NeverMoreThanTheGroupOutNorTwoEditionsServing, ()) {
  Shape shape = *shapes(4);
  shape.lb = true;
  shape.redundant = false;
  shape.jb = *rc::gen::inRange(2, 5);
  const model::Topology t = topology_of(shape);
  const bool atomic = *rc::gen::arbitrary<bool>();
  const unsigned group = *rc::gen::inRange(1, shape.jb);
  const std::string block = atomic ? R"({"strategy": "atomic"})"
                                   : R"({"strategy": "group", "group_size": )" + std::to_string(group) + "}";
  const model::Procedure p = model::parse_procedure(
      R"({"format": "acdsim-procedure/1", "name": "r", "kind": "rollout", "topology": "generated.json", "rollout": )" + block + "}",
      "rollout.json", t);
  RC_LOG() << shape << " " << block << "\n";
  const checker::Result checked = checker::Checker(p, t, quick_check()).run();
  RC_ASSERT(checked.verdict != checker::Verdict::Incomplete);
  if (checked.violation) RC_ASSERT(!std::string(checked.violation->spec->id).starts_with("rollout."));
  const sim::Simulator simulator(p, t);
  sim::Options o = quick_run();
  o.load = *rc::gen::element(0.3, 1.0);
  o.guard_threshold = 0;  // the guard may refuse under load; the invariants are what is tested
  const sim::RunResult r = simulator.run(*rc::gen::arbitrary<std::uint64_t>(), o);
  for (const auto& f : r.findings) {
    RC_LOG() << f.id << " " << f.subject << "\n";
    RC_ASSERT(!f.id.starts_with("rollout."));
  }
}

}  // namespace
}  // namespace acdsim::property
