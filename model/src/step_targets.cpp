#include "acdsim/model/step_targets.hpp"

namespace acdsim::model {

std::vector<std::string> expand_target(const Topology& topology, const Step& step) {
  if (step.target.empty()) return {};
  const std::string_view prefix = "role:";
  if (step.target.rfind(prefix, 0) != 0) return {step.target};
  const std::string role_name = step.target.substr(prefix.size());
  std::vector<std::string> out;
  if (auto role = role_by_name(role_name))
    for (const Host& h : topology.hosts)
      if (topology.has_role(h.alias, *role)) out.push_back(h.alias);
  return out;
}

}  // namespace acdsim::model
