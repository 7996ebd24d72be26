// Command templates: the only way the live backend builds a command line.
//
// A template is words separated by blanks; '...' groups a word (no escapes
// inside). {name} placeholders are replaced by values that must match a strict
// pattern (letters, digits, and . _ - : @ only; no leading '-'), so no alias,
// VM name, unit or resource can smuggle shell syntax into a command. A literal
// password in a template is refused: secrets come only through {secret:NAME}
// and are masked wherever a command is shown. Commands
// run as argv vectors (never through system()); over ssh every word is quoted
// for the remote shell.
#pragma once
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace acdsim::live {

using Argv = std::vector<std::string>;

// A value refused for substitution (or a template that cannot be parsed).
struct UnsafeValue : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// True if value may be substituted into a command: non-empty, at most 253
// characters, [A-Za-z0-9._:@-], not starting with '-'.
bool safe_value(std::string_view value);

class CommandTemplate {
 public:
  CommandTemplate() = default;
  // Throws UnsafeValue on unbalanced quotes, an empty template, an unclosed
  // '{' or a placeholder not in allowed.
  CommandTemplate(std::string text, const std::vector<std::string_view>& allowed);

  const std::string& text() const { return text_; }
  bool empty() const { return words_.empty(); }
  // Placeholders used, in order of first use.
  std::vector<std::string> placeholders() const;
  // The argv with every placeholder replaced; throws UnsafeValue if a value is
  // missing or fails safe_value. {secret:NAME} values (inventory "secrets") may
  // hold any printable text; with mask they are rendered as *** (for output
  // and the journal, which never see a secret).
  Argv render(const std::map<std::string, std::string>& values, bool mask = false) const;

 private:
  std::string text_;
  std::vector<std::string> words_;  // still holding {placeholders}
};

// One word quoted for a POSIX shell ('...' with ' written as '\'').
std::string shell_quote(std::string_view word);
// argv as one remote command line for ssh: every word quoted.
std::string shell_join(const Argv& argv);
// argv for people: words that need it quoted, the rest as is.
std::string display(const Argv& argv);

}  // namespace acdsim::live
