#include "acdsim/model/command_value.hpp"

#include <algorithm>

namespace acdsim::model {

bool is_command_value(std::string_view value) {
  if (value.empty() || value.size() > 253 || value.front() == '-') return false;
  return std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-' || c == ':' || c == '@';
  });
}

}  // namespace acdsim::model
