#include "fuzz_support.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace acdsim::fuzz {

namespace {

// Longest first, so that "jtel-large-redundant-pp" is not read as "jtel-large".
constexpr std::array<std::string_view, 5> kShipped = {"jtel-large-redundant-pp", "jtel-large-redundant",
                                                      "jtel-medium", "jtel-large", "jtel-small"};

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }

// name occurs in text as a whole name (not as the prefix of a longer one).
bool mentions(std::string_view text, std::string_view name) {
  for (std::size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    const std::size_t end = at + name.size();
    const bool starts = at == 0 || !name_char(text[at - 1]);
    const bool ends = end == text.size() || !name_char(text[end]);
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

const model::Topology& shipped_topology(std::string_view name) {
  static std::map<std::string, model::Topology, std::less<>> loaded;
  if (auto it = loaded.find(name); it != loaded.end()) return it->second;
  const std::string path = std::string(ACDSIM_SOURCE_DIR) + "/scenarios/topologies/" + std::string(name) + ".json";
  try {
    return loaded.emplace(std::string(name), model::load_topology(path)).first->second;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz set-up: cannot load the shipped topology %s: %s\n", path.c_str(), e.what());
    std::abort();
  }
}

const model::Topology& topology_for(std::string_view text) {
  for (std::string_view name : kShipped)
    if (mentions(text, name)) return shipped_topology(name);
  return shipped_topology("jtel-large-redundant");
}

}  // namespace acdsim::fuzz
