// Whether a command template carries a password literally, where it would show
// in output, the journal and the process list. The way out is a
// {secret:NAME} placeholder (docs/live.md, "Safety rules").
#pragma once
#include <string>
#include <vector>

namespace acdsim::live {

// words: the template's words ('...' groups a word; a word may hold a whole
// shell command, as in sh -c '...', which is read word by word too).
bool literal_password(const std::vector<std::string>& words);

}  // namespace acdsim::live
