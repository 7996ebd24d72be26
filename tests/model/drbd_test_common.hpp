// What the DRBD machine's tests share (drbd_test.cpp, drbd_outdated_test.cpp): the fact
// bits by name, a machine driven along a path, and paths to each connection state.
#pragma once

#include <memory>

#include "acdsim/model/drbd.hpp"
#include "machine_test_support.hpp"

namespace acdsim::model::drbd_test {

using drbd::Event;
using drbd::Pred;
using test_support::id;
using Path = test_support::Path<Event>;

inline constexpr FactBits kPeerPrimary = drbd::fact::kPeerPrimary;
inline constexpr FactBits kPeerLinked = drbd::fact::kPeerLinked;
inline constexpr FactBits kWaiting = drbd::fact::kPeerWaiting;
inline constexpr FactBits kPeerDiverged = drbd::fact::kPeerDiverged;
inline constexpr FactBits kPeerUpToDate = drbd::fact::kPeerUpToDate;
inline constexpr FactBits kPeerDiscard = drbd::fact::kPeerDiscard;
inline constexpr FactBits kAllowTwo = drbd::fact::kAllowTwoPrimaries;
inline constexpr FactBits kFencing = drbd::fact::kFencing;

// A machine driven along path from the initial state (every step must be Taken).
inline std::unique_ptr<Machine> reach(const Path& path) { return test_support::machine_in(drbd::kind(), path); }

// Paths to one representative of each connection state (Secondary, nothing set).
inline const Path kWF = {{Event::Up}};
inline const Path kStandAlone = {{Event::Up}, {Event::Disconnect}};
inline const Path kConnected = {{Event::Up}, {Event::Handshake, kWaiting | kPeerUpToDate}};
inline const Path kSyncSource = {{Event::Up}, {Event::Handshake, kWaiting}};
inline const Path kSyncTarget = {{Event::Up}, {Event::Handshake, kWaiting | kPeerDiverged}};
inline const Path kPromoteMount = {{Event::Primary}, {Event::Mount}};

}  // namespace acdsim::model::drbd_test
