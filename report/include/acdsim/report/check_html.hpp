// acdsim check --format html: the verdict, each procedure's facts, its
// topology drawn, every counterexample as per-host swimlanes.
#pragma once
#include <string>
#include <vector>

#include "acdsim/checker/report.hpp"
#include "acdsim/model/topology.hpp"

namespace acdsim::report {

// The violations a result carries, first found first (one or many).
std::vector<const checker::Violation*> violations_of(const checker::Result& result);

// One report for the procedures checked in one run; topologies[i] is the
// topology of all[i].
std::string check_html(const std::vector<checker::Checked>& all, const std::vector<model::Topology>& topologies);

}  // namespace acdsim::report
