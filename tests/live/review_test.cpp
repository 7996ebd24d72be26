// The plan review before a run: which waits the configured probes can never
// prove, and --execute refusing an unsafe plan or unprovable waits unless told
// otherwise (recorded in the journal). Fake runner: nothing runs.
#include "acdsim/live/review.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "acdsim/checker/checker.hpp"
#include "acdsim/live/executor.hpp"
#include "acdsim/model/procedure.hpp"

using namespace acdsim;
using namespace acdsim::live;

namespace {

const std::string kScenarios = ACDSIM_SOURCE_DIR "/scenarios/";

struct Shipped {
  model::Topology topology;
  model::Procedure procedure;
  Inventory inventory;
  Shipped(const std::string& procedure_file, const std::string& inventory_name,
          const nlohmann::json& extra_probes = nlohmann::json::object()) {
    procedure = model::load_procedure(kScenarios + "procedures/" + procedure_file, &topology);
    std::ifstream in(kScenarios + "inventories/" + inventory_name);
    nlohmann::json inv = nlohmann::json::parse(in);
    for (const auto& [k, v] : extra_probes.items()) inv["probes"][k] = v;
    inventory = parse_inventory(inv.dump(), kScenarios + "inventories/" + inventory_name, topology);
  }
  WaitReview review() const {
    const model::System system(topology);
    return review_waits(procedure, system, inventory, checker::Checker(procedure, topology).initial());
  }
};

const UnprovableWait* find(const WaitReview& r, const std::string& step) {
  auto it = std::find_if(r.unprovable.begin(), r.unprovable.end(), [&](const UnprovableWait& u) { return u.step == step; });
  return it == r.unprovable.end() ? nullptr : &*it;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace

TEST(Review, InServiceNeedsAnHttpProbeNotSystemctl) {
  const WaitReview r = Shipped("jtel-medium/startup.json", "jtel-medium.json").review();
  EXPECT_EQ(r.waits, 7u);
  const UnprovableWait* login = find(r, "check-login");
  ASSERT_NE(login, nullptr);
  EXPECT_NE(joined(login->why).find("acd-jb1/jboss in_service: app_state (systemctl is-active jboss) cannot tell"),
            std::string::npos) << joined(login->why);
  EXPECT_NE(joined(login->configure).find("an HTTP probe"), std::string::npos);
  // The waits on mysql, samba and the mounts are shown by their probes.
  for (const char* provable : {"p1.done", "p3.done", "p4.done", "check-logo"}) EXPECT_EQ(find(r, provable), nullptr) << provable;

  // With an HTTP probe the applications' waits can be proven; Hazelcast never can.
  const WaitReview http = Shipped("jtel-medium/startup.json", "jtel-medium.json",
                                  {{"app_state", "curl -s -o /dev/null -w '%{{http_code}}' --max-time 5 http://{address}:8080/"}})
                              .review();
  EXPECT_EQ(find(http, "check-login"), nullptr);
  EXPECT_EQ(find(http, "check-calls"), nullptr);
  const UnprovableWait* signalling = find(http, "check-signalling");
  ASSERT_NE(signalling, nullptr);
  EXPECT_NE(joined(signalling->why).find("acd-jb1/hazelcast in_cluster: not probed"), std::string::npos);
  EXPECT_NE(joined(signalling->configure).find("no Hazelcast probe"), std::string::npos);
}

TEST(Review, StorageWaitsAreShownByDrbdAndPacemakerProbes) {
  // The redundant storage procedures wait on DRBD and pacemaker states; their probes read them.
  for (const char* p : {"jtel-large-redundant-pp/storage-start-both.json", "jtel-large-redundant-pp/storage-start-one.json",
                        "jtel-large-redundant/failover.json"}) {
    const std::string topology = std::string(p).substr(0, std::string(p).find('/'));
    const WaitReview r = Shipped(p, topology + ".json").review();
    EXPECT_GT(r.waits, 0u) << p;
    EXPECT_TRUE(r.unprovable.empty()) << p << ": " << (r.unprovable.empty() ? "" : joined(r.unprovable[0].why));
  }
}

namespace {

struct Recorded {
  std::vector<std::string> commands;
  Runner runner() {
    return [this](const Endpoint& e, const Argv& argv, double) {
      RunResult r;
      const std::string cmd = display(argv);
      r.exit_status = 0;
      if (cmd == "systemctl is-system-running") r.output = "running\n";
      else if (cmd.starts_with("systemctl is-active")) r.output = "active\n";
      else if (cmd.starts_with("mountpoint")) r.output = "/home/jtel/shared is a mountpoint\n";
      else if (cmd.starts_with("curl")) r.output = "200";
      else commands.push_back(e.name + ": " + cmd);
      return r;
    };
  }
};

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

RunOutcome execute(const Shipped& s, Recorded& hosts, RunOptions o, std::string& output, std::string& journal) {
  o.execute = true;
  o.journal = testing::TempDir() + "/acdsim-review-test.jsonl";
  o.default_wait_s = 0.2;
  std::remove(o.journal.c_str());
  std::ostringstream out;
  std::istringstream in;
  const RunOutcome r = run_procedure(s.procedure, s.topology, s.inventory, hosts.runner(), o, out, in);
  output = out.str();
  journal = read(o.journal);
  std::remove(o.journal.c_str());
  return r;
}

}  // namespace

TEST(Review, ExecuteRefusesAnUnsafePlanUnlessForced) {
  const Shipped s("jtel-medium/known-bad/storage-down-first.json", "jtel-medium.json");
  Recorded hosts;
  std::string out, journal;
  EXPECT_EQ(execute(s, hosts, {}, out, journal), RunOutcome::Unsafe);
  EXPECT_EQ(exit_code(RunOutcome::Unsafe), 1);
  EXPECT_TRUE(hosts.commands.empty());
  EXPECT_NE(out.find("broken: consumer.storage-lost"), std::string::npos) << out;
  EXPECT_NE(out.find("REFUSED: the checker does not call this procedure safe"), std::string::npos) << out;
  EXPECT_NE(journal.find("\"type\":\"plan_review\""), std::string::npos) << journal;
  EXPECT_NE(journal.find("\"verdict\":\"violated\""), std::string::npos) << journal;

  RunOptions forced;
  forced.force_unsafe = true;
  const RunOutcome r = execute(s, hosts, forced, out, journal);
  EXPECT_NE(r, RunOutcome::Unsafe) << out;
  EXPECT_NE(out.find("FORCED"), std::string::npos) << out;
  EXPECT_NE(journal.find("\"force_unsafe\":true"), std::string::npos) << journal;
}

TEST(Review, ExecuteRefusesUnprovableWaitsUnlessAccepted) {
  const Shipped s("jtel-small/startup.json", "jtel-small.json");  // safe, but waits on in_service and Hazelcast
  Recorded hosts;
  std::string out, journal;
  EXPECT_EQ(execute(s, hosts, {}, out, journal), RunOutcome::Unprovable);
  EXPECT_TRUE(hosts.commands.empty());
  EXPECT_NE(out.find("REFUSED: 2 waits can never be shown"), std::string::npos) << out;
  EXPECT_NE(journal.find("\"unprovable_waits\":[\"check-calls\",\"check-signalling\"]"), std::string::npos) << journal;

  RunOptions accepted;
  accepted.accept_unprovable_waits = true;
  const RunOutcome r = execute(s, hosts, accepted, out, journal);
  EXPECT_NE(r, RunOutcome::Unprovable) << out;
  EXPECT_NE(out.find("ACCEPTED: 2 unprovable waits"), std::string::npos) << out;
  EXPECT_NE(out.find("s] step boot-lb: power_on acd-lb"), std::string::npos) << out;  // it went on to the steps
  EXPECT_NE(out.find("SUMMARY: "), std::string::npos) << out;
}
