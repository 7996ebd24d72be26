// The HTML report library: lanes, escaping, the broken invariant, determinism.
#include <gtest/gtest.h>

#include <string>

#include "acdsim/checker/checker.hpp"
#include "acdsim/checker/invariants.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"
#include "acdsim/report/check_html.hpp"
#include "acdsim/report/html.hpp"
#include "acdsim/report/swimlanes.hpp"

namespace acdsim::report {
namespace {

const std::string kScenarios = std::string(ACDSIM_SOURCE_DIR) + "/scenarios/";

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

checker::Violation sample_violation() {
  checker::Violation v;
  v.spec = &checker::catalogue()[0];
  v.subject = "acd-tel2/telephony";
  v.detail = "acd-tel2/telephony is InService";
  v.trace = {{"step", "shutdown-dbs: shutdown acd-dbs", {"acd-dbs/vm: Up -> ShuttingDown", "acd-dbs/mysql: Running -> Running"}},
             {"environment", "acd-lb/router: no backend", {"acd-lb/router: Routing -> Queuing", "refused: <odd> line"}},
             {"fault", "acd-dbs: VM crashes", {}}};
  return v;
}

TEST(Swimlanes, OneLanePerChangedHostAndTheSubjectInTopologyOrder) {
  const model::Topology topology = model::load_topology(kScenarios + "topologies/jtel-medium.json");
  // acd-dbs/mysql "Running -> Running" changes nothing: no lane entry from it.
  EXPECT_EQ(lanes_of(sample_violation(), topology), (std::vector<std::string>{"acd-lb", "acd-dbs", "acd-tel2"}));
  const std::string html = swimlanes_html(sample_violation(), topology, 2, 3);
  EXPECT_EQ(count(html, "<col class=\"lane\""), 3u);
  EXPECT_NE(html.find("Counterexample 2 of 3"), std::string::npos);
  EXPECT_EQ(count(html, "class=\"change\""), 2u);
  EXPECT_EQ(html.find("Running → Running"), std::string::npos);
  EXPECT_NE(html.find("vm: Up → ShuttingDown"), std::string::npos);
  // A line that is no change goes to the move's cell, escaped.
  EXPECT_NE(html.find("refused: &lt;odd&gt; line"), std::string::npos);
  // A move without a change says so; the broken invariant sits in its subject's lane.
  EXPECT_NE(html.find("(no state change)"), std::string::npos);
  EXPECT_NE(html.find("<td data-host=\"acd-tel2\">telephony: " + std::string(checker::catalogue()[0].id)), std::string::npos);
  EXPECT_NE(html.find(std::string(checker::catalogue()[0].reason)), std::string::npos);
}

TEST(Swimlanes, HostOfAComponent) {
  EXPECT_EQ(host_of("acd-jb1/share"), "acd-jb1");
  EXPECT_EQ(host_of("acd-dbs/replication:acd-dbm"), "acd-dbs");
  EXPECT_EQ(host_of("nothing"), "");
}

checker::Checked checked(const std::string& file, model::Topology& topology) {
  model::Procedure procedure = model::load_procedure(file, &topology);
  checker::Checker checker(procedure, topology);
  return {file, procedure, checker.run(), {}};
}

TEST(CheckHtml, VerdictFirstEscapedAndDeterministic) {
  model::Topology topology;
  std::vector<checker::Checked> all{checked(kScenarios + "procedures/jtel-medium/known-bad/master-down-under-apps.json", topology)};
  all[0].procedure.name = "<script>alert(1)</script> & \"q\"";
  const std::string html = check_html(all, {topology});
  EXPECT_EQ(html, check_html(all, {topology}));  // nothing from the clock, the order of a hash, ...
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"), std::string::npos);
  const auto verdict = html.find("<div class=\"word\">VIOLATED</div>");
  ASSERT_NE(verdict, std::string::npos);
  EXPECT_LT(verdict, html.find("<table"));
  EXPECT_NE(html.find("consumer.db-lost"), std::string::npos);
  EXPECT_EQ(count(html, "<table class=\"swimlanes\""), violations_of(all[0].result).size());
  // No way out of the page: the policy forbids loading anything.
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org"));  // only SVG namespaces
}

TEST(CheckHtml, SeveralProceduresWorstVerdictFirst) {
  model::Topology t1, t2;
  std::vector<checker::Checked> all{checked(kScenarios + "procedures/jtel-medium/shutdown.json", t1),
                                    checked(kScenarios + "procedures/jtel-medium/known-bad/storage-down-first.json", t2)};
  const std::string html = check_html(all, {t1, t2});
  EXPECT_NE(html.find("<div class=\"word\">VIOLATED</div>"), std::string::npos);
  EXPECT_NE(html.find("1 violated, 0 incomplete, 1 safe of 2 procedures."), std::string::npos);
  EXPECT_EQ(count(html, "<section id=\"topology-"), 1u);  // one topology drawn once
}

}  // namespace
}  // namespace acdsim::report
