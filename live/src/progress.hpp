// What an operator sees while `acdsim run --execute` acts: a line per change
// with the time since the start (which step runs, what it waits for, what the
// probes show, for how long), on a terminal a waiting line updated in place,
// and a summary at the end however the run ends.
#pragma once
#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

namespace acdsim::live {

class Progress {
 public:
  Progress(std::ostream& out, bool live) : out_(out), live_(live) {}

  // "[   12.3 s] " for the start of a line.
  std::string stamp() const;
  void skipped(const std::string& step);  // completed before a resume
  void step_begins(const std::string& step, const std::string& what);
  void waiting(const std::string& condition, double timeout_s);
  // The probes' picture while waiting: printed when it changes; on a terminal
  // the elapsed time is updated in place between changes.
  void seen(const std::vector<std::string>& lines);
  void step_done();
  void step_failed(const std::string& why);
  void summary(const std::string& outcome, std::size_t steps_in_procedure);

 private:
  struct StepRecord {
    std::string id, status;  // done, skipped, failed
    double seconds = 0, wait_s = -1;  // wait_s < 0: no wait
    std::string wait;
  };
  double since(std::chrono::steady_clock::time_point t) const;
  void end_live_line();

  std::ostream& out_;
  bool live_;
  bool live_line_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), step_start_, wait_start_;
  double wait_timeout_ = 0;
  std::vector<std::string> last_seen_;
  std::vector<StepRecord> steps_;
};

}  // namespace acdsim::live
