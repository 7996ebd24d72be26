#include "json_source.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <unordered_set>

#include "acdsim/model/input_error.hpp"
#include "acdsim/model/input_file.hpp"

namespace acdsim::model::json_input {
namespace {

// Tokens of a JSON text, with the line each starts on.
class Scanner {
 public:
  enum class Kind { End, BeginObject, EndObject, BeginArray, EndArray, Colon, Comma, String, Scalar };
  struct Token {
    Kind kind = Kind::End;
    int line = 0;
    std::string text;  // decoded content of a String
  };

  explicit Scanner(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte order mark
  }

  Token next() {
    skip_space();
    Token t;
    t.line = line_;
    if (pos_ >= text_.size()) return t;
    const char c = text_[pos_];
    switch (c) {
      case '{': t.kind = Kind::BeginObject; ++pos_; return t;
      case '}': t.kind = Kind::EndObject; ++pos_; return t;
      case '[': t.kind = Kind::BeginArray; ++pos_; return t;
      case ']': t.kind = Kind::EndArray; ++pos_; return t;
      case ':': t.kind = Kind::Colon; ++pos_; return t;
      case ',': t.kind = Kind::Comma; ++pos_; return t;
      case '"':
        ++pos_;
        t.kind = Kind::String;
        t.text = read_string();
        return t;
      default:
        t.kind = Kind::Scalar;
        ++pos_;  // c is no delimiter: the cases above took those, skip_space the blanks
        while (pos_ < text_.size() && !is_delimiter(text_[pos_])) ++pos_;
        return t;
    }
  }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  static bool is_delimiter(char c) {
    return is_space(c) || c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',' || c == '"';
  }

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) {
      if (text_[pos_] == '\n') ++line_;
      ++pos_;
    }
  }

  // Four hex digits at pos_ (advancing), or nullopt.
  std::optional<unsigned> hex4() {
    if (text_.size() - pos_ < 4) return std::nullopt;
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_ + static_cast<std::size_t>(i)];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else return std::nullopt;
    }
    pos_ += 4;
    return v;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // The decoded string up to the closing quote (consumed).
  std::string read_string() {
    std::string out;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (c == '\n') ++line_;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) break;
      const char e = text_[pos_++];
      switch (e) {
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::optional<unsigned> cp = hex4();
          if (!cp) break;
          if (*cp >= 0xD800 && *cp <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
            const std::size_t save = pos_;
            pos_ += 2;
            std::optional<unsigned> low = hex4();
            if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
              *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
            } else {
              pos_ = save;
            }
          }
          append_utf8(out, *cp);
          break;
        }
        default: out += e; break;  // \" \\ \/
      }
    }
    return out;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

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

[[noreturn]] void throw_malformed(const std::string& file, const std::string& text,
                                  const nlohmann::json::parse_error& e) {
  const std::string what = strip_exception_id(e.what());
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
  // Fall back to the byte offset.
  int line = 1;
  const std::size_t end = std::min<std::size_t>(e.byte, text.size());
  for (std::size_t i = 0; i < end; ++i)
    if (text[i] == '\n') ++line;
  throw InputError(file, "", line, "malformed JSON: " + what);
}

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

LineIndex::LineIndex(std::string_view text) {
  using Kind = Scanner::Kind;
  struct Frame {
    bool object;
    std::string pointer;
    std::size_t index = 0;
    std::unordered_set<std::string> keys;
  };
  enum class Expect { Value, ValueOrEnd, Key, KeyOrEnd, After };

  Scanner scanner(text);
  std::vector<Frame> stack;
  std::string pending;  // pointer of the value expected next
  Expect expect = Expect::Value;
  for (;;) {
    Scanner::Token t = scanner.next();
    switch (expect) {
      case Expect::ValueOrEnd:
        if (t.kind == Kind::EndArray) {
          stack.pop_back();
          expect = Expect::After;
          break;
        }
        [[fallthrough]];
      case Expect::Value:
        if (t.kind == Kind::BeginObject) {
          lines_.insert_or_assign(pending, t.line);
          stack.push_back(Frame{true, pending, 0, {}});
          expect = Expect::KeyOrEnd;
        } else if (t.kind == Kind::BeginArray) {
          lines_.insert_or_assign(pending, t.line);
          stack.push_back(Frame{false, pending, 0, {}});
          pending = child_pointer(stack.back().pointer, std::size_t{0});
          expect = Expect::ValueOrEnd;
        } else if (t.kind == Kind::String || t.kind == Kind::Scalar) {
          lines_.insert_or_assign(pending, t.line);
          expect = Expect::After;
        } else {
          return;
        }
        break;
      case Expect::KeyOrEnd:
        if (t.kind == Kind::EndObject) {
          stack.pop_back();
          expect = Expect::After;
          break;
        }
        [[fallthrough]];
      case Expect::Key: {
        if (t.kind != Kind::String) return;
        Frame& frame = stack.back();
        std::string child = child_pointer(frame.pointer, t.text);
        const bool comment = !t.text.empty() && t.text[0] == '_';
        if (!frame.keys.insert(t.text).second && !comment && !duplicate_)
          duplicate_ = DuplicateKey{child, t.text, t.line};
        if (scanner.next().kind != Kind::Colon) return;
        pending = std::move(child);
        expect = Expect::Value;
        break;
      }
      case Expect::After: {
        if (stack.empty()) return;
        Frame& top = stack.back();
        if (t.kind == Kind::Comma) {
          if (top.object) {
            expect = Expect::Key;
          } else {
            ++top.index;
            pending = child_pointer(top.pointer, top.index);
            expect = Expect::Value;
          }
        } else if ((t.kind == Kind::EndObject && top.object) || (t.kind == Kind::EndArray && !top.object)) {
          stack.pop_back();
        } else {
          return;
        }
        break;
      }
    }
  }
}

int LineIndex::line_of(std::string_view pointer) const {
  std::string p(pointer);
  for (;;) {
    auto it = lines_.find(p);
    if (it != lines_.end()) return it->second;
    if (p.empty()) return 0;
    p.erase(p.rfind('/'));
  }
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
  try {
    json_ = Json::parse(text_);
  } catch (const nlohmann::json::parse_error& e) {
    throw_malformed(file_, text_, e);
  } catch (const nlohmann::json::exception& e) {  // out_of_range 406: "number overflow parsing '1e999'"
    const std::string what = strip_exception_id(e.what());
    int line = 0;
    const std::size_t open = what.find('\'');
    const std::size_t close = open == std::string::npos ? open : what.find('\'', open + 1);
    if (close != std::string::npos && close > open + 1) {
      const std::size_t at = text_.find(what.substr(open + 1, close - open - 1));
      if (at != std::string::npos) line = 1 + static_cast<int>(std::count(text_.begin(), text_.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    }
    throw InputError(file_, "", line, "malformed JSON: " + what);
  }
  index_ = LineIndex(text_);
  if (const auto& d = index_.duplicate())
    throw InputError(file_, d->pointer, d->line, "duplicate key \"" + d->key + "\" (each key may appear once per object)");
}

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

double Value::duration() const {
  static const std::string kExpected =
      "expected a duration: a number of seconds or a string such as \"250ms\", \"30s\", \"5m\", \"1h\", \"1h30m\"";
  if (json_->is_number()) {
    const double v = json_->get<double>();
    if (v < 0) fail("expected a duration >= 0, got " + json_->dump());
    return v;
  }
  if (!json_->is_string()) fail(kExpected + ", got " + type_name());
  const std::string& s = json_->get_ref<const std::string&>();
  if (!s.empty() && s[0] == '-') fail("expected a duration >= 0, got \"" + s + "\"");
  std::optional<double> v = parse_duration(s);
  if (!v) fail(kExpected + ", got \"" + s + "\"");
  return *v;
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
