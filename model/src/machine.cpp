#include "acdsim/model/machine.hpp"

namespace acdsim::model {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::Taken: return "taken";
    case Outcome::NotEnabled: return "not enabled";
    case Outcome::GuardRejected: return "guard rejected";
  }
  return "?";
}

}  // namespace acdsim::model
