#include "acdsim/model/components.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "acdsim/model/input_error.hpp"

namespace acdsim::model {
namespace {

bool in_storage_cluster(const Topology& t, const std::string& alias) {
  return t.storage_cluster &&
         std::find(t.storage_cluster->nodes.begin(), t.storage_cluster->nodes.end(), alias) !=
             t.storage_cluster->nodes.end();
}


}  // namespace

std::vector<ComponentRef> components_of(const Topology& t) {
  std::vector<ComponentRef> out;
  // Hazelcast members and replicas by host, once (a scan of every group and link per host was quadratic).
  std::unordered_set<std::string_view> in_hazelcast;
  for (const HazelcastGroup& g : t.hazelcast) in_hazelcast.insert(g.members.begin(), g.members.end());
  std::unordered_map<std::string_view, std::vector<const ReplicationLink*>> links_of_replica;
  for (const ReplicationLink& link : t.replication) links_of_replica[link.replica].push_back(&link);
  for (std::size_t h = 0; h < t.hosts.size(); ++h) {
    const Host& host = t.hosts[h];
    std::vector<std::pair<ComponentRef, Role>> mine;  // component and the role that asked for it
    auto add = [&](std::string name, KindId kind, Role role, bool shared) {
      for (std::size_t r = 0; r < mine.size(); ++r) {
        if (mine[r].first.name != name) continue;
        if (shared) return;
        throw InputError(t.source_file, "/hosts/" + std::to_string(h) + "/roles", 0,
                         "host " + host.alias + " cannot carry role " + std::string(to_string(role)) +
                             ": its " + name + " already serves role " +
                             std::string(to_string(mine[r].second)));
      }
      mine.push_back({ComponentRef{host.alias, std::move(name), kind}, role});
    };
    for (Role role : host.roles) {
      switch (role) {
        case Role::Store:
          if (in_storage_cluster(t, host.alias)) {
            add("drbd", KindId::Drbd, role, false);
            add("pacemaker", KindId::Pacemaker, role, false);
          } else {
            add("samba", KindId::Service, role, false);
          }
          break;
        case Role::Lb: add("router", KindId::Router, role, false); break;
        case Role::Dbm:
        case Role::Dbs:
        case Role::Dbr: add("mysql", KindId::Service, role, false); break;
        case Role::Jb:
        case Role::Tel:
          add(role == Role::Jb ? "jboss" : "telephony", role == Role::Jb ? KindId::Jboss : KindId::Telephony,
              role, false);
          add("share", KindId::ShareMount, role, true);
          if (in_hazelcast.count(host.alias)) add("hazelcast", KindId::Hazelcast, role, true);
          break;
        case Role::Api:
        case Role::Chat:
        case Role::Chatbot: add("jboss", KindId::Jboss, role, false); break;
        case Role::Count: break;
      }
    }
    out.push_back(ComponentRef{host.alias, "vm", KindId::Vm});
    for (auto& [c, role] : mine) out.push_back(std::move(c));
    if (auto links = links_of_replica.find(host.alias); links != links_of_replica.end())
      for (const ReplicationLink* link : links->second)
        out.push_back(ComponentRef{host.alias, "replication:" + link->master, KindId::Replication});
  }
  return out;
}

}  // namespace acdsim::model
