// DOT text helpers shared by the graph renderings (dot.cpp, topology_dot.cpp).
#pragma once
#include <string>
#include <string_view>

namespace acdsim::model::dot_text {

// A DOT double-quoted string; newlines become "\n" (centred line breaks).
inline std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace acdsim::model::dot_text
