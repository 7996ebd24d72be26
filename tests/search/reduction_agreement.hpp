// What the reduction tests share (reduction_test.cpp, hostless_steps_test.cpp): a search
// with chosen reductions, and the check that every reduction gives the unreduced verdict.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <utility>

#include "acdsim/checker/checker.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"

namespace acdsim::checker::search_test {

inline Options reductions(bool symmetry, bool partial_order, std::uint64_t max_states) {
  Options o;
  o.symmetry = symmetry;
  o.partial_order = partial_order;
  o.max_states = max_states;
  return o;
}

// More checks of one reduced result; `label` is the name and the reductions ("... sym por").
using ReducedCheck = std::function<void(const Result& reduced, const Result& full, const std::string& label,
                                        bool symmetry, bool partial_order)>;

// Symmetry, partial order and both give the unreduced search's verdict with no more states;
// a violation keeps its severity (and its invariant, unless a twin host's own "user." one
// may be named) and has a trace, a shortest one without partial order (the quotient keeps
// distances). A reduced trace that does not replay throws: a failure naming the run.
inline void expect_reductions_agree(const model::Procedure& p, const model::Topology& t, const std::string& name,
                                    std::uint64_t max_states, const ReducedCheck& more = {}) {
  const Result full = Checker(p, t, reductions(false, false, max_states)).run();
  ASSERT_NE(full.verdict, Verdict::Incomplete) << name;
  for (auto [sym, por] : {std::pair{true, false}, {false, true}, {true, true}}) {
    const std::string label = name + (sym ? " sym" : "") + (por ? " por" : "");
    Result reduced;
    try {
      reduced = Checker(p, t, reductions(sym, por, max_states)).run();
    } catch (const std::exception& e) {
      FAIL() << label << ": " << e.what();
    }
    EXPECT_EQ(reduced.verdict, full.verdict) << label;
    EXPECT_LE(reduced.states, full.states) << label;
    if (more) more(reduced, full, label, sym, por);
    if (reduced.verdict != Verdict::Violated || full.verdict != Verdict::Violated) continue;
    EXPECT_EQ(reduced.violation->spec->severity, full.violation->spec->severity) << label;
    if (!reduced.violation->spec->id.starts_with("user.")) {
      EXPECT_EQ(reduced.violation->spec->id, full.violation->spec->id) << label;
    }
    EXPECT_FALSE(reduced.violation->trace.empty()) << label;
    if (!por) {
      EXPECT_EQ(reduced.violation->trace.size(), full.violation->trace.size()) << label << ": still a shortest trace";
    }
  }
}

}  // namespace acdsim::checker::search_test
