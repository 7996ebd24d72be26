// The parallel search on generated procedures (planned, some with a dependency
// dropped so that they break): any number of threads, any wave size, with or
// without each reduction, gives the one-thread report (docs/checker.md, "Threads").
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "acdsim/checker/report.hpp"
#include "generators.hpp"

namespace acdsim::property {
namespace {

nlohmann::json report_of(const model::Procedure& p, checker::Result r) {
  r.seconds = 0;
  return checker::report_json(checker::Checked{"generated.json", p, std::move(r), nlohmann::json()});
}

RC_GTEST_PROP(Threads, AnyNumberOfThreadsGivesTheOneThreadReport, ()) {
  Shape shape = *shapes(2);
  shape.redundant = shape.redundant && *rc::gen::arbitrary<bool>();
  const model::Topology t = topology_of(shape);
  const model::Procedure p = procedure_of(safe_plan_perhaps_weakened(t), t);
  checker::Options o = quick_check();
  o.max_states = 400'000;
  o.symmetry = *rc::gen::arbitrary<bool>();
  o.partial_order = *rc::gen::arbitrary<bool>();
  o.all_violations = *rc::gen::arbitrary<bool>();
  o.threads = 1;
  const checker::Result one = checker::Checker(p, t, o).run();
  o.threads = *rc::gen::inRange(2u, 6u);
  o.wave_parents = *rc::gen::element(0u, 1u, 5u, 64u);
  const checker::Result many = checker::Checker(p, t, o).run();
  RC_ASSERT(many.states == one.states);
  RC_ASSERT(many.verdict == one.verdict);
  if (one.violation) RC_ASSERT(many.violation->trace.size() == one.violation->trace.size());
  RC_ASSERT(report_of(p, many) == report_of(p, one));
}

}  // namespace
}  // namespace acdsim::property
