#include "acdsim/planner/fuzz_shard.hpp"

#include <limits>

#include "acdsim/model/input_error.hpp"

namespace acdsim::planner {
namespace {

using Json = nlohmann::ordered_json;

Json case_record(const FuzzCase& c) {
  Json j;
  j["seed"] = c.seed;
  j["faults"] = Json::array();
  for (const sim::ScheduledFault& f : c.faults) j["faults"].push_back({{"at_s", f.at_s}, {"what", f.what}});
  j["failure"] = c.failure;
  j["detail"] = c.detail;
  j["time_s"] = c.time_s;
  if (c.typical_all) j["median_durations"] = "all";
  else j["median_durations"] = c.typical;
  return j;
}

FuzzCase case_from(const model::JsonLine& line, const std::string& at) {
  FuzzCase c;
  c.seed = line.whole_at(at + "/seed", std::numeric_limits<std::uint64_t>::max());
  const Json& faults = line.at(at + "/faults", "an array of faults");
  if (!faults.is_array()) line.fail(at + "/faults", "expected an array of faults");
  for (std::size_t i = 0; i < faults.size(); ++i) {
    const std::string f = at + "/faults/" + std::to_string(i);
    const double t = line.number_at(f + "/at_s");
    if (t < 0) line.fail(f + "/at_s", "expected seconds >= 0");
    c.faults.push_back({t, line.string_at(f + "/what")});
  }
  c.failure = line.string_at(at + "/failure");
  if (c.failure.empty()) line.fail(at + "/failure", "expected the failed invariant's id");
  c.detail = line.string_at(at + "/detail");
  c.time_s = line.number_at(at + "/time_s");
  const Json& median = line.at(at + "/median_durations", "\"all\" or an array of labels");
  if (median.is_string() && median == "all") {
    c.typical_all = true;
  } else if (median.is_array()) {
    for (std::size_t i = 0; i < median.size(); ++i) c.typical.push_back(line.string_at(at + "/median_durations/" + std::to_string(i)));
  } else {
    line.fail(at + "/median_durations", "expected \"all\" or an array of labels");
  }
  return c;
}

}  // namespace

std::vector<Json> fuzz_shard_records(std::size_t procedure, const FuzzShardResult& r) {
  std::vector<Json> out;
  for (const auto& [run, failure] : r.failures) out.push_back({{"procedure", procedure}, {"run", run}, {"failure", failure}});
  Json total{{"procedure", procedure}, {"runs", r.runs}, {"environment_moves", r.environment_moves}, {"shrink_runs", r.shrink_runs}};
  total["first_failure"] = r.first_failure ? case_record(*r.first_failure) : Json();
  total["shrunk"] = r.shrunk ? case_record(*r.shrunk) : Json();
  out.push_back(std::move(total));
  return out;
}

std::vector<FuzzShardResult> read_fuzz_shard(const std::string& file, const std::vector<model::JsonLine>& body,
                                             model::Shard shard, std::size_t procedures, const FuzzOptions& options) {
  std::vector<FuzzShardResult> out(procedures);
  std::size_t procedure = 0;  // the one whose records come now
  for (const model::JsonLine& line : body) {
    if (procedure >= procedures) line.fail("", "expected no more records (every procedure's totals were given)");
    const std::size_t p = line.whole_at("/procedure", procedures - 1);
    if (p != procedure) line.fail("/procedure", "expected " + std::to_string(procedure) + " (procedures in order, each ending with its totals)");
    FuzzShardResult& r = out[p];
    if (line.has("run")) {  // a failing run
      const auto run = static_cast<unsigned>(line.whole_at("/run", options.runs ? options.runs - 1 : 0));
      if (!shard.owns(run)) line.fail("/run", "run " + std::to_string(run) + " is not one of shard " + shard.text() + "'s");
      if (!r.failures.empty() && run <= r.failures.back().first)
        line.fail("/run", "expected a run after " + std::to_string(r.failures.back().first) + " (runs in order, each once)");
      const std::string failure = line.string_at("/failure");
      if (failure.empty()) line.fail("/failure", "expected the failed invariant's id");
      r.failures.emplace_back(run, failure);
      continue;
    }
    r.runs = static_cast<unsigned>(line.whole_at("/runs", options.runs));
    if (r.runs != shard.jobs_of(options.runs))
      line.fail("/runs", "expected " + std::to_string(shard.jobs_of(options.runs)) + " (shard " + shard.text() + " of " +
                             std::to_string(options.runs) + " runs)");
    r.environment_moves = line.whole_at("/environment_moves", std::numeric_limits<std::uint32_t>::max());
    r.shrink_runs = static_cast<unsigned>(line.whole_at("/shrink_runs", options.max_shrink_runs));
    const bool has_first = !line.at("/first_failure", "a case or null").is_null();
    if (has_first != !r.failures.empty())
      line.fail("/first_failure", r.failures.empty() ? "expected null (no run failed)" : "expected the first failing run's case");
    if (has_first != !line.at("/shrunk", "a case or null").is_null())
      line.fail("/shrunk", has_first ? "expected the shrunk case" : "expected null (no run failed)");
    if (has_first) {
      r.first_failure = case_from(line, "/first_failure");
      r.shrunk = case_from(line, "/shrunk");
      const auto& [run, failure] = r.failures.front();
      if (r.first_failure->seed != options.seed + run || r.first_failure->failure != failure)
        line.fail("/first_failure", "expected run " + std::to_string(run) + "'s case (seed " + std::to_string(options.seed + run) +
                                        ", " + failure + ")");
      if (r.shrunk->seed != r.first_failure->seed || r.shrunk->failure != failure)
        line.fail("/shrunk", "expected the first failure shrunk (seed " + std::to_string(r.first_failure->seed) + ", " + failure + ")");
    }
    ++procedure;
  }
  if (procedure < procedures) {
    const std::string what = "the records of procedure " + std::to_string(procedure) + " (its totals) are missing";
    if (body.empty()) throw model::InputError(file, "", 0, "expected records: " + what);
    body.back().fail("", "expected more records: " + what);
  }
  return out;
}

}  // namespace acdsim::planner
