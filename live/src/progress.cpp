#include "progress.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace acdsim::live {

namespace {
std::string seconds_text(double s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.1f s", s);
  else std::snprintf(buf, sizeof buf, "%d min %02d s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return buf;
}
}  // namespace

double Progress::since(std::chrono::steady_clock::time_point t) const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string Progress::stamp() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "[%7.1f s] ", since(start_));
  return buf;
}

void Progress::end_live_line() {
  if (live_line_) out_ << "\r\033[K";
  live_line_ = false;
}

void Progress::skipped(const std::string& step) { steps_.push_back({step, "skipped", 0, -1, ""}); }

void Progress::step_begins(const std::string& step, const std::string& what) {
  end_live_line();
  step_start_ = std::chrono::steady_clock::now();
  steps_.push_back({step, "running", 0, -1, ""});
  last_seen_.clear();
  out_ << "\n" << stamp() << "step " << step << ": " << what << "\n";
}

void Progress::waiting(const std::string& condition, double timeout_s) {
  end_live_line();
  wait_start_ = std::chrono::steady_clock::now();
  wait_timeout_ = timeout_s;
  if (!steps_.empty()) steps_.back().wait = condition.empty() ? "(probe once)" : condition, steps_.back().wait_s = 0;
  last_seen_.clear();
  if (!condition.empty())
    out_ << stamp() << "  waiting until " << condition << " (timeout " << seconds_text(timeout_s) << ")\n";
}

void Progress::seen(const std::vector<std::string>& lines) {
  const double waited = since(wait_start_);
  if (!steps_.empty()) steps_.back().wait_s = waited;
  if (lines != last_seen_) {
    end_live_line();
    // Only what changed since the last picture.
    for (const std::string& l : lines)
      if (std::find(last_seen_.begin(), last_seen_.end(), l) == last_seen_.end())
        out_ << stamp() << "    " << seconds_text(waited) << " into the wait: " << l << "\n";
    last_seen_ = lines;
  } else if (live_) {
    out_ << "\r\033[K" << stamp() << "    waiting " << seconds_text(waited) << " of " << seconds_text(wait_timeout_)
         << std::flush;
    live_line_ = true;
  }
}

void Progress::step_done() {
  end_live_line();
  if (steps_.empty()) return;
  steps_.back().status = "done";
  steps_.back().seconds = since(step_start_);
  out_ << stamp() << "  done " << steps_.back().id << " in " << seconds_text(steps_.back().seconds) << "\n";
}

void Progress::step_failed(const std::string& why) {
  end_live_line();
  if (steps_.empty() || steps_.back().status != "running") return;
  steps_.back().status = "failed (" + why + ")";
  steps_.back().seconds = since(step_start_);
}

void Progress::summary(const std::string& outcome, std::size_t steps_in_procedure) {
  end_live_line();
  std::size_t done = 0, skipped = 0, failed = 0;
  for (const StepRecord& s : steps_) {
    if (s.status == "done") ++done;
    else if (s.status == "skipped") ++skipped;
    else if (s.status != "running") ++failed;
  }
  const std::size_t not_reached = steps_in_procedure - done - skipped - failed;
  out_ << "\nSUMMARY: " << outcome << " after " << seconds_text(since(start_)) << "\n  steps: " << done << " done, "
       << skipped << " skipped (completed before the resume), " << failed << " failed, " << not_reached
       << " not reached, of " << steps_in_procedure << "\n";
  bool any = false;
  for (const StepRecord& s : steps_) {
    if (s.status == "skipped") continue;
    if (!any) out_ << "  step               status   time       wait\n";
    any = true;
    char buf[64];
    std::snprintf(buf, sizeof buf, "  %-18s %-8s %-10s ", s.id.c_str(), s.status.substr(0, s.status.find(' ')).c_str(),
                  seconds_text(s.seconds).c_str());
    out_ << buf << (s.wait_s >= 0 && s.wait != "(probe once)" ? seconds_text(s.wait_s) + " until " + s.wait : "-")
         << (s.status.starts_with("failed") ? "  " + s.status.substr(7) : "") << "\n";
  }
}

}  // namespace acdsim::live
