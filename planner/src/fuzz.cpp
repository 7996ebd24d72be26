#include "acdsim/planner/fuzz.hpp"
#include "acdsim/planner/fuzz_shard.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "acdsim/model/system.hpp"
#include "acdsim/sim/engine.hpp"

namespace acdsim::planner {

std::vector<FaultRate> parse_fault_rates(const std::string& text) {
  std::vector<FaultRate> out;
  std::size_t from = 0;
  while (from < text.size()) {
    std::size_t to = text.find(',', from);
    if (to == std::string::npos) to = text.size();
    const std::string item = text.substr(from, to - from);
    const auto colon = item.rfind(':');
    if (colon == std::string::npos || colon == 0)
      throw std::invalid_argument("expected KIND:RATE (faults per hour), got \"" + item + "\"");
    FaultRate r{item.substr(0, colon), 0};
    std::size_t used = 0;
    try {
      r.per_hour = std::stod(item.substr(colon + 1), &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size() - colon - 1 || !(r.per_hour >= 0) || !std::isfinite(r.per_hour))
      throw std::invalid_argument("expected a rate >= 0 (faults per hour) after \"" + r.kind + ":\", got \"" +
                                  item.substr(colon + 1) + "\"");
    out.push_back(std::move(r));
    from = to + 1;
  }
  return out;
}

std::vector<std::string> fault_labels(const model::Topology& topology) {
  std::vector<std::string> out;
  const model::System system(topology);
  for (const model::Move& m : system.fault_moves()) out.push_back(m.label);
  return out;
}

std::vector<sim::ScheduledFault> draw_faults(const std::vector<std::string>& all, std::uint64_t seed,
                                             const FuzzOptions& options) {
  std::vector<sim::ScheduledFault> out;
  sim::Rng rng = sim::stream(seed, "fuzz-faults");
  for (const FaultRate& rate : options.faults) {
    std::vector<std::string> labels;
    for (const std::string& l : all)
      if (rate.kind == "any" || l.find(rate.kind) != std::string::npos) labels.push_back(l);
    if (labels.empty() || rate.per_hour <= 0) continue;
    // A Poisson process over the window: exponential gaps.
    for (double t = rng.exponential(3600 / rate.per_hour); t < options.window_s; t += rng.exponential(3600 / rate.per_hour)) {
      const auto pick = static_cast<std::size_t>(rng.uniform01() * static_cast<double>(labels.size()));
      out.push_back({std::round(t), labels[std::min(pick, labels.size() - 1)]});
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at_s < b.at_s; });
  return out;
}

FuzzCase run_case(const sim::Simulator& simulator, std::uint64_t seed, std::vector<sim::ScheduledFault> faults,
                  const FuzzOptions& options, bool typical_all, std::vector<std::string> typical) {
  sim::Options o;
  o.warmup_s = 0;
  o.horizon_s = 0;
  o.timeline = false;
  o.faults = faults;
  o.typical_all = typical_all;
  o.typical = typical;
  const sim::RunResult r = simulator.run(seed, o);
  FuzzCase c{seed, std::move(faults), "", "", 0, typical_all, std::move(typical)};
  for (const sim::Finding& f : r.findings) {
    if (f.accepted || f.id == "fault.not-applicable") continue;
    if (std::find(options.accepted.begin(), options.accepted.end(), f.severity) != options.accepted.end()) continue;
    c.failure = f.id;
    c.detail = f.subject + (f.detail.empty() ? "" : ": " + f.detail);
    c.time_s = f.time_s - r.procedure_start_s;
    return c;
  }
  if (!r.completed && r.refused.empty()) {
    c.failure = "procedure.incomplete";
    c.detail = "the procedure did not complete";
  }
  return c;
}

namespace {

// Greedy shrinking, as RapidCheck does for lists: drop faults, then move
// each one earlier (to 0, halfway, rounded), keeping any change under which
// the same invariant still breaks. Then timing: every duration at its median
// if the failure survives that, else as many moves at their median as keep it
// (halves of the move list, then quarters, ... as in delta debugging).
FuzzCase shrink(const sim::Simulator& simulator, FuzzCase failing, const FuzzOptions& options, unsigned& runs) {
  auto still_fails_timed = [&](const std::vector<sim::ScheduledFault>& faults, bool all,
                               const std::vector<std::string>& typical, FuzzCase& into) {
    if (runs >= options.max_shrink_runs) return false;
    ++runs;
    FuzzCase c = run_case(simulator, failing.seed, faults, options, all, typical);
    if (c.failure != failing.failure) return false;
    into = std::move(c);
    return true;
  };
  auto still_fails = [&](const std::vector<sim::ScheduledFault>& faults, FuzzCase& into) {
    return still_fails_timed(faults, failing.typical_all, failing.typical, into);
  };
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t i = 0; i < failing.faults.size(); ++i) {
      auto fewer = failing.faults;
      fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(i));
      if (still_fails(fewer, failing)) {
        progress = true;
        --i;
      }
    }
    for (std::size_t i = 0; i < failing.faults.size(); ++i)
      for (double t : {0.0, std::floor(failing.faults[i].at_s / 2), std::floor(failing.faults[i].at_s / 60) * 60}) {
        if (t >= failing.faults[i].at_s) continue;
        auto earlier = failing.faults;
        earlier[i].at_s = t;
        if (still_fails(earlier, failing)) {
          progress = true;
          break;
        }
      }
  }
  if (still_fails_timed(failing.faults, true, {}, failing)) return failing;
  const std::vector<std::string> labels = simulator.environment_labels();
  for (std::size_t chunk = (labels.size() + 1) / 2; chunk >= 1; chunk /= 2) {
    for (std::size_t from = 0; from < labels.size(); from += chunk) {
      std::vector<std::string> more = failing.typical;
      for (std::size_t i = from; i < std::min(labels.size(), from + chunk); ++i)
        if (std::find(more.begin(), more.end(), labels[i]) == more.end()) more.push_back(labels[i]);
      if (more.size() > failing.typical.size()) still_fails_timed(failing.faults, false, more, failing);
    }
    if (chunk == 1) break;
  }
  return failing;
}

}  // namespace

FuzzShardResult fuzz_shard(const model::Procedure& procedure, const model::Topology& topology, const FuzzOptions& options,
                           model::Shard shard) {
  const sim::Simulator simulator(procedure, topology);
  const std::vector<std::string> labels = fault_labels(topology);
  FuzzShardResult out;
  for (unsigned i = shard.index; i < options.runs; i += shard.count) {
    const std::uint64_t seed = options.seed + i;
    FuzzCase c = run_case(simulator, seed, draw_faults(labels, seed, options), options);
    ++out.runs;
    if (c.failure.empty()) continue;
    out.failures.emplace_back(i, c.failure);
    if (!out.first_failure) out.first_failure = c;
  }
  out.environment_moves = simulator.environment_labels().size();
  if (out.first_failure) out.shrunk = shrink(simulator, *out.first_failure, options, out.shrink_runs);
  return out;
}

FuzzResult merge_fuzz(const std::vector<FuzzShardResult>& shards) {
  FuzzResult out;
  const FuzzShardResult* first = nullptr;  // the shard holding the lowest failing run index
  for (const FuzzShardResult& s : shards) {
    out.runs += s.runs;
    out.failed += static_cast<unsigned>(s.failures.size());
    out.environment_moves = s.environment_moves;
    if (!s.failures.empty() && (!first || s.failures.front().first < first->failures.front().first)) first = &s;
  }
  if (first) {
    out.first_failure = first->first_failure;
    out.shrunk = first->shrunk;
    out.shrink_runs = first->shrink_runs;
  }
  return out;
}

FuzzResult fuzz(const model::Procedure& procedure, const model::Topology& topology, const FuzzOptions& options) {
  return merge_fuzz({fuzz_shard(procedure, topology, options, model::Shard{0, 1})});
}

nlohmann::ordered_json case_json(const FuzzCase& c, const std::string& procedure_path) {
  nlohmann::ordered_json j;
  j["format"] = "acdsim-fuzz-case/1";
  j["procedure"] = procedure_path;
  j["seed"] = c.seed;
  nlohmann::ordered_json faults = nlohmann::ordered_json::array();
  for (const auto& f : c.faults) faults.push_back({{"at_s", f.at_s}, {"what", f.what}});
  j["faults"] = faults;
  j["failure"] = c.failure;
  j["detail"] = c.detail;
  j["time_s"] = c.time_s;
  if (c.typical_all) j["median_durations"] = "all";
  else j["median_durations"] = c.typical;
  j["replay"] = replay_command(c, procedure_path);
  return j;
}

std::string replay_command(const FuzzCase& c, const std::string& procedure_path) {
  std::string s = "acdsim simulate '" + procedure_path + "' --seed " + std::to_string(c.seed) + " --warmup 0 --horizon 0";
  for (const auto& f : c.faults) {
    char at[32];
    std::snprintf(at, sizeof at, "%g", f.at_s);
    s += " --fault '" + std::string(at) + ":" + f.what + "'";
  }
  if (c.typical_all) s += " --median-durations";
  for (const std::string& label : c.typical) s += " --median-duration '" + label + "'";
  return s;
}

}  // namespace acdsim::planner
