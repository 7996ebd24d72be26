// Lists in plan texts: "a, b, c".
#pragma once
#include <string>
#include <vector>

namespace acdsim::planner {

inline std::string join(const std::vector<std::string>& items, const std::string& sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

}  // namespace acdsim::planner
