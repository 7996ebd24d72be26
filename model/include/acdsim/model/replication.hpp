// One MySQL replication channel, seen from the replica (IO and SQL threads).
//
// States: Off (replica server not running), Connecting (IO thread
// "Connecting", retries every connect-retry = 60 s), Streaming (IO Yes),
// Stopped (STOP SLAVE by an operator). Attribute: sql_running (SQL thread).
//   Off        --server_up-->     Connecting  [!skip_slave_start]  (threads start with the server)
//   Off        --server_up-->     Stopped     [skip_slave_start]
//   Connecting --connected-->     Streaming   [master_running]     (environment, next retry)
//   Streaming  --master_lost-->   Connecting  [!master_running]    (master went away)
//   Connecting|Streaming --stop_slave--> Stopped
//   Stopped    --start_slave-->   Connecting  (sql_running = yes again)
//   any but Off --server_down-->  Off         (replica server stops or dies)
//   Streaming  --sql_error-->     Streaming, sql_running = no (fault; needs a person)
// Names: "Off", "Connecting", "Streaming", "Stopped", with " sql-stopped"
// appended while the SQL thread is not running.
#pragma once
#include "acdsim/model/machine.hpp"

namespace acdsim::model::replication {

enum class Event : EventId {
  ServerUp, Connected, MasterLost, StopSlave, StartSlave, ServerDown, SqlError, Count
};

namespace fact {
inline constexpr FactBits kMasterRunning = 1u << 0;   // the master's server is Running
inline constexpr FactBits kSkipSlaveStart = 1u << 1;  // replica configured with skip-slave-start
}

enum class Pred : PredicateId {
  Off, Connecting, IoRunning /* IO Yes */, Stopped, SqlRunning, Healthy /* IO Yes and SQL Yes */, Count
};

const KindSpec& kind();

}  // namespace acdsim::model::replication
