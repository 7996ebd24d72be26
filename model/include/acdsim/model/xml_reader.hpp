// A small, strict XML reader for Pacemaker CIBs (`pcs cluster cib`, `cibadmin --query`).
//
// Reads elements, attributes, comments, processing instructions, CDATA and character data
// (text is checked and dropped: a CIB carries everything in attributes). Refuses a DOCTYPE
// (no entity expansion at all), undefined entities, duplicate attributes, mismatched or
// unclosed tags, more than 256 levels of nesting and anything after the root element.
// Errors are XmlError with line and the element path, never a crash (fuzzed: docs/fuzzing.md).
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace acdsim::model::xml {

struct Element {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;  // in document order
  std::vector<Element> children;
  int line = 0;
  std::string path;  // "/cib/configuration/nodes/node[2]" (1-based index among same-name siblings)

  std::optional<std::string_view> attribute(std::string_view name) const;
  // Children with this name, in order.
  std::vector<const Element*> all(std::string_view name) const;
  const Element* first(std::string_view name) const;
};

class XmlError : public std::runtime_error {
 public:
  XmlError(int line, std::string path, const std::string& message)
      : std::runtime_error(message), line_(line), path_(std::move(path)) {}
  int line() const { return line_; }
  const std::string& path() const { return path_; }

 private:
  int line_;
  std::string path_;
};

inline constexpr int kMaxDepth = 256;

// Parses a whole document; throws XmlError.
Element parse(std::string_view text);

}  // namespace acdsim::model::xml
