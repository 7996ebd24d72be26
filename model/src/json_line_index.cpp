// LineIndex: where each value of a JSON text starts, in a compact table (one
// 16-byte node per value plus a 16-byte hash entry), so that memory grows with
// the number of values, never with their depth; JSON pointers are built only
// when an error is reported, and looked up by walking the table.
#include <algorithm>
#include <charconv>
#include <limits>
#include <functional>

#include "json_source.hpp"

namespace acdsim::model::json_input {
namespace {

// Tokens of a JSON text, with the line each starts on.
class Scanner {
 public:
  enum class Kind { End, BeginObject, EndObject, BeginArray, EndArray, Colon, Comma, String, Scalar };
  struct Token {
    Kind kind = Kind::End;
    int line = 0;
    std::size_t offset = 0;  // of the token's first byte
    std::string text;        // decoded content of a String (when asked for)
  };

  explicit Scanner(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte order mark
  }

  // decode: whether a String's content is wanted in Token::text (keys yes, values no).
  Token next(bool decode = true) {
    skip_space();
    Token t;
    t.line = line_;
    t.offset = pos_;
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
        if (decode) t.text = read_string();
        else skip_string();
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

  // Past the closing quote, counting lines, decoding nothing.
  void skip_string() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return;
      if (c == '\n') ++line_;
      else if (c == '\\' && pos_ < text_.size()) ++pos_;
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

constexpr std::uint32_t kNoParent = std::numeric_limits<std::uint32_t>::max();

std::uint64_t key_hash(std::uint32_t parent, std::string_view key) {
  return std::hash<std::string_view>{}(key) ^ ((std::uint64_t{parent} + 0x9E3779B97F4A7C15ULL) * 0xBF58476D1CE4E5B9ULL);
}

// One RFC 6901 reference token unescaped ("~1" -> "/", "~0" -> "~").
std::string unescape_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

}  // namespace

LineIndex::LineIndex(std::string_view text) : text_(text) {
  scan();
}

void LineIndex::scan() {
  std::vector<Key> keys;
  scan_values(keys);
  find_duplicate(keys);
}

// The first member (in text order) whose key an earlier member of its object has.
void LineIndex::find_duplicate(std::vector<Key>& keys) {
  // A key whose value the scan did not reach (it stopped at malformed text) names no node.
  std::erase_if(keys, [&](const Key& k) { return k.node >= nodes_.size(); });
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) { return a.hash != b.hash ? a.hash < b.hash : a.node < b.node; });
  std::optional<std::uint32_t> first;
  for (std::size_t i = 0; i < keys.size();) {
    std::size_t end = i + 1;
    while (end < keys.size() && keys[end].hash == keys[i].hash) ++end;
    for (std::size_t b = i + 1; b < end; ++b)
      for (std::size_t a = i; a < b; ++a)
        if (nodes_[keys[a].node].parent == nodes_[keys[b].node].parent && token_of(keys[a].node) == token_of(keys[b].node) &&
            (!first || keys[b].node < *first)) {
          first = keys[b].node;
          break;
        }
    i = end;
  }
  if (first) duplicate_ = DuplicateKey{pointer_of(*first), token_of(*first), nodes_[*first].line};
}

void LineIndex::scan_values(std::vector<Key>& keys) {
  const std::string_view text = text_;
  using Kind = Scanner::Kind;
  struct Frame {
    bool object;
    std::uint32_t node;
    std::uint32_t index = 0;
  };
  enum class Expect { Value, ValueOrEnd, Key, KeyOrEnd, After };

  Scanner scanner(text);
  std::vector<Frame> stack;
  // The value expected next: its parent and its token (key offset or index).
  std::uint32_t parent = kNoParent;
  std::uint32_t token = 0;
  auto add = [&](int line) {
    const auto id = static_cast<std::uint32_t>(nodes_.size());
    const bool in_object = !stack.empty() && stack.back().object;
    nodes_.push_back(Node{parent, token, line, in_object});
    return id;
  };
  auto expect_element = [&](Frame& frame) {
    parent = frame.node;
    token = frame.index;
  };
  // Opens a container; false (and too_deep_line_ set) past kMaxDepth.
  auto open = [&](bool object, int line) {
    if (stack.size() >= kMaxDepth) {
      too_deep_line_ = line;
      return false;
    }
    stack.push_back(Frame{object, add(line), 0});
    return true;
  };
  Expect expect = Expect::Value;
  for (;;) {
    const bool key = expect == Expect::Key || expect == Expect::KeyOrEnd;
    Scanner::Token t = scanner.next(key);
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
          if (!open(true, t.line)) return;
          expect = Expect::KeyOrEnd;
        } else if (t.kind == Kind::BeginArray) {
          if (!open(false, t.line)) return;
          expect_element(stack.back());
          expect = Expect::ValueOrEnd;
        } else if (t.kind == Kind::String || t.kind == Kind::Scalar) {
          add(t.line);
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
        const bool comment = !t.text.empty() && t.text[0] == '_';
        parent = frame.node;
        token = static_cast<std::uint32_t>(t.offset);
        if (!comment) keys.push_back(Key{key_hash(parent, t.text), static_cast<std::uint32_t>(nodes_.size())});
        if (scanner.next(false).kind != Kind::Colon) return;
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
            expect_element(top);
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

std::string LineIndex::token_of(std::uint32_t node) const {
  const Node& n = nodes_[node];
  if (!n.in_object) return std::to_string(n.token);
  Scanner scanner(text_.substr(n.token));
  return scanner.next().text;
}

std::string LineIndex::pointer_of(std::uint32_t node) const {
  std::vector<std::uint32_t> path;
  for (std::uint32_t n = node; nodes_[n].parent != kNoParent; n = nodes_[n].parent) path.push_back(n);
  std::string out;
  for (auto it = path.rbegin(); it != path.rend(); ++it) out = child_pointer(out, token_of(*it));
  return out;
}

std::optional<std::uint32_t> LineIndex::child(std::uint32_t parent, std::string_view token) const {
  // Nodes are in text order (pre-order): parent's subtree follows it, and ends at
  // the first node whose parent comes before it.
  std::optional<std::uint32_t> index;
  if (!token.empty() && token.size() <= 10 && std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::uint32_t v = 0;
    if (std::from_chars(token.data(), token.data() + token.size(), v).ec == std::errc()) index = v;
  }
  for (auto n = static_cast<std::size_t>(parent) + 1; n < nodes_.size() && nodes_[n].parent >= parent; ++n) {
    const Node& node = nodes_[n];
    if (node.parent != parent) continue;
    if (node.in_object ? token_of(static_cast<std::uint32_t>(n)) == token : index == node.token)
      return static_cast<std::uint32_t>(n);
  }
  return std::nullopt;
}

int LineIndex::line_of(std::string_view pointer) const {
  if (nodes_.empty()) return 0;
  std::uint32_t current = 0;
  std::size_t pos = 0;
  while (pos < pointer.size() && pointer[pos] == '/') {
    const std::size_t end = std::min(pointer.find('/', pos + 1), pointer.size());
    std::optional<std::uint32_t> next = child(current, unescape_token(pointer.substr(pos + 1, end - pos - 1)));
    if (!next) break;
    current = *next;
    pos = end;
  }
  return nodes_[current].line;
}

}  // namespace acdsim::model::json_input
