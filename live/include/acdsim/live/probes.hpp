// Parsers of real command output. Each returns what it could read, or says
// the output was not understood (known == false, with why): garbled or
// unexpected output is reported as unknown, never guessed.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace acdsim::live {

struct Unknown {
  std::string why;  // empty when known
};

// `systemctl is-active UNIT` (one word) or `mysqladmin ping`.
struct ServiceStatus {
  enum class State : std::uint8_t { Unknown, Active, Inactive, Activating, Deactivating, Failed } state = State::Unknown;
  std::string why;  // for Unknown
};
ServiceStatus parse_service_status(std::string_view output, int exit_status);

// `SHOW SLAVE STATUS\G` / `SHOW REPLICA STATUS\G` (mysql client).
struct ReplicaStatus {
  enum class Result : std::uint8_t { Unknown, ServerDown, NotConfigured, Status } result = Result::Unknown;
  std::string io_running;   // "Yes", "No", "Connecting"
  std::string sql_running;  // "Yes", "No"
  std::string io_state;     // Slave_IO_State
  std::string last_io_error, last_sql_error;
  std::string why;
};
ReplicaStatus parse_replica_status(std::string_view output, int exit_status);

// `mountpoint PATH` or `findmnt [-n] PATH`.
struct MountStatus {
  enum class State : std::uint8_t { Unknown, Mounted, NotMounted } state = State::Unknown;
  std::string fstype;  // from findmnt when shown
  std::string why;
};
MountStatus parse_mount_status(std::string_view output, int exit_status);

// `curl -s -o /dev/null -w '%{http_code}' URL`: curl's exit status and the code.
struct HttpStatus {
  enum class State : std::uint8_t { Unknown, Ok, Unavailable, Refused } state = State::Unknown;
  int code = 0;  // 0: no HTTP answer
  std::string why;
};
HttpStatus parse_http_status(std::string_view output, int exit_status);

// One DRBD resource, from /proc/drbd (8.4) or `drbdadm status` (9).
struct DrbdStatus {
  bool known = false;
  bool configured = false;  // false: the resource/minor is not up
  std::string connection;   // 8.4 names: Connected, WFConnection, StandAlone, SyncSource, ...
  std::string role, peer_role;  // Primary, Secondary, Unknown
  std::string disk, peer_disk;  // UpToDate, Inconsistent, DUnknown, ...
  std::string why;
};
// /proc/drbd: the line of that minor; a minor not listed is "not configured".
DrbdStatus parse_proc_drbd(std::string_view output, int minor);
// drbdadm status: the block of that resource (one peer).
DrbdStatus parse_drbdadm_status(std::string_view output, std::string_view resource, int exit_status);
// Either format, recognised by its content.
DrbdStatus parse_drbd_any(std::string_view output, std::string_view resource, int minor, int exit_status);

// `pcs status` (pacemaker 1.1 and 2.x layouts), seen for one node.
struct PcsNodeStatus {
  bool known = false;
  bool cluster_running = false;  // false: "cluster is not currently running on this node"
  bool online = false, standby = false, offline = false;
  bool quorate = false;
  int resources_started = 0;  // resources Started / Promoted / Master on this node
  bool failed_start = false;  // a Failed (Resource) Action "..._start_0 on NODE"
  std::string why;
};
PcsNodeStatus parse_pcs_status(std::string_view output, std::string_view node, int exit_status);

// `systemctl is-system-running` on the host (it answers only once ssh does).
struct SystemState {
  enum class State : std::uint8_t { Unknown, Booting, Up, Stopping } state = State::Unknown;
  std::string why;
};
SystemState parse_system_running(std::string_view output, int exit_status);

// ssh's own refusal (host key, authentication): a configuration problem, not
// a VM that is down.
bool ssh_refused(std::string_view output);

// `virsh domstate VM`.
struct VmPower {
  enum class State : std::uint8_t { Unknown, Running, ShutOff, ShuttingDown, Other } state = State::Unknown;
  std::string why;
};
VmPower parse_virsh_domstate(std::string_view output, int exit_status);

}  // namespace acdsim::live
