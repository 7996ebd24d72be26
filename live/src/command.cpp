#include "acdsim/live/command.hpp"

#include <algorithm>
#include <cctype>

#include "acdsim/model/command_value.hpp"
#include "literal_password.hpp"

namespace acdsim::live {

bool safe_value(std::string_view value) { return model::is_command_value(value); }  // the rule validate applies too

namespace {

// Splits a word into literal text and {name} placeholders ("{{" and "}}" are
// literal braces, e.g. curl's -w '%{{http_code}}'). lit(text) and ph(name) are
// called in order; throws on an unclosed or stray brace.
template <class Lit, class Ph>
void scan_word(const std::string& word, Lit lit, Ph ph) {
  std::string text;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    if ((c == '{' || c == '}') && i + 1 < word.size() && word[i + 1] == c) {
      text += c;
      ++i;
    } else if (c == '{') {
      const std::size_t close = word.find('}', i);
      if (close == std::string::npos) throw UnsafeValue("unclosed '{' in \"" + word + "\" (write {{ for a literal brace)");
      lit(text);
      text.clear();
      ph(word.substr(i + 1, close - i - 1));
      i = close;
    } else if (c == '}') {
      throw UnsafeValue("stray '}' in \"" + word + "\" (write }} for a literal brace)");
    } else {
      text += c;
    }
  }
  lit(text);
}

bool secret_value(std::string_view value) {
  return !value.empty() && value.size() <= 4096 && std::none_of(value.begin(), value.end(), [](char c) {
    return c == '\0' || c == '\n' || c == '\r';
  });
}

}  // namespace

CommandTemplate::CommandTemplate(std::string text, const std::vector<std::string_view>& allowed)
    : text_(std::move(text)) {
  std::string word;
  bool in_word = false, quoted = false;
  for (char c : text_) {
    if (quoted) {
      if (c == '\'') quoted = false;
      else word += c;
    } else if (c == '\'') {
      quoted = in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words_.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quoted) throw UnsafeValue("unbalanced ' in the command template");
  if (in_word) words_.push_back(std::move(word));
  if (words_.empty()) throw UnsafeValue("empty command template");
  if (literal_password(words_)) {
    words_.clear();
    text_.clear();
    throw UnsafeValue("a literal password in a command template would appear in output, the journal and the "
                      "process list: use {secret:NAME} (inventory \"secrets\") or the host's option file (~/.my.cnf)");
  }
  for (const std::string& w : words_)
    scan_word(w, [](const std::string&) {}, [&](const std::string& name) {
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        std::string known;
        for (std::string_view a : allowed) known += (known.empty() ? "" : ", ") + std::string("{") + std::string(a) + "}";
        throw UnsafeValue("unknown placeholder {" + name + "} (this command may use: " +
                          (known.empty() ? std::string("none") : known) + ")");
      }
    });
}

std::vector<std::string> CommandTemplate::placeholders() const {
  std::vector<std::string> out;
  for (const std::string& w : words_)
    scan_word(w, [](const std::string&) {}, [&](const std::string& name) {
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    });
  return out;
}

Argv CommandTemplate::render(const std::map<std::string, std::string>& values, bool mask) const {
  Argv argv;
  for (const std::string& w : words_) {
    std::string out;
    scan_word(w, [&](const std::string& text) { out += text; }, [&](const std::string& name) {
      auto it = values.find(name);
      if (it == values.end()) throw UnsafeValue("no value for {" + name + "}");
      if (name.starts_with("secret:")) {  // quoted like every word; never shown
        if (!secret_value(it->second)) throw UnsafeValue("secret {" + name + "} is empty or spans lines");
        out += mask ? std::string("***") : it->second;
        return;
      }
      if (!safe_value(it->second))
        throw UnsafeValue("refusing to substitute {" + name + "} = \"" + it->second +
                          "\": only letters, digits and . _ - : @ are allowed (not starting with -)");
      out += it->second;
    });
    argv.push_back(std::move(out));
  }
  return argv;
}

std::string shell_quote(std::string_view word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::string shell_join(const Argv& argv) {
  std::string out;
  for (const std::string& w : argv) out += (out.empty() ? "" : " ") + shell_quote(w);
  return out;
}

std::string display(const Argv& argv) {
  std::string out;
  for (const std::string& w : argv) {
    const bool plain = !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("._-:@/=,%+").find(c) != std::string_view::npos;
    });
    out += (out.empty() ? "" : " ") + (plain ? w : shell_quote(w));
  }
  return out;
}

}  // namespace acdsim::live
