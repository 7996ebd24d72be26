// Private helper of the topology and procedure parsers: a JSON document with
// the line of every value, and typed accessors that throw located InputErrors.
//
// Every problem is reported as InputError(file, JSON pointer, line, message),
// where the line is the line of the file on which the value at that pointer
// starts. Objects keep their keys in file order (nlohmann::ordered_json), so
// "the first problem" is the first one in the file.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace acdsim::model::json_input {

using Json = nlohmann::ordered_json;

// One reference token of a JSON pointer, escaped as RFC 6901 says ("~" -> "~0", "/" -> "~1").
std::string escape_token(std::string_view token);

// "<pointer>/<escaped key>" and "<pointer>/<index>".
std::string child_pointer(std::string_view pointer, std::string_view key);
std::string child_pointer(std::string_view pointer, std::size_t index);

// How deep objects and arrays may nest (the root container is level 1): deeper
// text is refused before any tree is built.
inline constexpr std::size_t kMaxDepth = 256;

// Where each value of a JSON text starts. Built by a small scanner over the
// text; meant for text that a JSON parser accepts (on anything else it stops
// early and knows less). Memory: 16 bytes per value, whatever the depth. The
// text must outlive the index (keys are read from it when a pointer is looked up).
// line_of walks the table (time linear in the number of values): it is meant for
// error messages, not for a lookup per value.
class LineIndex {
 public:
  struct DuplicateKey {
    std::string pointer;  // of the second occurrence
    std::string key;
    int line = 0;
  };

  explicit LineIndex(std::string_view text);

  // Line (1-based) where the value at pointer starts; for a pointer that names
  // no value, the line of its nearest ancestor that does; 0 if nothing is known.
  int line_of(std::string_view pointer) const;

  // The first key written twice in one object, if any.
  const std::optional<DuplicateKey>& duplicate() const { return duplicate_; }
  // Line of the first object or array nested deeper than kMaxDepth (the scan
  // stopped there), or 0.
  int too_deep_line() const { return too_deep_line_; }
  std::size_t size() const { return nodes_.size(); }

 private:
  struct Node {
    std::uint32_t parent;  // kNoParent for the root
    std::uint32_t token;   // in an object: offset of the key's opening quote; in an array: the index
    std::int32_t line;
    bool in_object;
  };

  struct Key {  // a member's key, to find duplicates
    std::uint64_t hash;  // of the parent and the decoded key
    std::uint32_t node;
  };
  void scan();
  void scan_values(std::vector<Key>& keys);
  void find_duplicate(std::vector<Key>& keys);
  std::string token_of(std::uint32_t node) const;  // unescaped
  std::string pointer_of(std::uint32_t node) const;
  std::optional<std::uint32_t> child(std::uint32_t parent, std::string_view token) const;

  std::string_view text_;
  std::vector<Node> nodes_;  // in text order; the root is node 0
  std::optional<DuplicateKey> duplicate_;
  int too_deep_line_ = 0;
};

// The whole content of a regular file (read_input_file: FIFOs, devices, directories and
// files over 64 MiB are refused); InputError(path, "", 0, "cannot read the file: <reason>").
std::string read_text_file(const std::string& path);

// Seconds of a duration string "250ms", "30s", "5m", "1h", "1h30m", "1.5s";
// units from larger to smaller, each at most once. nullopt if garbled or negative.
std::optional<double> parse_duration(std::string_view text);

class Value;

// The documented limits of the numbers in input files (docs/formats.md, "Limits"):
// beyond them a value is a typo or an attack, and the simulator's arithmetic
// (durations in microseconds, rates times hours) would overflow or never end.
namespace limits {
inline constexpr double kMaxDurationS = 365.0 * 24 * 3600;  // one year: every wait, delay, timeout
inline constexpr double kMaxCapacity = 1e6;                 // concurrent calls one server or role carries
inline constexpr double kMaxPeakPerHour = 3.6e7;            // arrivals per hour: 10,000 calls/s
inline constexpr double kMaxLoadFactor = 100;               // times the peak: with the above, 1e6 calls/s
inline constexpr double kMaxCount = 1e6;                    // group sizes, server counts
inline constexpr double kMaxSigma = 5;                      // lognormal sigma: e^(5*4) is 5e8 x the median
inline constexpr double kMaxGuardThreshold = 100;           // fractions of capacity
inline constexpr double kMaxSshConnectTimeoutS = 3600;      // passed to ssh as whole seconds
}  // namespace limits

// The range a number must lie in: [min, max], or (min, max] when min_open.
struct Range {
  double min = 0;
  double max = 0;
  bool min_open = false;
};

// A parsed JSON document and where it came from.
class Source {
 public:
  // Parses text; malformed JSON or a duplicate key throws InputError.
  Source(std::string text, std::string file);
  // Reads and parses a file (guaranteed copy elision: Source does not move,
  // since Values point into it).
  static Source load(const std::string& path);

  ~Source();  // frees the tree without allocating (safe when memory ran out)
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  const std::string& file() const { return file_; }
  const std::string& text() const { return text_; }
  int line_of(std::string_view pointer) const { return index_.line_of(pointer); }
  Value root() const;

  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const;

 private:
  std::string file_;
  std::string text_;
  Json json_;
  LineIndex index_;
};

// A value inside a Source, with its pointer. Cheap to copy; must not outlive
// its Source.
class Value {
 public:
  Value(const Source& source, const Json& json, std::string pointer)
      : source_(&source), json_(&json), pointer_(std::move(pointer)) {}

  const Json& json() const { return *json_; }
  const std::string& pointer() const { return pointer_; }
  const Source& source() const { return *source_; }
  int line() const { return source_->line_of(pointer_); }
  [[noreturn]] void fail(const std::string& message) const { source_->fail(pointer_, message); }
  // "string", "number", "boolean", "object", "array" or "null".
  std::string type_name() const;

  bool is_string() const { return json_->is_string(); }
  bool is_number() const { return json_->is_number(); }
  bool is_object() const { return json_->is_object(); }
  bool is_array() const { return json_->is_array(); }

  // Each throws "expected a <type>, got <type>" on a mismatch.
  const std::string& string() const;
  const std::string& nonempty_string() const;  // also rejects ""
  bool boolean() const;
  double number() const;
  // A finite number in range; else "\"<key>\": expected <what> from MIN to MAX, got V".
  double number(const Range& range, std::string_view what = "a number") const;
  // A whole number in [min, max] (both within +-2^53).
  long long whole_number(long long min, long long max) const;
  std::vector<Value> array() const;
  std::vector<Value> nonempty_array() const;  // also rejects []
  void require_object() const;

  // Objects. allow_keys: only these keys (and "_comments") may appear.
  void allow_keys(std::initializer_list<std::string_view> keys) const;
  std::optional<Value> find(std::string_view key) const;  // nullopt if absent
  Value at(std::string_view key) const;                   // "missing key ..." if absent
  // Members in file order, comment keys ("_...") left out.
  std::vector<std::pair<std::string, Value>> members() const;

  // A duration in seconds: a number of seconds or a string as parse_duration
  // reads it, within range (by default 0 to limits::kMaxDurationS).
  double duration() const;
  double duration(const Range& range) const;

  // Fails unless x (read from this value, shown as shown) is finite and in range;
  // what: "a number", "a duration", ...
  void check_range(double x, const Range& range, std::string_view what, const std::string& shown) const;

 private:
  const Source* source_;
  const Json* json_;
  std::string pointer_;
};

// "a, b, c" (at most max names, then ", ...").
std::string join_names(const std::vector<std::string>& names, std::size_t max = 24);

// One severity name (data-loss, outage, manual-fix, warning); fails otherwise.
std::string severity(const Value& v);
// An "accepts" list (procedure or topology): severity names, duplicates dropped;
// an unknown name fails at its element.
std::vector<std::string> severities(const Value& list);

}  // namespace acdsim::model::json_input
