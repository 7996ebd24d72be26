#include "acdsim/sim/whatif.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <nlohmann/json.hpp>

#include "acdsim/model/input_file.hpp"
#include "acdsim/model/output.hpp"
#include "acdsim/model/procedure.hpp"

namespace acdsim::sim {
namespace {

const std::set<std::string> kKeys = {"strategy", "group-size", "drain", "restart", "load", "guard"};

std::string fmt(double v, int digits = 1) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

constexpr double kMaxDrainS = 365.0 * 86400;  // one year, as "drain" in files
constexpr double kMaxLoad = 100;               // times the peak, as "load" in files
constexpr long long kMaxGroupSize = 1'000'000;  // as "group_size" in files

// "30s", "1m30s", "250ms", "45" -> seconds; nullopt if garbled, negative, not finite or over a year
std::optional<double> seconds_of(const std::string& text) {
  double total = 0;
  std::size_t i = 0;
  if (text.empty()) return std::nullopt;
  while (i < text.size()) {
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data() + i, text.data() + text.size(), v);
    if (ec != std::errc() || end == text.data() + i || !std::isfinite(v) || v < 0) return std::nullopt;
    i = static_cast<std::size_t>(end - text.data());
    double unit = 1;
    if (text.compare(i, 2, "ms") == 0) unit = 0.001, i += 2;
    else if (i < text.size() && text[i] == 'h') unit = 3600, ++i;
    else if (i < text.size() && text[i] == 'm') unit = 60, ++i;
    else if (i < text.size() && text[i] == 's') ++i;
    else if (i < text.size()) return std::nullopt;
    total += v * unit;
  }
  if (!std::isfinite(total) || total > kMaxDrainS) return std::nullopt;
  return total;
}

// A whole number of decimal digits (with an optional '-') that fits in a long long.
std::optional<long long> whole_of(const std::string& text) {
  long long v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

bool load_ok(const std::string& v) {
  const std::optional<double> load = model::load_by_name(v);
  return load && std::isfinite(*load) && *load >= 0 && *load <= kMaxLoad;
}

}  // namespace

SweepAxis parse_sweep(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw std::invalid_argument("--sweep expects KEY=V1,V2 or KEY=A..B, got \"" + text + "\"");
  SweepAxis a{text.substr(0, eq), {}};
  if (!kKeys.count(a.key))
    throw std::invalid_argument("unknown sweep key \"" + a.key + "\" (known: strategy, group-size, drain, restart, load, guard)");
  const std::string rest = text.substr(eq + 1);
  if (const auto dots = rest.find(".."); dots != std::string::npos) {
    const std::optional<long long> lo = whole_of(rest.substr(0, dots)), hi = whole_of(rest.substr(dots + 2));
    if (!lo || !hi) throw std::invalid_argument("--sweep " + a.key + ": expected whole numbers A..B, got \"" + rest + "\"");
    if (*lo < 0 || *hi > kMaxGroupSize)  // also keeps hi - lo and the loop below from overflowing
      throw std::invalid_argument("--sweep " + a.key + ": expected A..B within 0..1000000, got \"" + rest + "\"");
    if (*lo > *hi || *hi - *lo >= 1000)
      throw std::invalid_argument("--sweep " + a.key + ": " + rest + " is empty or has more than 1000 values");
    for (long long v = *lo; v <= *hi; ++v) a.values.push_back(std::to_string(v));
  } else {
    std::stringstream ss(rest);
    for (std::string v; std::getline(ss, v, ',');)
      if (!v.empty()) a.values.push_back(v);
  }
  if (a.values.empty()) throw std::invalid_argument("--sweep " + a.key + ": no values");
  if (a.values.size() > kMaxGridPoints)
    throw std::invalid_argument("--sweep " + a.key + ": " + std::to_string(a.values.size()) + " values, at most " +
                                std::to_string(kMaxGridPoints));
  for (const std::string& v : a.values) {
    std::string expected;
    if (a.key == "strategy" && v != "group" && v != "atomic") expected = "group or atomic";
    else if (a.key == "restart" && v != "application" && v != "server") expected = "application or server";
    else if (a.key == "load" && !load_ok(v)) expected = "low, peak, over-peak or a fraction of the peak from 0 to 100";
    else if (a.key == "guard" && v != "on" && v != "off" && !load_ok(v)) expected = "on, off or a threshold from 0 to 100";
    else if (a.key == "drain" && !seconds_of(v)) expected = "a duration such as 10s, 1m30s or 250ms, at most one year";
    else if (a.key == "group-size") {
      const std::optional<long long> size = whole_of(v);
      if (!size || *size < 1 || *size > kMaxGroupSize) expected = "a whole number from 1 to 1000000";
    }
    if (!expected.empty())
      throw std::invalid_argument("--sweep " + a.key + ": expected " + expected + ", got \"" + v + "\"");
  }
  return a;
}

std::string grid_too_large(const std::vector<SweepAxis>& axes, unsigned seeds) {
  std::size_t points = 1;
  std::string sizes;
  for (const SweepAxis& a : axes) {
    sizes += (sizes.empty() ? "" : " x ") + std::to_string(a.values.size());
    // saturating: each axis has at most kMaxGridPoints values
    points = points > kMaxGridPoints ? points : points * a.values.size();
  }
  if (points > kMaxGridPoints)
    return "the sweep has " + (points > kMaxGridPoints * kMaxGridPoints ? "more than " + std::to_string(kMaxGridPoints * kMaxGridPoints) : std::to_string(points)) +
           " grid points (" + sizes + "), at most " + std::to_string(kMaxGridPoints) + ": sweep fewer values";
  if (points * seeds > kMaxWhatIfRuns)
    return "the sweep asks for " + std::to_string(points) + " grid points x " + std::to_string(seeds) + " seeds = " +
           std::to_string(points * seeds) + " runs, at most " + std::to_string(kMaxWhatIfRuns) +
           ": sweep fewer values or give fewer --seeds";
  return "";
}

WhatIfGrid prepare_whatif(const std::string& path, const std::vector<SweepAxis>& axes, const WhatIfOptions& o) {
  if (const std::string why = grid_too_large(axes, o.seeds); !why.empty()) throw std::invalid_argument(why);
  model::Topology topology;
  const model::Procedure original = model::load_procedure(path, &topology);  // located errors on the file itself
  if (!original.rollout) throw std::invalid_argument(path + ": whatif needs a procedure with a \"rollout\" block");
  const nlohmann::json base = nlohmann::json::parse(model::read_input_file(path));  // validated just above

  // grid (first axis slowest)
  std::vector<std::vector<std::size_t>> grid{{}};
  for (const SweepAxis& a : axes) {
    std::vector<std::vector<std::size_t>> next;
    for (const auto& g : grid)
      for (std::size_t i = 0; i < a.values.size(); ++i) {
        next.push_back(g);
        next.back().push_back(i);
      }
    grid = std::move(next);
  }
  WhatIfGrid out;
  for (const auto& g : grid) {
    nlohmann::json j = base;
    PointResult result;
    Options options = o.base;
    if (!options.guard_threshold) options.guard_threshold = 0;
    for (std::size_t k = 0; k < axes.size(); ++k) {
      const std::string& key = axes[k].key;
      const std::string& v = axes[k].values[g[k]];
      result.params.emplace_back(key, v);
      if (key == "strategy") j["rollout"]["strategy"] = v;
      else if (key == "restart") j["rollout"]["restart"] = v;
      else if (key == "drain") j["rollout"]["drain"] = *seconds_of(v);
      else if (key == "group-size") {
        // never changed silently: more servers than the pool has is a usage error; all of them is simulated (an outage)
        const long long size = *whole_of(v);  // 1 to 1,000,000: parse_sweep checked it
        if (static_cast<std::size_t>(size) > original.rollout->servers.size())
          throw std::invalid_argument("--sweep group-size: " + v + " is more than the " +
                                      std::to_string(original.rollout->servers.size()) + " servers of pool " +
                                      original.rollout->pool);
        j["rollout"]["group_size"] = size;
      }
      else if (key == "load") options.load = *model::load_by_name(v);
      else if (key == "guard") options.guard_threshold = v == "off" ? 0.0 : v == "on" ? 1.0 : *model::load_by_name(v);
    }
    if (j["rollout"].value("strategy", "group") == "atomic") j["rollout"].erase("group_size");  // not an atomic option
    const model::Procedure proc = model::parse_procedure(j.dump(), path, topology);
    result.strategy = std::string(model::to_string(proc.rollout->strategy));
    result.group_size = proc.rollout->max_out();
    result.drain_s = proc.rollout->drain_s;
    result.load = options.load ? *options.load : proc.load.value_or(1.0);
    options.timeline = false;
    auto simulator = std::make_unique<Simulator>(proc, topology);
    if (out.points.empty())
      if (const std::string bad = simulator->invalid_options(options); !bad.empty()) throw std::invalid_argument(bad);
    out.points.push_back(std::move(result));
    out.simulators.push_back(std::move(simulator));
    out.options.push_back(std::move(options));
  }
  return out;
}

std::vector<RunSummary> run_whatif_jobs(const WhatIfGrid& grid, const WhatIfOptions& o, model::Shard shard) {
  // jobs: point x seed (job j is point j / seeds, seed first_seed + j % seeds), the shard's own, on all cores
  const std::size_t total = shard.jobs_of(grid.points.size() * o.seeds);
  std::vector<RunSummary> results(total);
  std::atomic<std::size_t> next{0}, done{0};
  unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(total, 1)));
  std::mutex progress_mutex;
  std::exception_ptr failure;  // the first exception of a worker (bad_alloc included), rethrown here
  std::atomic<std::size_t> workers_wanted{threads};  // worker i stops before its next run once i >= this
  auto worker = [&](std::size_t index) {
    try {
      for (std::size_t job; index < workers_wanted && (job = next++) < total;) {
        const std::size_t j = shard.index + job * shard.count;  // the campaign's job number
        results[job] = summarize(grid.simulators[j / o.seeds]->run(o.first_seed + j % o.seeds, grid.options[j / o.seeds]));
        const std::size_t d = ++done;
        if (o.progress) {
          std::lock_guard lock(progress_mutex);
          o.progress(d, total);
        }
      }
    } catch (...) {
      std::lock_guard lock(progress_mutex);
      if (!failure) failure = std::current_exception();
      next = total;  // the other workers stop after their current run
    }
  };
  // As many threads as the system lets us create (thread or memory limits). When it
  // refuses one, it is at its limit: half of those created go on, at most one per core
  // (the others end after their current run and give their stacks back), so the runs
  // keep memory to work in. None at all: this thread works.
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) {
    try {
      pool.emplace_back(worker, t);
    } catch (const std::system_error& e) {
      const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
      const std::size_t keep = std::max<std::size_t>(std::min(pool.size() / 2, cores), 1);
      std::fprintf(stderr, "acdsim: could create only %zu of %u worker threads (%s); running on %zu\n", pool.size(),
                   threads, e.what(), keep);
      workers_wanted = keep;
      while (pool.size() > keep) {
        pool.back().join();
        pool.pop_back();
      }
      break;
    }
  }
  if (pool.empty()) worker(0);
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  return results;
}

RunSummary summarize(const RunResult& run) {
  RunSummary s;
  s.completed = run.completed;
  s.refused = !run.refused.empty();
  for (const Finding& f : run.findings) s.unaccepted |= !f.accepted;
  s.window_s = run.window_s;
  s.commands_done_s = run.commands_done_s;
  s.goal_s = run.goal_s;
  // the class served by the rolled servers (jb): web, else the last one
  const ClassMetrics* m = nullptr;
  for (const ClassMetrics& c : run.classes)
    if (c.name == "web") m = &c;
  if (!m && !run.classes.empty()) m = &run.classes.back();
  if (m) {
    s.has_class = true;
    s.offered = m->offered, s.abandoned = m->abandoned, s.max_queue = m->max_queue;
    s.wait_p95_s = m->wait_p95_s, s.below_capacity_s = m->below_capacity_s;
  }
  return s;
}

// Sums in job order (point by point, seeds in order), so a merge of shards adds the same doubles in the same order.
std::vector<PointResult> aggregate_whatif(std::vector<PointResult> points, unsigned seeds, const std::vector<RunSummary>& runs) {
  if (runs.size() != points.size() * seeds) throw std::logic_error("aggregate_whatif: runs do not match points x seeds");
  std::vector<PointResult> out;
  for (std::size_t i = 0; i < points.size(); ++i) {
    PointResult r = std::move(points[i]);
    for (unsigned s = 0; s < seeds; ++s) {
      const RunSummary& run = runs[i * seeds + s];
      ++r.runs;
      r.completed += run.completed;
      r.refused += run.refused;
      if (run.completed) r.window_mean_s += run.window_s, r.window_max_s = std::max(r.window_max_s, run.window_s);
      if (run.completed && run.commands_done_s) r.commands_done_mean_s += *run.commands_done_s;
      if (run.completed && run.goal_s) r.goal_mean_s += *run.goal_s, ++r.goal_reached;
      r.unaccepted_findings += run.unaccepted;
      if (!run.has_class) continue;
      const double ab = run.offered ? 100.0 * static_cast<double>(run.abandoned) / static_cast<double>(run.offered) : 0;
      r.abandoned_pct_mean += ab, r.abandoned_pct_max = std::max(r.abandoned_pct_max, ab);
      r.max_queue_mean += static_cast<double>(run.max_queue);
      r.max_queue_max = std::max(r.max_queue_max, static_cast<double>(run.max_queue));
      r.wait_p95_mean_s += run.wait_p95_s;
      r.below_capacity_mean_s += run.below_capacity_s;
      r.below_capacity_max_s = std::max(r.below_capacity_max_s, run.below_capacity_s);
    }
    const double n = std::max(1u, r.runs);
    if (r.completed) r.window_mean_s /= r.completed, r.commands_done_mean_s /= r.completed;
    if (r.goal_reached) r.goal_mean_s /= r.goal_reached;
    r.abandoned_pct_mean /= n, r.max_queue_mean /= n, r.wait_p95_mean_s /= n, r.below_capacity_mean_s /= n;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<PointResult> run_whatif(const std::string& path, const std::vector<SweepAxis>& axes, const WhatIfOptions& o) {
  const WhatIfGrid grid = prepare_whatif(path, axes, o);
  return aggregate_whatif(grid.points, o.seeds, run_whatif_jobs(grid, o, model::Shard{0, 1}));
}

WhatIfAnswers answer(const std::vector<PointResult>& points, double limit) {
  WhatIfAnswers a;
  a.abandon_limit_pct = limit;
  std::map<double, bool> atomic_ok;  // load -> some atomic point under the limit
  std::map<double, std::optional<std::pair<double, unsigned>>> best_group;  // load -> (window, size)
  for (const PointResult& p : points) {
    const bool finished = p.completed == p.runs;
    if (p.strategy == "atomic") atomic_ok[p.load] = atomic_ok[p.load] || (finished && p.abandoned_pct_mean < limit);
    if (p.strategy == "group") {
      auto& best = best_group[p.load];
      if (finished && p.below_capacity_max_s == 0 && (!best || p.window_mean_s < best->first))
        best = std::make_pair(p.window_mean_s, p.group_size);
    }
  }
  for (const auto& [load, ok] : atomic_ok) {
    if (!ok) break;
    a.highest_atomic_load = load;
  }
  for (const auto& [load, best] : best_group)
    a.fastest_safe_group.emplace_back(load, best ? std::optional<unsigned>(best->second) : std::nullopt);
  return a;
}

std::string whatif_table(const std::vector<PointResult>& points) {
  std::string out;
  if (points.empty()) return out;
  for (const auto& [k, v] : points[0].params) out += k + "\t";
  out += "done\trefused\tcommands_s\tservice_back_s\twindow_s\tabandoned_%\tabandoned_max_%\tmax_queue\twait_p95_s\tbelow_capacity_s\t"
         "findings\n";
  for (const PointResult& p : points) {
    for (const auto& [k, v] : p.params) out += v + "\t";
    out += std::to_string(p.completed) + "/" + std::to_string(p.runs) + "\t" + std::to_string(p.refused) + "\t" +
           fmt(p.commands_done_mean_s, 0) + "\t" + (p.goal_reached ? fmt(p.goal_mean_s, 0) : std::string("-")) + "\t" +
           fmt(p.window_mean_s, 0) + "\t" + fmt(p.abandoned_pct_mean, 2) + "\t" + fmt(p.abandoned_pct_max, 2) + "\t" +
           fmt(p.max_queue_mean, 1) + "\t" + fmt(p.wait_p95_mean_s, 1) + "\t" + fmt(p.below_capacity_mean_s, 0) + "\t" +
           std::to_string(p.unaccepted_findings) + "\n";
  }
  return out;
}

std::string whatif_csv(const std::vector<PointResult>& points) {
  std::string out;
  if (points.empty()) return out;
  for (const auto& [k, v] : points[0].params) out += k + ",";
  out += "strategy_used,group_size_used,load_used,runs,completed,refused,commands_done_mean_s,service_back_mean_s,"
         "service_back_runs,window_mean_s,window_max_s,abandoned_pct_mean,"
         "abandoned_pct_max,max_queue_mean,max_queue_max,wait_p95_mean_s,below_capacity_mean_s,below_capacity_max_s,"
         "runs_with_findings\n";
  for (const PointResult& p : points) {
    for (const auto& [k, v] : p.params) out += v + ",";
    out += p.strategy + "," + std::to_string(p.group_size) + "," + fmt(p.load, 3) + "," + std::to_string(p.runs) + "," +
           std::to_string(p.completed) + "," + std::to_string(p.refused) + "," + fmt(p.commands_done_mean_s) + "," +
           (p.goal_reached ? fmt(p.goal_mean_s) : std::string()) + "," + std::to_string(p.goal_reached) + "," + fmt(p.window_mean_s) + "," +
           fmt(p.window_max_s) + "," + fmt(p.abandoned_pct_mean, 3) + "," + fmt(p.abandoned_pct_max, 3) + "," +
           fmt(p.max_queue_mean) + "," + fmt(p.max_queue_max, 0) + "," + fmt(p.wait_p95_mean_s, 2) + "," +
           fmt(p.below_capacity_mean_s) + "," + fmt(p.below_capacity_max_s) + "," + std::to_string(p.unaccepted_findings) + "\n";
  }
  return out;
}

std::string whatif_json(const std::vector<PointResult>& points, const WhatIfAnswers& a) {
  nlohmann::json j{{"format", "acdsim-whatif/1"}};
  j["points"] = nlohmann::json::array();
  for (const PointResult& p : points) {
    nlohmann::json params;
    for (const auto& [k, v] : p.params) params[k] = v;
    j["points"].push_back({{"params", params}, {"strategy", p.strategy}, {"group_size", p.group_size}, {"load", p.load},
                           {"drain_s", p.drain_s}, {"runs", p.runs}, {"completed", p.completed}, {"refused", p.refused},
                           {"commands_done_mean_s", p.commands_done_mean_s},
                           {"service_back_mean_s", p.goal_reached ? nlohmann::json(p.goal_mean_s) : nlohmann::json()},
                           {"service_back_runs", p.goal_reached},
                           {"window_mean_s", p.window_mean_s}, {"window_max_s", p.window_max_s},
                           {"abandoned_pct_mean", p.abandoned_pct_mean}, {"abandoned_pct_max", p.abandoned_pct_max},
                           {"max_queue_mean", p.max_queue_mean}, {"max_queue_max", p.max_queue_max},
                           {"wait_p95_mean_s", p.wait_p95_mean_s}, {"below_capacity_mean_s", p.below_capacity_mean_s},
                           {"below_capacity_max_s", p.below_capacity_max_s}, {"runs_with_findings", p.unaccepted_findings}});
  }
  j["answers"]["abandon_limit_pct"] = a.abandon_limit_pct;
  j["answers"]["highest_atomic_load"] = a.highest_atomic_load ? nlohmann::json(*a.highest_atomic_load) : nlohmann::json();
  for (const auto& [load, size] : a.fastest_safe_group)
    j["answers"]["fastest_safe_group_size"].push_back({{"load", load}, {"group_size", size ? nlohmann::json(*size) : nlohmann::json()}});
  return j.dump(2) + "\n";
}

std::string answers_text(const WhatIfAnswers& a) {
  std::string out;
  out += "highest load with atomic-rollout abandonment under " + fmt(a.abandon_limit_pct, 2) + " %: " +
         (a.highest_atomic_load ? fmt(*a.highest_atomic_load, 2) + " x peak" : "none of the swept loads (or no atomic points)") + "\n";
  for (const auto& [load, size] : a.fastest_safe_group)
    out += "fastest group size never below required capacity at load " + fmt(load, 2) + ": " +
           (size ? std::to_string(*size) : std::string("none of the swept sizes")) + "\n";
  return out;
}

}  // namespace acdsim::sim
