// Resume after a run died while a command ran (issue 15): the command began
// (command_begin) and has no result. It is run again only when the probes show
// it had no effect; otherwise the resume stops and says what to check, unless
// the operator decides (--rerun-unfinished, --accept-unfinished). A command
// whose process group still runs is awaited, never run beside it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "acdsim/live/executor.hpp"
#include "acdsim/live/journal.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/procedure.hpp"

using namespace acdsim;
using namespace acdsim::live;

namespace {

const std::string kData = ACDSIM_SOURCE_DIR "/tests/live/data/";

// Two database hosts answering systemctl from a table; every other command is recorded.
struct Hosts {
  std::map<std::string, std::string> mysql = {{"acd-dbm", "inactive"}, {"acd-dbs", "inactive"}};
  std::vector<std::string> commands;
  Runner runner() {
    return [this](const Endpoint& e, const Argv& argv, double) {
      RunResult r;
      r.exit_status = 0;
      const std::string cmd = display(argv);
      if (cmd == "systemctl is-system-running") {
        r.output = "running\n";
      } else if (cmd.starts_with("systemctl is-active")) {
        r.output = mysql[e.name] + "\n";
        r.exit_status = mysql[e.name] == "active" ? 0 : 3;
      } else if (cmd.starts_with("mysql -e")) {
        const bool up = mysql["acd-dbs"] == "active" && mysql["acd-dbm"] == "active";
        r.output = up ? "Slave_IO_Running: Yes\nSlave_SQL_Running: Yes\n" : "ERROR 2002 (HY000): Can't connect";
        r.exit_status = up ? 0 : 1;
      } else {
        commands.push_back(e.name + ": " + cmd);
        if (cmd == "systemctl start mariadb") mysql[e.name] = "active";
      }
      return r;
    };
  }
};

class Unfinished : public testing::Test {
 protected:
  model::Topology topology;
  model::Procedure procedure;
  Inventory inventory;
  std::string journal;

  void SetUp() override {
    procedure = model::load_procedure(kData + "db-startup.json", &topology);
    inventory = parse_inventory(R"({"format": "acdsim-inventory/1", "timeouts": {"poll": "0.01s", "command": "0.3s"},
      "hosts": {"acd-dbm": {"address": "10.0.0.3"}, "acd-dbs": {"address": "10.0.0.4"}}})", "inv.json", topology);
    journal = testing::TempDir() + "/acdsim-unfinished-" +
              testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl";
    // A run killed while "systemctl start mariadb" ran on acd-dbm (first step).
    std::ofstream out(journal, std::ios::trunc);
    out << R"({"type":"start","format":"acdsim-journal/1","procedure":"db startup","time":1})" "\n"
        << R"({"type":"plan_review","verdict":"safe","time":2})" "\n"
        << R"({"type":"step_begin","step":"start-dbm","time":3})" "\n"
        << R"({"type":"command_begin","step":"start-dbm","target":"acd-dbm/mysql","command":"systemctl start mariadb","time":4})" "\n";
  }
  void TearDown() override { std::remove(journal.c_str()); }

  RunOutcome resume(Hosts& hosts, std::string& output, bool rerun = false, bool accept = false) {
    RunOptions o;
    o.execute = o.resume = true;
    o.journal = journal;
    o.default_wait_s = 0.2;
    o.rerun_unfinished = rerun;
    o.accept_unfinished = accept;
    std::ostringstream out;
    std::istringstream in;
    const RunOutcome r = run_procedure(procedure, topology, inventory, hosts.runner(), o, out, in);
    output = out.str();
    return r;
  }
  void append(const std::string& line) { std::ofstream(journal, std::ios::app) << line << "\n"; }
  std::size_t runs_of(const Hosts& h, const std::string& c) const {
    return static_cast<std::size_t>(std::count(h.commands.begin(), h.commands.end(), c));
  }
};

}  // namespace

TEST_F(Unfinished, TheJournalListsACommandBegunWithoutAResult) {
  append(R"({"type":"command_pid","step":"start-dbm","target":"acd-dbm/mysql","pid":4242,"start_ticks":77,"time":5})");
  const JournalState s = read_journal(journal);
  ASSERT_EQ(s.unfinished.size(), 1u);
  const UnfinishedCommand& u = s.unfinished.at("start-dbm|acd-dbm/mysql");
  EXPECT_EQ(u.command, "systemctl start mariadb");
  ASSERT_TRUE(u.group);
  EXPECT_EQ(u.group->pid, 4242);
  EXPECT_EQ(u.group->start_ticks, 77u);
  append(R"({"type":"command","step":"start-dbm","target":"acd-dbm/mysql","exit":0,"time":6})");
  EXPECT_TRUE(read_journal(journal).unfinished.empty());
}

TEST_F(Unfinished, ABadProcessIdIsALocatedError) {
  append(R"({"type":"command_pid","step":"start-dbm","target":"acd-dbm/mysql","pid":-1,"start_ticks":77,"time":5})");
  append(R"({"type":"step_done","step":"x","time":7})");
  try {
    read_journal(journal);
    FAIL() << "accepted";
  } catch (const model::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(":5: at /pid"), std::string::npos) << e.what();
  }
}

TEST_F(Unfinished, NoEffectObservedRunsItAgain) {
  Hosts hosts;  // acd-dbm's server still inactive: the command did nothing
  std::string out;
  EXPECT_EQ(resume(hosts, out), RunOutcome::Done) << out;
  EXPECT_NE(out.find("the probes show it had no effect: running it again"), std::string::npos) << out;
  EXPECT_EQ(runs_of(hosts, "acd-dbm: systemctl start mariadb"), 1u);
  EXPECT_EQ(runs_of(hosts, "acd-dbs: systemctl start mariadb"), 1u);
}

TEST_F(Unfinished, AnEffectObservedStopsTheResumeAndSaysWhatToCheck) {
  Hosts hosts;
  hosts.mysql["acd-dbm"] = "active";  // it took effect before acdsim died
  std::string out;
  for (int n = 0; n < 2; ++n) {  // and again: nothing runs behind the operator's back
    EXPECT_EQ(resume(hosts, out), RunOutcome::Refused) << out;
    EXPECT_TRUE(hosts.commands.empty()) << out;
    EXPECT_NE(out.find("STOPPED before step start-dbm: systemctl start mariadb on acd-dbm/mysql may have taken effect"),
              std::string::npos) << out;
    EXPECT_NE(out.find("acd-dbm/mysql: Running (active); before the command Stopped, with it Starting or Running"),
              std::string::npos) << out;
    EXPECT_NE(out.find("check on acd-dbm whether systemctl start mariadb completed"), std::string::npos) << out;
    EXPECT_NE(out.find("--accept-unfinished"), std::string::npos) << out;
    EXPECT_NE(out.find("--rerun-unfinished"), std::string::npos) << out;
  }
}

TEST_F(Unfinished, ActivatingIsAnEffectToo) {
  Hosts hosts;
  hosts.mysql["acd-dbm"] = "activating";
  std::string out;
  EXPECT_EQ(resume(hosts, out), RunOutcome::Refused) << out;
  EXPECT_TRUE(hosts.commands.empty());
}

TEST_F(Unfinished, TheOperatorAcceptsItAsDone) {
  Hosts hosts;
  hosts.mysql["acd-dbm"] = "active";
  std::string out;
  EXPECT_EQ(resume(hosts, out, false, true), RunOutcome::Done) << out;
  EXPECT_NE(out.find("taken as done (--accept-unfinished)"), std::string::npos) << out;
  EXPECT_EQ(runs_of(hosts, "acd-dbm: systemctl start mariadb"), 0u);
  EXPECT_EQ(runs_of(hosts, "acd-dbs: systemctl start mariadb"), 1u);
  EXPECT_TRUE(read_journal(journal).finished);
}

TEST_F(Unfinished, TheOperatorRunsItAgainButNeverPastTheChecker) {
  Hosts hosts;
  std::string out;
  EXPECT_EQ(resume(hosts, out, true, false), RunOutcome::Done) << out;
  EXPECT_NE(out.find("running it again (--rerun-unfinished)"), std::string::npos) << out;
  EXPECT_EQ(runs_of(hosts, "acd-dbm: systemctl start mariadb"), 1u);
  // --rerun-unfinished overrides the unfinished judgement only: from Running the
  // checker still refuses starting it again (procedure.step-refused).
  SetUp();
  Hosts running;
  running.mysql["acd-dbm"] = "active";
  EXPECT_EQ(resume(running, out, true, false), RunOutcome::Refused) << out;
  EXPECT_NE(out.find("broken: procedure.step-refused"), std::string::npos) << out;
  EXPECT_TRUE(running.commands.empty());
}

TEST_F(Unfinished, ACommandStillRunningIsAwaitedNeverRunBesideIt) {
  // The group leader recorded is a live process (this test's own): the resume
  // waits the command timeout (0.3 s) and stops.
  const ProcessIdentity self = *identify_process(::getpid());
  append(R"({"type":"command_pid","step":"start-dbm","target":"acd-dbm/mysql","pid":)" + std::to_string(self.pid) +
         R"(,"start_ticks":)" + std::to_string(self.start_ticks) + R"(,"time":5})");
  Hosts hosts;
  std::string out;
  EXPECT_EQ(resume(hosts, out), RunOutcome::Refused) << out;
  EXPECT_TRUE(hosts.commands.empty());
  EXPECT_NE(out.find("of the interrupted run still runs after 0.3 s (process group " + std::to_string(self.pid)), std::string::npos)
      << out;
  // A recycled pid (same number, another start time) is not the command: no wait.
  std::ofstream(journal, std::ios::trunc) << "";
  SetUp();
  append(R"({"type":"command_pid","step":"start-dbm","target":"acd-dbm/mysql","pid":)" + std::to_string(self.pid) +
         R"(,"start_ticks":)" + std::to_string(self.start_ticks + 1) + R"(,"time":5})");
  Hosts fresh;
  EXPECT_EQ(resume(fresh, out), RunOutcome::Done) << out;
  EXPECT_EQ(out.find("still runs"), std::string::npos) << out;
  EXPECT_EQ(runs_of(fresh, "acd-dbm: systemctl start mariadb"), 1u);
}

TEST_F(Unfinished, OverSshTheRemoteCommandGetsItsTimeoutBeforeTheProbesJudge) {
  // Killing acdsim kills its ssh client, not the remote command: a command begun
  // just now is given the command timeout (0.3 s) before it is judged.
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::ofstream(journal, std::ios::trunc)
      << R"({"type":"start","format":"acdsim-journal/1","procedure":"db startup","time":1})" "\n"
      << R"({"type":"command_begin","step":"start-dbm","target":"acd-dbm/mysql","command":"systemctl start mariadb","time":)"
      << std::to_string(now) << "}\n";
  Hosts hosts;
  std::string out;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(resume(hosts, out), RunOutcome::Done) << out;
  EXPECT_GE(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 0.25);
  EXPECT_NE(out.find("it ran over ssh on acd-dbm, where it may still run"), std::string::npos) << out;
  EXPECT_EQ(runs_of(hosts, "acd-dbm: systemctl start mariadb"), 1u);
}
