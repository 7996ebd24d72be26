// The scenario parser never crashes on mutated input: every shipped topology
// and procedure, with random edits of its text or of its JSON values, either
// parses or is rejected with an InputError located in the file.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "acdsim/model/input_error.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "generators.hpp"

namespace acdsim::property {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> shipped(const char* folder) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(ACDSIM_SOURCE_DIR) / "scenarios" / folder))
    if (e.path().extension() == ".json" && e.path().parent_path().filename() != "known-bad") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// A random edit of the text: delete, insert or replace one character.
std::string edit_text(std::string text) {
  const char alphabet[] = "{}[]\":,0123456789-abtfnulrse /\\";
  const int edits = *rc::gen::inRange(1, 4);
  for (int i = 0; i < edits && !text.empty(); ++i) {
    const auto at = *rc::gen::inRange<std::size_t>(0, text.size());
    const char c = alphabet[*rc::gen::inRange<std::size_t>(0, sizeof alphabet - 1)];
    switch (*rc::gen::inRange(0, 3)) {
      case 0: text.erase(at, 1); break;
      case 1: text.insert(at, 1, c); break;
      default: text[at] = c;
    }
  }
  return text;
}

// A random value somewhere below the root replaced by one of another shape.
void edit_value(nlohmann::ordered_json& j) {
  nlohmann::ordered_json* at = &j;
  for (bool first = true; (at->is_object() || at->is_array()) && !at->empty() && (first || *rc::gen::inRange(0, 4) != 0);
       first = false) {
    const auto i = *rc::gen::inRange<std::size_t>(0, at->size());
    at = &*std::next(at->begin(), static_cast<std::ptrdiff_t>(i));
  }
  static const std::vector<nlohmann::ordered_json> values{
      nullptr, 7, -1.5, "", "acd-nowhere", "role:jb", true, nlohmann::ordered_json::array(),
      nlohmann::ordered_json::object(), nlohmann::ordered_json::array({"x", 1})};
  *at = values[*rc::gen::inRange<std::size_t>(0, values.size())];
}

// Parses; an InputError must name the file (and the JSON path when the JSON itself is well-formed).
void parses_or_located(const std::string& text, const std::string& file, bool procedure, const model::Topology* topology,
                       bool well_formed) {
  try {
    if (procedure) model::parse_procedure(text, file, *topology);
    else model::parse_topology(text, file);
  } catch (const model::InputError& e) {
    const std::string what = e.what();
    RC_LOG() << what << "\n";
    RC_ASSERT(what.rfind(file + ":", 0) == 0);
    if (well_formed) RC_ASSERT(!e.json_path().empty());
    RC_ASSERT(!e.message().empty());
  }
}

RC_GTEST_PROP(Parser, MutatedTopologiesParseOrFailWithALocatedError, ()) {
  const fs::path file = *rc::gen::elementOf(shipped("topologies"));
  const std::string text = read(file);
  if (*rc::gen::arbitrary<bool>()) {
    parses_or_located(edit_text(text), file.filename().string(), false, nullptr, false);
  } else {
    auto j = nlohmann::ordered_json::parse(text);
    edit_value(j);
    parses_or_located(j.dump(1), file.filename().string(), false, nullptr, true);
  }
}

RC_GTEST_PROP(Parser, MutatedProceduresParseOrFailWithALocatedError, ()) {
  const fs::path file = *rc::gen::elementOf(shipped("procedures"));
  model::Topology topology;
  model::load_procedure(file.string(), &topology);
  const std::string text = read(file);
  if (*rc::gen::arbitrary<bool>()) {
    parses_or_located(edit_text(text), file.filename().string(), true, &topology, false);
  } else {
    auto j = nlohmann::ordered_json::parse(text);
    edit_value(j);
    if (j.is_object() && j.contains("topology")) j["topology"] = "ignored.json";
    parses_or_located(j.dump(1), file.filename().string(), true, &topology, true);
  }
}

}  // namespace
}  // namespace acdsim::property
