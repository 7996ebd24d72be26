#include "acdsim/planner/failover_plan.hpp"

#include <sstream>

#include "acdsim/checker/invariants.hpp"
#include "acdsim/model/actions.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/pacemaker.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/system.hpp"
#include "join.hpp"

namespace acdsim::planner {
namespace {

using Json = nlohmann::ordered_json;

Json step(const std::string& id, const std::string& action, const std::string& target, const std::vector<std::string>& after,
          const std::vector<std::string>& wait, const std::string& note) {
  Json s;
  s["id"] = id;
  s["action"] = action;
  if (!target.empty()) s["target"] = target;
  if (!after.empty()) s["after"] = after;
  if (!wait.empty()) s["wait"] = wait;
  s["note"] = note;
  return s;
}

// The pair is in a known, healthy state: the seed's "never start it while the
// system's state is unknown (e.g. DRBD replication)". "connected" excludes SyncSource and
// SyncTarget, so this is also the wait for a running resync: a standby stops the DRBD
// instance of the node it is run on (DOMAIN.md 3a), and moving the resources away from the
// resync source leaves nothing with a master score to promote. Every move of a plan
// (failover, and failback's return) comes after this check.
std::vector<std::string> pair_known(const std::string& active, const std::string& other) {
  return {active + "/drbd connected", other + "/drbd connected",  active + "/drbd uptodate",
          other + "/drbd uptodate",   active + "/pacemaker active", other + "/pacemaker online",
          other + "/pacemaker not standby"};
}

// "Maintain service": every web and telephony server still mounted and in service.
std::vector<std::string> service_kept(const model::Topology& t) {
  std::vector<std::string> out;
  bool jb = false, tel = false;
  for (const model::Host& h : t.hosts)
    for (model::Role r : h.roles) jb |= r == model::Role::Jb, tel |= r == model::Role::Tel;
  if (jb) out.insert(out.end(), {"role:jb/share mounted", "role:jb/jboss in_service"});
  if (tel) out.insert(out.end(), {"role:tel/share mounted", "role:tel/telephony in_service"});
  return out;
}

// Catalogue actions that target one node of the storage cluster.
std::vector<std::string> node_actions() {
  std::vector<std::string> out;
  for (const model::ActionSpec& a : model::all_actions())
    if ((a.kind == model::KindId::Pacemaker || a.kind == model::KindId::Drbd) && a.target != model::TargetType::None)
      out.emplace_back(a.name);
  return out;
}

class FailoverPlanner {
 public:
  FailoverPlanner(const model::Topology& t, const FailoverOptions& o) : topo_(t), sys_(t), opt_(o) {}

  FailoverPlan run() {
    FailoverPlan plan;
    std::vector<model::ComponentIndex> nodes;
    for (model::ComponentIndex c = 0; c < sys_.size(); ++c)
      if (sys_.kind(c) == model::KindId::Pacemaker) nodes.push_back(c);
    if (nodes.size() != 2) {
      plan.failure = topo_.name + " has no two-node storage cluster (pacemaker) to fail over";
      return plan;
    }
    // Which node serves once everything is up: that is the one to move away from.
    const Json probe = procedure({step("observe", "check", "", {}, {sys_.component(nodes[0]).host + " up"}, "")}, "probe");
    const model::Procedure p = model::parse_procedure(probe.dump(), "<planned failover>", topo_);
    const model::Snapshot up = checker::Checker(p, topo_, opt_.check).initial();
    const auto active = static_cast<model::PredicateId>(model::pacemaker::Pred::Active);
    const bool first_active = sys_.table(nodes[0]).holds(up[nodes[0]], active);
    plan.from = sys_.component(nodes[first_active ? 0 : 1]).host;
    plan.to = sys_.component(nodes[first_active ? 1 : 0]).host;

    const std::vector<std::string> actions = node_actions();
    for (const std::string& move : actions) {  // moves the resources away from a node
      if (!opt_.failback) {
        if (try_candidate(plan, move, "", failover_steps(plan.from, plan.to, move, "", "")) ) return finish(plan, move, "");
        continue;
      }
      // failback needs a move that works on its own first
      if (!try_candidate(plan, move, "", failover_steps(plan.from, plan.to, move, "", ""), false)) continue;
      for (const std::string& back : actions) {  // lets a node carry resources again
        if (back == move) continue;
        if (try_candidate(plan, move, back, failback_steps(plan.from, plan.to, move, back))) return finish(plan, move, back);
      }
    }
    plan.failure = std::string("no ") + (opt_.failback ? "failback" : "failover") + " built from the catalogue's " +
                   "pacemaker and DRBD actions passes the checker" +
                   (opt_.check.accepted.empty() ? " (accepting nothing: see the candidates; --accept SEVERITY lowers the bar)" : "");
    return plan;
  }

 private:
  Json procedure(const std::vector<Json>& steps, const std::string& name) const {
    Json j;
    j["format"] = "acdsim-procedure/1";
    j["name"] = topo_.name + " " + name + " (planned)";
    j["kind"] = opt_.failback ? "failback" : "failover";
    j["topology"] = opt_.topology_reference.empty() ? topo_.name + ".json" : opt_.topology_reference;
    j["initial"] = "all_up";
    if (!opt_.check.accepted.empty()) {  // what the proof accepted, so a check of the file agrees
      Json accepts = Json::array();
      for (checker::Severity sev : opt_.check.accepted) accepts.push_back(std::string(checker::to_string(sev)));
      j["accepts"] = accepts;
    }
    j["steps"] = steps;
    return j;
  }

  // check known -> move on `from` until `to` serves -> (failback: more) -> service kept
  std::vector<Json> failover_steps(const std::string& from, const std::string& to, const std::string& move,
                                   const std::string& prefix, const std::string& after) const {
    std::vector<Json> s;
    const std::string check = prefix + "check-state-known", moved = prefix + "move-" + from;
    s.push_back(step(check, "check", "", after.empty() ? std::vector<std::string>{} : std::vector<std::string>{after},
                     pair_known(from, to), "the pair's state is known and healthy before anything moves"));
    s.push_back(step(moved, move, from, {check}, {to + "/pacemaker active", from + "/pacemaker not has_resources"},
                     move + " " + from + ": the resources move to " + to));
    if (prefix.empty() && !opt_.failback)
      s.push_back(step("check-service", "check", "", {moved}, service_kept(topo_), "service was maintained"));
    return s;
  }

  std::vector<Json> failback_steps(const std::string& from, const std::string& to, const std::string& move,
                                   const std::string& back) const {
    std::vector<Json> s = failover_steps(from, to, move, "over-", "");
    const std::string ready = "back-" + from;
    s.push_back(step(ready, back, from, {"over-move-" + from}, {from + "/pacemaker online", from + "/pacemaker not standby"},
                     back + " " + from + ": it may carry the resources again"));
    for (Json& j : failover_steps(to, from, move, "return-", ready)) s.push_back(std::move(j));
    s.push_back(step("back-" + to, back, to, {"return-move-" + to}, {to + "/pacemaker online", to + "/pacemaker not standby"},
                     back + " " + to + ": both nodes can carry the resources, as before the failover"));
    s.push_back(step("check-service", "check", "", {"back-" + to}, service_kept(topo_), "service was maintained"));
    return s;
  }

  bool try_candidate(FailoverPlan& plan, const std::string& move, const std::string& back, const std::vector<Json>& steps,
                     bool record = true) {
    Json j = procedure(steps, opt_.failback ? "failback" : "failover");
    model::Procedure p;
    try {
      p = model::parse_procedure(j.dump(), "<planned failover>", topo_);
    } catch (const model::InputError&) {
      return false;  // the action does not apply to this target (e.g. a component the node lacks)
    }
    checker::Options o = opt_.check;
    for (const std::string& s : topo_.accepts)
      if (auto sev = checker::severity_by_name(s)) o.accepted.push_back(*sev);
    checker::Result r = checker::Checker(p, topo_, o).run();
    FailoverCandidate c{move + " " + plan.from + (back.empty() ? "" : ", back with " + back), "", ""};
    // Accepting a severity never makes a procedure that cannot finish a plan.
    std::string unfinished;
    for (const std::string& id : r.accepted)
      if (id.starts_with("procedure.") || id.starts_with("goal.")) unfinished = id;
    if (r.accepted.size() >= 8 && unfinished.empty()) unfinished = "too many accepted findings to tell";
    if (r.verdict == checker::Verdict::Safe && !unfinished.empty()) {
      c.verdict = "rejected: accepted findings include " + unfinished;
      r.verdict = checker::Verdict::Violated;
    } else if (r.verdict == checker::Verdict::Safe) {
      c.verdict = "SAFE";
      if (!r.accepted.empty()) c.detail = "accepted: " + join(r.accepted);
    } else if (r.verdict == checker::Verdict::Violated) {
      c.verdict = "violated: " + std::string(r.violation->spec->id) + " (" +
                  std::string(checker::to_string(r.violation->spec->severity)) + ")";
      c.detail = r.violation->subject;
    } else {
      c.verdict = "incomplete";
      c.detail = r.incomplete_reason;
    }
    const bool safe = r.verdict == checker::Verdict::Safe;
    if (record || !safe) plan.candidates.push_back(c);
    if (safe && record) {
      plan.procedure = std::move(j);
      plan.last = std::move(r);
    }
    return safe;
  }

  FailoverPlan& finish(FailoverPlan& plan, const std::string& move, const std::string& back) const {
    plan.safe = true;
    plan.procedure["description"] =
        std::string("Planned by acdsim plan --kind ") + (opt_.failback ? "failback" : "failover") +
        ": the active side of the storage cluster moves from " + plan.from + " to " + plan.to +
        (opt_.failback ? " and back" : "") + " with " + move + (back.empty() ? "" : " (and " + back + ")") +
        ", the first catalogue action the checker proved safe.";
    Json readings = Json::array();
    for (const FailoverCandidate& c : plan.candidates)
      readings.push_back("tried " + c.what + ": " + c.verdict + (c.detail.empty() ? "" : " (" + c.detail + ")"));
    plan.procedure["readings"] = readings;
    // Keys in the usual order: format, name, description, kind, topology, ...
    Json ordered;
    for (const char* k : {"format", "name", "description", "kind", "topology", "initial", "accepts", "readings", "steps"})
      if (plan.procedure.contains(k)) ordered[k] = plan.procedure[k];
    plan.procedure = std::move(ordered);
    return plan;
  }

  const model::Topology& topo_;
  model::System sys_;
  FailoverOptions opt_;
};

}  // namespace

FailoverPlan plan_failover(const model::Topology& topology, const FailoverOptions& options) {
  return FailoverPlanner(topology, options).run();
}

std::string explain(const FailoverPlan& plan) {
  std::ostringstream out;
  if (!plan.from.empty()) out << "active node " << plan.from << ", taking over: " << plan.to << "\n";
  if (plan.candidates.empty()) return out.str();
  out << "candidates, in the order tried:\n";
  for (const FailoverCandidate& c : plan.candidates)
    out << "  " << c.what << ": " << c.verdict << (c.detail.empty() ? "" : " (" + c.detail + ")") << "\n";
  return out.str();
}

}  // namespace acdsim::planner
