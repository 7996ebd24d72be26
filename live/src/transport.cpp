#include "acdsim/live/transport.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

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
  if (!ssh.control_dir.empty())
    argv.insert(argv.end(), {"-o", "ControlMaster=auto", "-o", "ControlPath=" + ssh.control_dir + "/%C", "-o",
                             "ControlPersist=30"});
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

SshMultiplexer::SshMultiplexer(Inventory& inventory) : inventory_(inventory) {
  if (!inventory_.ssh.multiplex) return;
  std::string pattern = (std::filesystem::temp_directory_path() / "acdsim-ssh.XXXXXX").string();
  if (::mkdtemp(pattern.data())) inventory_.ssh.control_dir = pattern;
}

SshMultiplexer::~SshMultiplexer() {
  if (inventory_.ssh.control_dir.empty()) return;
  std::vector<const Endpoint*> endpoints;
  for (const auto& [alias, e] : inventory_.hosts) endpoints.push_back(&e);
  if (inventory_.hypervisor) endpoints.push_back(&*inventory_.hypervisor);
  for (const Endpoint* e : endpoints) {
    if (e->transport != Transport::Ssh) continue;
    Argv argv = transport_argv(*e, inventory_.ssh, {"true"});
    argv.pop_back();  // no command: "-O exit" talks to the master only
    argv.insert(argv.begin() + 1, {"-O", "exit"});
    (void)run_process(argv, 5);
  }
  std::error_code ignored;
  std::filesystem::remove_all(inventory_.ssh.control_dir, ignored);
  inventory_.ssh.control_dir.clear();
}

}  // namespace acdsim::live
