// Writing results: never leave a half-written file behind.
#pragma once
#include <string>
#include <string_view>

namespace acdsim::model {

struct WriteOptions {
  // A symlink at the path is refused unless this is set; then the file it points
  // to is replaced (atomically, the symlink stays).
  bool follow_symlink = false;
};

// Writes content to a temporary file beside path (created with O_EXCL, removed
// on SIGINT/SIGTERM: scratch.hpp), then renames it over path. A new file gets
// 0666 less the umask; an existing file keeps its mode. Refused: a path that
// exists and is not a regular file (device, FIFO, directory), a symlink (see
// WriteOptions), and a file this process has read as an input (read_input_file;
// compared by device and inode, so hard links and symlinks are caught too).
// Throws std::runtime_error naming the path and the reason.
void write_file_atomically(const std::string& path, const std::string& content, const WriteOptions& options = {});

// Text for XML and SVG attributes and content (JUnit reports, charts): < > & " escaped.
std::string xml_escape(std::string_view text);

}  // namespace acdsim::model
