#include "acdsim/live/journal.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "acdsim/model/input_error.hpp"

using namespace acdsim::live;

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_digest(""), "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_digest("abc"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_digest(std::string(1000, 'a')),
            "sha256:41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST(Journal, AppendsRecordsAndReadsBackCompletedSteps) {
  const std::string path = testing::TempDir() + "/acdsim-journal-test.jsonl";
  std::remove(path.c_str());
  {
    Journal j(path);
    j.append({{"type", "start"}, {"format", "acdsim-journal/1"}, {"procedure", "p"}});
    j.append({{"type", "step_done"}, {"step", "a"}});
    j.append({{"type", "command"}, {"step", "b"}, {"target", "acd-dbm"}, {"exit", 0}});
  }
  {
    std::ofstream torn(path, std::ios::app);
    torn << R"({"type": "step_do)";  // killed while writing
  }
  const JournalState s = read_journal(path);
  EXPECT_EQ(s.start.value("procedure", ""), "p");
  EXPECT_EQ(s.completed, (std::set<std::string>{"a"}));
  EXPECT_EQ(s.commands_done, (std::set<std::string>{"b|acd-dbm"}));
  EXPECT_FALSE(s.finished);
  std::remove(path.c_str());
}

TEST(Journal, GarbageInTheMiddleIsALocatedError) {
  const std::string path = testing::TempDir() + "/acdsim-journal-bad.jsonl";
  {
    std::ofstream out(path);
    out << R"({"type": "start", "format": "acdsim-journal/1"})" << "\nnot json\n" << R"({"type": "finish"})" << "\n";
  }
  try {
    read_journal(path);
    FAIL() << "no error";
  } catch (const acdsim::model::InputError& e) {
    EXPECT_EQ(e.line(), 2);
  }
  std::remove(path.c_str());
}

TEST(Journal, ASecondRunOfTheSameJournalIsRefusedWhileTheFirstHoldsIt) {
  const std::string path = testing::TempDir() + "/acdsim-journal-lock.jsonl";
  std::remove(path.c_str());
  {
    Journal first(path);
    first.append({{"type", "start"}, {"format", "acdsim-journal/1"}, {"procedure", "p"}});
    try {
      Journal second(path);
      ADD_FAILURE() << "a second Journal on a locked file was opened";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("is in use by another acdsim run"), std::string::npos) << e.what();
    }
  }
  Journal after(path);  // the first run ended: its lock went with it
  after.append({{"type", "finish"}});
  EXPECT_TRUE(read_journal(path).finished);
  std::remove(path.c_str());
}

TEST(Journal, ATornLastRecordIsRepairedOnceSoEveryLaterResumeReadsIt) {
  const std::string path = testing::TempDir() + "/acdsim-journal-torn.jsonl";
  std::remove(path.c_str());
  {
    Journal j(path);
    j.append({{"type", "start"}, {"format", "acdsim-journal/1"}, {"procedure", "p"}});
    j.append({{"type", "step_done"}, {"step", "a"}});
  }
  {
    std::ofstream torn(path, std::ios::app);
    torn << R"({"type": "step_done", "st)";  // killed while writing
  }
  // First resume: appends after the repair. Before, its records went onto the
  // torn line and the second resume refused the journal ("not a JSON record").
  {
    Journal resume(path);
    resume.append({{"type", "step_done"}, {"step", "b"}});
  }
  {
    Journal again(path);
    again.append({{"type", "step_done"}, {"step", "c"}});
  }
  const JournalState s = read_journal(path);
  EXPECT_EQ(s.completed, (std::set<std::string>{"a", "b", "c"}));
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find("\"st\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\"type\":\"repaired\""), std::string::npos) << text;
  std::remove(path.c_str());
}
