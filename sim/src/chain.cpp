#include "chain.hpp"

#include <algorithm>

namespace acdsim::sim {

int CauseLog::add(std::string what, std::string label, SimTime ready, SimTime at, int cause) {
  records_.push_back(Record{std::move(what), std::move(label), ready, at, cause});
  return last();
}

std::vector<ChainLink> CauseLog::chain(int end, SimTime origin) const {
  std::vector<ChainLink> out;
  // causes always come earlier in the log, so the walk ends
  for (int i = end; i >= 0 && i < static_cast<int>(records_.size()); i = records_[static_cast<std::size_t>(i)].cause) {
    const Record& r = records_[static_cast<std::size_t>(i)];
    out.push_back(ChainLink{r.what, r.label, to_seconds(r.ready - origin), to_seconds(r.at - origin)});
    if (r.cause >= i) break;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace acdsim::sim
