#include "acdsim/checker/report.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace acdsim::checker {
namespace {

Checked violated() {
  Checked c;
  c.file = "p.json";
  c.procedure.name = "medium <startup> & co";
  c.procedure.kind = "startup";
  c.procedure.topology_file = "../t.json";
  c.result.verdict = Verdict::Violated;
  c.result.states = 34;
  c.result.transitions = 60;
  c.result.depth = 2;
  c.result.bytes = 3400;
  c.result.words_per_state = 2;
  Violation v;
  v.spec = &invariant("share.mount-failed");
  v.subject = "acd-jb1/share";
  v.trace = {TraceLine{"step", "boot-jb: power_on acd-jb1", {"acd-jb1/vm: Off -> Booting"}},
             TraceLine{"step", "sec: drbdadm_secondary acd-lb2", {"acd-lb2/drbd: Connected Secondary UpToDate -> "
                                                                  "Connected Secondary UpToDate"}},
             TraceLine{"environment", "acd-jb1: boot complete",
                       {"acd-jb1/vm: Booting -> Up", "acd-jb1/share: Unmounted -> MountFailed"}}};
  c.result.violation = v;
  return c;
}

Checked safe() {
  Checked c;
  c.file = "s.json";
  c.procedure.name = "shutdown";
  c.procedure.kind = "shutdown";
  c.result.verdict = Verdict::Safe;
  c.result.states = 16;
  c.result.accepted = {"hazelcast.split-cluster"};
  return c;
}

TEST(ReportText, ViolationShowsNumberedTraceThenInvariantWhyAndFix) {
  const std::string text = report_text(violated());
  EXPECT_NE(text.find("p.json: VIOLATED  (medium <startup> & co)"), std::string::npos) << text;
  EXPECT_NE(text.find("shortest trace (3 moves):"), std::string::npos) << text;
  EXPECT_NE(text.find("   1. step        boot-jb: power_on acd-jb1\n                   acd-jb1/vm: Off -> Booting\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("   3. environment acd-jb1: boot complete\n"), std::string::npos) << text;
  EXPECT_NE(text.find("acd-jb1/share: Unmounted -> MountFailed"), std::string::npos) << text;
  const auto broken = text.find("broken: share.mount-failed (manual-fix) on acd-jb1/share");
  ASSERT_NE(broken, std::string::npos) << text;
  EXPECT_GT(broken, text.find("   3. "));  // the verdict's reason comes after the trace
  EXPECT_NE(text.find("why: " + std::string(invariant("share.mount-failed").reason)), std::string::npos);
  EXPECT_NE(text.find("fix: mount /home/jtel/shared"), std::string::npos) << text;
}

TEST(ReportText, ACommandThatChangesNothingSaysSo) {
  const std::string text = report_text(violated());
  EXPECT_EQ(text.find("Connected Secondary UpToDate -> Connected Secondary UpToDate"), std::string::npos) << text;
  EXPECT_NE(text.find("   2. step        sec: drbdadm_secondary acd-lb2\n                   (no state change)\n"),
            std::string::npos)
      << text;
}

TEST(ReportText, SafeShowsStatsAndAccepted) {
  const std::string text = report_text(safe());
  EXPECT_NE(text.find("s.json: SAFE  (shutdown)"), std::string::npos) << text;
  EXPECT_NE(text.find("16 states"), std::string::npos) << text;
  EXPECT_NE(text.find("accepted (seen, not failing the verdict): hazelcast.split-cluster"), std::string::npos) << text;
  EXPECT_EQ(text.find("broken:"), std::string::npos);
}

TEST(ReportText, IncompleteSaysWhichLimit) {
  Checked c = safe();
  c.result.verdict = Verdict::Incomplete;
  c.result.incomplete_reason = "state limit of 100 reached";
  const std::string text = report_text(c);
  EXPECT_NE(text.find("INCOMPLETE"), std::string::npos) << text;
  EXPECT_NE(text.find("not proven: state limit of 100 reached"), std::string::npos) << text;
}

TEST(ReportJson, SchemaFields) {
  const nlohmann::json j = report_json(violated());
  EXPECT_EQ(j["format"], "acdsim-check/1");
  EXPECT_EQ(j["file"], "p.json");
  EXPECT_EQ(j["procedure"], "medium <startup> & co");
  EXPECT_EQ(j["kind"], "startup");
  EXPECT_EQ(j["topology"], "../t.json");
  EXPECT_EQ(j["verdict"], "violated");
  EXPECT_EQ(j["stats"]["states"], 34);
  EXPECT_EQ(j["stats"]["transitions"], 60);
  EXPECT_EQ(j["stats"]["depth"], 2);
  EXPECT_EQ(j["stats"]["bytes"], 3400);
  EXPECT_EQ(j["stats"]["words_per_state"], 2);
  EXPECT_TRUE(j["accepted"].is_array());
  EXPECT_FALSE(j.contains("incomplete_reason"));
  const nlohmann::json& v = j["violation"];
  EXPECT_EQ(v["invariant"], "share.mount-failed");
  EXPECT_EQ(v["severity"], "manual-fix");
  EXPECT_EQ(v["subject"], "acd-jb1/share");
  EXPECT_EQ(v["reason"], invariant("share.mount-failed").reason);
  EXPECT_EQ(v["fix"], invariant("share.mount-failed").fix);
  ASSERT_EQ(v["trace"].size(), 3u);
  const nlohmann::json& last = v["trace"][2];
  EXPECT_EQ(last["what"], "environment");
  EXPECT_EQ(last["label"], "acd-jb1: boot complete");
  EXPECT_EQ(last["changes"][1], "acd-jb1/share: Unmounted -> MountFailed");
  EXPECT_EQ(last["changed"][1], (nlohmann::json{{"component", "acd-jb1/share"}, {"from", "Unmounted"}, {"to", "MountFailed"}}));
}

TEST(ReportJson, RefusalLinesAreNotParsedAsChanges) {
  Checked c = violated();
  c.result.violation->trace.push_back(TraceLine{"step", "p: drbdadm_primary acd-lb2", {"refused: acd-lb2/drbd is X"}});
  const nlohmann::json j = report_json(c);
  EXPECT_TRUE(j["violation"]["trace"][3]["changed"].empty());
  EXPECT_EQ(j["violation"]["trace"][3]["changes"][0], "refused: acd-lb2/drbd is X");
}

TEST(ReportJson, SafeAndIncomplete) {
  Checked c = safe();
  nlohmann::json j = report_json(c);
  EXPECT_EQ(j["verdict"], "safe");
  EXPECT_FALSE(j.contains("violation"));
  EXPECT_EQ(j["accepted"], (nlohmann::json{"hazelcast.split-cluster"}));
  c.result.verdict = Verdict::Incomplete;
  c.result.incomplete_reason = "memory limit of 1 MiB reached";
  j = report_json(c);
  EXPECT_EQ(j["verdict"], "incomplete");
  EXPECT_EQ(j["incomplete_reason"], "memory limit of 1 MiB reached");
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ReportJunit, OneSuitePerProcedureOneCasePerInvariant) {
  Checked incomplete = safe();
  incomplete.file = "i.json";
  incomplete.result.verdict = Verdict::Incomplete;
  incomplete.result.incomplete_reason = "state limit of 9 reached";
  const std::string xml = report_junit({violated(), safe(), incomplete});
  const std::size_t n = catalogue().size();
  EXPECT_EQ(count(xml, "<testsuite "), 3u);
  EXPECT_EQ(count(xml, "<testcase "), 3 * n);
  EXPECT_EQ(count(xml, "<failure "), 1u);  // the violated invariant of the violated procedure
  EXPECT_EQ(count(xml, "<skipped "), n);   // every invariant of the incomplete one
  EXPECT_NE(xml.find("name=\"medium &lt;startup&gt; &amp; co\""), std::string::npos) << xml;  // escaped
  EXPECT_NE(xml.find("<failure message=\"share.mount-failed on acd-jb1/share\" type=\"manual-fix\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("tests=\"" + std::to_string(n) + "\" failures=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<testcase classname=\"s.json\" name=\"drbd.split-brain\"/>"), std::string::npos) << xml;
}

// Names as the model writes them: words of letters, digits, '-', '/', ':' and '=' separated
// by single blanks (never ": " or " -> ").
rc::Gen<std::string> name() {
  return rc::gen::map(rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(rc::gen::nonEmpty(
                          rc::gen::container<std::string>(rc::gen::elementOf(std::string("abcXYZ019-/:=")))))),
                      [](const std::vector<std::string>& words) {
                        std::string out;
                        for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
                        return out;
                      });
}

RC_GTEST_PROP(ReportProperty, EveryMoveIsNumberedAndEveryChangeParsesBack, ()) {
  Checked c = violated();
  const auto moves = *rc::gen::inRange<std::size_t>(1, 6);
  c.result.violation->trace.clear();
  for (std::size_t i = 0; i < moves; ++i) {
    TraceLine t{"environment", *name(), {}};
    const auto n = *rc::gen::inRange<std::size_t>(0, 3);
    for (std::size_t k = 0; k < n; ++k) {
      const std::string comp = *name(), from = *name(), to = *name();
      RC_PRE(comp.find(": ") == std::string::npos && comp.back() != ':');
      t.changes.push_back(comp + ": " + from + " -> " + to);
    }
    c.result.violation->trace.push_back(std::move(t));
  }
  const std::string text = report_text(c);
  for (std::size_t i = 1; i <= moves; ++i) {
    char num[32];
    std::snprintf(num, sizeof num, "%4zu. environment ", i);
    RC_ASSERT(text.find(num) != std::string::npos);
  }
  const nlohmann::json j = report_json(c);
  RC_ASSERT(j["violation"]["trace"].size() == moves);
  for (std::size_t i = 0; i < moves; ++i) {
    const auto& line = c.result.violation->trace[i];
    const auto& changed = j["violation"]["trace"][i]["changed"];
    RC_ASSERT(changed.size() == line.changes.size());
    for (std::size_t k = 0; k < changed.size(); ++k) {
      const std::string back = changed[k]["component"].get<std::string>() + ": " + changed[k]["from"].get<std::string>() +
                               " -> " + changed[k]["to"].get<std::string>();
      RC_ASSERT(back == line.changes[k]);
    }
  }
}

}  // namespace
}  // namespace acdsim::checker
