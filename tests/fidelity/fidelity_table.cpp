// docs/fidelity.md's table: named storage-cluster situations run through crm_simulate and the
// model, rendered as Markdown rows and compared with the file (ACDSIM_UPDATE_DOCS=1 rewrites it).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "acdsim/model/output.hpp"
#include "divergences.hpp"
#include "oracle.hpp"
#include "situation.hpp"

namespace acdsim::fidelity {
namespace {

struct Named {
  const char* name;
  Situation situation;
};

NodeSituation node(bool up, Drbd drbd, const char* disk, bool serving = false) {
  NodeSituation n;
  n.up = up;
  n.drbd = drbd;
  n.disk = disk;
  n.serving = serving;
  return n;
}

std::vector<Named> named_situations() {
  using model::NoQuorumPolicy;
  std::vector<Named> out;
  auto add = [&](const char* name, NodeSituation a, NodeSituation b, auto&& tweak) {
    Situation s;
    s.nodes = {a, b};
    tweak(s);
    out.push_back({name, s});
  };
  auto none = [](Situation&) {};
  add("cold start, both nodes up, both UpToDate", node(true, Drbd::Down, "UpToDate"), node(true, Drbd::Down, "UpToDate"), none);
  add("cold start, neither UpToDate", node(true, Drbd::Down, "Inconsistent"), node(true, Drbd::Down, "Inconsistent"), none);
  add("lone node with quorum (two_node after wait_for_all)", node(true, Drbd::Down, "UpToDate"),
      node(false, Drbd::Down, "UpToDate"), none);
  for (auto [name, policy] : {std::pair{"lone node without quorum, no-quorum-policy=stop", NoQuorumPolicy::Stop},
                              {"lone node without quorum, no-quorum-policy=ignore", NoQuorumPolicy::Ignore},
                              {"lone node without quorum, no-quorum-policy=freeze", NoQuorumPolicy::Freeze}})
    add(name, node(true, Drbd::Down, "UpToDate"), node(false, Drbd::Down, "UpToDate"), [policy](Situation& s) {
      s.quorum = false;
      s.no_quorum_policy = policy;
    });
  // (A serving node that loses quorum is not a state the model has yet: quorate stays once set.)
  add("lone Primary without quorum, no-quorum-policy=demote", node(true, Drbd::Primary, "UpToDate"),
      node(false, Drbd::Down, "UpToDate"), [](Situation& s) {
        s.quorum = false;
        s.no_quorum_policy = NoQuorumPolicy::Demote;
      });
  add("the serving node fails, the peer UpToDate Secondary", node(false, Drbd::Down, "UpToDate"),
      node(true, Drbd::Secondary, "UpToDate"), none);
  add("standby of the serving node, the peer UpToDate", node(true, Drbd::Primary, "UpToDate", true),
      node(true, Drbd::Secondary, "UpToDate"), [](Situation& s) { s.nodes[0].standby = true; });
  add("standby of the serving node while the peer resyncs", node(true, Drbd::Primary, "UpToDate", true),
      node(true, Drbd::Secondary, "Inconsistent"), [](Situation& s) { s.nodes[0].standby = true; });
  add("a node in standby at cold start", node(true, Drbd::Down, "UpToDate"), node(true, Drbd::Down, "UpToDate"),
      [](Situation& s) { s.nodes[1].standby = true; });
  add("serving, the peer back after unstandby (stickiness 0)", node(true, Drbd::Primary, "UpToDate", true),
      node(true, Drbd::Down, "UpToDate"), [](Situation& s) { s.stickiness = 0; });
  add("Filesystem start failed on the Primary, the peer UpToDate", node(true, Drbd::Primary, "UpToDate"),
      node(true, Drbd::Secondary, "UpToDate"), [](Situation& s) { s.nodes[0].banned = true; });
  add("lone node, its Filesystem start fails", node(true, Drbd::Down, "UpToDate"), node(false, Drbd::Down, "UpToDate"),
      [](Situation& s) { s.fs_start_fails = 0; });
  add("both up, the Filesystem start fails on the Primary", node(true, Drbd::Primary, "UpToDate"),
      node(true, Drbd::Secondary, "UpToDate"), [](Situation& s) { s.fs_start_fails = 0; });
  add("after cleanup of that failure: serving on the peer", node(true, Drbd::Secondary, "UpToDate"),
      node(true, Drbd::Primary, "UpToDate", true), none);
  add("Filesystem start failed on the only UpToDate node", node(true, Drbd::Secondary, "UpToDate"),
      node(true, Drbd::Secondary, "Inconsistent"), [](Situation& s) { s.nodes[0].banned = true; });
  add("serving, stonith-enabled with a fencing device", node(true, Drbd::Primary, "UpToDate", true),
      node(true, Drbd::Secondary, "UpToDate"), [](Situation& s) { s.stonith = true; });
  return out;
}

std::string cell(std::string text) {
  for (std::size_t p = 0; (p = text.find('|', p)) != std::string::npos; p += 2) text.replace(p, 1, "\\|");
  return text;
}

std::string table() {
  std::ostringstream t;
  t << "| situation | Pacemaker 2.1.5 (crm_simulate run) | acdsim predicts | agree |\n|---|---|---|---|\n";
  for (const Named& n : named_situations()) {
    const model::System system(topology_for(n.situation));
    std::string why;
    const auto state = snapshot_of(system, n.situation, why);
    if (!state) throw std::runtime_error(std::string(n.name) + ": " + why);
    const auto& cluster = *system.topology().storage_cluster;
    const std::array<std::string, 2> nodes{cluster.nodes[0], cluster.nodes[1]};
    std::array<model::cib::DrbdView, 2> drbd;
    for (std::size_t i = 0; i < 2; ++i) {
      const auto d = *system.find(nodes[i] + "/drbd");
      drbd[i] = model::cib::drbd_view(system.table(d).name((*state)[d]));
    }
    const std::filesystem::path work =
        std::filesystem::temp_directory_path() / ("acdsim-fidelity-table-" + std::to_string(::getpid()) + ".xml");
    const OracleRun run =
        run_oracle(cluster, model::cib::status_of(system, *state), drbd, work.string(), n.situation.fs_start_fails);
    std::error_code ignored;
    std::filesystem::remove(work, ignored);
    const std::set<Outcome> settled = settled_outcomes(system, *state, n.situation.fs_start_fails);
    std::string model_text;
    for (const Outcome& o : settled) model_text += (model_text.empty() ? "" : "; or ") + describe(o, nodes);
    const Divergence* d = expected_divergence(n.situation);
    const bool agrees = settled.contains(run.final);
    std::string verdict = agrees ? "yes" : "no";
    if (agrees && settled.size() > 1) verdict += " (one of the model's outcomes)";
    if (!agrees) verdict += d ? std::string(" (divergence `") + d->name + "`)" : " (undocumented)";
    t << "| " << cell(describe(n.situation)) << " — " << n.name << " | " << cell(describe(run.final, nodes)) << " | "
      << cell(model_text) << " | " << verdict << " |\n";
  }
  t << "\nDivergences (tests/fidelity/divergences.cpp; the differential test fails when a situation of a class "
       "agrees, or one outside every class disagrees):\n\n| name | situations | reason |\n|---|---|---|\n";
  for (const Divergence& d : divergences())
    t << "| `" << d.name << "` | " << cell(d.situations) << " | " << cell(d.reason) << " |\n";
  return t.str();
}

constexpr const char* kBegin = "<!-- BEGIN crm_simulate table: generated by tests/fidelity (ACDSIM_UPDATE_DOCS=1) -->\n";
constexpr const char* kEnd = "<!-- END crm_simulate table -->";

}  // namespace

TEST(CrmSimulate, FidelityTableInDocsIsCurrent) {
  if (!crm_simulate_available()) {
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") FAIL() << "crm_simulate (Debian pacemaker-cli-utils) is missing in CI";
    GTEST_SKIP() << "crm_simulate (pacemaker-cli-utils) is not installed";
  }
  const std::string path = ACDSIM_SOURCE_DIR "/docs/fidelity.md";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string doc = buffer.str();
  const auto begin = doc.find(kBegin), end = doc.find(kEnd);
  ASSERT_TRUE(begin != std::string::npos && end != std::string::npos && begin < end)
      << path << " lacks the markers " << kBegin << " ... " << kEnd;
  const std::string current = doc.substr(begin + std::string(kBegin).size(), end - begin - std::string(kBegin).size());
  const std::string fresh = table();
  if (const char* update = std::getenv("ACDSIM_UPDATE_DOCS"); update && std::string(update) == "1") {
    model::write_file_atomically(path, doc.substr(0, begin) + kBegin + fresh + doc.substr(end));
    return;
  }
  EXPECT_EQ(current, fresh) << path << " is stale: run this test with ACDSIM_UPDATE_DOCS=1 and review the diff";
}

}  // namespace acdsim::fidelity
