// The checker's benchmark scenario (issue 3): storage, DB master, DB slave, W
// web and T telephony servers, each a bare VM (Off -> Booting -> Up). Storage
// up before the master starts, master up before the slave starts, slave up
// before every web/telephony server starts (in any order, concurrently).
// Invariant: a web or telephony server that is up needs storage and master up.
// Unreduced, its reachable state count is exactly 3^(W+T) + 6.
// scenarios/bench/chain-8-8/ is this generator's output for W = T = 8.
#pragma once
#include <string>
#include <vector>

namespace acdsim::bench {

inline std::vector<std::string> chain_servers(int web, int tel) {
  std::vector<std::string> out;
  for (int i = 1; i <= web; ++i) out.push_back("web" + std::to_string(i));
  for (int i = 1; i <= tel; ++i) out.push_back("tel" + std::to_string(i));
  return out;
}

inline std::string chain_topology_json(int web, int tel) {
  std::string out = "{\n  \"format\": \"acdsim-topology/1\",\n  \"name\": \"chain-" + std::to_string(web) + "-" +
                    std::to_string(tel) +
                    "\",\n  \"description\": \"checker benchmark: bare VMs, dependencies only in the procedure\",\n"
                    "  \"hosts\": [\n    {\"alias\": \"storage\", \"roles\": []},\n    {\"alias\": \"dbm\", \"roles\": []},\n"
                    "    {\"alias\": \"dbs\", \"roles\": []}";
  for (const std::string& s : chain_servers(web, tel)) out += ",\n    {\"alias\": \"" + s + "\", \"roles\": []}";
  return out + "\n  ]\n}\n";
}

inline std::string chain_procedure_json(int web, int tel, const std::string& topology_file) {
  std::string out = "{\n  \"format\": \"acdsim-procedure/1\",\n  \"name\": \"chain-" + std::to_string(web) + "-" +
                    std::to_string(tel) + " startup\",\n  \"kind\": \"startup\",\n  \"topology\": \"" + topology_file +
                    "\",\n  \"invariants\": [";
  const std::vector<std::string> servers = chain_servers(web, tel);
  for (std::size_t i = 0; i < servers.size(); ++i)
    out += std::string(i ? "," : "") + "\n    {\"id\": \"" + servers[i] +
           "-needs-storage-and-master\", \"severity\": \"outage\", \"reason\": \"" + servers[i] +
           " is up while the storage or the DB master is not\", \"when\": \"" + servers[i] +
           " up\", \"then\": [\"storage up\", \"dbm up\"]}";
  out +=
      "\n  ],\n  \"steps\": [\n"
      "    {\"id\": \"storage\", \"action\": \"power_on\", \"target\": \"storage\", \"wait\": \"storage up\"},\n"
      "    {\"id\": \"dbm\", \"action\": \"power_on\", \"target\": \"dbm\", \"after\": [\"storage\"], \"wait\": \"dbm up\"},\n"
      "    {\"id\": \"dbs\", \"action\": \"power_on\", \"target\": \"dbs\", \"after\": [\"dbm\"], \"wait\": \"dbs up\"}";
  for (const std::string& s : servers)
    out += ",\n    {\"id\": \"" + s + "\", \"action\": \"power_on\", \"target\": \"" + s + "\", \"after\": [\"dbs\"]}";
  return out + "\n  ]\n}\n";
}

}  // namespace acdsim::bench
