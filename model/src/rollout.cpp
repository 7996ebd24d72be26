// Reading and expanding a procedure's rollout block (docs/formats.md "Rollouts").
#include "rollout.hpp"

#include <algorithm>

namespace acdsim::model {
namespace {

using json_input::join_names;
using json_input::Range;
using json_input::Value;
namespace limits = json_input::limits;

std::string q(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

Rollout read_rollout(const Value& v, const Topology& topology) {
  v.allow_keys({"pool", "strategy", "group_size", "drain", "restart", "server_restart", "guard", "floor"});
  Rollout r;
  if (auto pv = v.find("pool")) {
    const std::string& name = pv->nonempty_string();
    for (const RouterPool& pool : topology.pools)
      if (pool.name == name) r.pool = name, r.router = pool.router, r.servers = pool.backends;
    if (r.pool.empty()) {
      std::vector<std::string> names;
      for (const RouterPool& pool : topology.pools) names.push_back(pool.name);
      pv->fail("unknown pool " + q(name) + " (known: " + join_names(names) + ")");
    }
  } else if (topology.pools.size() == 1) {
    r.pool = topology.pools[0].name, r.router = topology.pools[0].router, r.servers = topology.pools[0].backends;
  } else {
    v.fail("missing key \"pool\": topology " + q(topology.name) + " has " + std::to_string(topology.pools.size()) +
           " router pools");
  }
  if (r.servers.size() < 2)
    v.fail("pool " + q(r.pool) + " has " + std::to_string(r.servers.size()) +
           " backend(s): a rollout without an outage needs at least 2");
  const unsigned n = static_cast<unsigned>(r.servers.size());
  if (auto sv = v.find("strategy")) {
    const std::string& s = sv->string();
    if (s == "group") r.strategy = Rollout::Strategy::Group;
    else if (s == "atomic") r.strategy = Rollout::Strategy::Atomic;
    else sv->fail("expected \"group\" or \"atomic\", got " + q(s));
  }
  if (auto gv = v.find("group_size")) {
    if (r.strategy != Rollout::Strategy::Group) gv->fail("\"group_size\" applies to strategy \"group\" only");
    // N is allowed and kept: a group of the whole pool is an outage, which the
    // floor below makes the checker and the simulator report (never clamped).
    const auto g = static_cast<unsigned>(gv->whole_number(1, static_cast<long long>(limits::kMaxCount)));
    if (g > n)
      gv->fail("expected a whole number of servers from 1 to " + std::to_string(n) + " (pool " + q(r.pool) + " has " +
               std::to_string(n) + "), got " + std::to_string(g));
    r.group_size = g;
  }
  if (auto dv = v.find("drain")) r.drain_s = dv->duration();
  if (auto rv = v.find("restart")) {
    const std::string& s = rv->string();
    if (s == "application") r.restart = Rollout::Restart::Application;
    else if (s == "server") r.restart = Rollout::Restart::Server;
    else rv->fail("expected \"application\" or \"server\", got " + q(s));
  }
  if (auto sr = v.find("server_restart")) r.server_restart_s = sr->duration();
  if (auto gv = v.find("guard")) {
    if (gv->json().is_boolean()) r.guard_threshold = gv->boolean() ? 1.0 : 0.0;
    else r.guard_threshold = gv->number(Range{0, limits::kMaxGuardThreshold}, "a threshold (fraction of the capacity)");
  }
  const unsigned most = std::max(1u, n - r.max_out());  // a floor the rollout can keep (1: never the whole pool)
  if (auto fv = v.find("floor")) {
    const auto f = static_cast<unsigned>(fv->whole_number(1, static_cast<long long>(limits::kMaxCount)));
    if (f > most)
      fv->fail("expected a whole number of servers from 1 to " + std::to_string(most) + " (the pool has " +
               std::to_string(n) + ", " + std::to_string(r.max_out()) + " out at once)");
    r.floor = f;
  } else if (r.max_out() == n) {
    r.floor = 1;  // never the whole pool (DOMAIN.md 8): rollout.below-floor reports the group that breaks it
  }
  return r;
}

// Generated steps of a rollout: ordinary steps the checker verifies too.
// Pauses (the drain interval before a stop, a server restart's extra time) are
// holds: check steps whose wait already holds, complete when their hold ends.
std::vector<Step> rollout_steps(const Rollout& r, const std::string& json_path) {
  std::vector<Step> steps;
  auto gen = [&](std::string id, std::string action, std::string target, std::vector<std::string> after) -> Step& {
    Step& s = steps.emplace_back();
    s.id = std::move(id);
    s.action = std::move(action);
    s.target = std::move(target);
    s.after = std::move(after);
    s.json_path = json_path;
    return s;
  };
  auto wait = [](Step& s, const std::string& server, const std::string& predicate, bool negated = false) {
    const std::string component = server + "/jboss";
    s.wait = Condition{Condition::Mode::All, {ConditionAtom{component, predicate, negated,
                                                            component + (negated ? " not " : " ") + predicate}}};
  };
  // stop (after `after`), update, start one server; returns the id completing it
  auto replace = [&](const std::string& prefix, const std::string& s, std::vector<std::string> after, const char* ready) {
    Step& stop = gen(prefix + ".stop@" + s, "app_stop", s, std::move(after));
    wait(stop, s, "stopped");
    std::string stopped = stop.id;
    if (r.restart == Rollout::Restart::Server) {
      // the JVM stops and starts again: its time comes on top of the application's stop and start
      Step& jvm = gen(prefix + ".server-restart@" + s, "check", "", {stopped});
      wait(jvm, s, "stopped");  // holds already; it names the server the pause belongs to (symmetry)
      jvm.hold_s = r.server_restart_s;
      stopped = jvm.id;
    }
    const std::string update_id = gen(prefix + ".update@" + s, "app_update_edition", s, {stopped}).id;
    Step& start = gen(prefix + ".start@" + s, "app_start", s, {update_id});
    wait(start, s, ready);
    return start.id;
  };
  // quiesce for the drain interval, then replace, each server of a group
  auto update = [&](const std::string& prefix, const std::vector<std::string>& group, const std::vector<std::string>& after,
                    bool first, const char* ready) {
    std::vector<std::string> done;
    for (const std::string& s : group) {
      Step& d = gen(prefix + ".drain@" + s, "app_drain", s, after);
      d.hold_s = r.drain_s;
      if (r.guard_threshold > 0) d.guard = StepGuard{group, r.guard_threshold, first};
      done.push_back(replace(prefix, s, {d.id}, ready));
    }
    return done;
  };
  std::vector<std::string> prev{gen("rollout.manual-mode", "router_manual_mode", r.router, {}).id};
  if (r.strategy == Rollout::Strategy::Group) {
    for (std::size_t i = 0, g = 1; i < r.servers.size(); i += r.group_size, ++g) {
      const std::vector<std::string> group(r.servers.begin() + static_cast<std::ptrdiff_t>(i),
                                           r.servers.begin() + static_cast<std::ptrdiff_t>(std::min(i + r.group_size, r.servers.size())));
      prev = update("g" + std::to_string(g), group, prev, g == 1, "in_service");
    }
    prev = {gen("rollout.switch-edition", "router_switch_edition", r.router, prev).id};
  } else {
    // The seed's order: the first half is replaced (started, not yet routed);
    // the second half is quiesced and at once the router sends requests to the
    // first half's new edition; the second half stops after the drain interval.
    const auto half = static_cast<std::ptrdiff_t>(r.max_out());
    const std::vector<std::string> first(r.servers.begin(), r.servers.begin() + half);
    const std::vector<std::string> second(r.servers.begin() + half, r.servers.end());
    prev = update("first", first, prev, true, "running");
    std::vector<std::string> quiesced;
    for (const std::string& s : second) {
      Step& d = gen("second.drain@" + s, "app_drain", s, prev);
      if (r.guard_threshold > 0) d.guard = StepGuard{second, r.guard_threshold, false};
      quiesced.push_back(d.id);
    }
    const std::string sw = gen("rollout.switch-edition", "router_switch_edition", r.router, quiesced).id;
    std::vector<std::string> done;
    for (const std::string& s : second) {
      Step& drained = gen("second.drained@" + s, "check", "", {"second.drain@" + s});
      wait(drained, s, "in_service", true);  // quiesced: it takes no new work
      drained.hold_s = r.drain_s;           // the wait before stopping, counted from the quiesce
      done.push_back(replace("second", s, {drained.id, sw}, "in_service"));
    }
    prev = done;
  }
  gen("rollout.auto-mode", "router_auto_mode", r.router, prev);
  return steps;
}

unsigned Rollout::max_out() const {
  const auto n = static_cast<unsigned>(servers.size());
  if (n < 2) return 0;
  if (strategy == Strategy::Group) return std::min(group_size, n);
  return std::min((n + 1) / 2, n - 1);
}

std::string_view to_string(Rollout::Strategy strategy) {
  return strategy == Rollout::Strategy::Group ? "group" : "atomic";
}

}  // namespace acdsim::model
