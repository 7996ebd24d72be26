#include "acdsim/sim/whatif_shard.hpp"

#include <limits>

#include "acdsim/model/input_error.hpp"

namespace acdsim::sim {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::uint64_t kMaxCount = std::numeric_limits<std::uint64_t>::max();

// The params of point k of the grid (first axis slowest).
std::vector<std::pair<std::string, std::string>> params_of(const std::vector<SweepAxis>& axes, std::size_t k) {
  std::vector<std::pair<std::string, std::string>> out(axes.size());
  for (std::size_t a = axes.size(); a-- > 0;) {
    out[a] = {axes[a].key, axes[a].values[k % axes[a].values.size()]};
    k /= axes[a].values.size();
  }
  return out;
}

std::optional<double> optional_number(const model::JsonLine& line, const std::string& pointer) {
  if (line.at(pointer, "a number or null").is_null()) return std::nullopt;
  return line.number_at(pointer);
}

}  // namespace

std::vector<Json> whatif_shard_records(const std::vector<PointResult>& points, model::Shard shard, unsigned seeds,
                                       const std::vector<RunSummary>& runs) {
  std::vector<Json> out;
  for (std::size_t k = 0; k < points.size(); ++k) {
    const PointResult& p = points[k];
    Json params = Json::array();
    for (const auto& [key, value] : p.params) params.push_back({key, value});
    out.push_back({{"point", k}, {"params", params}, {"strategy", p.strategy}, {"group_size", p.group_size}, {"load", p.load},
                   {"drain_s", p.drain_s}});
  }
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunSummary& r = runs[i];
    const std::size_t job = shard.index + i * shard.count;
    Json j{{"run", job}, {"point", job / seeds}, {"seed_index", job % seeds}, {"completed", r.completed}, {"refused", r.refused},
           {"findings", r.unaccepted}, {"window_s", r.window_s}};
    j["commands_done_s"] = r.commands_done_s ? Json(*r.commands_done_s) : Json();
    j["service_back_s"] = r.goal_s ? Json(*r.goal_s) : Json();
    j["class"] = r.has_class ? Json{{"offered", r.offered}, {"abandoned", r.abandoned}, {"max_queue", r.max_queue},
                                    {"wait_p95_s", r.wait_p95_s}, {"below_capacity_s", r.below_capacity_s}}
                             : Json();
    out.push_back(std::move(j));
  }
  return out;
}

std::vector<PointResult> read_whatif_shard(const std::string& file, const std::vector<model::JsonLine>& body, model::Shard shard,
                                           const std::vector<SweepAxis>& axes, unsigned seeds, std::vector<RunSummary>& runs,
                                           const std::vector<PointResult>* expected) {
  std::size_t points = 1;
  for (const SweepAxis& a : axes) points *= a.values.size();
  const std::size_t total = points * seeds, mine = shard.jobs_of(total);
  if (body.size() != points + mine)
    throw model::InputError(file, "", 0, "expected " + std::to_string(points) + " point records and " + std::to_string(mine) +
                                             " run records (shard " + shard.text() + " of " + std::to_string(total) +
                                             " runs), got " + std::to_string(body.size()) + " records");
  runs.resize(total);
  std::vector<PointResult> out;
  for (std::size_t k = 0; k < points; ++k) {
    const model::JsonLine& line = body[k];
    if (line.whole_at("/point", points - 1) != k) line.fail("/point", "expected " + std::to_string(k) + " (points in grid order)");
    PointResult p;
    p.params = params_of(axes, k);
    const Json& params = line.at("/params", "an array of [key, value]");
    Json want = Json::array();
    for (const auto& [key, value] : p.params) want.push_back({key, value});
    if (params != want) line.fail("/params", "expected " + want.dump() + " (point " + std::to_string(k) + " of the sweep)");
    p.strategy = line.string_at("/strategy");
    if (p.strategy != "group" && p.strategy != "atomic") line.fail("/strategy", "expected group or atomic");
    p.group_size = static_cast<unsigned>(line.whole_at("/group_size", 1'000'000));
    p.load = line.number_at("/load");
    p.drain_s = line.number_at("/drain_s");
    if (expected) {
      const PointResult& e = (*expected)[k];
      if (e.strategy != p.strategy || e.group_size != p.group_size || e.load != p.load || e.drain_s != p.drain_s)
        line.fail("", "point " + std::to_string(k) + " resolved differently in shard 0 (strategy, group size, load or drain)");
    }
    out.push_back(std::move(p));
  }
  for (std::size_t i = 0; i < mine; ++i) {
    const model::JsonLine& line = body[points + i];
    const std::size_t job = shard.index + i * shard.count;
    if (line.whole_at("/run", kMaxCount) != job)
      line.fail("/run", "expected run " + std::to_string(job) + " (shard " + shard.text() + "'s runs in order, each once)");
    if (line.whole_at("/point", kMaxCount) != job / seeds) line.fail("/point", "expected " + std::to_string(job / seeds));
    if (line.whole_at("/seed_index", kMaxCount) != job % seeds) line.fail("/seed_index", "expected " + std::to_string(job % seeds));
    RunSummary& r = runs[job];
    r.completed = line.boolean_at("/completed");
    r.refused = line.boolean_at("/refused");
    r.unaccepted = line.boolean_at("/findings");
    r.window_s = line.number_at("/window_s");
    r.commands_done_s = optional_number(line, "/commands_done_s");
    r.goal_s = optional_number(line, "/service_back_s");
    r.has_class = !line.at("/class", "an object or null").is_null();
    if (r.has_class) {
      r.offered = line.whole_at("/class/offered", kMaxCount);
      r.abandoned = line.whole_at("/class/abandoned", r.offered);
      r.max_queue = line.whole_at("/class/max_queue", kMaxCount);
      r.wait_p95_s = line.number_at("/class/wait_p95_s");
      r.below_capacity_s = line.number_at("/class/below_capacity_s");
    }
  }
  return out;
}

}  // namespace acdsim::sim
