// Campaigns split over machines (acdsim fuzz|whatif --shard I/N, acdsim merge):
// which jobs a shard runs, the shard file's header and end records, and a
// JSON Lines reader with located errors. Format acdsim-shard/1: docs/formats.md,
// recipes: docs/campaigns.md.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace acdsim::model {

inline constexpr unsigned kMaxShards = 10'000;
inline constexpr const char* kShardFormat = "acdsim-shard/1";

// Shard `index` (0-based) of `count`. Job j of a campaign (0-based, in the
// campaign's own order) belongs to shard j mod count: every job is in exactly
// one shard, shards differ by at most one job, and the seeds of one grid point
// are spread over all shards (points differ in cost; seeds of a point do not).
struct Shard {
  unsigned index = 0;
  unsigned count = 1;
  bool owns(std::size_t job) const { return job % count == index; }
  // How many of jobs 0..total-1 this shard owns.
  std::size_t jobs_of(std::size_t total) const { return total / count + (index < total % count ? 1 : 0); }
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};
// "I/N", whole numbers, 0 <= I < N <= kMaxShards; std::invalid_argument naming what was expected.
Shard parse_shard(const std::string& text);

// One line of a JSON Lines file: a JSON object, where it came from, and typed
// access that throws InputError(file, pointer, line, "expected ...").
class JsonLine {
 public:
  using Json = nlohmann::ordered_json;
  JsonLine(std::string file, int line, Json value) : file_(std::move(file)), line_(line), value_(std::move(value)) {}

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const Json& value() const { return value_; }
  bool has(const std::string& key) const { return value_.contains(key); }

  // The value at a JSON pointer ("/shard/index"); missing: "expected WHAT".
  const Json& at(const std::string& pointer, const std::string& what) const;
  std::string string_at(const std::string& pointer) const;
  std::uint64_t whole_at(const std::string& pointer, std::uint64_t max) const;
  double number_at(const std::string& pointer) const;  // finite
  bool boolean_at(const std::string& pointer) const;
  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const;

 private:
  std::string file_;
  int line_;
  Json value_;
};

// Every line of text a JSON object nested at most 32 deep; the text ends with a
// newline (else the last line was cut off). InputError at the line otherwise.
std::vector<JsonLine> parse_json_lines(const std::string& text, const std::string& file);
// The same for a file (read_input_file: regular files up to 64 MiB).
std::vector<JsonLine> read_json_lines(const std::string& path);

// The first record of a shard file. `campaign` (the command's procedures with
// their content hashes and every option that shapes the results) is the same in
// every shard of one campaign.
struct ShardHeader {
  std::string command;  // fuzz or whatif
  Shard shard;
  nlohmann::ordered_json campaign;
};
std::string shard_header_line(const ShardHeader& header);
// The last record: how many records lie between header and end (a cut-off file has none).
std::string shard_end_line(std::size_t records);

// One shard file's header and its records between header and end (checked: the
// header's fields, one end record last with the right count).
struct ShardFile {
  ShardHeader header;
  std::vector<JsonLine> body;
  std::string file;
};
ShardFile parse_shard_file(const std::string& text, const std::string& file);

// Shard files read and checked together: every line parsed, one header and one
// end record each, the same command and campaign, every index 0..N-1 exactly
// once. `bodies[i]` holds shard i's records between its header and end.
struct ShardSet {
  ShardHeader header;  // shard 0's
  std::vector<std::vector<JsonLine>> bodies;
  std::vector<std::string> files;  // shard i's file
};
ShardSet read_shard_set(const std::vector<std::string>& paths);
// The same over texts already read (name, text) (tests, the fuzz target).
ShardSet parse_shard_set(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace acdsim::model
