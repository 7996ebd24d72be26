#include "literal_password.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace acdsim::live {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool has_secret(std::string_view token) { return token.find("{secret:") != std::string_view::npos; }

// The words of a template and of every shell command inside one (sh -c '...'),
// split at blanks, with the quotes a shell would remove taken off their ends:
// "mysql -e \"CREATE USER ... IDENTIFIED  BY 'x'\"" reads as ... IDENTIFIED, BY, x.
std::vector<std::string> tokens_of(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (const std::string& w : words) {
    std::size_t i = 0;
    while (i < w.size()) {
      while (i < w.size() && std::isspace(static_cast<unsigned char>(w[i]))) ++i;
      std::size_t end = i;
      while (end < w.size() && !std::isspace(static_cast<unsigned char>(w[end]))) ++end;
      std::string_view t(w.data() + i, end - i);
      while (!t.empty() && std::string_view("\"'`(").find(t.front()) != std::string_view::npos) t.remove_prefix(1);
      while (!t.empty() && std::string_view("\"'`),").find(t.back()) != std::string_view::npos) t.remove_suffix(1);
      if (!t.empty()) out.emplace_back(t);
      i = end;
    }
  }
  return out;
}

std::string_view program_name(std::string_view token) {
  const std::size_t slash = token.rfind('/');
  return slash == std::string_view::npos ? token : token.substr(slash + 1);
}

// A shell separator ends the command a token belongs to.
bool ends_command(std::string_view t) {
  return t == ";" || t == "&&" || t == "||" || t == "|" || t.ends_with(";") || t.ends_with("&&") || t.ends_with("|");
}

// http://user:pw@host: a password in a URL's user information.
bool url_with_password(std::string_view t) {
  const std::size_t scheme = t.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view authority = t.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  const std::size_t at = authority.rfind('@');
  return at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos;
}

// The value after a keyword (IDENTIFIED BY x, SET PASSWORD = x): a secret within the next few tokens.
bool secret_follows(const std::vector<std::string>& tokens, std::size_t from) {
  for (std::size_t k = from; k < tokens.size() && k < from + 3; ++k)
    if (has_secret(tokens[k])) return true;
  return false;
}

}  // namespace

bool literal_password(const std::vector<std::string>& words) {
  const std::vector<std::string> tokens = tokens_of(words);
  enum class Program { Other, Mysql, Sshpass, Curl } program = Program::Other;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    const std::string l = lower(t);
    const std::string next = i + 1 < tokens.size() ? tokens[i + 1] : "";
    const std::string_view name = program_name(l);
    if (name.starts_with("mysql") || name.starts_with("mariadb")) program = Program::Mysql;
    else if (name == "sshpass") program = Program::Sshpass;
    else if (name == "curl") program = Program::Curl;
    if (!has_secret(t)) {
      // Anywhere: PASSWORD=x, --password=x, passwd=, MYSQL_PWD=x, a URL's user:pw@.
      if (l.find("password=") != std::string::npos || l.find("passwd=") != std::string::npos ||
          l.find("mysql_pwd=") != std::string::npos || url_with_password(l))
        return true;
      // SQL: IDENTIFIED [WITH plugin] BY 'x', SET PASSWORD [FOR u] = 'x'.
      if (l == "identified")
        for (std::size_t k = i + 1; k < tokens.size() && k <= i + 3; ++k)
          if (lower(tokens[k]) == "by" && !secret_follows(tokens, k + 1)) return true;
      if (l == "set" && i + 1 < tokens.size() && lower(next).starts_with("password") && !secret_follows(tokens, i + 1))
        return true;
      switch (program) {
        case Program::Mysql:  // -pX (not -P, the port), --password, --pass=X (a prefix mysql accepts)
          if ((t.starts_with("-p") && t.size() > 2) || l == "--password" || l.starts_with("--pass")) return true;
          break;
        case Program::Sshpass:  // -p X or -pX (-f FILE and -e read it elsewhere), before the command it runs
          if (t == "-p" ? !has_secret(next) : t.starts_with("-p")) return true;
          if (const std::string& before = tokens[i - 1]; !t.starts_with("-") && name != "sshpass" && before != "-f" &&
                                                         before != "-d" && before != "-P" && before != "-p")
            program = Program::Other;
          break;
        case Program::Curl:  // -u user:pw, -uuser:pw, --user user:pw, --user=user:pw
          if ((t == "-u" || l == "--user") && next.find(':') != std::string::npos && !has_secret(next)) return true;
          if ((t.starts_with("-u") && t.size() > 2 && t.find(':') != std::string::npos) ||
              (l.starts_with("--user=") && t.find(':') != std::string::npos))
            return true;
          break;
        case Program::Other: break;
      }
    }
    if (ends_command(t)) program = Program::Other;
  }
  return false;
}

}  // namespace acdsim::live
