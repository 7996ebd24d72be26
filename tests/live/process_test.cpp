#include "acdsim/live/process.hpp"

#include <gtest/gtest.h>

using namespace acdsim::live;

TEST(RunProcess, CapturesOutputAndExitStatus) {
  const RunResult r = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"}, 10);
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_FALSE(r.timed_out);
  EXPECT_NE(r.output.find("out"), std::string::npos);
  EXPECT_NE(r.output.find("err"), std::string::npos);
}

TEST(RunProcess, ArgumentsAreNotInterpretedByAShell) {
  const RunResult r = run_process({"echo", "$(id)", ";", "`id`"}, 10);
  EXPECT_EQ(r.output, "$(id) ; `id`\n");
}

TEST(RunProcess, KillsTheChildAndItsChildrenOnTimeout) {
  const RunResult r = run_process({"sh", "-c", "sleep 30 & sleep 30"}, 0.3);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_status, 128 + 9);
}

TEST(RunProcess, MissingProgramIsReportedNotThrown) {
  const RunResult r = run_process({"/nonexistent/acdsim-no-such-program"}, 5);
  EXPECT_TRUE(r.spawn_failed);
  EXPECT_EQ(r.exit_status, 127);
}

TEST(RunProcess, ADaemonKeepingThePipeOpenDoesNotBlock) {
  // The child exits at once; its background child holds stdout for 3 s.
  const RunResult r = run_process({"sh", "-c", "echo started; (sleep 3 &) ; exit 0"}, 10);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_NE(r.output.find("started"), std::string::npos);
}
