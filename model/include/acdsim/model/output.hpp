// Writing results: never leave a half-written file behind.
#pragma once
#include <string>
#include <string_view>

namespace acdsim::model {

// Writes content to a temporary file beside path, then renames it over path.
// A new file gets 0666 less the umask; an existing file keeps its mode. A path
// that exists and is not a regular file (device, FIFO, directory) is refused.
// Throws std::runtime_error naming the path and the OS reason.
void write_file_atomically(const std::string& path, const std::string& content);

// Text for XML and SVG attributes and content (JUnit reports, charts): < > & " escaped.
std::string xml_escape(std::string_view text);

}  // namespace acdsim::model
