#include "acdsim/model/input_error.hpp"

namespace acdsim::model {

std::string format_input_error(const std::string& file, const std::string& json_path, int line,
                               const std::string& message) {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (!json_path.empty()) out += "at " + json_path + ": ";
  return out + message;
}

InputError::InputError(std::string file, std::string json_path, int line, std::string message)
    : std::runtime_error(format_input_error(file, json_path, line, message)),
      file_(std::move(file)),
      json_path_(std::move(json_path)),
      message_(std::move(message)),
      line_(line) {}

}  // namespace acdsim::model
