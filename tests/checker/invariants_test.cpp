#include "acdsim/checker/invariants.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "acdsim/model/topology.hpp"

namespace acdsim::checker {
namespace {

TEST(Catalogue, EveryInvariantHasAnIdASeverityAReasonAndUniqueId) {
  std::set<std::string_view> ids;
  for (const InvariantSpec& spec : catalogue()) {
    EXPECT_TRUE(ids.insert(spec.id).second) << "duplicate " << spec.id;
    EXPECT_NE(spec.id.find('.'), std::string_view::npos) << spec.id << ": ids are <area>.<what>";
    EXPECT_FALSE(spec.reason.empty()) << spec.id;
    EXPECT_EQ(spec.reason.find('\n'), std::string_view::npos) << spec.id << ": the reason is one line";
    EXPECT_EQ(severity_by_name(to_string(spec.severity)), spec.severity) << spec.id;
  }
}

TEST(Catalogue, EveryManualFixOrDataLossInvariantNamesAFix) {
  for (const InvariantSpec& spec : catalogue()) {
    if (spec.severity == Severity::ManualFix || spec.severity == Severity::DataLoss) {
      EXPECT_FALSE(spec.fix.empty()) << spec.id;
    }
  }
}

TEST(Catalogue, SeveritiesByName) {
  EXPECT_EQ(severity_by_name("data-loss"), Severity::DataLoss);
  EXPECT_EQ(severity_by_name("outage"), Severity::Outage);
  EXPECT_EQ(severity_by_name("manual-fix"), Severity::ManualFix);
  EXPECT_EQ(severity_by_name("warning"), Severity::Warning);
  EXPECT_FALSE(severity_by_name("cosmetic"));
  EXPECT_THROW(invariant("no.such"), std::logic_error);
}

struct Compiled {
  model::System system;
  Layout layout;
  CompiledModel model;
  explicit Compiled(const std::string& topology)
      : system(model::load_topology(std::string(ACDSIM_SOURCE_DIR) + "/scenarios/topologies/" + topology + ".json")),
        model(system, layout) {}
};

bool has(const std::vector<Clause>& clauses, std::string_view id, std::string_view subject) {
  return std::any_of(clauses.begin(), clauses.end(),
                     [&](const Clause& c) { return c.spec->id == id && c.subject == subject; });
}

TEST(CompileProperties, MasterMasterChannelsAreNotSlaveBeforeMaster) {
  Compiled c("jtel-large-redundant");
  const Properties p = compile_properties(c.model, Goal::Healthy);
  // acd-dbm1 <-> acd-dbm2: one of them always starts first; no order avoids the retry.
  EXPECT_FALSE(has(p.always, "replication.slave-before-master", "acd-dbm1/replication:acd-dbm2"));
  EXPECT_FALSE(has(p.always, "replication.slave-before-master", "acd-dbm2/replication:acd-dbm1"));
  // A plain slave still must not start before its master.
  EXPECT_TRUE(has(p.always, "replication.slave-before-master", "acd-dbs1/replication:acd-dbm1"));
  // Stopping a master under its master-master peer is avoidable (STOP SLAVE first): still checked.
  EXPECT_TRUE(has(p.always, "replication.master-stopped-under-replica", "acd-dbm2/replication:acd-dbm1"));
}

// The consumer.* clauses violated in s (the other invariants are not the point here).
std::vector<std::string> violated(const Compiled& c, const Properties& p, const model::Snapshot& s) {
  std::vector<Word> state(c.layout.words());
  c.model.pack(s, state.data());
  std::vector<std::string> out;
  for (const Clause& cl : p.always)
    if (cl.spec->id.starts_with("consumer.") && cl.violated(state.data())) out.push_back(std::string(cl.spec->id) + " " + cl.subject);
  std::sort(out.begin(), out.end());
  return out;
}

model::Snapshot step(const model::System& s, const model::Snapshot& st, const std::string& action, const std::string& target) {
  auto next = s.apply(st, s.command(action, target));
  EXPECT_TRUE(next) << action << " " << target;
  return next ? *next : st;
}

model::Snapshot env(const model::System& s, const model::Snapshot& st, const std::string& label) {
  for (const model::Move& m : s.environment_moves())
    if (m.label == label) {
      auto next = s.apply(st, m);
      EXPECT_TRUE(next) << label;
      return next ? *next : st;
    }
  ADD_FAILURE() << "no environment move " << label;
  return st;
}

// Issue 12 (seed, shutdown step 1 "insgesamt abgeschlossen"): a web or
// telephony host still consumes its share and the DB master until it is off.
TEST(CompileProperties, AStoppingApplicationStillConsumesTheDbMaster) {
  Compiled c("jtel-medium");
  const Properties p = compile_properties(c.model, Goal::AllOff);
  model::Snapshot st = step(c.system, c.system.all_up(), "shutdown", "acd-jb1");  // JBoss Stopping
  st = step(c.system, st, "shutdown", "acd-dbm");                                 // MySQL Stopping
  EXPECT_EQ(violated(c, p, st), (std::vector<std::string>{"consumer.db-lost acd-jb1/jboss", "consumer.db-lost acd-jb2/jboss",
                                                          "consumer.db-lost acd-tel1/telephony",
                                                          "consumer.db-lost acd-tel2/telephony"}));
  // Once acd-jb1's JBoss stopped it holds no connection; the others still run.
  st = env(c.system, st, "acd-jb1/jboss: stop complete");
  EXPECT_EQ(violated(c, p, st), (std::vector<std::string>{"consumer.db-lost acd-jb2/jboss", "consumer.db-lost acd-tel1/telephony",
                                                          "consumer.db-lost acd-tel2/telephony"}));
}

TEST(CompileProperties, AHostShuttingDownStillConsumesItsShareUntilOff) {
  Compiled c("jtel-medium");
  const Properties p = compile_properties(c.model, Goal::AllOff);
  model::Snapshot st = c.system.all_up();
  for (const char* h : {"acd-jb2", "acd-tel1", "acd-tel2"}) {  // already off
    st = step(c.system, st, "shutdown", h);
    st = env(c.system, st, std::string(h) + (std::string(h).find("tel") != std::string::npos ? "/telephony" : "/jboss") + ": stop complete");
    st = env(c.system, st, std::string(h) + ": shutdown complete");
  }
  st = step(c.system, st, "shutdown", "acd-jb1");  // still stopping
  st = step(c.system, st, "shutdown", "acd-lb");   // the storage, too early
  st = env(c.system, st, "acd-lb/samba: stop complete");
  st = env(c.system, st, "acd-jb1/share: storage lost");
  EXPECT_EQ(violated(c, p, st),
            (std::vector<std::string>{"consumer.storage-lost acd-jb1/jboss", "consumer.storage-lost acd-jb1/share"}));
  // JBoss stopped, the host not off yet: the unmount still hangs on the stale share.
  st = env(c.system, st, "acd-jb1/jboss: stop complete");
  EXPECT_EQ(violated(c, p, st), (std::vector<std::string>{"consumer.storage-lost acd-jb1/share"}));
  st = env(c.system, st, "acd-jb1: shutdown complete");
  EXPECT_TRUE(violated(c, p, st).empty());
}

TEST(CompileProperties, InitialStatesOfTheGoalsHoldTheirInvariants) {
  Compiled c("jtel-large-redundant");
  const Properties healthy = compile_properties(c.model, Goal::Healthy);
  std::vector<Word> state(c.layout.words());
  c.model.pack(c.system.all_up(), state.data());
  for (const Clause& cl : healthy.always) EXPECT_FALSE(cl.violated(state.data())) << cl.spec->id << " " << cl.subject;
  for (const Clause& cl : healthy.goal) EXPECT_FALSE(cl.violated(state.data())) << cl.spec->id << " " << cl.subject;
  const Properties off = compile_properties(c.model, Goal::AllOff);
  c.model.pack(c.system.all_off(), state.data());
  for (const Clause& cl : off.always) EXPECT_FALSE(cl.violated(state.data())) << cl.spec->id << " " << cl.subject;
  for (const Clause& cl : off.goal) EXPECT_FALSE(cl.violated(state.data())) << cl.spec->id << " " << cl.subject;
  // and all up is not "all off"
  c.model.pack(c.system.all_up(), state.data());
  EXPECT_TRUE(std::any_of(off.goal.begin(), off.goal.end(), [&](const Clause& cl) { return cl.violated(state.data()); }));
}

}  // namespace
}  // namespace acdsim::checker
