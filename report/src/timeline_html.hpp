// Pieces shared by the check, simulate and plan reports (private to report/).
#pragma once
#include <string>
#include <vector>

#include "acdsim/model/procedure.hpp"
#include "acdsim/report/html.hpp"
#include "acdsim/sim/simulator.hpp"

namespace acdsim::report {

// The procedure's steps: action, target, after, the wait that completes it, timeout.
std::string steps_html(const model::Procedure& procedure);

// The run's Gantt chart with its window facts and critical chain.
std::string timeline_html(const sim::RunResult& run, const std::string& title);

// Findings of the runs (seed, time, id, severity, subject, detail, accepted).
std::string findings_html(const std::vector<sim::RunResult>& runs);

// Workload per class for one run.
std::string workload_html(const sim::RunResult& run);

// Window facts for the verdict banner ("window", "service back", ...).
std::vector<Fact> window_facts(const sim::RunResult& run);

}  // namespace acdsim::report
