// What the DRBD machine's tests share (drbd_test.cpp, drbd_states_test.cpp,
// drbd_outdated_test.cpp): the fact bits by name, a machine driven along a path, paths to
// each connection state, and state names read into their words (Parsed).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

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
inline constexpr FactBits kAllFacts = (1u << 8) - 1;

inline std::string event_name(Event e) { return std::string(drbd::kind().events[id(e)]); }

// A machine driven along path from the initial state (every step must be Taken).
inline std::unique_ptr<Machine> reach(const Path& path) { return test_support::machine_in(drbd::kind(), path); }

// Paths to one representative of each connection state (Secondary, nothing set).
inline const Path kWF = {{Event::Up}};
inline const Path kStandAlone = {{Event::Up}, {Event::Disconnect}};
inline const Path kConnected = {{Event::Up}, {Event::Handshake, kWaiting | kPeerUpToDate}};
inline const Path kSyncSource = {{Event::Up}, {Event::Handshake, kWaiting}};
inline const Path kSyncTarget = {{Event::Up}, {Event::Handshake, kWaiting | kPeerDiverged}};
inline const Path kPromoteMount = {{Event::Primary}, {Event::Mount}};

// An independent reading of the header's handshake list, applied to parsed state names.
struct Parsed {
  std::string conn, role, disk;
  bool mounted = false, diverged = false, split_brain = false, discard = false, lost_writes = false, frozen = false;

  static Parsed of(const std::string& name) {
    Parsed p;
    std::istringstream in(name);
    in >> p.conn >> p.role >> p.disk;
    for (std::string w; in >> w;) {
      if (w == "mounted") p.mounted = true;
      else if (w == "diverged") p.diverged = true;
      else if (w == "split-brain") p.split_brain = true;
      else if (w == "discard") p.discard = true;
      else if (w == "lost-writes") p.lost_writes = true;
      else if (w == "frozen") p.frozen = true;
      else ADD_FAILURE() << "unknown word " << w << " in " << name;
    }
    return p;
  }
  std::string render() const {
    std::string s = conn + " " + role + " " + disk;
    if (mounted) s += " mounted";
    if (diverged) s += " diverged";
    if (split_brain) s += " split-brain";
    if (discard) s += " discard";
    if (lost_writes) s += " lost-writes";
    if (frozen) s += " frozen";
    return s;
  }
};

}  // namespace acdsim::model::drbd_test
