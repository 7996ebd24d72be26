// No damage to a real status output reads healthier than the output itself:
// every corpus file (tests/live/corpus) whose reading is known, mutated by
// dropping, duplicating, swapping or moving lines, truncating, or corrupting a
// character or the case of a word, reads unknown or no healthier than the
// original, component by component (tests/live/corpus_reading.hpp defines the
// order). RapidCheck shrinks a failure to a minimal list of mutations.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "../live/corpus_reading.hpp"

namespace acdsim::property {
namespace {

using namespace acdsim::live::corpus;

struct Mutation {
  int kind = 0;  // see apply()
  std::size_t a = 0, b = 0;
  int c = 0;
};

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) out += lines[i] + (i + 1 < lines.size() ? "\n" : "");
  return out;
}

// Applies one mutation; returns what it did, for the failure message.
std::string apply(std::string& text, const Mutation& m) {
  static const std::string kChars = "aZ0:[]()*- _,./'";
  auto lines = split_lines(text);
  const std::size_t n = lines.size();
  const std::size_t a = m.a % n, b = m.b % n;
  std::string& line = lines[a];
  std::string did;
  switch (m.kind) {
    case 0:
      did = "drop line " + std::to_string(a + 1) + " '" + line + "'";
      lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(a));
      break;
    case 1:
      did = "duplicate line " + std::to_string(a + 1) + " '" + line + "'";
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(a), line);
      break;
    case 2:
      did = "swap lines " + std::to_string(a + 1) + " and " + std::to_string(b + 1);
      std::swap(lines[a], lines[b]);
      break;
    case 3: {
      did = "move line " + std::to_string(a + 1) + " '" + line + "' before line " + std::to_string(b + 1);
      const std::string moved = line;
      lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(a));
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(std::min(b, lines.size())), moved);
      break;
    }
    case 4: {  // cut inside a line (a cut at a line end is dropped lines: see the exemption below)
      std::size_t at = m.a % (text.size() + 1);
      while (at > 0 && text[at - 1] == '\n') --at;
      did = "truncate at byte " + std::to_string(at);
      text.resize(at);
      return did;
    }
    case 5:
      if (line.empty()) return "nothing (empty line)";
      did = "line " + std::to_string(a + 1) + ": character " + std::to_string(m.b % line.size() + 1) + " -> '" +
            kChars[static_cast<std::size_t>(m.c) % kChars.size()] + "'";
      line[m.b % line.size()] = kChars[static_cast<std::size_t>(m.c) % kChars.size()];
      break;
    case 6:
      if (line.empty()) return "nothing (empty line)";
      did = "line " + std::to_string(a + 1) + ": delete character " + std::to_string(m.b % line.size() + 1);
      line.erase(m.b % line.size(), 1);
      break;
    default: {  // flip the case of one word
      std::vector<std::pair<std::size_t, std::size_t>> words;
      for (std::size_t i = 0; i < line.size();) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        const std::size_t s = i;
        while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        if (i > s) words.emplace_back(s, i - s);
      }
      if (words.empty()) return "nothing (no word)";
      const auto [s, len] = words[m.b % words.size()];
      const bool upper = std::any_of(line.begin() + static_cast<std::ptrdiff_t>(s),
                                     line.begin() + static_cast<std::ptrdiff_t>(s + len),
                                     [](char ch) { return std::isupper(static_cast<unsigned char>(ch)); });
      for (std::size_t i = s; i < s + len; ++i)
        line[i] = static_cast<char>(upper ? std::tolower(static_cast<unsigned char>(line[i]))
                                          : std::toupper(static_cast<unsigned char>(line[i])));
      did = "line " + std::to_string(a + 1) + ": case of '" + line.substr(s, len) + "'";
    }
  }
  text = join_lines(lines);
  return did;
}

// Dropping a whole failed-action record (one line of "Failed actions:" /
// "Failed Resource Actions:" that starts a record) leaves a well-formed
// output of a cluster with one failure fewer: no parser can tell. It is the
// one damage the property exempts (docs/live.md, "Parsers").
bool drops_failure_record(const std::string& text, std::size_t line_index) {
  const auto lines = split_lines(text);
  if (line_index >= lines.size()) return false;
  std::string l = lines[line_index];
  l.erase(0, l.find_first_not_of(" \t"));
  if (l.empty() || l.starts_with("last-rc-change=") || l.starts_with(", queued=") || l.starts_with("): ") ||
      l.starts_with("exitreason="))
    return false;
  for (std::size_t i = line_index; i-- > 0;) {
    const std::string& h = lines[i];
    if (h.empty() || h[0] == ' ' || h[0] == '\t' || h.back() != ':') continue;
    return h == "Failed actions:" || h == "Failed Actions:" || h == "Failed Resource Actions:";
  }
  return false;
}

bool reading_known(const json& entry) {
  const json& r = entry.at("reading");
  if (entry.at("tool") == "mysql") return r.at("result") == "status";
  return r.at("known").get<bool>();
}

const std::vector<json>& mutable_entries() {
  static const std::vector<json> entries = [] {
    std::vector<json> out;
    const json expected = load_expected();
    for (const json& e : expected.at("files"))
      if (reading_known(e)) out.push_back(e);
    return out;
  }();
  return entries;
}

RC_GTEST_PROP(ProbeMutations, NoDamagedOutputReadsHealthierThanTheOriginal, ()) {
  const auto& entries = mutable_entries();
  RC_PRE(!entries.empty());
  const json& entry = entries[*rc::gen::inRange<std::size_t>(0, entries.size())];
  const auto mutations = *rc::gen::container<std::vector<Mutation>>(
      *rc::gen::inRange<std::size_t>(1, 4), rc::gen::build<Mutation>(rc::gen::set(&Mutation::kind, rc::gen::inRange(0, 8)),
                                                                     rc::gen::set(&Mutation::a, rc::gen::inRange<std::size_t>(0, 4000)),
                                                                     rc::gen::set(&Mutation::b, rc::gen::inRange<std::size_t>(0, 4000)),
                                                                     rc::gen::set(&Mutation::c, rc::gen::inRange(0, 64))));
  std::string text = read_text(corpus_dir() + entry.at("file").get<std::string>());
  std::string did;
  for (const Mutation& m : mutations) {
    if (m.kind == 0 && drops_failure_record(text, m.a % split_lines(text).size())) {
      RC_TAG("drops a failed-action record (exempt)");
      return;
    }
    did += "\n  " + apply(text, m);
  }
  const json original = entry.at("reading");
  const json mutated = reading_of(entry, text);
  const std::string worse = healthier(entry, original, mutated);
  if (!worse.empty())
    RC_FAIL(entry.at("file").get<std::string>() + ": " + worse + "\nmutations:" + did + "\nreading: " + mutated.dump() +
            "\nmutated output:\n" + text);
}

// Every single edit of every line of every file, exhaustively: drop,
// duplicate, swap with the next, move to the end, flip the case of each word,
// delete each character.
TEST(ProbeMutations, EverySingleEditReadsNoHealthier) {
  std::size_t checked = 0, exempt = 0;
  for (const json& entry : mutable_entries()) {
    const std::string file = entry.at("file");
    const std::string original_text = read_text(corpus_dir() + file);
    const json original = entry.at("reading");
    const std::size_t n = split_lines(original_text).size();
    auto check = [&](const Mutation& m) {
      if (m.kind == 0 && drops_failure_record(original_text, m.a)) return void(++exempt);
      std::string text = original_text;
      const std::string did = apply(text, m);
      const std::string worse = healthier(entry, original, reading_of(entry, text));
      ++checked;
      EXPECT_TRUE(worse.empty()) << file << ": " << worse << " after: " << did;
    };
    for (std::size_t i = 0; i < n; ++i) {
      for (int kind : {0, 1, 2, 3}) check({kind, i, kind == 2 ? i + 1 : n - 1, 0});
      const std::string line = split_lines(original_text)[i];
      for (std::size_t w = 0; w < 12; ++w) check({7, i, w, 0});
      for (std::size_t c = 0; c < line.size(); ++c) check({6, i, c, 0});
    }
  }
  EXPECT_GT(checked, 100000u);
  EXPECT_GT(exempt, 0u);  // the corpus does hold failure records
}

}  // namespace
}  // namespace acdsim::property
