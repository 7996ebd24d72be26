#include "acdsim/checker/invariants.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "acdsim/model/app_server.hpp"
#include "acdsim/model/drbd.hpp"
#include "acdsim/model/hazelcast.hpp"
#include "acdsim/model/pacemaker.hpp"
#include "acdsim/model/replication.hpp"
#include "acdsim/model/router.hpp"
#include "acdsim/model/service.hpp"
#include "acdsim/model/share_mount.hpp"
#include "acdsim/model/vm.hpp"

namespace acdsim::checker {
namespace {

using enum Severity;
constexpr std::array kCatalogue = {
    InvariantSpec{"drbd.split-brain", DataLoss,
                  "both DRBD nodes wrote as Primary while disconnected; at reconnect the nodes refuse each other "
                  "(StandAlone) and one side's changes must be thrown away",
                  "on the victim: drbdadm secondary; drbdadm connect --discard-my-data (its changes since the split "
                  "are lost); on the survivor: drbdadm connect"},
    InvariantSpec{"drbd.dual-primary-disconnected", DataLoss,
                  "both DRBD nodes are Primary while not connected: every write on either side makes a split brain",
                  "demote one node (drbdadm secondary) before it writes, then reconnect"},
    InvariantSpec{"drbd.lost-writes", DataLoss,
                  "a DRBD node's own writes were discarded to resolve a split brain: files written on that side "
                  "since the split are gone",
                  "recover the lost files from a backup of the victim taken before the reconnect, if there is one"},
    InvariantSpec{"drbd.resync-source-stopped", Outage,
                  "a node in standby had its DRBD instance stopped while its peer was still resyncing from it: the "
                  "peer's data is Inconsistent, it has no master score, nothing can be promoted and the storage "
                  "stays down",
                  "pcs node unstandby on the stopped node and let the resync finish; next time wait until both DRBD "
                  "nodes are Connected and UpToDate before a standby"},
    InvariantSpec{"share.mount-failed", ManualFix,
                  "a web or telephony server booted while the storage was not serving: /home/jtel/shared failed to "
                  "mount at boot and is never retried (the seed's 'logo missing')",
                  "mount /home/jtel/shared on the host, then restart its application"},
    InvariantSpec{"app.started-without-share", ManualFix,
                  "an application started on the empty local /home/jtel/shared: what it writes there is hidden by a "
                  "later mount",
                  "mount /home/jtel/shared, then restart the application"},
    InvariantSpec{"consumer.storage-lost", Outage,
                  "the storage stopped serving while a web or telephony server still uses the share: its application "
                  "is up or still stopping, or the host is shutting down and has not unmounted it yet (I/O errors, "
                  "or a hard mount hangs the application's stop and the unmount)",
                  "bring the storage back (the CIFS client reconnects by itself), then check the applications' "
                  "logs; next time stop the storage only after every web and telephony server is off"},
    InvariantSpec{"consumer.db-lost", Outage,
                  "an application is up or still stopping while no DB master is running: logins and calls fail, and "
                  "a stopping application loses the connections it still holds (unfinished writes)",
                  "start the DB master (the applications reconnect by themselves); next time stop it only after every "
                  "application has stopped (its host off), and start it before every application"},
    InvariantSpec{"replication.slave-before-master", Warning,
                  "a replica's IO thread is retrying because its master is not running; it heals by itself within "
                  "connect-retry (60 s) once the master runs",
                  "start the master first and wait until it runs"},
    InvariantSpec{"replication.master-stopped-under-replica", Warning,
                  "a DB master stops while a replica still streams from it: the replica stops at no known position "
                  "(a problem for non-transactional tables)",
                  "stop the replica (or STOP SLAVE) before the master; check SHOW SLAVE STATUS after the restart"},
    InvariantSpec{"replication.sql-thread-stopped", ManualFix, "a replica's SQL thread stopped on an error",
                  "inspect SHOW SLAVE STATUS, fix the cause, START SLAVE"},
    InvariantSpec{"pacemaker.failed-action", ManualFix,
                  "a storage resource failed to start on a node: it is banned there (failcount INFINITY)",
                  "pcs resource cleanup"},
    InvariantSpec{"hazelcast.split-cluster", Warning,
                  "two Hazelcast clusters run at once (calls not signalled to every agent) until split-brain "
                  "recovery merges them (after 300 s)",
                  "wait for the merge, or restart the smaller side's applications (they join the larger cluster); "
                  "restore the network between the members"},
    InvariantSpec{"procedure.step-refused", ManualFix,
                  "a step's command is refused in a state the procedure allows: the operator faces an error and has "
                  "to improvise",
                  "bring the component into the state the command needs (see the refusal), or add the missing wait "
                  "before the step"},
    InvariantSpec{"procedure.stuck", Outage,
                  "the procedure cannot go on: a step waits for a condition that can no longer come true, and "
                  "nothing else can happen",
                  "do by hand what the waiting step needs (see which condition it waits for), or abort and restart "
                  "in the right order"},
    InvariantSpec{"goal.healthy", Outage,
                  "the procedure ended and nothing more happens by itself, yet a component is not healthy (the "
                  "seed's checks after start would fail)",
                  "repair the component named by hand (start it, mount the share, pcs resource cleanup, ...) and add "
                  "the missing step to the procedure"},
    InvariantSpec{"goal.all-off", Outage,
                  "the shutdown ended and nothing more happens by itself, yet a VM is still running",
                  "shut the VM named down by hand and add the missing step to the procedure"},
    // Rollouts (added by add_rollout_properties for procedures with a rollout block).
    InvariantSpec{"rollout.too-many-out", Outage,
                  "more servers of the pool are out of service than the rollout's group size (atomic: the first half)",
                  "wait until a group is back in service before quiescing the next"},
    InvariantSpec{"rollout.below-floor", Outage, "fewer servers of the pool are in service than the rollout's floor",
                  "wait until a group is back in service before quiescing the next"},
    InvariantSpec{"rollout.two-editions", Outage,
                  "atomic rollout: the router sends requests to the new edition while a server still serves the old "
                  "one",
                  "quiesce the second half before switching the router to the new edition"},
};

template <class P>
model::Term term(model::ComponentIndex c, P p, bool negated = false) {
  return model::Term{c, static_cast<model::PredicateId>(p), negated};
}

}  // namespace

std::string_view to_string(Severity s) {
  switch (s) {
    case DataLoss: return "data-loss";
    case Outage: return "outage";
    case ManualFix: return "manual-fix";
    case Warning: return "warning";
  }
  return "?";
}

std::optional<Severity> severity_by_name(std::string_view name) {
  for (Severity s : {DataLoss, Outage, ManualFix, Warning})
    if (to_string(s) == name) return s;
  return std::nullopt;
}

std::span<const InvariantSpec> catalogue() { return kCatalogue; }

const InvariantSpec& invariant(std::string_view id) {
  for (const InvariantSpec& s : kCatalogue)
    if (s.id == id) return s;
  throw std::logic_error("no invariant " + std::string(id));
}

Properties compile_properties(const CompiledModel& m, Goal goal) {
  const model::System& sys = m.system();
  Properties out;
  auto clause = [&](std::vector<Clause>& into, std::string_view id, std::string subject, std::vector<model::Term> terms) {
    Clause c{&invariant(id), std::move(subject), {}};
    for (const model::Term& t : terms) c.terms.push_back(m.term(t));
    into.push_back(std::move(c));
  };
  auto always = [&](std::string_view id, std::string subject, std::vector<model::Term> terms) {
    clause(out.always, id, std::move(subject), std::move(terms));
  };
  auto path = [&](model::ComponentIndex c) { return sys.component(c).path(); };
  auto find = [&](const std::string& host, const std::string& name) { return sys.find(host + "/" + name); };

  std::vector<model::ComponentIndex> masters, drbd, pacemaker, founders;
  for (model::ComponentIndex c = 0; c < sys.size(); ++c) {
    const auto& ref = sys.component(c);
    if (ref.kind == model::KindId::Service && ref.name == "mysql" &&
        sys.topology().has_role(ref.host, model::Role::Dbm))
      masters.push_back(c);
    if (ref.kind == model::KindId::Drbd) drbd.push_back(c);
    if (ref.kind == model::KindId::Pacemaker) pacemaker.push_back(c);
    if (ref.kind == model::KindId::Hazelcast) founders.push_back(c);
  }

  for (model::ComponentIndex c = 0; c < sys.size(); ++c) {
    const auto& ref = sys.component(c);
    using model::KindId;
    switch (ref.kind) {
      case KindId::Drbd:
        always("drbd.split-brain", path(c), {term(c, model::drbd::Pred::SplitBrain)});
        always("drbd.lost-writes", path(c), {term(c, model::drbd::Pred::LostWrites)});
        break;
      case KindId::ShareMount:
        always("share.mount-failed", path(c), {term(c, model::share_mount::Pred::MountFailed)});
        // A host shutting down unmounts the share last: a hard CIFS mount whose
        // server is gone hangs that unmount (DOMAIN.md 5), whatever its
        // applications' state.
        if (auto vm = find(ref.host, "vm"))
          always("consumer.storage-lost", path(c),
                 {term(*vm, model::vm::Pred::ShuttingDown), term(c, model::share_mount::Pred::Stale)});
        break;
      case KindId::Jboss:
      case KindId::Telephony: {
        using model::app_server::Pred;
        always("app.started-without-share", path(c), {term(c, Pred::ShareBroken)});
        // A consumer is an application that is up or still stopping: a
        // stopping JBoss still holds its DB connections and open files.
        for (Pred holding : {Pred::Up, Pred::Stopping}) {
          if (auto share = find(ref.host, "share"))
            always("consumer.storage-lost", path(c), {term(c, holding), term(*share, model::share_mount::Pred::Stale)});
          if (!masters.empty()) {
            std::vector<model::Term> t{term(c, holding)};
            for (auto master : masters) t.push_back(term(master, model::service::Pred::Running, true));
            always("consumer.db-lost", path(c), std::move(t));
          }
        }
        break;
      }
      case KindId::Replication: {
        using model::replication::Pred;
        const std::string master_host = ref.name.substr(std::string("replication:").size());
        // In a master-master pair one master always starts first and retries
        // its peer: no order avoids it, so it is not a finding of the procedure.
        const auto& links = sys.topology().replication;
        const bool master_master = std::any_of(links.begin(), links.end(), [&](const model::ReplicationLink& l) {
          return l.master == ref.host && l.replica == master_host;
        });
        if (auto master = find(master_host, "mysql")) {
          if (!master_master)
            always("replication.slave-before-master", path(c),
                   {term(c, Pred::Connecting), term(*master, model::service::Pred::Running, true),
                    term(*master, model::service::Pred::Stopping, true)});
          always("replication.master-stopped-under-replica", path(c),
                 {term(c, Pred::IoRunning), term(*master, model::service::Pred::Running, true)});
        }
        always("replication.sql-thread-stopped", path(c), {term(c, Pred::SqlRunning, true), term(c, Pred::Off, true)});
        break;
      }
      case KindId::Pacemaker:
        always("pacemaker.failed-action", path(c), {term(c, model::pacemaker::Pred::Banned)});
        break;
      default: break;
    }
  }
  // Standby stops the DRBD instance only when pacemaker manages DRBD (DOMAIN.md 3a).
  if (drbd.size() == 2 && pacemaker.size() == 2 && sys.topology().storage_cluster->drbd_managed_by_pacemaker)
    for (std::size_t i = 0; i < 2; ++i) {
      const model::ComponentIndex target = drbd[i], source = drbd[1 - i];
      const auto source_node = find(sys.component(source).host, "pacemaker");
      always("drbd.resync-source-stopped", path(target),
             {term(target, model::drbd::Pred::Inconsistent), term(target, model::drbd::Pred::Unconfigured, true),
              term(source, model::drbd::Pred::Unconfigured), term(*source_node, model::pacemaker::Pred::Standby)});
    }
  if (drbd.size() == 2)
    always("drbd.dual-primary-disconnected", path(drbd[0]) + " + " + path(drbd[1]),
           {term(drbd[0], model::drbd::Pred::Primary), term(drbd[1], model::drbd::Pred::Primary),
            term(drbd[0], model::drbd::Pred::Linked, true)});
  for (std::size_t i = 0; i < founders.size(); ++i)
    for (std::size_t j = i + 1; j < founders.size(); ++j)
      always("hazelcast.split-cluster", path(founders[i]) + " + " + path(founders[j]),
             {term(founders[i], model::hazelcast::Pred::Founder), term(founders[j], model::hazelcast::Pred::Founder)});

  if (goal == Goal::AllOff) {
    for (model::ComponentIndex c = 0; c < sys.size(); ++c)
      if (sys.kind(c) == model::KindId::Vm) clause(out.goal, "goal.all-off", path(c), {term(c, model::vm::Pred::Off, true)});
  } else if (goal == Goal::Healthy) {
    for (model::ComponentIndex c = 0; c < sys.size(); ++c) {
      const auto& ref = sys.component(c);
      if (ref.kind == model::KindId::Router) {
        // a router without backends has nothing to route to
        bool has_backends = false;
        for (const auto& pool : sys.topology().pools) has_backends |= pool.router == ref.host && !pool.backends.empty();
        if (!has_backends) continue;
      }
      // A node in standby runs no DRBD instance when pacemaker manages DRBD (DOMAIN.md 3a):
      // its DRBD being down, and so its peer unlinked, is what the operator asked for (a
      // failover ends so), not a failure to settle.
      const bool managed_drbd = ref.kind == model::KindId::Drbd && sys.topology().storage_cluster->drbd_managed_by_pacemaker;
      for (const model::HealthTerm& h : model::health_terms(ref.kind)) {
        std::vector<model::Term> terms{model::Term{c, h.predicate, h.holds}};
        if (managed_drbd) {
          const bool link = h.predicate == static_cast<model::PredicateId>(model::drbd::Pred::Linked);
          for (model::ComponentIndex node : pacemaker)
            if (link || sys.component(node).host == ref.host)
              terms.push_back(term(node, model::pacemaker::Pred::Standby, true));
        }
        clause(out.goal, "goal.healthy", path(c), std::move(terms));
      }
    }
    if (pacemaker.size() == 2)
      clause(out.goal, "goal.healthy", "storage (no pacemaker node runs the resources)",
             {term(pacemaker[0], model::pacemaker::Pred::Active, true), term(pacemaker[1], model::pacemaker::Pred::Active, true)});
  }
  return out;
}

}  // namespace acdsim::checker

namespace acdsim::checker {
namespace {
// Every subset of size k of items, as index lists (k <= n).
void subsets(std::size_t n, std::size_t k, std::vector<std::vector<std::size_t>>& out) {
  std::vector<std::size_t> pick(k);
  for (std::size_t i = 0; i < k; ++i) pick[i] = i;
  while (true) {
    out.push_back(pick);
    std::size_t i = k;
    while (i > 0 && pick[i - 1] == n - k + i - 1) --i;
    if (i == 0) return;
    ++pick[i - 1];
    for (std::size_t j = i; j < k; ++j) pick[j] = pick[j - 1] + 1;
  }
}
}  // namespace

void add_rollout_properties(Properties& properties, const CompiledModel& m, const model::Rollout& r) {
  const model::System& sys = m.system();
  std::vector<model::ComponentIndex> servers;
  for (const std::string& s : r.servers) servers.push_back(*sys.find(s + "/jboss"));
  const std::size_t n = servers.size();
  // "more than k out" = some k+1 servers all out of service; a clause per subset.
  auto out_of_service = [&](std::string_view id, std::size_t k) {
    if (k >= n) return;
    std::vector<std::vector<std::size_t>> sets;
    subsets(n, k + 1, sets);
    if (sets.size() > 4096) {  // too many clauses for a pool this large; the simulator counts instead
      properties.not_checked.push_back(std::string(id) + " (pool " + r.pool + ": " + std::to_string(n) + " servers, " +
                                       std::to_string(sets.size()) + " clauses over the limit of 4096; acdsim simulate counts it)");
      return;
    }
    for (const auto& set : sets) {
      Clause c{&invariant(id), "", {}};
      for (std::size_t i : set) {
        c.subject += (c.subject.empty() ? "" : " + ") + r.servers[i];
        c.terms.push_back(m.term(term(servers[i], model::app_server::Pred::InService, true)));
      }
      properties.always.push_back(std::move(c));
    }
  };
  out_of_service("rollout.too-many-out", r.max_out());
  if (r.floor) out_of_service("rollout.below-floor", n - r.floor);
  if (r.strategy == model::Rollout::Strategy::Atomic) {
    const auto router = *sys.find(r.router + "/router");
    for (std::size_t i = 0; i < n; ++i)
      properties.always.push_back(Clause{&invariant("rollout.two-editions"), r.servers[i],
                                         {m.term(term(router, model::router::Pred::NewEditionRouted)),
                                          m.term(term(servers[i], model::app_server::Pred::ServingOld))}});
  }
}

}  // namespace acdsim::checker
