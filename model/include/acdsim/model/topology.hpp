// A parsed, validated topology: hosts with roles, the links between them and
// the parameters left open by DOMAIN.md. See docs/formats.md.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace acdsim::model {

enum class Role : std::uint8_t { Store, Lb, Dbm, Dbs, Dbr, Jb, Tel, Api, Chat, Chatbot, Count };
std::string_view to_string(Role role);
std::optional<Role> role_by_name(std::string_view name);

// Which DRBD construction the storage pair uses (the seed's DE vs FR texts).
enum class DrbdConstruction : std::uint8_t { PrimaryPrimary, PrimarySecondary };

// Pacemaker's no-quorum-policy (what a node without quorum does with its resources).
enum class NoQuorumPolicy : std::uint8_t { Stop, Ignore, Demote, Freeze };
std::string_view to_string(NoQuorumPolicy p);

struct Host {
  std::string alias;         // "acd-dbm1"
  std::vector<Role> roles;   // what runs there
  std::string vm_name;       // hypervisor name for power actions; defaults to alias
};

// Redundant storage: DRBD resource on two nodes under a two-node pacemaker cluster.

struct StorageCluster {
  std::string name = "storage";          // used as target "cluster:<name>"
  std::vector<std::string> nodes;        // exactly two aliases
  std::string resource = "jtelshared";   // DRBD resource name
  DrbdConstruction construction = DrbdConstruction::PrimarySecondary;
  bool allow_two_primaries = false;      // required true for primary/primary
  bool drbd_managed_by_pacemaker = false;  // DOMAIN.md 2: open; default: by hand, as in the seed
  bool pacemaker_autostart = false;      // cluster stack enabled at boot (seed: started by hand)
  NoQuorumPolicy no_quorum_policy = NoQuorumPolicy::Stop;  // pacemaker's default
  // stonith-enabled; also read as DRBD `fencing resource-and-stonith` (LINBIT's setting with STONITH)
  bool stonith = false;
  int resource_stickiness = 100;         // resource-stickiness (rsc_defaults); -1000000..1000000
};

struct ReplicationLink {
  std::string master;   // alias of the server replicated from
  std::string replica;  // alias of the replica
  bool skip_slave_start = false;
  // Simulator timing (docs/simulator.md "Replica timing"): MASTER_CONNECT_RETRY,
  // and seconds of catch-up per second the master ran without this replica.
  double connect_retry_s = 60;
  double catch_up_ratio = 0.1;
};

struct HazelcastGroup {
  std::string name = "platform";
  std::vector<std::string> members;  // aliases of jb/tel hosts
};

struct RouterPool {
  std::string name = "web";
  std::string router;                 // alias carrying the load balancer
  std::vector<std::string> backends;  // aliases of jb hosts
};

// A duration distribution for the simulator (seconds).
struct Duration {
  enum class Shape : std::uint8_t { Fixed, Uniform, Lognormal, Empirical, Exponential } shape = Shape::Fixed;
  double a = 0, b = 0;          // fixed: a; uniform: [a,b]; lognormal: median a, sigma b; exponential: mean a
  std::vector<double> samples;  // empirical
};

// Work offered to the servers of one role, for the simulator.
struct WorkloadClass {
  std::string name;             // "calls", "web"
  Role role = Role::Tel;        // the servers that take it (jb: through the router pool)
  double peak_per_hour = 0;     // arrivals per hour at the profile's peak, load 1.0
  std::vector<double> profile;  // 24 hourly factors of the peak, in [0, 1]; empty: flat
  Duration handle{Duration::Shape::Lognormal, 180, 0.5, {}};   // how long one call/session holds a slot
  Duration patience{Duration::Shape::Lognormal, 60, 0.5, {}};  // how long one waits in the queue before abandoning
};

struct Parameters {
  bool app_heals_after_share = false;  // DOMAIN.md 6 open: needs a restart after a remount
  bool app_heals_after_db = true;      // JDBC pools reconnect by themselves
  bool services_autostart = true;      // mysql, samba, applications enabled at boot
  std::map<std::string, Duration> durations;  // key "<kind>.<event>" or "<alias>/<component>.<event>"
  std::map<std::string, double> capacities;   // key: role or alias -> concurrent sessions/calls
  std::vector<WorkloadClass> workload;        // simulator: calls and web sessions
  // Capacity of a host (its alias entry, else its first role with an entry, else 0).
  double capacity_of(const Host& host) const;
};

struct Topology {
  std::string name;
  std::string source_file;
  std::string description;
  std::vector<Host> hosts;
  // Where /home/jtel/shared is served from: a host alias carrying role store
  // (non-redundant) or the storage cluster's name.
  std::string share_server;
  std::optional<StorageCluster> storage_cluster;
  std::vector<ReplicationLink> replication;
  std::vector<HazelcastGroup> hazelcast;
  std::vector<RouterPool> pools;
  Parameters params;
  // Severities of findings accepted for every procedure on this topology
  // (added to each procedure's own "accepts"), e.g. {"warning"}.
  std::vector<std::string> accepts;

  const Host* find_host(std::string_view alias) const;
  bool has_role(std::string_view alias, Role role) const;

  // alias -> position in hosts, for find_host (a scan per lookup made big
  // topologies quadratic). Filled by the parser and index_hosts(); a lookup
  // checks the position it finds and scans when the index is stale or missing
  // (a Topology built or changed by hand), so it is never wrong, only slower.
  struct AliasHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::size_t, AliasHash, std::equal_to<>> host_index;
  void index_hosts();
};

// Reads and validates a topology file; throws InputError on any problem.
Topology load_topology(const std::string& path);
// Same from text (file name used in messages only).
Topology parse_topology(const std::string& text, const std::string& file_name);

}  // namespace acdsim::model
