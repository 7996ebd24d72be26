// The Planner behind planner::plan, shared by its three files: planner.cpp
// (the check-and-refine rounds, the final touches), planner_refine.cpp (what
// reads what, the order between hosts, refinement from a counterexample) and
// planner_emit.cpp (the procedure file of the current candidate).
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "acdsim/model/system.hpp"
#include "acdsim/planner/planner.hpp"
#include "operator_path.hpp"

namespace acdsim::planner::detail {

using model::ComponentIndex;
using model::FactRule;
using model::Term;

// A host that must wait for what it reads (startup), or stop before it (shutdown).
struct Need {
  std::string dependent;
  std::vector<std::string> providers;  // sorted, unique
  bool any = false;                    // the fact holds when any atom does
  std::vector<std::string> atoms;      // "acd-store/samba running"
  std::vector<Term> terms;             // the atoms as model terms
  std::string invariant, because;
};

// An extra operator action before some hosts stop (shutdown repairs).
struct PreStep {
  std::string id, action, target, host;  // host: where the target lives
  std::vector<std::string> gates;        // hosts whose step comes after it
  std::string invariant, because;
  bool on_trial = false;                 // removed again if its violation comes back
};

// Operator commands a startup wait needs (booting its providers is not enough).
struct Commands {
  std::size_t need;                       // index in needs_: the wait they lead to
  std::vector<OperatorCommand> commands;  // in order, each issued after the previous
  std::string because;
};

// A repair under trial: if the same violation comes back, the next action is tried.
struct Trial {
  std::string key;                        // invariant + subject it should remove
  std::vector<std::string> actions_left;  // candidates not tried yet
  std::vector<ComponentIndex> targets;
  std::vector<std::string> gates;
  std::string invariant, because;
};

inline std::string sanitize(std::string s) {
  for (char& ch : s)
    if (ch == '/') ch = ':';
  return s;
}

class Planner {
 public:
  Planner(const model::Topology& topology, Kind kind, const Options& options)
      : topo_(topology), sys_(topology), kind_(kind), opt_(options) {
    for (std::size_t i = 0; i < topo_.hosts.size(); ++i) host_rank_[topo_.hosts[i].alias] = i;
  }

  Plan run();

 private:
  void note(Plan& plan, std::string line) const;

  // ---- what reads what (planner_refine.cpp; the atoms in planner_emit.cpp) ----
  std::string host_of(ComponentIndex c) const { return sys_.component(c).host; }
  std::string path_of(ComponentIndex c) const { return sys_.component(c).path(); }
  std::vector<std::string> healthy_atoms(const std::string& host) const;
  std::vector<std::string> settled_atoms(const std::string& host, const std::set<std::string>& started) const;
  std::vector<std::string> ready_atoms(const std::string& host) const;
  std::string atom(const Term& t) const;
  bool mutual(ComponentIndex reader, ComponentIndex read) const;
  std::vector<Term> external_terms(ComponentIndex c, const FactRule& rule) const;
  bool read_is_mutual(ComponentIndex c, const std::vector<Term>& ext) const;
  std::string fact_text(ComponentIndex c, std::size_t bit, const FactRule& rule, const std::vector<Term>& ext) const;

  // ---- the order between hosts (planner_refine.cpp) ----
  bool depends(const std::string& a, const std::string& b, std::set<std::string>& seen) const;
  bool would_cycle(const Need& n) const;
  bool known(const Need& n) const;
  Need need_of(ComponentIndex c, std::size_t bit, const FactRule& rule, const std::vector<Term>& ext,
               const std::string& invariant) const;

  // ---- refinement from a counterexample (planner_refine.cpp) ----
  std::vector<ComponentIndex> subject_components(const std::string& subject) const;
  std::string refine(const checker::Violation& v);
  std::string serialize(ComponentIndex seed, const std::string& invariant);
  std::string add_commands(const checker::Violation& v);
  std::string start_trial(const std::string& key, const std::vector<std::pair<ComponentIndex, std::size_t>>& reads,
                          const std::string& invariant);
  std::string retry_trial();

  // ---- the procedure file (planner_emit.cpp) ----
  nlohmann::ordered_json emit(Plan& plan);

  // ---- once proven, and every check (planner.cpp) ----
  void drop_unneeded_waits(Plan& plan) const;
  void add_timeouts(Plan& plan) const;
  checker::Result check(const nlohmann::ordered_json& procedure) const;

  const model::Topology& topo_;
  model::System sys_;
  Kind kind_;
  Options opt_;
  std::map<std::string, std::size_t> host_rank_;
  std::vector<Need> needs_;
  std::vector<PreStep> pre_;
  std::optional<Trial> trial_;
  std::vector<Commands> commands_;
  std::map<std::size_t, std::string> need_check_;  // need index -> the id of the check that waits for it
  StatePredicate violates_;
  // How constrained the plan is, raised while the checker cannot finish:
  // 0 fully parallel; 1 layer barriers (up/off); startup: 2 barriers wait for
  // healthy services, 3 also one group of alike hosts at a time in a layer, each
  // once the previous group settled, 4 one host at a time; shutdown: 2 one host
  // at a time in a layer.
  std::size_t stage_ = 0;
};

}  // namespace acdsim::planner::detail
