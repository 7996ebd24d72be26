// The executor against a fake runner: hosts answer probes from a table, every
// command is recorded. No process, no network.
#include "acdsim/live/executor.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <sstream>

#include "acdsim/model/procedure.hpp"

using namespace acdsim;
using namespace acdsim::live;

namespace {

const std::string kData = ACDSIM_SOURCE_DIR "/tests/live/data/";

struct FakeHosts {
  std::map<std::string, std::string> mysql;  // host -> systemctl is-active word
  std::string replication = "ERROR 2002 (HY000): Can't connect to local server through socket";
  std::string after_start = "active";         // what a started mysql reports
  std::vector<std::string> commands;          // "host: argv"

  Runner runner() {
    return [this](const Endpoint& e, const Argv& argv, double) {
      RunResult r;
      r.exit_status = 0;
      const std::string cmd = display(argv);
      if (cmd == "systemctl is-system-running") {
        r.output = "running\n";
        return r;
      }
      if (cmd.starts_with("systemctl is-active")) {
        r.output = mysql[e.name] + "\n";
        r.exit_status = mysql[e.name] == "active" ? 0 : 3;
        return r;
      }
      if (cmd.starts_with("mysql -e")) {
        r.output = replication;
        r.exit_status = replication.starts_with("ERROR") ? 1 : 0;
        return r;
      }
      commands.push_back(e.name + ": " + cmd);
      if (cmd == "systemctl start mariadb") mysql[e.name] = after_start;
      if (cmd == "systemctl stop mariadb") mysql[e.name] = "inactive";
      return r;
    };
  }
};

struct Fixture {
  model::Topology topology;
  model::Procedure procedure;
  Inventory inventory;
  explicit Fixture(const std::string& procedure_file) {
    procedure = model::load_procedure(kData + procedure_file, &topology);
    inventory = parse_inventory(R"({"format": "acdsim-inventory/1", "timeouts": {"poll": "0.01s"},
      "hosts": {"acd-dbm": {"address": "10.0.0.3"}, "acd-dbs": {"address": "10.0.0.4"}}})", "inv.json", topology);
  }
  RunOutcome run(FakeHosts& hosts, bool execute, std::string& output) {
    RunOptions o;
    o.execute = execute;
    o.journal = testing::TempDir() + "/acdsim-executor-test.jsonl";
    std::remove(o.journal.c_str());
    o.default_wait_s = 0.2;
    std::ostringstream out;
    std::istringstream in;
    const RunOutcome r = run_procedure(procedure, topology, inventory, hosts.runner(), o, out, in);
    output = out.str();
    std::remove(o.journal.c_str());
    return r;
  }
};

}  // namespace

TEST(Executor, DryRunPrintsCommandsAndRunsNothing) {
  Fixture f("db-startup.json");
  FakeHosts hosts;
  std::string out;
  EXPECT_EQ(f.run(hosts, false, out), RunOutcome::Done);
  EXPECT_TRUE(hosts.commands.empty());
  EXPECT_NE(out.find("run on acd-dbm (root@10.0.0.3:22, ssh): systemctl start mariadb"), std::string::npos) << out;
  EXPECT_NE(out.find("wait until acd-dbs/replication:acd-dbm healthy"), std::string::npos) << out;
}

TEST(Executor, RunsEachStepAfterProbingAndChecking) {
  Fixture f("db-startup.json");
  FakeHosts hosts;
  hosts.mysql = {{"acd-dbm", "inactive"}, {"acd-dbs", "inactive"}};
  // The replica answers SHOW SLAVE STATUS only once it runs: fake that by starting with the server down.
  hosts.replication = "ERROR 2002 (HY000): Can't connect to local server through socket";
  FakeHosts* h = &hosts;
  Runner base = hosts.runner();
  RunOptions o;
  o.execute = true;
  o.journal = testing::TempDir() + "/acdsim-executor-run.jsonl";
  std::remove(o.journal.c_str());
  std::ostringstream os;
  std::istringstream in;
  const Runner runner = [&](const Endpoint& e, const Argv& argv, double t) {
    if (h->mysql["acd-dbs"] == "active")
      h->replication = "Slave_IO_State: Waiting for master to send event\nSlave_IO_Running: Yes\nSlave_SQL_Running: Yes\n";
    return base(e, argv, t);
  };
  EXPECT_EQ(run_procedure(f.procedure, f.topology, f.inventory, runner, o, os, in), RunOutcome::Done) << os.str();
  EXPECT_EQ(hosts.commands, (std::vector<std::string>{"acd-dbm: systemctl start mariadb", "acd-dbs: systemctl start mariadb"}));
  std::remove(o.journal.c_str());
}

TEST(Executor, RefusesWhenTheRestIsUnsafeFromTheObservedState) {
  Fixture f("db-startup.json");
  FakeHosts hosts;
  // Both servers already run and the replica's SQL thread stopped on an error: a manual fix is needed.
  hosts.mysql = {{"acd-dbm", "active"}, {"acd-dbs", "active"}};
  hosts.replication = "Slave_IO_Running: Yes\nSlave_SQL_Running: No\nLast_SQL_Error: Duplicate entry\n";
  std::string out;
  EXPECT_EQ(f.run(hosts, true, out), RunOutcome::Refused);
  EXPECT_TRUE(hosts.commands.empty());
  EXPECT_NE(out.find("REFUSED before step start-dbm"), std::string::npos) << out;
  EXPECT_NE(out.find("VIOLATED"), std::string::npos) << out;  // the checker's counterexample
}

TEST(Executor, RefusesToActOnAnUnknownState) {
  Fixture f("db-startup.json");
  FakeHosts hosts;
  hosts.mysql = {{"acd-dbm", "System has not been booted with systemd"}, {"acd-dbs", "inactive"}};
  std::string out;
  EXPECT_EQ(f.run(hosts, true, out), RunOutcome::Refused);
  EXPECT_TRUE(hosts.commands.empty());
  EXPECT_NE(out.find("state unknown"), std::string::npos) << out;
}

TEST(Executor, StopsOnADeviationFromTheModel) {
  Fixture f("db-startup.json");
  FakeHosts hosts;
  hosts.mysql = {{"acd-dbm", "inactive"}, {"acd-dbs", "inactive"}};
  hosts.after_start = "failed";  // a start failure is a fault, not something the model predicts
  std::string out;
  EXPECT_EQ(f.run(hosts, true, out), RunOutcome::Deviation);
  EXPECT_EQ(hosts.commands, (std::vector<std::string>{"acd-dbm: systemctl start mariadb"}));
  EXPECT_NE(out.find("DEVIATION after step start-dbm"), std::string::npos) << out;
  EXPECT_NE(out.find("acd-dbm/mysql: observed Failed"), std::string::npos) << out;
}

TEST(Executor, ValuesFromTheTopologyCannotInjectIntoCommands) {
  const model::Topology topology = model::parse_topology(R"({"format": "acdsim-topology/1", "name": "evil",
    "hosts": [{"alias": "acd-dbm", "roles": ["dbm"], "vm": "jtel-dbm;reboot"}]})", "evil.json");
  const model::Procedure procedure = model::parse_procedure(R"({"format": "acdsim-procedure/1", "name": "p",
    "kind": "startup", "topology": "evil.json", "steps": [{"id": "on", "action": "power_on", "target": "acd-dbm"}]})",
                                                            "p.json", topology);
  const Inventory inventory = parse_inventory(R"({"format": "acdsim-inventory/1", "hosts": {"acd-dbm": {"address": "db"}}})",
                                              "inv.json", topology);
  FakeHosts hosts;
  std::ostringstream out;
  std::istringstream in;
  EXPECT_EQ(run_procedure(procedure, topology, inventory, hosts.runner(), RunOptions{}, out, in), RunOutcome::NotMapped);
  EXPECT_NE(out.str().find("refusing to substitute {vm} = \"jtel-dbm;reboot\""), std::string::npos) << out.str();
  EXPECT_TRUE(hosts.commands.empty());
}

TEST(Executor, StepModeAsksAndStopsWhenDeclined) {
  Fixture f("db-startup.json");
  FakeHosts hosts;
  hosts.mysql = {{"acd-dbm", "inactive"}, {"acd-dbs", "inactive"}};
  RunOptions o;
  o.execute = o.confirm_each = true;
  o.journal = testing::TempDir() + "/acdsim-executor-step.jsonl";
  std::remove(o.journal.c_str());
  std::ostringstream out;
  std::istringstream in("n\n");
  EXPECT_EQ(run_procedure(f.procedure, f.topology, f.inventory, hosts.runner(), o, out, in), RunOutcome::Declined);
  EXPECT_TRUE(hosts.commands.empty());
  EXPECT_NE(out.str().find("run step start-dbm? [acd-dbm/mysql: systemctl start mariadb] [y/N]"), std::string::npos) << out.str();
  std::remove(o.journal.c_str());
}
