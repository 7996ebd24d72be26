#include "acdsim/model/shard.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>

#include "acdsim/model/input_error.hpp"
#include "acdsim/model/input_file.hpp"

namespace acdsim::model {
namespace {

constexpr int kMaxLineDepth = 32;

std::optional<unsigned> small_whole(std::string_view text) {
  unsigned v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// A short quote of a value for messages.
std::string shown(const JsonLine::Json& v) {
  std::string s = v.dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

// Deepest nesting of objects and arrays in one line (strings skipped), before any tree is built.
bool too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxLineDepth) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

}  // namespace

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  const std::optional<unsigned> index = small_whole(std::string_view(text).substr(0, slash));
  const std::optional<unsigned> count =
      slash == std::string::npos ? std::nullopt : small_whole(std::string_view(text).substr(slash + 1));
  if (!index || !count || *count < 1 || *count > kMaxShards || *index >= *count)
    throw std::invalid_argument("expected I/N with 0 <= I < N <= " + std::to_string(kMaxShards) +
                                " (shard I of N, counted from 0), got \"" + text + "\"");
  return {*index, *count};
}

void JsonLine::fail(const std::string& pointer, const std::string& message) const {
  throw InputError(file_, pointer, line_, message);
}

const JsonLine::Json& JsonLine::at(const std::string& pointer, const std::string& what) const {
  const Json* v = &value_;
  std::size_t from = 1;
  while (from <= pointer.size() && !pointer.empty()) {
    std::size_t to = pointer.find('/', from);
    if (to == std::string::npos) to = pointer.size();
    const std::string token = pointer.substr(from, to - from);
    if (v->is_object() && v->contains(token)) v = &(*v)[token];
    else if (const std::optional<unsigned> i = small_whole(token); v->is_array() && i && *i < v->size()) v = &(*v)[*i];
    else fail(pointer, "expected " + what);
    from = to + 1;
  }
  return *v;
}

std::string JsonLine::string_at(const std::string& pointer) const {
  const Json& v = at(pointer, "a string");
  if (!v.is_string()) fail(pointer, "expected a string, got " + shown(v));
  return v.get<std::string>();
}

std::uint64_t JsonLine::whole_at(const std::string& pointer, std::uint64_t max) const {
  const Json& v = at(pointer, "a whole number");
  if (!v.is_number_unsigned() || v.get<std::uint64_t>() > max)
    fail(pointer, "expected a whole number from 0 to " + std::to_string(max) + ", got " + shown(v));
  return v.get<std::uint64_t>();
}

double JsonLine::number_at(const std::string& pointer) const {
  const Json& v = at(pointer, "a number");
  if (!v.is_number() || !std::isfinite(v.get<double>())) fail(pointer, "expected a number, got " + shown(v));
  return v.get<double>();
}

bool JsonLine::boolean_at(const std::string& pointer) const {
  const Json& v = at(pointer, "true or false");
  if (!v.is_boolean()) fail(pointer, "expected true or false, got " + shown(v));
  return v.get<bool>();
}

std::vector<JsonLine> parse_json_lines(const std::string& text, const std::string& file) {
  std::vector<JsonLine> out;
  std::size_t from = 0;
  int line = 0;
  while (from < text.size()) {
    ++line;
    const std::size_t end = text.find('\n', from);
    if (end == std::string::npos)
      throw InputError(file, "", line, "the last line has no newline: the file was cut off (a torn or partial copy)");
    const std::string_view body(text.data() + from, end - from);
    from = end + 1;
    if (too_deep(body))
      throw InputError(file, "", line, "expected a JSON object nested at most " + std::to_string(kMaxLineDepth) + " deep");
    JsonLine::Json value;
    try {
      value = JsonLine::Json::parse(body);
    } catch (const nlohmann::json::exception& e) {
      std::string what = e.what();  // "[json.exception.parse_error.101] parse error at line 1, column 5: ..."
      if (const auto at = what.find("column "); at != std::string::npos) what = what.substr(at);
      throw InputError(file, "", line,
                       "expected one JSON object per line (acdsim-shard/1 JSON lines), at " + what);
    }
    if (!value.is_object()) throw InputError(file, "", line, "expected one JSON object per line, got " + shown(value));
    out.emplace_back(file, line, std::move(value));
  }
  return out;
}

std::vector<JsonLine> read_json_lines(const std::string& path) {
  return parse_json_lines(read_input_file(path), path);  // InputError naming the file if unreadable
}

std::string shard_header_line(const ShardHeader& h) {
  nlohmann::ordered_json j;
  j["format"] = kShardFormat;
  j["command"] = h.command;
  j["shard"] = {{"index", h.shard.index}, {"count", h.shard.count}};
  j["campaign"] = h.campaign;
  return j.dump() + "\n";
}

std::string shard_end_line(std::size_t records) { return nlohmann::ordered_json{{"end", {{"records", records}}}}.dump() + "\n"; }

namespace {

ShardFile read_one(std::vector<JsonLine> lines, const std::string& file) {
  if (lines.empty()) throw InputError(file, "", 0, "expected a shard file (acdsim-shard/1), got an empty file");
  const JsonLine& first = lines.front();
  if (!first.has("format") || !first.value()["format"].is_string() || first.string_at("/format") != kShardFormat)
    first.fail("/format", std::string("expected \"") + kShardFormat + "\" (a file written by acdsim fuzz|whatif --shard)");
  ShardFile f;
  f.file = file;
  f.header.command = first.string_at("/command");
  if (f.header.command != "fuzz" && f.header.command != "whatif") first.fail("/command", "expected fuzz or whatif");
  f.header.shard.count = static_cast<unsigned>(first.whole_at("/shard/count", kMaxShards));
  if (f.header.shard.count == 0) first.fail("/shard/count", "expected a whole number from 1 to " + std::to_string(kMaxShards));
  f.header.shard.index = static_cast<unsigned>(first.whole_at("/shard/index", f.header.shard.count - 1));
  if (!first.at("/campaign", "an object").is_object()) first.fail("/campaign", "expected an object");
  f.header.campaign = first.value()["campaign"];
  const JsonLine& last = lines.back();
  if (lines.size() < 2 || !last.has("end"))
    throw InputError(file, "", last.line(), "expected the end record {\"end\":...} last: the file is incomplete");
  if (last.whole_at("/end/records", lines.size()) != lines.size() - 2)
    last.fail("/end/records", "expected " + std::to_string(lines.size() - 2) + " (the records between header and end)");
  for (std::size_t i = 1; i + 1 < lines.size(); ++i)
    if (lines[i].has("format") || lines[i].has("end"))
      lines[i].fail(lines[i].has("end") ? "/end" : "/format", "expected a record of the campaign, got a header or end record");
  f.body.assign(std::make_move_iterator(lines.begin() + 1), std::make_move_iterator(lines.end() - 1));
  return f;
}

ShardSet combine(std::vector<ShardFile> files) {
  if (files.empty()) throw std::invalid_argument("no shard files");
  const ShardFile& first = files.front();
  std::map<unsigned, std::size_t> by_index;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const ShardFile& f = files[i];
    const auto where = [&](const std::string& pointer, const std::string& message) {
      throw InputError(f.file, pointer, 1, message);
    };
    if (f.header.command != first.header.command)
      where("/command", "a " + f.header.command + " shard cannot merge with the " + first.header.command + " shard " + first.file);
    if (f.header.shard.count != first.header.shard.count)
      where("/shard/count", "this shard is one of " + std::to_string(f.header.shard.count) + ", " + first.file + " one of " +
                                std::to_string(first.header.shard.count));
    if (f.header.campaign != first.header.campaign) {
      const auto patch = nlohmann::ordered_json::diff(first.header.campaign, f.header.campaign);
      const std::string path = patch.empty() ? "" : patch[0].value("path", "");
      where("/campaign" + path, "another campaign than " + first.file + " (shard " + first.header.shard.text() +
                                    "): every shard must be run with the same procedures (same content) and options");
    }
    if (const auto [it, fresh] = by_index.emplace(f.header.shard.index, i); !fresh)
      where("/shard/index", "shard " + f.header.shard.text() + " is given twice (also " + files[it->second].file + ")");
  }
  const unsigned n = first.header.shard.count;
  if (by_index.size() != n) {
    std::string missing;
    for (unsigned i = 0, shown_n = 0; i < n && shown_n < 10; ++i)
      if (!by_index.count(i)) missing += (shown_n++ ? ", " : "") + std::to_string(i) + "/" + std::to_string(n);
    throw InputError(first.file, "/shard/count", 1,
                     "the campaign has " + std::to_string(n) + " shards, " + std::to_string(by_index.size()) +
                         " given; missing: " + missing + (n - by_index.size() > 10 ? ", ..." : ""));
  }
  ShardSet set;
  set.header = files[by_index[0]].header;
  for (const auto& [index, i] : by_index) {
    set.bodies.push_back(std::move(files[i].body));
    set.files.push_back(files[i].file);
  }
  return set;
}

}  // namespace

ShardFile parse_shard_file(const std::string& text, const std::string& file) { return read_one(parse_json_lines(text, file), file); }

ShardSet read_shard_set(const std::vector<std::string>& paths) {
  std::vector<ShardFile> files;
  for (const std::string& p : paths) files.push_back(read_one(read_json_lines(p), p));
  return combine(std::move(files));
}

ShardSet parse_shard_set(const std::vector<std::pair<std::string, std::string>>& texts) {
  std::vector<ShardFile> files;
  for (const auto& [name, text] : texts) files.push_back(read_one(parse_json_lines(text, name), name));
  return combine(std::move(files));
}

}  // namespace acdsim::model
