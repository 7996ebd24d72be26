#include "divergences.hpp"

namespace acdsim::fidelity {
namespace {

bool up(const Situation& s, std::size_t n) { return s.nodes[n].up; }
int up_count(const Situation& s) { return int(up(s, 0)) + int(up(s, 1)); }
// The one node that is up, when exactly one is.
std::optional<std::size_t> lone(const Situation& s) {
  if (up_count(s) != 1) return std::nullopt;
  return up(s, 0) ? 0 : 1;
}
bool lone_without_quorum(const Situation& s, model::NoQuorumPolicy policy) {
  return lone(s) && !s.quorum && s.no_quorum_policy == policy;
}

// Pacemaker may promote here at all: quorum, or a policy that ignores its loss.
bool quorum_ok(const Situation& s) {
  return !(lone(s) && !s.quorum) || s.no_quorum_policy == model::NoQuorumPolicy::Ignore;
}
// (An instance that is down and starts connects to a running peer: s.standalone is only drawn
// when both run.)
// The agent publishes a master score for n once its instance runs (cib::master_score): UpToDate,
// or Consistent unless it connects to an UpToDate peer (then it is a SyncTarget).
bool scored(const Situation& s, std::size_t n) {
  const NodeSituation& me = s.nodes[n];
  const NodeSituation& peer = s.nodes[1 - n];
  // A Primary that ran alone is the sync source when this instance starts and connects.
  if (me.drbd == Drbd::Down && peer.up && peer.drbd == Drbd::Primary) return false;
  if (me.disk == "UpToDate") return true;
  return me.disk == "Consistent" && !(peer.up && !s.standalone && peer.disk == "UpToDate");
}
bool banned(const Situation& s, std::size_t n) { return up(s, n) && s.nodes[n].banned; }
// A node the Filesystem could follow a promotion to.
bool free_candidate(const Situation& s, std::size_t n) {
  return up(s, n) && !s.nodes[n].standby && !s.nodes[n].banned && scored(s, n);
}
bool any_primary(const Situation& s) {
  return s.nodes[0].drbd == Drbd::Primary || s.nodes[1].drbd == Drbd::Primary;
}

// The Filesystem start that fails (Situation::fs_start_fails) is attempted: its node may start
// the storage and nothing serves yet.
std::optional<std::size_t> failing_start(const Situation& s) {
  if (s.fs_start_fails < 0) return std::nullopt;
  const auto f = static_cast<std::size_t>(s.fs_start_fails);
  const NodeSituation& me = s.nodes[f];
  if (!me.up || me.standby || me.banned || me.serving || s.nodes[1 - f].serving || !quorum_ok(s)) return std::nullopt;
  return f;
}
// The peer can take the storage over: a free candidate, with a score already when the failing
// node's instance runs (else the failing node is promoted first).
bool takes_over(const Situation& s, std::size_t f) {
  const std::size_t p = 1 - f;
  return s.nodes[f].drbd != Drbd::Down ? free_candidate(s, p) && s.nodes[p].drbd != Drbd::Down : free_candidate(s, p);
}

}  // namespace

const std::vector<Divergence>& divergences() {
  using model::NoQuorumPolicy;
  static const std::vector<Divergence> list{
      {"no-quorum-stop-runs-drbd", "a lone member without quorum, no-quorum-policy=stop, its DRBD running",
       [](const Situation& s) {
         return lone_without_quorum(s, NoQuorumPolicy::Stop) && s.nodes[*lone(s)].drbd != Drbd::Down;
       },
       "Pacemaker stops every resource of a partition without quorum, the DRBD instance included; the model "
       "starts nothing without quorum but leaves what already runs alone (in a two_node cluster a node that had "
       "quorum keeps it alone, so the model never loses quorum under running resources)"},
      {"standby-hands-over-to-banned-peer",
       "a Primary on a node in standby, the peer a running Secondary with a master score where the Filesystem is banned",
       [](const Situation& s) {
         for (std::size_t n = 0; n < 2; ++n)
           if (up(s, n) && s.nodes[n].standby && s.nodes[n].drbd == Drbd::Primary && banned(s, 1 - n) &&
               !s.nodes[1 - n].standby && s.nodes[1 - n].drbd == Drbd::Secondary && scored(s, 1 - n) && quorum_ok(s))
             return true;
         return false;
       },
       "Pacemaker stops the standby node's instance and promotes the peer by its master score alone, although the "
       "Filesystem cannot run there (banned); the model promotes only together with starting the Filesystem, so "
       "the peer stays Secondary (same cause as banned-node-promoted)"},
      {"no-quorum-demote-keeps-promoted", "a lone member without quorum, no-quorum-policy=demote, its DRBD Primary, not in standby",
       [](const Situation& s) {
         return lone_without_quorum(s, NoQuorumPolicy::Demote) && s.nodes[*lone(s)].drbd == Drbd::Primary &&
                !s.nodes[*lone(s)].standby;
       },
       "demote demotes a Promoted instance and stops the Filesystem, Samba and the VIP; the model keeps the node "
       "Primary (and serving): it never loses quorum under running resources"},
      {"banned-primary-not-demoted", "a Primary (not in standby) with a failed Filesystem start, the peer a running Secondary able to take over",
       [](const Situation& s) {
         for (std::size_t n = 0; n < 2; ++n)
           if (banned(s, n) && !s.nodes[n].standby && s.nodes[n].drbd == Drbd::Primary && !s.nodes[n].serving &&
               s.nodes[1 - n].drbd == Drbd::Secondary && free_candidate(s, 1 - n) && quorum_ok(s))
             return true;
         return false;
       },
       "Pacemaker demotes the Promoted instance where the Filesystem cannot run and promotes the peer; the model "
       "promotes and mounts in one move, never reaches Primary-without-Filesystem by itself and, put there, "
       "does not demote"},
      {"banned-node-promoted", "no Primary, a banned node with a master score, no other node the Filesystem could follow that has a score now",
       [](const Situation& s) {
         if (any_primary(s) || !quorum_ok(s)) return false;
         for (std::size_t n = 0; n < 2; ++n)
           if (banned(s, n) && !s.nodes[n].standby && scored(s, n)) {
             // A peer whose instance is still stopped has no score yet: a running banned
             // instance is promoted in the transition that starts the peer's.
             const bool peer_now = free_candidate(s, 1 - n) && s.nodes[1 - n].drbd != Drbd::Down;
             if (s.nodes[n].drbd != Drbd::Down ? !peer_now : !free_candidate(s, 1 - n)) return true;
           }
         return false;
       },
       "Pacemaker promotes the DRBD clone by master score alone (the Filesystem is colocated with the Promoted "
       "instance, not the reverse), also where the Filesystem is banned; the model promotes only together with "
       "starting the Filesystem"},
      {"failed-start-primary-not-demoted",
       "the Filesystem start fails on a Primary, the peer a running Secondary able to take over",
       [](const Situation& s) {
         const auto f = failing_start(s);
         return f && s.nodes[*f].drbd == Drbd::Primary && s.nodes[1 - *f].drbd == Drbd::Secondary &&
                free_candidate(s, 1 - *f);
       },
       "after the failed start Pacemaker demotes there and promotes the peer; the model's failed start leaves "
       "the node Primary and the peer cannot start the storage while it is"},
      {"failed-start-stays-promoted",
       "the Filesystem start fails on the node Pacemaker promotes, no peer able to take over",
       [](const Situation& s) {
         const auto f = failing_start(s);
         return f && s.nodes[*f].drbd != Drbd::Primary && s.nodes[1 - *f].drbd != Drbd::Primary && scored(s, *f) &&
                !takes_over(s, *f);
       },
       "Pacemaker promotes before it starts the Filesystem, and the instance stays Promoted when that start "
       "fails; the model promotes and mounts in one move, so a failed start leaves DRBD Secondary"},
  };
  return list;
}

const Divergence* expected_divergence(const Situation& s) {
  for (const Divergence& d : divergences())
    if (d.applies(s)) return &d;
  return nullptr;
}

}  // namespace acdsim::fidelity
