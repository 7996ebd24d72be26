// The one error type for bad user input: names the file, the JSON path (RFC
// 6901 pointer), the line where known, and what was expected. The CLI maps it
// to exit code 2.
#pragma once
#include <stdexcept>
#include <string>

namespace acdsim::model {

class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::string json_path, int line, std::string message);

  const std::string& file() const { return file_; }
  const std::string& json_path() const { return json_path_; }
  int line() const { return line_; }  // 0 when unknown
  const std::string& message() const { return message_; }

 private:
  std::string file_, json_path_, message_;
  int line_;
};

// "FILE:LINE: at /json/path: message" (LINE and path omitted when unknown).
std::string format_input_error(const std::string& file, const std::string& json_path, int line,
                               const std::string& message);

}  // namespace acdsim::model
