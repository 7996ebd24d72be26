// Where a command runs: locally (argv as is) or through the system's OpenSSH
// client with BatchMode=yes (never a password prompt), StrictHostKeyChecking=yes
// (never trust an unknown host key) and a connect timeout; every call has a
// timeout after which the child is killed.
#pragma once
#include <functional>

#include "acdsim/live/command.hpp"
#include "acdsim/live/inventory.hpp"
#include "acdsim/live/process.hpp"

namespace acdsim::live {

// The argv that runs command on endpoint (ssh ... -- address 'word' 'word').
Argv transport_argv(const Endpoint& endpoint, const SshSettings& ssh, const Argv& command);

// Runs a command on an endpoint. Replaceable in tests (recorded outputs).
using Runner = std::function<RunResult(const Endpoint& endpoint, const Argv& command, double timeout_s)>;
Runner process_runner(const SshSettings& ssh);

// With ssh.multiplex: a private directory for ControlMaster sockets while it
// lives; on destruction every master is told to exit and the directory goes.
class SshMultiplexer {
 public:
  explicit SshMultiplexer(Inventory& inventory);
  ~SshMultiplexer();
  SshMultiplexer(const SshMultiplexer&) = delete;
  SshMultiplexer& operator=(const SshMultiplexer&) = delete;

 private:
  Inventory& inventory_;
};

// ssh's own failure (cannot connect, host key refused): exit status 255.
inline bool ssh_failed(const Endpoint& e, const RunResult& r) {
  return e.transport == Transport::Ssh && r.exit_status == 255;
}

}  // namespace acdsim::live
