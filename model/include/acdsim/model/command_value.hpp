// The one rule for a value substituted into a command run on a real host
// (acdsim run: {vm}, {address}, {unit}, ...): checked when the file is read
// (validate), and again by the live command layer before it runs anything.
#pragma once
#include <string_view>

namespace acdsim::model {

// Letters, digits and . _ - : @ only, 1 to 253 characters, not starting with '-'
// (no shell metacharacter, no blank, nothing an option parser would take).
bool is_command_value(std::string_view value);

// What is_command_value allows, for messages.
inline constexpr std::string_view kCommandValueRule =
    "only letters, digits and . _ - : @ are allowed (1 to 253 characters, not starting with -)";

}  // namespace acdsim::model
