#include "acdsim/sim/replay.hpp"

#include <filesystem>

#include "json_source.hpp"  // model/src: located errors

namespace acdsim::sim {

Counterexample load_counterexample(const std::string& path) {
  return parse_counterexample(model::json_input::read_text_file(path), path);
}

Counterexample parse_counterexample(const std::string& text, const std::string& path) {
  namespace fs = std::filesystem;
  using model::json_input::Source;
  using model::json_input::Value;
  const Source source(text, path);
  const Value root = source.root();
  root.require_object();
  const Value format = root.at("format");
  if (format.string() != "acdsim-counterexample/1")
    format.fail("expected \"acdsim-counterexample/1\" (a file written by acdsim check --trace-out), got \"" +
                format.string() + "\"");
  Counterexample ce;
  const Value file = root.at("file");
  ce.procedure_file = file.nonempty_string();
  if (!fs::exists(ce.procedure_file)) {
    const fs::path beside = fs::path(path).parent_path() / fs::path(ce.procedure_file).filename();
    if (!fs::exists(beside))
      file.fail("procedure file \"" + ce.procedure_file + "\" not found (as written, nor next to the counterexample)");
    ce.procedure_file = beside.string();
  }
  const Value initial = root.at("initial");
  initial.require_object();
  ce.initial = nlohmann::json::parse(initial.json().dump());
  const Value violation = root.at("violation");
  ce.invariant = violation.at("invariant").string();
  ce.subject = violation.at("subject").string();
  for (const Value& step : violation.at("trace").array()) {
    const Value what = step.at("what");
    const std::string& w = what.string();
    if (w != "step" && w != "environment" && w != "fault")
      what.fail("expected \"step\", \"environment\" or \"fault\", got \"" + w + "\"");
    ce.moves.push_back(ReplayMove{w, step.at("label").nonempty_string()});
  }
  return ce;
}

}  // namespace acdsim::sim
