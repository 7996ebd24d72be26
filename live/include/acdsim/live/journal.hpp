// The run journal: append-only JSON lines, each record flushed and fsync'ed
// before the run goes on, so that after a crash or kill -9 it shows exactly
// which steps completed. Records hold a digest of command output, never the
// output itself (it may hold secrets).
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acdsim/live/process.hpp"

namespace acdsim::live {

class Journal {
 public:
  // Opens (creating if needed) for appending and takes its exclusive lock for
  // the object's life: a second Journal on the same file (another run or
  // resume) throws std::runtime_error saying the journal is in use. A torn last
  // record (kill -9 mid-write) is cut off once and a "repaired" record says so.
  explicit Journal(const std::string& path);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Adds "time" (seconds since the epoch) and writes one line, then fsync.
  void append(nlohmann::json record);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

// A command that began (command_begin) and has no result (command): the run
// died while it ran, or between the record and the start.
struct UnfinishedCommand {
  std::string step, target, command;
  std::optional<ProcessIdentity> group;  // its process group's leader (command_pid), if it was started
  double begun = 0;                      // the command_begin record's time (seconds since the epoch)
};

// What a journal says about a run.
struct JournalState {
  nlohmann::json start;                 // the "start" record (procedure, inventory, ...)
  std::set<std::string> completed;      // steps with a "step_done" record
  std::set<std::string> commands_done;  // "step|target" with a finished "command" record
  bool finished = false;                // a "finish" record
  std::map<std::string, UnfinishedCommand> unfinished;  // "step|target" begun without a result
};
// Reads a journal; a torn last line (kill -9 mid-write) is ignored, any other
// bad line throws InputError (file, line).
JournalState read_journal(const std::string& path);

// "sha256:<hex>" of the bytes.
std::string sha256_digest(std::string_view bytes);

}  // namespace acdsim::live
