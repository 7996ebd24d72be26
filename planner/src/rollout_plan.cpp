#include "acdsim/planner/rollout_plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "acdsim/model/procedure.hpp"
#include "acdsim/model/scratch.hpp"
#include "acdsim/model/topology.hpp"

namespace acdsim::planner {
namespace {

namespace fs = std::filesystem;

std::string fmt(double v, int digits = 0) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

std::string label(const sim::PointResult& p) {
  return p.strategy == "atomic" ? std::string("atomic (first half " + std::to_string(p.group_size) + ")")
                                : "group size " + std::to_string(p.group_size);
}

nlohmann::ordered_json rollout_block(const std::string& pool, const sim::PointResult& p, const RolloutOptions& o) {
  nlohmann::ordered_json r;
  r["pool"] = pool;
  r["strategy"] = p.strategy;
  if (p.strategy == "group") r["group_size"] = p.group_size;
  r["drain"] = o.drain;
  r["restart"] = o.restart;
  r["guard"] = true;
  return r;
}

// Why the simulated runs rule a candidate out; empty if they do not.
std::string simulated_problem(const sim::PointResult& p, const RolloutOptions& o) {
  if (p.completed < p.runs)
    return "did not finish in " + std::to_string(p.runs - p.completed) + " of " + std::to_string(p.runs) + " runs";
  // the numbers first: they say why a finding (e.g. workload.capacity-outage) came
  if (p.strategy == "group" && p.below_capacity_max_s > 0)
    return "below the required capacity for up to " + fmt(p.below_capacity_max_s) + " s (mean " +
           fmt(p.below_capacity_mean_s) + " s, up to " + fmt(p.abandoned_pct_max, 2) + " % abandoned)";
  if (p.strategy == "atomic" && p.abandoned_pct_max > o.abandon_limit_pct)
    return "up to " + fmt(p.abandoned_pct_max, 2) + " % of callers abandoned (limit " + fmt(o.abandon_limit_pct, 2) + " %)";
  if (p.unaccepted_findings > 0)
    return "findings (an invariant or a capacity outage) in " + std::to_string(p.unaccepted_findings) + " of " +
           std::to_string(p.runs) + " runs" +
           (p.below_capacity_max_s > 0 ? ", below the required capacity for up to " + fmt(p.below_capacity_max_s) + " s" : "");
  return "";
}

}  // namespace

RolloutPlan plan_rollout(const std::string& topology_path, const RolloutOptions& o) {
  if (o.strategy != "any" && o.strategy != "group" && o.strategy != "atomic")
    throw std::invalid_argument("unknown strategy " + o.strategy + " (expected group, atomic or any)");
  if (o.seeds == 0) throw std::invalid_argument("--seeds must be at least 1");
  const std::optional<double> load = model::load_by_name(o.load);
  if (!load || *load < 0)
    throw std::invalid_argument("bad load \"" + o.load + "\" (expected low, peak, over-peak or a number >= 0)");
  const model::Topology topology = model::load_topology(topology_path);
  const model::RouterPool* pool = nullptr;
  for (const model::RouterPool& p : topology.pools)
    if (o.pool.empty() ? topology.pools.size() == 1 : p.name == o.pool) pool = &p;
  if (!pool) {
    std::string names;
    for (const model::RouterPool& p : topology.pools) names += (names.empty() ? "" : ", ") + p.name;
    throw std::invalid_argument(o.pool.empty() ? topology_path + ": name the pool to roll out with --pool (pools: " +
                                                     (names.empty() ? "none" : names) + ")"
                                               : topology_path + ": no pool " + o.pool + " (pools: " +
                                                     (names.empty() ? "none" : names) + ")");
  }
  const auto n = static_cast<unsigned>(pool->backends.size());
  RolloutPlan plan;
  plan.load = *load;
  if (n < 2) {
    plan.failure = "pool " + pool->name + " has " + std::to_string(n) +
                   " backend(s): a rollout that keeps serving needs at least 2";
    return plan;
  }

  // One scratch procedure for the sweep; strategy and group size come from the axes.
  nlohmann::ordered_json base;
  base["format"] = "acdsim-procedure/1";
  base["name"] = topology.name + " rollout of pool " + pool->name + " (planned)";
  base["kind"] = "rollout";
  base["topology"] = fs::absolute(topology_path).generic_string();
  base["initial"] = "all_up";
  base["load"] = *load;
  base["rollout"] = {{"pool", pool->name}, {"drain", o.drain}, {"restart", o.restart}, {"guard", true}};
  // The sweep reads a procedure file: it lives in a private directory (mkdtemp, 0700: no
  // predictable name, nothing to plant a symlink at), removed at the end and on SIGINT/SIGTERM.
  model::ScratchDirectory scratch_dir("acdsim-rollout-plan");
  const std::string scratch = scratch_dir.write("rollout.json", base.dump(2));

  sim::WhatIfOptions w;
  w.seeds = o.seeds;
  w.first_seed = o.first_seed;
  w.threads = o.threads;
  std::vector<sim::PointResult> points;
  if (o.strategy != "atomic") {
    sim::SweepAxis sizes{"group-size", {}};
    for (unsigned g = 1; g < n; ++g) sizes.values.push_back(std::to_string(g));
    auto group = sim::run_whatif(scratch, {{"strategy", {"group"}}, sizes}, w);
    points.insert(points.end(), group.begin(), group.end());
  }
  if (o.strategy != "group") {
    auto atomic = sim::run_whatif(scratch, {{"strategy", {"atomic"}}}, w);
    points.insert(points.end(), atomic.begin(), atomic.end());
  }
  // Fastest first; on a tie group before atomic (no pause with nobody serving), then smaller groups.
  std::stable_sort(points.begin(), points.end(), [](const sim::PointResult& a, const sim::PointResult& b) {
    if (std::lround(a.window_mean_s) != std::lround(b.window_mean_s)) return a.window_mean_s < b.window_mean_s;
    if (a.strategy != b.strategy) return a.strategy == "group";
    return a.group_size < b.group_size;
  });

  for (const sim::PointResult& p : points) {
    RolloutCandidate c{p, "", ""};
    if (plan.chosen) {
      c.rejected = "slower than the chosen rollout";
    } else if (std::string why = simulated_problem(p, o); !why.empty()) {
      c.rejected = why;
    } else {
      nlohmann::ordered_json j;
      j["format"] = "acdsim-procedure/1";
      j["name"] = base["name"];
      j["description"] = "Planned by acdsim plan --kind rollout: the fastest rollout of pool " + pool->name +
                         " whose simulated runs at load " + fmt(*load, 2) +
                         " x peak kept up with the offered load and that the checker proved safe.";
      j["kind"] = "rollout";
      j["topology"] = o.topology_reference.empty() ? topology_path : o.topology_reference;
      j["initial"] = "all_up";
      j["load"] = *load;
      j["rollout"] = rollout_block(pool->name, p, o);
      const model::Procedure procedure = model::parse_procedure(j.dump(), "<planned rollout>", topology);
      checker::Options co = o.check;
      for (const std::string& s : topology.accepts)
        if (auto sev = checker::severity_by_name(s)) co.accepted.push_back(*sev);
      checker::Checker checker(procedure, topology, co);
      checker::Result r = checker.run();
      if (r.verdict == checker::Verdict::Safe) {
        c.verdict = "SAFE";
        plan.chosen = plan.candidates.size();
        plan.safe = true;
        plan.procedure = std::move(j);
        plan.last = std::move(r);
      } else if (r.verdict == checker::Verdict::Violated) {
        c.verdict = "violated: " + std::string(r.violation->spec->id);
        c.rejected = "the checker found " + std::string(r.violation->spec->id) + " (" + r.violation->subject + ")";
      } else {
        c.verdict = "incomplete";
        c.rejected = "the checker could not finish: " + r.incomplete_reason;
      }
    }
    plan.candidates.push_back(std::move(c));
  }
  if (plan.safe) {
    nlohmann::ordered_json readings = nlohmann::ordered_json::array();
    const sim::PointResult& best = plan.candidates[*plan.chosen].simulated;
    readings.push_back("chosen: " + label(best) + ", " + fmt(best.window_mean_s) + " s mean window over " +
                       std::to_string(best.runs) + " simulated runs at load " + fmt(*load, 2) + " x peak");
    for (const RolloutCandidate& c : plan.candidates) {
      if (&c == &plan.candidates[*plan.chosen]) break;
      readings.push_back("faster but not taken: " + label(c.simulated) + " (" + fmt(c.simulated.window_mean_s) +
                         " s): " + c.rejected);
    }
    plan.procedure["readings"] = readings;
  } else {
    plan.failure = "no rollout of pool " + pool->name + " keeps up with load " + fmt(*load, 2) +
                   " x peak and passes the checker (group size 1 included): roll out at a lower load";
  }
  return plan;
}

std::string explain(const RolloutPlan& plan) {
  std::ostringstream out;
  if (plan.candidates.empty()) return "";
  out << "candidates at load " << fmt(plan.load, 2) << " x peak, fastest first:\n";
  for (std::size_t i = 0; i < plan.candidates.size(); ++i) {
    const RolloutCandidate& c = plan.candidates[i];
    const sim::PointResult& p = c.simulated;
    out << "  " << (plan.chosen == i ? "* " : "  ") << label(p) << ": window " << fmt(p.window_mean_s) << " s, below capacity "
        << fmt(p.below_capacity_max_s) << " s max, abandoned " << fmt(p.abandoned_pct_max, 2) << " % max, " << p.completed
        << "/" << p.runs << " runs finished";
    if (!c.verdict.empty()) out << ", checker " << c.verdict;
    out << (plan.chosen == i ? "  <- chosen" : c.rejected.empty() ? "" : "\n      not taken: " + c.rejected) << "\n";
  }
  return out.str();
}

}  // namespace acdsim::planner
