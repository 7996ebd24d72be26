// Presenting check results: text for people, JSON (schema acdsim-check/1,
// docs/checker.md) and JUnit XML for CI systems.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acdsim/checker/checker.hpp"

namespace acdsim::checker {

struct Checked {
  std::string file;
  model::Procedure procedure;
  Result result;
  nlohmann::json initial;  // snapshot JSON of the initial state (for --trace-out)
};

std::string report_text(const Checked& checked);
nlohmann::json report_json(const Checked& checked);
// One <testsuite> per procedure, one <testcase> per invariant of the catalogue.
std::string report_junit(const std::vector<Checked>& all);

}  // namespace acdsim::checker
