// Pieces shared by the simulate and plan reports (private to report/).
#pragma once
#include <string>
#include <vector>

#include "acdsim/report/html.hpp"
#include "acdsim/sim/simulator.hpp"

namespace acdsim::report {

// The run's Gantt chart with its window facts and critical chain.
std::string timeline_html(const sim::RunResult& run, const std::string& title);

// Findings of the runs (seed, time, id, severity, subject, detail, accepted).
std::string findings_html(const std::vector<sim::RunResult>& runs);

// Workload per class for one run.
std::string workload_html(const sim::RunResult& run);

// Window facts for the verdict banner ("window", "service back", ...).
std::vector<Fact> window_facts(const sim::RunResult& run);

}  // namespace acdsim::report
