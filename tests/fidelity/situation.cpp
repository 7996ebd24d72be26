#include "situation.hpp"

#include <deque>
#include <nlohmann/json.hpp>

#include "acdsim/model/input_error.hpp"
#include "acdsim/model/pacemaker.hpp"

namespace acdsim::fidelity {

using model::cib::InstanceRole;

namespace {

const char* drbd_name(Drbd d) { return d == Drbd::Down ? "down" : d == Drbd::Primary ? "Primary" : "Secondary"; }

bool quorate(const Situation& s, std::size_t n) {
  return s.nodes[n].up && ((s.nodes[0].up && s.nodes[1].up) || s.quorum);
}

std::string drbd_state(const Situation& s, std::size_t n) {
  const NodeSituation& me = s.nodes[n];
  const NodeSituation& peer = s.nodes[1 - n];
  if (me.drbd == Drbd::Down) return "Unconfigured Secondary " + me.disk;
  std::string conn = "WFConnection", disk = me.disk;
  if (peer.drbd != Drbd::Down) {
    if (s.standalone) conn = "StandAlone";
    else if (me.disk == "UpToDate" && peer.disk != "UpToDate") conn = "SyncSource";
    else if (me.disk != "UpToDate" && peer.disk == "UpToDate") conn = "SyncTarget", disk = "Inconsistent";
    else conn = "Connected";
  }
  const bool primary = me.drbd == Drbd::Primary;
  std::string name = conn + (primary ? " Primary " : " Secondary ") + disk;
  if (me.serving) name += " mounted";
  if (primary && (conn == "WFConnection" || conn == "StandAlone")) name += " diverged";
  return name;
}

}  // namespace

std::string describe(const Situation& s) {
  std::string out = "no-quorum-policy=" + std::string(model::to_string(s.no_quorum_policy)) +
                    " stonith=" + (s.stonith ? "true" : "false") + " stickiness=" + std::to_string(s.stickiness);
  if (!(s.nodes[0].up && s.nodes[1].up)) out += s.quorum ? " quorum" : " no-quorum";
  if (s.standalone) out += " drbd-StandAlone";
  if (s.fs_start_fails >= 0) out += " next-fs-start-fails-on-node" + std::to_string(s.fs_start_fails + 1);
  for (std::size_t n = 0; n < 2; ++n) {
    const NodeSituation& d = s.nodes[n];
    out += "; node" + std::to_string(n + 1) + ": " + (d.up ? "up" : "off");
    if (d.standby) out += " standby";
    if (d.banned) out += " fs-start-failed";
    out += std::string(" drbd ") + drbd_name(d.drbd) + " " + d.disk;
    if (d.serving) out += " serving";
  }
  return out;
}

rc::Gen<Situation> situations() {
  using model::NoQuorumPolicy;
  return rc::gen::exec([] {
    Situation s;
    s.no_quorum_policy = *rc::gen::element(NoQuorumPolicy::Stop, NoQuorumPolicy::Ignore, NoQuorumPolicy::Demote,
                                            NoQuorumPolicy::Freeze);
    s.stonith = *rc::gen::arbitrary<bool>();
    s.stickiness = *rc::gen::element(0, 100, 1000000);
    s.quorum = *rc::gen::arbitrary<bool>();
    for (NodeSituation& n : s.nodes) {
      n.up = *rc::gen::weightedElement<bool>({{3, true}, {1, false}});
      n.standby = *rc::gen::weightedElement<bool>({{1, true}, {6, false}});
      n.disk = *rc::gen::weightedElement<std::string>(
          {{4, "UpToDate"}, {2, "Inconsistent"}, {1, "Consistent"}, {1, "Outdated"}});
      if (!n.up) continue;
      n.banned = *rc::gen::weightedElement<bool>({{1, true}, {4, false}});
      n.drbd = *rc::gen::element(Drbd::Down, Drbd::Secondary, Drbd::Primary);
      if (n.drbd == Drbd::Primary) {
        n.disk = "UpToDate";
        n.serving = !n.banned && *rc::gen::weightedElement<bool>({{3, true}, {1, false}});
      }
    }
    if (s.nodes[0].drbd == Drbd::Primary && s.nodes[1].drbd == Drbd::Primary) {
      s.nodes[1].drbd = Drbd::Secondary;
      s.nodes[1].serving = false;
    }
    if (s.nodes[0].drbd != Drbd::Down && s.nodes[1].drbd != Drbd::Down)
      s.standalone = *rc::gen::weightedElement<bool>({{1, true}, {4, false}});
    s.fs_start_fails = *rc::gen::weightedElement<int>({{8, -1}, {1, 0}, {1, 1}});
    if (s.fs_start_fails >= 0 && !s.nodes[static_cast<std::size_t>(s.fs_start_fails)].up) s.fs_start_fails = -1;
    return s;
  });
}

std::string describe(const Outcome& o, const std::array<std::string, 2>& nodes) {
  auto where = [&](int n) { return n < 0 ? std::string("stopped") : nodes[static_cast<std::size_t>(n)]; };
  std::string out;
  for (std::size_t n = 0; n < 2; ++n)
    out += "DRBD " + std::string(model::cib::to_string(o.drbd[n])) + " on " + nodes[n] + ", ";
  if (o.fs == o.samba && o.fs == o.vip) return out + "Filesystem/Samba/VIP " + where(o.fs);
  return out + "Filesystem " + where(o.fs) + ", Samba " + where(o.samba) + ", VIP " + where(o.vip);
}

model::Topology topology_for(const Situation& s) {
  model::Topology t = model::load_topology(ACDSIM_SOURCE_DIR "/tests/fidelity/data/storage-pair.json");
  t.storage_cluster->no_quorum_policy = s.no_quorum_policy;
  t.storage_cluster->stonith = s.stonith;
  t.storage_cluster->resource_stickiness = s.stickiness;
  return t;
}

std::optional<model::Snapshot> snapshot_of(const model::System& system, const Situation& s, std::string& why) {
  nlohmann::json states = nlohmann::json::object();
  const auto& nodes = system.topology().storage_cluster->nodes;
  for (std::size_t n = 0; n < 2; ++n) {
    const NodeSituation& d = s.nodes[n];
    std::string pm = !d.up ? "Offline" : d.serving ? "Active" : "Online";
    if (quorate(s, n)) pm += " quorate";
    if (d.up && d.banned) pm += " banned";
    if (d.standby && !d.serving) pm += " standby";  // a serving node is put in standby below
    states[nodes[n] + "/vm"] = d.up ? "Up" : "Off";
    states[nodes[n] + "/pacemaker"] = pm;
    states[nodes[n] + "/drbd"] = drbd_state(s, n);
  }
  try {
    model::Snapshot state =
        model::snapshot_from_json(system, {{"format", "acdsim-snapshot/1"}, {"states", states}}, "situation");
    // Standby of a node that serves is the operator's command in the model: pcs node standby.
    for (std::size_t n = 0; n < 2; ++n)
      if (s.nodes[n].standby && s.nodes[n].serving) {
        auto next = system.apply(state, system.command("pcs_node_standby", nodes[n] + "/pacemaker"));
        if (!next) throw std::logic_error("pcs node standby is not enabled on a serving node");
        state = std::move(*next);
      }
    return state;
  } catch (const model::InputError& e) {
    why = e.what();
    return std::nullopt;
  }
}

Outcome outcome_of(const model::System& system, const model::Snapshot& state) {
  Outcome o;
  const auto& nodes = system.topology().storage_cluster->nodes;
  for (std::size_t n = 0; n < 2; ++n) {
    const model::ComponentIndex d = *system.find(nodes[n] + "/drbd");
    const model::ComponentIndex p = *system.find(nodes[n] + "/pacemaker");
    const auto view = model::cib::drbd_view(system.table(d).name(state[d]));
    o.drbd[n] = !view.configured ? InstanceRole::Stopped : view.primary ? InstanceRole::Promoted : InstanceRole::Unpromoted;
    auto holds = [&](model::pacemaker::Pred pred) {
      return system.holds(state, {p, static_cast<model::PredicateId>(pred)});
    };
    const bool active = holds(model::pacemaker::Pred::Active) || holds(model::pacemaker::Pred::Stopping);
    if (active && o.fs < 0) o.fs = o.samba = o.vip = static_cast<int>(n);
  }
  return o;
}

std::set<Outcome> settled_outcomes(const model::System& system, const model::Snapshot& state, int fs_start_fails) {
  // The failing start: the fault replaces that node's "storage resources started" once.
  std::string started, fails;
  const model::Move* fault = nullptr;
  if (fs_start_fails >= 0) {
    const std::string pm = system.topology().storage_cluster->nodes[static_cast<std::size_t>(fs_start_fails)] + "/pacemaker";
    started = pm + ": storage resources started";
    for (const model::Move& m : system.fault_moves())
      if (m.label == pm + ": resource start fails") fault = &m;
    if (!fault) throw std::logic_error("no fault " + pm + ": resource start fails");
  }
  using Key = std::pair<model::Snapshot, bool>;  // state, failure still to come
  std::set<Key> seen{{state, fault != nullptr}};
  std::deque<Key> todo{{state, fault != nullptr}};
  std::set<Outcome> out;
  while (!todo.empty()) {
    const auto [s, pending] = std::move(todo.front());
    todo.pop_front();
    bool moved = false;
    for (const model::Move& m : system.environment_moves()) {
      if (m.label.find("resync finished") != std::string::npos) continue;
      const bool fail_here = pending && m.label.starts_with(started);
      auto next = system.apply(s, m);
      if (!next) continue;
      if (fail_here) next = system.apply(s, *fault);
      if (!next) throw std::logic_error("the start could run but the fault cannot: " + m.label);
      moved = true;
      Key key{std::move(*next), pending && !fail_here};
      if (seen.insert(key).second) todo.push_back(std::move(key));
    }
    if (!moved) out.insert(outcome_of(system, s));
    if (seen.size() > 100000) throw std::runtime_error("the model does not settle within 100,000 states");
  }
  return out;
}

}  // namespace acdsim::fidelity
