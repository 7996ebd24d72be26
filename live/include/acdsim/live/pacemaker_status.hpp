// The whole of a `pcs status` / `crm_mon -1` text output (pacemaker 1.0 to
// 2.1, pcs 0.9 to 0.11), read once for every node it lists. Each fact is
// read only when the output proves it; anything partial, failed, unmanaged,
// in maintenance or not recognised is Unknown with the reason.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace acdsim::live {

enum class Tri : std::uint8_t { Unknown, No, Yes };

struct PacemakerNode {
  enum class Member : std::uint8_t { Unknown, Offline, Standby, Online } member = Member::Unknown;
  Tri active = Tri::Unknown;        // Yes: runs resources (Started / Promoted / Master), none partial or failed
  Tri failed_start = Tri::Unknown;  // Yes: a failed start on this node (pacemaker keeps it off the node)
  int resources = 0;                // Started / Promoted / Master lines on this node
  std::string why;                  // why member or active is Unknown
};

struct PacemakerStatus {
  bool known = false;            // false: the output as a whole was not understood (why)
  bool cluster_running = false;  // false: pcs/crm_mon say the cluster stack does not run here
  Tri quorum = Tri::Unknown;     // from "partition with quorum" / "partition WITHOUT quorum"
  std::map<std::string, PacemakerNode, std::less<>> nodes;  // every cluster node listed
  std::string why;
};

PacemakerStatus read_pacemaker_status(std::string_view output, int exit_status);

}  // namespace acdsim::live
