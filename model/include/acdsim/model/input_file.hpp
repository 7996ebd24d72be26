// Reading an input file safely, and telling which format it declares.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace acdsim::model {

// Input files larger than this are refused (exit 2) before they are read: the
// largest shipped scenario is under 100 KB, so 64 MiB leaves room for generated
// topologies of thousands of hosts without letting /dev/zero-like input exhaust memory.
inline constexpr std::uint64_t kMaxInputFileBytes = std::uint64_t{64} << 20;

// The whole content of a regular file. A FIFO, device, socket or directory is
// refused at once (it could block for ever or never end); so is a file over
// kMaxInputFileBytes. Throws InputError(path, "", 0, reason).
// Every file read is remembered by device and inode (was_read_as_input) so that
// no output of the same run can replace it.
std::string read_input_file(const std::string& path);

// Whether read_input_file has read the file with this device and inode in this process.
bool was_read_as_input(std::uint64_t device, std::uint64_t inode);

// Throws InputError(path, "", LINE, ...) at the first NUL byte of text: JSON
// has none, and the parser would take it for the end of the text (ignoring the rest).
void refuse_nul_bytes(const std::string& path, std::string_view text);

// The value of the top-level "format" key of a JSON file ("acdsim-topology/1"),
// read with a streaming parser that stops at that key: no regular expression over
// the text and no document tree. Throws a located InputError when the file is not
// JSON before that key, nests deeper than 256 levels there, or declares no format.
std::string declared_format(const std::string& path);

// The string value of another top-level key (an inventory's "topology"), read the
// same way; nullopt when the key is absent or not a string.
std::optional<std::string> top_level_string(const std::string& path, std::string_view key);

}  // namespace acdsim::model
