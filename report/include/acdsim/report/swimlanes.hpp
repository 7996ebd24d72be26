// A counterexample as per-host swimlanes: one lane (column) per host that the
// trace changes or the broken invariant names, one row per move in trace
// order with its kind (step, environment, fault) and label, each state change
// "component: old → new" in its host's lane, and at the end the broken
// invariant with its state, why and fix.
#pragma once
#include <string>
#include <vector>

#include "acdsim/checker/checker.hpp"
#include "acdsim/model/topology.hpp"

namespace acdsim::report {

// The host of a component path ("acd-jb1/share" -> "acd-jb1"; no '/' -> "").
std::string host_of(const std::string& component);

// The lanes, in the topology's host order (hosts it does not know last, in
// order of appearance).
std::vector<std::string> lanes_of(const checker::Violation& violation, const model::Topology& topology);

// The lanes table and the broken-invariant box; index and total number the
// counterexample ("Counterexample 2 of 3").
std::string swimlanes_html(const checker::Violation& violation, const model::Topology& topology, std::size_t index,
                           std::size_t total);

}  // namespace acdsim::report
