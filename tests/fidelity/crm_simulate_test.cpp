// The model against Pacemaker's own scheduler (crm_simulate 2.1): for storage-cluster
// situations drawn by RapidCheck, the CIB acdsim exports is run through crm_simulate and the
// state Pacemaker reaches is compared with the states the model settles in (docs/fidelity.md).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>

#include <unistd.h>

#include "divergences.hpp"
#include "oracle.hpp"
#include "situation.hpp"

namespace acdsim::fidelity {
namespace {

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

#define REQUIRE_CRM_SIMULATE()                                                              \
  do {                                                                                      \
    if (!crm_simulate_available()) {                                                        \
      if (in_ci()) FAIL() << "crm_simulate (Debian pacemaker-cli-utils) is missing in CI"; \
      GTEST_SKIP() << "crm_simulate (pacemaker-cli-utils) is not installed";                \
    }                                                                                       \
  } while (0)

std::filesystem::path work_dir() {
  return std::filesystem::temp_directory_path() / ("acdsim-fidelity-" + std::to_string(::getpid()));
}

std::string work_file(const std::string& name) {
  std::filesystem::create_directories(work_dir());
  return (work_dir() / name).string();
}

// Removes the test's CIB files when the test ends.
struct WorkDirCleanup {
  ~WorkDirCleanup() {
    std::error_code ignored;
    std::filesystem::remove_all(work_dir(), ignored);
  }
};

int cases() {
  const char* n = std::getenv("ACDSIM_FIDELITY_CASES");
  return n ? std::max(1, std::atoi(n)) : 300;
}

}  // namespace

TEST(CrmSimulate, ReadsTheExportedStatusAsMeant) {
  REQUIRE_CRM_SIMULATE();
  const WorkDirCleanup cleanup;
  const model::System system(topology_for(Situation{}));
  for (const auto& [name, state] : {std::pair{"all_up", system.all_up()}, {"all_off", system.all_off()}}) {
    const model::cib::ClusterStatus status = model::cib::status_of(system, state);
    std::array<model::cib::DrbdView, 2> drbd;
    const OracleRun run = run_oracle(*system.topology().storage_cluster, status, drbd, work_file("meant.xml"));
    EXPECT_EQ(run.initial, outcome_of(system, state)) << name;
  }
}

TEST(CrmSimulate, AgreesWithTheModelOrDivergesAsDocumented) {
  REQUIRE_CRM_SIMULATE();
  const WorkDirCleanup cleanup;
  const rc::Gen<Situation> gen = situations();
  int tried = 0, unrepresentable = 0, agree = 0, nondeterministic = 0;
  std::map<std::string, int> divergent;
  std::vector<std::string> failures;
  for (int seed = 0; seed < cases(); ++seed) {
    const Situation s = gen(rc::Random(static_cast<std::uint64_t>(seed) * 7919u + 17u), 100).value();
    const model::System system(topology_for(s));
    std::string why;
    const auto state = snapshot_of(system, s, why);
    if (!state) {
      if (std::getenv("ACDSIM_FIDELITY_VERBOSE")) std::cout << "unrepresentable: " << describe(s) << ": " << why << "\n";
      ++unrepresentable;
      continue;
    }
    ++tried;
    const auto& cluster = *system.topology().storage_cluster;
    const std::array<std::string, 2> nodes{cluster.nodes[0], cluster.nodes[1]};
    std::array<model::cib::DrbdView, 2> drbd;
    for (std::size_t n = 0; n < 2; ++n) {
      const auto d = *system.find(nodes[n] + "/drbd");
      drbd[n] = model::cib::drbd_view(system.table(d).name((*state)[d]));
    }
    OracleRun run;
    try {
      run = run_oracle(cluster, model::cib::status_of(system, *state), drbd, work_file("case.xml"), s.fs_start_fails);
    } catch (const std::runtime_error& e) {
      failures.push_back("seed " + std::to_string(seed) + ": " + describe(s) + ": " + e.what());
      continue;
    }
    const Outcome meant = outcome_of(system, *state);
    if (run.initial != meant) {
      failures.push_back("seed " + std::to_string(seed) + ": crm_simulate reads the export as " +
                         describe(run.initial, nodes) + ", meant " + describe(meant, nodes) + "\n  " + describe(s));
      continue;
    }
    const std::set<Outcome> settled = settled_outcomes(system, *state, s.fs_start_fails);
    const bool agrees = settled.contains(run.final);
    const Divergence* expected = expected_divergence(s);
    std::string model_text;
    for (const Outcome& o : settled) model_text += "\n    model:     " + describe(o, nodes);
    std::string detail = "seed " + std::to_string(seed) + ": " + describe(s) + "\n    pacemaker: " +
                               describe(run.final, nodes) + model_text + "\n    pacemaker's transitions:";
    for (const std::string& a : run.summary) detail += "\n      " + a;
    if (agrees && expected) {
      failures.push_back("unexpected agreement (divergence \"" + std::string(expected->name) +
                         "\" listed for this situation; remove or narrow it):\n  " + detail);
    } else if (!agrees && !expected) {
      failures.push_back("undocumented divergence:\n  " + detail);
    } else if (agrees) {
      ++agree;
      if (settled.size() > 1) ++nondeterministic;
    } else {
      ++divergent[expected->name];
      // ACDSIM_FIDELITY_VERBOSE=1 prints each documented divergence (to narrow the classes).
      if (std::getenv("ACDSIM_FIDELITY_VERBOSE")) std::cout << "divergence " << expected->name << ":\n  " << detail << "\n";
    }
  }
  int total_divergent = 0;
  for (const auto& [name, count] : divergent) total_divergent += count;
  std::cout << "crm_simulate differential: " << tried << " situations tried (" << unrepresentable
            << " drawn ones the model cannot represent skipped), " << agree << " agreements (" << nondeterministic
            << " where the model has several settled states and Pacemaker's is one of them), " << total_divergent
            << " documented divergences\n";
  for (const auto& [name, count] : divergent) std::cout << "  " << name << ": " << count << "\n";
  for (const std::string& f : failures) ADD_FAILURE() << f;
  EXPECT_GE(tried, cases() / 3) << "the generator draws mostly situations the model cannot represent";
}

}  // namespace acdsim::fidelity
