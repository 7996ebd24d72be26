#include "acdsim/live/transport.hpp"

#include <cmath>

namespace acdsim::live {

Argv transport_argv(const Endpoint& endpoint, const SshSettings& ssh, const Argv& command) {
  if (endpoint.transport == Transport::Local) return command;
  Argv argv = {"ssh",
               "-o", "BatchMode=yes",
               "-o", "StrictHostKeyChecking=yes",
               "-o", "ConnectTimeout=" + std::to_string(static_cast<int>(std::ceil(ssh.connect_timeout_s))),
               "-o", "ServerAliveInterval=5",
               "-o", "LogLevel=ERROR",
               "-T",
               "-p", std::to_string(endpoint.port),
               "-l", endpoint.user.empty() ? ssh.user : endpoint.user};
  if (!ssh.identity_file.empty()) {
    argv.insert(argv.end(), {"-i", ssh.identity_file, "-o", "IdentitiesOnly=yes"});
  }
  if (!ssh.known_hosts_file.empty()) argv.insert(argv.end(), {"-o", "UserKnownHostsFile=" + ssh.known_hosts_file});
  argv.push_back("--");
  argv.push_back(endpoint.address);
  // The remote side hands this string to the login shell: every word quoted.
  argv.push_back(shell_join(command));
  return argv;
}

Runner process_runner(const SshSettings& ssh) {
  return [ssh](const Endpoint& endpoint, const Argv& command, double timeout_s) {
    return run_process(transport_argv(endpoint, ssh, command), timeout_s);
  };
}

}  // namespace acdsim::live
