#include "acdsim/model/xml_reader.hpp"

#include <map>

namespace acdsim::model::xml {

std::optional<std::string_view> Element::attribute(std::string_view n) const {
  for (const auto& [k, v] : attributes)
    if (k == n) return std::string_view(v);
  return std::nullopt;
}

std::vector<const Element*> Element::all(std::string_view n) const {
  std::vector<const Element*> out;
  for (const Element& c : children)
    if (c.name == n) out.push_back(&c);
  return out;
}

const Element* Element::first(std::string_view n) const {
  for (const Element& c : children)
    if (c.name == n) return &c;
  return nullptr;
}

namespace {

bool name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }
bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Element document() {
    if (s_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // UTF-8 byte order mark
    misc();
    if (eof() || s_[pos_] != '<') fail("expected the root element");
    std::vector<Element> stack;
    std::vector<std::map<std::string, int, std::less<>>> seen;  // per open element: child name -> count
    std::optional<Element> root;
    while (!root) {
      if (eof()) fail("unexpected end of the document: <" + stack.back().name + "> is not closed", stack);
      if (s_[pos_] != '<') {
        text(stack);
        continue;
      }
      if (starts("<!--")) comment(stack);
      else if (starts("<?")) pi(stack);
      else if (starts("<![CDATA[")) cdata(stack);
      else if (starts("<!")) fail("a DOCTYPE or declaration is not accepted in a CIB", stack);
      else if (starts("</")) {
        pos_ += 2;
        const std::string name = read_name(stack);
        skip_space();
        expect('>', stack);
        if (stack.empty()) fail("closing tag </" + name + "> without an open element");
        if (name != stack.back().name)
          fail("closing tag </" + name + "> does not match <" + stack.back().name + ">", stack);
        Element done = std::move(stack.back());
        stack.pop_back();
        seen.pop_back();
        if (stack.empty()) root = std::move(done);
        else stack.back().children.push_back(std::move(done));
      } else {
        ++pos_;
        Element e;
        e.line = line_;
        e.name = read_name(stack);
        const std::string parent = stack.empty() ? "" : stack.back().path;
        const int index = stack.empty() ? 1 : ++seen.back()[e.name];
        e.path = parent + "/" + e.name + (index > 1 ? "[" + std::to_string(index) + "]" : "");
        if (stack.size() >= static_cast<std::size_t>(kMaxDepth)) fail("more than 256 levels of nesting", stack);
        bool empty = attributes(e, stack);
        if (empty) {
          if (stack.empty()) root = std::move(e);
          else stack.back().children.push_back(std::move(e));
        } else {
          stack.push_back(std::move(e));
          seen.emplace_back();
        }
      }
    }
    misc();
    if (!eof()) fail("content after the root element </" + root->name + ">");
    return std::move(*root);
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
  int line_ = 1;

  [[noreturn]] void fail(const std::string& message, const std::vector<Element>& stack = {}) const {
    throw XmlError(line_, stack.empty() ? "" : stack.back().path, message);
  }
  bool eof() const { return pos_ >= s_.size(); }
  bool starts(std::string_view p) const { return s_.substr(pos_).starts_with(p); }
  void advance() {
    if (s_[pos_] == '\n') ++line_;
    ++pos_;
  }
  void skip_space() {
    while (!eof() && space(s_[pos_])) advance();
  }
  void expect(char c, const std::vector<Element>& stack) {
    if (eof() || s_[pos_] != c) fail(std::string("expected '") + c + "'", stack);
    ++pos_;
  }
  // Skips until the terminator (consumed); fails at the end of the input.
  void skip_past(std::string_view end, const char* what, const std::vector<Element>& stack) {
    const auto at = s_.find(end, pos_);
    if (at == std::string_view::npos) fail(std::string("unterminated ") + what, stack);
    while (pos_ < at + end.size()) advance();
  }
  void comment(const std::vector<Element>& stack) {
    pos_ += 4;
    skip_past("-->", "comment", stack);
  }
  void pi(const std::vector<Element>& stack) { skip_past("?>", "processing instruction", stack); }
  void cdata(const std::vector<Element>& stack) {
    if (stack.empty()) fail("character data outside the root element");
    skip_past("]]>", "CDATA section", stack);
  }
  void misc() {
    for (;;) {
      skip_space();
      if (starts("<!--")) comment({});
      else if (starts("<?")) pi({});
      else return;
    }
  }
  void text(const std::vector<Element>& stack) {
    if (stack.empty()) fail("text outside the root element");
    while (!eof() && s_[pos_] != '<') {
      if (s_[pos_] == '&') entity(stack);
      else advance();
    }
  }
  std::string read_name(const std::vector<Element>& stack) {
    if (eof() || !name_start(s_[pos_])) fail("expected a name", stack);
    const std::size_t b = pos_;
    while (!eof() && name_char(s_[pos_])) ++pos_;
    return std::string(s_.substr(b, pos_ - b));
  }
  // Reads "&...;" and returns its text (UTF-8 for character references).
  std::string entity(const std::vector<Element>& stack) {
    const auto semi = s_.find(';', pos_);
    if (semi == std::string_view::npos || semi - pos_ > 12) fail("'&' not followed by a reference", stack);
    const std::string_view ref = s_.substr(pos_ + 1, semi - pos_ - 1);
    pos_ = semi + 1;
    static const std::map<std::string_view, std::string_view> named{
        {"lt", "<"}, {"gt", ">"}, {"amp", "&"}, {"quot", "\""}, {"apos", "'"}};
    if (auto it = named.find(ref); it != named.end()) return std::string(it->second);
    if (ref.size() < 2 || ref[0] != '#') fail("undefined entity &" + std::string(ref) + ";", stack);
    const bool hex = ref[1] == 'x';
    const std::string_view digits = ref.substr(hex ? 2 : 1);
    if (digits.empty()) fail("empty character reference", stack);
    unsigned long code = 0;
    for (char c : digits) {
      int d = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                                             : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) fail("bad character reference &" + std::string(ref) + ";", stack);
      code = code * (hex ? 16 : 10) + static_cast<unsigned long>(d);
      if (code > 0x10FFFF) fail("character reference beyond Unicode", stack);
    }
    if (code == 0 || (code >= 0xD800 && code <= 0xDFFF)) fail("character reference to an invalid character", stack);
    std::string out;
    if (code < 0x80) out += static_cast<char>(code);
    else if (code < 0x800) out += {static_cast<char>(0xC0 | (code >> 6)), static_cast<char>(0x80 | (code & 0x3F))};
    else if (code < 0x10000)
      out += {static_cast<char>(0xE0 | (code >> 12)), static_cast<char>(0x80 | ((code >> 6) & 0x3F)),
              static_cast<char>(0x80 | (code & 0x3F))};
    else
      out += {static_cast<char>(0xF0 | (code >> 18)), static_cast<char>(0x80 | ((code >> 12) & 0x3F)),
              static_cast<char>(0x80 | ((code >> 6) & 0x3F)), static_cast<char>(0x80 | (code & 0x3F))};
    return out;
  }
  // Reads the attributes up to '>' or "/>"; true for an empty element.
  bool attributes(Element& e, std::vector<Element>& stack) {
    // Errors inside the tag name the element being read.
    stack.push_back(Element{e.name, {}, {}, e.line, e.path});
    for (;;) {
      const bool had_space = !eof() && space(s_[pos_]);
      skip_space();
      if (eof()) fail("unterminated tag <" + e.name + ">", stack);
      if (s_[pos_] == '>') {
        ++pos_;
        stack.pop_back();
        return false;
      }
      if (starts("/>")) {
        pos_ += 2;
        stack.pop_back();
        return true;
      }
      if (!had_space) fail("expected whitespace before an attribute", stack);
      std::string name = read_name(stack);
      skip_space();
      expect('=', stack);
      skip_space();
      if (eof() || (s_[pos_] != '"' && s_[pos_] != '\'')) fail("expected a quoted value for " + name, stack);
      const char quote = s_[pos_++];
      std::string value;
      for (;;) {
        if (eof()) fail("unterminated value of attribute " + name, stack);
        const char c = s_[pos_];
        if (c == quote) break;
        if (c == '<') fail("'<' in the value of attribute " + name, stack);
        if (c == '&') value += entity(stack);
        else {
          value += c;
          advance();
        }
      }
      ++pos_;
      if (e.attribute(name)) fail("duplicate attribute " + name, stack);
      e.attributes.emplace_back(std::move(name), std::move(value));
    }
  }
};

}  // namespace

Element parse(std::string_view text) { return Parser(text).document(); }

}  // namespace acdsim::model::xml
