#include "json_source.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <new>

#include "acdsim/model/input_error.hpp"
#include "acdsim/model/input_file.hpp"

namespace acdsim::model::json_input {
namespace {

std::string strip_exception_id(const std::string& what) {
  // "[json.exception.parse_error.101] parse error at ..." -> "parse error at ..."
  if (!what.empty() && what[0] == '[') {
    const std::size_t close = what.find("] ");
    if (close != std::string::npos) return what.substr(close + 2);
  }
  return what;
}

// Reads the decimal number at s[pos...]; advances pos.
std::optional<int> read_int(const std::string& s, std::size_t& pos) {
  int v = 0;
  const char* begin = s.data() + pos;
  auto [end, ec] = std::from_chars(begin, s.data() + s.size(), v);
  if (ec != std::errc() || end == begin) return std::nullopt;
  pos += static_cast<std::size_t>(end - begin);
  return v;
}

[[noreturn]] void throw_malformed(const std::string& file, const std::string& text, std::size_t byte,
                                  const std::string& exception_text) {
  const std::string what = strip_exception_id(exception_text);
  // nlohmann: "parse error at line L, column C: <detail>"
  const std::size_t at = what.find("at line ");
  if (at != std::string::npos) {
    std::size_t pos = at + 8;
    std::optional<int> line = read_int(what, pos);
    if (line && what.compare(pos, 9, ", column ") == 0) {
      pos += 9;
      std::optional<int> column = read_int(what, pos);
      if (column && what.compare(pos, 2, ": ") == 0) {
        throw InputError(file, "", *line,
                         "malformed JSON at line " + std::to_string(*line) + ", column " + std::to_string(*column) +
                             ": " + what.substr(pos + 2));
      }
    }
  }
  // Otherwise ("number overflow parsing '1e999'", ...): the line of the byte offset.
  int line = 1;
  const std::size_t end = std::min<std::size_t>(byte, text.size());
  for (std::size_t i = 0; i < end; ++i)
    if (text[i] == '\n') ++line;
  throw InputError(file, "", line, "malformed JSON: " + what);
}

// Empties a tree from the leaves up without allocating (recursion depth is at
// most kMaxDepth). nlohmann's own destructor moves the children into a vector
// first: with memory exhausted that allocation would std::terminate.
void dismantle(Json& j) noexcept {
  if (j.is_array()) {
    auto& a = j.get_ref<Json::array_t&>();
    while (!a.empty()) {
      dismantle(a.back());
      a.pop_back();
    }
  } else if (j.is_object()) {
    auto& o = j.get_ref<Json::object_t&>();
    while (!o.empty()) {
      dismantle(o.Container::back().second);
      o.Container::pop_back();
    }
  }
}

// Builds the ordered_json tree from nlohmann's SAX events. Unlike nlohmann's own
// builder it appends members without searching the object for the key first
// (ordered_map's search is linear, which made 400,000 keys take minutes); the
// LineIndex has already found duplicates. Refuses to go deeper than kMaxDepth.
class TreeBuilder {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  bool null() { return add(nullptr); }
  bool boolean(bool v) { return add(v); }
  bool number_integer(number_integer_t v) { return add(v); }
  bool number_unsigned(number_unsigned_t v) { return add(v); }
  bool number_float(number_float_t v, const string_t&) { return add(v); }
  bool string(string_t& v) { return add(std::move(v)); }
  bool binary(binary_t& v) { return add(Json::binary(std::move(v))); }
  bool start_object(std::size_t) { return open(Json::value_t::object); }
  bool key(string_t& k) {
    key_ = std::move(k);  // a move: cannot throw
    return true;
  }
  bool end_object() {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t) { return open(Json::value_t::array); }
  bool end_array() {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t byte, const std::string&, const nlohmann::detail::exception& e) {
    error_byte_ = byte;
    error_ = e.what();
    return false;
  }

  TreeBuilder() = default;
  TreeBuilder(const TreeBuilder&) = delete;
  TreeBuilder& operator=(const TreeBuilder&) = delete;
  ~TreeBuilder() { dismantle(root_); }

  bool too_deep() const { return too_deep_; }
  bool out_of_memory() const { return out_of_memory_; }
  std::size_t error_byte() const { return error_byte_; }
  const std::string& error() const { return error_; }
  Json take() { return std::move(root_); }

 private:
  // The parser calls these through a noexcept frame: an exception escaping them
  // would std::terminate. Out of memory stops the parse; the caller rethrows it.
  template <class V>
  bool add(V&& v) {
    try {
      place(Json(std::forward<V>(v)));
    } catch (const std::bad_alloc&) {
      out_of_memory_ = true;
      return false;
    }
    return true;
  }

  bool open(Json::value_t type) {
    if (stack_.size() >= kMaxDepth) {
      too_deep_ = true;
      return false;
    }
    try {
      stack_.push_back(&place(Json(type)));
    } catch (const std::bad_alloc&) {
      out_of_memory_ = true;
      return false;
    }
    return true;
  }

  Json& place(Json&& v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return root_;
    }
    Json& top = *stack_.back();
    if (top.is_array()) {
      auto& a = top.get_ref<Json::array_t&>();
      a.push_back(std::move(v));
      return a.back();
    }
    auto& o = top.get_ref<Json::object_t&>();
    o.Container::emplace_back(std::move(key_), std::move(v));
    return o.Container::back().second;
  }

  Json root_;
  std::vector<Json*> stack_;  // the open containers; each is the last value of its parent
  string_t key_;
  bool too_deep_ = false;
  bool out_of_memory_ = false;
  std::size_t error_byte_ = 0;
  std::string error_;
};

}  // namespace

std::string escape_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string child_pointer(std::string_view pointer, std::string_view key) {
  std::string out(pointer);
  out += '/';
  out += escape_token(key);
  return out;
}

std::string child_pointer(std::string_view pointer, std::size_t index) {
  std::string out(pointer);
  out += '/';
  out += std::to_string(index);
  return out;
}

std::string read_text_file(const std::string& path) { return read_input_file(path); }

std::optional<double> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  struct Unit {
    std::string_view name;
    double seconds;
  };
  // From the largest unit to the smallest: "1h30m" is fine, "30m1h" is not.
  static constexpr Unit kUnits[] = {{"h", 3600}, {"m", 60}, {"s", 1}, {"ms", 0.001}};
  double total = 0;
  int last = -1;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
    if (pos < text.size() && text[pos] == '.') {
      const std::size_t frac = ++pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == frac) return std::nullopt;
    }
    double value = 0;
    auto [end, ec] = std::from_chars(text.data() + start, text.data() + pos, value);
    if (ec != std::errc() || end != text.data() + pos) return std::nullopt;
    const std::size_t unit_start = pos;
    while (pos < text.size() && text[pos] >= 'a' && text[pos] <= 'z') ++pos;
    const std::string_view unit = text.substr(unit_start, pos - unit_start);
    int rank = -1;
    for (int i = 0; i < 4; ++i)
      if (kUnits[i].name == unit) rank = i;
    if (rank <= last) return std::nullopt;
    last = rank;
    total += value * kUnits[rank].seconds;
  }
  if (!std::isfinite(total)) return std::nullopt;
  return total;
}

Source::Source(std::string text, std::string file)
    : file_(std::move(file)), text_(std::move(text)), index_(std::string_view{}) {
  refuse_nul_bytes(file_, text_);  // the parser would stop there and ignore the rest
  index_ = LineIndex(text_);
  if (const int line = index_.too_deep_line())
    throw InputError(file_, "", line,
                     "nested deeper than " + std::to_string(kMaxDepth) + " levels at line " + std::to_string(line) +
                         " (objects and arrays may nest at most " + std::to_string(kMaxDepth) + " deep)");
  TreeBuilder builder;
  if (!Json::sax_parse(text_, &builder)) {
    if (builder.out_of_memory()) throw std::bad_alloc();
    if (builder.too_deep())  // the index stopped early on text the parser reads further: unlikely, still refused
      throw InputError(file_, "", 0, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
    throw_malformed(file_, text_, builder.error_byte(), builder.error());
  }
  json_ = builder.take();
  if (const auto& d = index_.duplicate())
    throw InputError(file_, d->pointer, d->line, "duplicate key \"" + d->key + "\" (each key may appear once per object)");
}

Source::~Source() { dismantle(json_); }

Source Source::load(const std::string& path) { return Source(read_text_file(path), path); }

Value Source::root() const { return Value(*this, json_, ""); }

void Source::fail(const std::string& pointer, const std::string& message) const {
  throw InputError(file_, pointer, line_of(pointer), message);
}

std::string Value::type_name() const { return json_->type_name(); }

const std::string& Value::string() const {
  if (!json_->is_string()) fail("expected a string, got " + type_name());
  return json_->get_ref<const std::string&>();
}

const std::string& Value::nonempty_string() const {
  const std::string& s = string();
  if (s.empty()) fail("expected a non-empty string, got \"\"");
  return s;
}

bool Value::boolean() const {
  if (!json_->is_boolean()) fail("expected a boolean (true or false), got " + type_name());
  return json_->get<bool>();
}

double Value::number() const {
  if (!json_->is_number()) fail("expected a number, got " + type_name());
  return json_->get<double>();
}

std::vector<Value> Value::array() const {
  if (!json_->is_array()) fail("expected an array, got " + type_name());
  std::vector<Value> out;
  out.reserve(json_->size());
  for (std::size_t i = 0; i < json_->size(); ++i)
    out.emplace_back(*source_, (*json_)[i], child_pointer(pointer_, i));
  return out;
}

std::vector<Value> Value::nonempty_array() const {
  std::vector<Value> out = array();
  if (out.empty()) fail("expected a non-empty array, got []");
  return out;
}

void Value::require_object() const {
  if (!json_->is_object()) fail("expected an object, got " + type_name());
}

void Value::allow_keys(std::initializer_list<std::string_view> keys) const {
  require_object();
  for (const auto& [key, value] : json_->items()) {
    if (!key.empty() && key[0] == '_') continue;
    bool known = false;
    for (std::string_view k : keys) known = known || k == key;
    if (known) continue;
    std::vector<std::string> names(keys.begin(), keys.end());
    source_->fail(child_pointer(pointer_, key),
                  "unknown key \"" + key + "\" (expected one of: " + join_names(names) +
                      "; keys starting with \"_\" are comments)");
  }
}

std::optional<Value> Value::find(std::string_view key) const {
  require_object();
  auto it = json_->find(std::string(key));
  if (it == json_->end()) return std::nullopt;
  return Value(*source_, *it, child_pointer(pointer_, key));
}

Value Value::at(std::string_view key) const {
  std::optional<Value> v = find(key);
  if (!v) fail("missing key \"" + std::string(key) + "\"");
  return *v;
}

std::vector<std::pair<std::string, Value>> Value::members() const {
  require_object();
  std::vector<std::pair<std::string, Value>> out;
  for (const auto& [key, value] : json_->items()) {
    if (!key.empty() && key[0] == '_') continue;
    out.emplace_back(key, Value(*source_, value, child_pointer(pointer_, key)));
  }
  return out;
}

double Value::duration() const { return duration(Range{0, limits::kMaxDurationS}); }

double Value::duration(const Range& range) const {
  static const std::string kExpected =
      "expected a duration: a number of seconds or a string such as \"250ms\", \"30s\", \"5m\", \"1h\", \"1h30m\"";
  if (json_->is_number()) {
    const double v = json_->get<double>();
    check_range(v, range, "a duration", json_->dump());
    return v;
  }
  if (!json_->is_string()) fail(kExpected + ", got " + type_name());
  const std::string& s = json_->get_ref<const std::string&>();
  if (!s.empty() && s[0] == '-') check_range(-1, range, "a duration", "\"" + s + "\"");
  std::optional<double> v = parse_duration(s);
  if (!v) fail(kExpected + ", got \"" + s + "\"");
  check_range(*v, range, "a duration", "\"" + s + "\"");
  return *v;
}

double Value::number(const Range& range, std::string_view what) const {
  const double v = number();
  check_range(v, range, what, json_->dump());
  return v;
}

long long Value::whole_number(long long min, long long max) const {
  const double v = number();
  const Range range{static_cast<double>(min), static_cast<double>(max)};
  check_range(v, range, "a whole number", json_->dump());
  if (v != std::floor(v)) check_range(std::nan(""), range, "a whole number", json_->dump());
  return static_cast<long long>(v);
}

namespace {

// 0, 65535, 1e+06 -> "1000000", 0.5; durations also as "1 year" when they are exactly that.
std::string show_limit(double x, std::string_view what) {
  std::string out;
  if (x == std::floor(x) && std::fabs(x) < 1e15) out = std::to_string(static_cast<long long>(x));
  else out = Json(x).dump();
  if (what == "a duration") {
    out += " s";
    if (x == limits::kMaxDurationS) out = "1 year (" + out + ")";
    else if (x == 3600) out = "1 hour (" + out + ")";
  }
  return out;
}

// The key a value is under, for messages: "drain", "profile"[3].
std::string key_label(std::string_view pointer) {
  const std::size_t slash = pointer.rfind('/');
  if (slash == std::string_view::npos) return "the document";
  std::string token(pointer.substr(slash + 1));
  const bool index = !token.empty() && std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (index && slash > 0) return key_label(pointer.substr(0, slash)) + "[" + token + "]";
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {  // unescape "~1" and "~0"
    if (token[i] == '~' && i + 1 < token.size()) {
      out += token[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += token[i];
    }
  }
  return "\"" + out + "\"";
}

}  // namespace

void Value::check_range(double x, const Range& range, std::string_view what, const std::string& shown) const {
  const bool low_ok = range.min_open ? x > range.min : x >= range.min;
  if (std::isfinite(x) && low_ok && x <= range.max) return;
  const std::string span = range.min_open ? "greater than " + show_limit(range.min, what) + " and at most " + show_limit(range.max, what)
                                          : "from " + show_limit(range.min, what) + " to " + show_limit(range.max, what);
  fail(key_label(pointer_) + ": expected " + std::string(what) + " " + span + ", got " + shown);
}

std::string join_names(const std::vector<std::string>& names, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i == max) return out + ", ...";
    if (i) out += ", ";
    out += names[i];
  }
  return out;
}

std::string severity(const Value& v) {
  static const std::vector<std::string> known = {"data-loss", "outage", "manual-fix", "warning"};
  const std::string& s = v.string();
  if (std::find(known.begin(), known.end(), s) == known.end())
    v.fail("unknown severity \"" + s + "\" (known: " + join_names(known) + ")");
  return s;
}

std::vector<std::string> severities(const Value& list) {
  std::vector<std::string> out;
  for (const Value& v : list.array()) {
    std::string s = severity(v);
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace acdsim::model::json_input
