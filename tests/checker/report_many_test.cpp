// Reports of a check that found several violations (Options::all_violations):
// text numbers them after a summary line, JSON lists them (the first also as
// "violation"), JUnit has one failure per violation.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "acdsim/checker/report.hpp"

namespace acdsim::checker {
namespace {

Violation violation(std::string_view id, std::string subject, std::string kind, std::vector<TraceLine> trace) {
  Violation v;
  v.spec = &invariant(id);
  v.subject = std::move(subject);
  v.kind = std::move(kind);
  v.trace = std::move(trace);
  return v;
}

Checked three() {
  Checked c;
  c.file = "two-mistakes.json";
  c.procedure.name = "shutdown with two mistakes";
  c.procedure.kind = "shutdown";
  c.result.verdict = Verdict::Violated;
  c.result.states = 1167;
  const TraceLine lb{"step", "shutdown-lb: shutdown acd-lb", {"acd-lb/vm: Up -> ShuttingDown"}};
  c.result.violations = {
      violation("consumer.storage-lost", "acd-jb1/jboss", "jboss",
                {lb, TraceLine{"environment", "acd-jb1/share: storage lost", {"acd-jb1/share: Mounted -> Stale"}}}),
      violation("consumer.storage-lost", "acd-tel1/telephony", "telephony",
                {lb, TraceLine{"environment", "acd-tel1/share: storage lost", {"acd-tel1/share: Mounted -> Stale"}}}),
      violation("replication.master-stopped-under-replica", "acd-dbs/replication:acd-dbm", "replication",
                {TraceLine{"step", "shutdown-dbm: shutdown acd-dbm", {"acd-dbm/mysql: Running -> Stopping"}}}),
  };
  c.result.violation = c.result.violations.front();
  return c;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ReportMany, TextHasASummaryThenEachViolationNumberedWithItsTrace) {
  const std::string text = report_text(three());
  const auto summary = text.find(
      "  3 violations: consumer.storage-lost (outage) on acd-jb1/jboss; consumer.storage-lost (outage) on "
      "acd-tel1/telephony; replication.master-stopped-under-replica (warning) on acd-dbs/replication:acd-dbm\n");
  ASSERT_NE(summary, std::string::npos) << text;
  const auto first = text.find("  --- violation 1 of 3: consumer.storage-lost ---\n  shortest trace (2 moves):\n");
  const auto second = text.find("  --- violation 2 of 3: consumer.storage-lost ---\n");
  const auto third = text.find("  --- violation 3 of 3: replication.master-stopped-under-replica ---\n  shortest trace (1 move):\n");
  ASSERT_NE(first, std::string::npos) << text;
  ASSERT_NE(second, std::string::npos) << text;
  ASSERT_NE(third, std::string::npos) << text;
  EXPECT_LT(summary, first);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_EQ(count(text, "  broken: "), 3u);
  EXPECT_EQ(count(text, "  why: "), 3u);
  EXPECT_EQ(count(text, "  fix: "), 3u);
  const auto tel = text.find("acd-tel1/share: Mounted -> Stale");
  EXPECT_GT(tel, second);
  EXPECT_LT(tel, third);
}

TEST(ReportMany, OneViolationKeepsTheSingleLayout) {
  Checked c = three();
  c.result.violations.resize(1);
  const std::string text = report_text(c);
  EXPECT_EQ(text.find("violations:"), std::string::npos) << text;
  EXPECT_EQ(text.find("--- violation"), std::string::npos) << text;
  EXPECT_EQ(count(text, "  broken: "), 1u);
}

TEST(ReportMany, ViolatedButStoppedByALimitSaysTheSearchWasIncomplete) {
  Checked c = three();
  c.result.incomplete_reason = "state limit of 40 reached";
  const std::string text = report_text(c);
  EXPECT_NE(text.find("two-mistakes.json: VIOLATED"), std::string::npos) << text;
  EXPECT_NE(text.find("  search incomplete: state limit of 40 reached (more violations may exist)\n"), std::string::npos)
      << text;
  EXPECT_EQ(report_json(c)["incomplete_reason"], "state limit of 40 reached");
}

TEST(ReportMany, JsonListsEveryViolationAndKeepsTheFirstAsViolation) {
  const nlohmann::json j = report_json(three());
  EXPECT_EQ(j["format"], "acdsim-check/1");
  EXPECT_EQ(j["verdict"], "violated");
  ASSERT_EQ(j["violations"].size(), 3u);
  EXPECT_EQ(j["violation"], j["violations"][0]);
  EXPECT_EQ(j["violations"][1]["invariant"], "consumer.storage-lost");
  EXPECT_EQ(j["violations"][1]["kind"], "telephony");
  EXPECT_EQ(j["violations"][1]["subject"], "acd-tel1/telephony");
  EXPECT_EQ(j["violations"][2]["invariant"], "replication.master-stopped-under-replica");
  EXPECT_EQ(j["violations"][2]["trace"].size(), 1u);
  EXPECT_FALSE(j.contains("incomplete_reason"));
}

TEST(ReportMany, JunitHasOneFailurePerViolation) {
  const std::string xml = report_junit({three()});
  const std::size_t n = catalogue().size();
  EXPECT_EQ(count(xml, "<failure "), 3u) << xml;
  // storage-lost broke on two kinds: a case for each instead of one
  EXPECT_EQ(count(xml, "<testcase "), n + 1) << xml;
  EXPECT_NE(xml.find("tests=\"" + std::to_string(n + 1) + "\" failures=\"3\" skipped=\"0\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"consumer.storage-lost (jboss)\">"), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"consumer.storage-lost (telephony)\">"), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"replication.master-stopped-under-replica\">"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"consumer.storage-lost on acd-tel1/telephony\" type=\"outage\">"), std::string::npos)
      << xml;
  // each failure carries its own trace only
  const auto tel = xml.find("name=\"consumer.storage-lost (telephony)\"");
  const auto end = xml.find("</failure>", tel);
  EXPECT_NE(xml.substr(tel, end - tel).find("acd-tel1/share: Mounted -&gt; Stale"), std::string::npos) << xml;
  EXPECT_EQ(xml.substr(tel, end - tel).find("acd-jb1/share"), std::string::npos) << xml;
}

TEST(ReportMany, JunitReportsAProceduresOwnInvariant) {
  UserInvariantSpecs user;
  user.specs.push_back(InvariantSpec{"user.keep-one-web", Severity::Outage, "one web server serves", ""});
  Checked c = three();
  c.result.violations = {c.result.violations[0]};
  c.result.violations.push_back(Violation{&user.specs.back(), "web1 needs web2", "", "", {}, false});
  const std::string xml = report_junit({c});
  EXPECT_EQ(count(xml, "<failure "), 2u) << xml;
  EXPECT_NE(xml.find("name=\"user.keep-one-web\">"), std::string::npos) << xml;
  EXPECT_EQ(count(xml, "<testcase "), catalogue().size() + 1) << xml;
}

TEST(ReportMany, JunitMarksTheUnprovenRestOfAViolatedButIncompleteSearch) {
  Checked c = three();
  c.result.incomplete_reason = "state limit of 40 reached";
  const std::string xml = report_junit({c});
  EXPECT_EQ(count(xml, "<failure "), 3u);
  EXPECT_EQ(count(xml, "<skipped "), catalogue().size() - 2) << xml;  // all but the two failed ids
}

}  // namespace
}  // namespace acdsim::checker
