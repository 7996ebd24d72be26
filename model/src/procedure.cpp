// Reading and validating procedure files (format: docs/formats.md).
#include "acdsim/model/procedure.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "acdsim/model/actions.hpp"
#include "acdsim/model/components.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/kinds.hpp"
#include "json_source.hpp"
#include "rollout.hpp"
#include "topology_names.hpp"

namespace acdsim::model {
namespace {

using json_input::join_names;
using json_input::Source;
using json_input::Range;
using json_input::Value;
namespace limits = json_input::limits;

constexpr std::string_view kFormat = "acdsim-procedure/1";
constexpr std::array<std::string_view, 6> kProcedureKinds = {"startup",  "shutdown",    "failover",
                                                             "failback", "maintenance", "rollout"};
constexpr std::string_view kRolePrefix = "role:";
constexpr std::string_view kClusterPrefix = "cluster:";

std::string q(std::string_view s) { return "\"" + std::string(s) + "\""; }

template <std::size_t N>
std::vector<std::string> names_of(const std::array<std::string_view, N>& a) {
  return {a.begin(), a.end()};
}
std::vector<std::string> names_of(std::span<const std::string_view> s) { return {s.begin(), s.end()}; }

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// [A-Za-z0-9][A-Za-z0-9_.:-]*
// The first of each id, in order. A set, not a scan per id: steps may list
// thousands of dependencies (a scan per id made 3,000 such steps take seconds).
std::vector<std::string> first_of_each(std::vector<std::string> ids) {
  std::unordered_set<std::string_view> seen;
  std::vector<bool> keep(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) keep[i] = seen.insert(ids[i]).second;
  if (seen.size() == ids.size()) return ids;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (keep[i]) out.push_back(std::move(ids[i]));
  return out;
}

bool is_step_id(std::string_view s) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  if (s.empty() || !alnum(s[0])) return false;
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return alnum(c) || c == '_' || c == '.' || c == ':' || c == '-'; });
}

void check_format(const Value& root) {
  root.require_object();
  const Value format = root.at("format");
  if (format.string() != kFormat) format.fail("expected " + q(kFormat) + ", got " + q(format.string()));
}

// A step while the procedure is being read: the step and where its parts were written.
struct RawStep {
  Step step;
  Value where;                    // the step object; for a generated "<phase>.done" the phase's wait
  std::optional<Value> id;        // nullopt for a generated step
  std::vector<Value> after_nodes;  // one per written "after" entry (the first ones of step.after)
  std::optional<std::string> generated_for;  // phase id of a generated step
};

class ProcedureParser {
 public:
  ProcedureParser(const Source& source, const Topology& topology)
      : src_(source), root_(source.root()), topo_(topology), components_(components_of(topology)) {}

  Procedure parse() {
    check_format(root_);
    root_.allow_keys({"format", "name", "description", "kind", "topology", "initial", "accepts", "readings", "steps",
                      "phases", "invariants", "rollout", "load"});
    p_.source_file = src_.file();
    p_.name = root_.at("name").nonempty_string();
    if (auto d = root_.find("description")) p_.description = d->string();
    const Value kind = root_.at("kind");
    p_.kind = kind.string();
    if (std::find(kProcedureKinds.begin(), kProcedureKinds.end(), p_.kind) == kProcedureKinds.end())
      kind.fail("unknown procedure kind " + q(p_.kind) + " (known: " + join_names(names_of(kProcedureKinds)) + ")");
    p_.topology_file = root_.at("topology").nonempty_string();
    parse_initial();
    if (auto a = root_.find("accepts")) p_.accepts = json_input::severities(*a);
    if (auto r = root_.find("readings"))
      for (const Value& v : r->array()) p_.readings.push_back(v.string());
    if (auto inv = root_.find("invariants"))
      for (const Value& v : inv->array()) p_.invariants.push_back(parse_invariant(v));

    if (auto l = root_.find("load")) {
      std::optional<double> load = l->is_string() ? load_by_name(l->string()) : std::optional<double>(l->number());
      if (!load || *load < 0) l->fail("expected a load: \"low\", \"peak\", \"over-peak\" or a number >= 0 (fraction of the peak)");
      l->check_range(*load, Range{0, limits::kMaxLoadFactor}, "a load (fraction of the peak)", l->json().dump());
      p_.load = load;
    }
    std::optional<Value> steps = root_.find("steps");
    std::optional<Value> phases = root_.find("phases");
    std::optional<Value> rollout = root_.find("rollout");
    if (steps && phases) phases->fail("\"steps\" and \"phases\" exclude each other: write the steps in one of them");
    if (rollout && (steps || phases))
      rollout->fail("\"rollout\" expands to the procedure's steps: write it instead of \"steps\" or \"phases\"");
    if (rollout) {
      parse_rollout(*rollout);
      list_ = *rollout;
    } else if (steps) {
      for (const Value& sv : steps->nonempty_array()) raw_.push_back(parse_step(sv, ""));
      list_ = *steps;
    } else if (phases) {
      parse_phases(*phases);
      list_ = *phases;
    } else {
      root_.fail("missing key \"steps\" (or \"phases\"); a rollout writes \"rollout\" instead");
    }
    check_dependencies();
    p_.steps.reserve(raw_.size());
    for (RawStep& r : raw_) {
      r.step.after = first_of_each(std::move(r.step.after));
      p_.steps.push_back(std::move(r.step));
    }
    return std::move(p_);
  }

 private:
  // ---- topology lookups -----------------------------------------------------

  std::vector<const ComponentRef*> on_host(std::string_view alias) const {
    std::vector<const ComponentRef*> out;
    for (const ComponentRef& c : components_)
      if (c.host == alias) out.push_back(&c);
    return out;
  }

  std::string component_names(std::string_view alias) const {
    std::vector<std::string> names;
    for (const ComponentRef* c : on_host(alias)) names.push_back(c->name);
    return join_names(names);
  }

  const ComponentRef* find_component(std::string_view alias, std::string_view name) const {
    for (const ComponentRef& c : components_)
      if (c.host == alias && c.name == name) return &c;
    return nullptr;
  }

  void require_host(const Value& at, const std::string& alias) const {
    if (!topo_.find_host(alias)) at.fail("unknown host " + q(alias) + " (known: " + join_names(host_aliases(topo_)) + ")");
  }

  // Hosts carrying the role named after "role:" in text (at least one).
  std::vector<std::string> role_hosts(const Value& at, std::string_view role_name) const {
    std::optional<Role> role = role_by_name(role_name);
    if (!role) {
      std::vector<std::string> roles;
      for (std::size_t i = 0; i < static_cast<std::size_t>(Role::Count); ++i)
        roles.emplace_back(to_string(static_cast<Role>(i)));
      at.fail("unknown role " + q(role_name) + " (known: " + join_names(roles) + ")");
    }
    std::vector<std::string> out;
    for (const Host& h : topo_.hosts)
      if (topo_.has_role(h.alias, *role)) out.push_back(h.alias);
    if (out.empty()) at.fail("no host of topology " + q(topo_.name) + " has role " + std::string(role_name));
    return out;
  }

  std::string kind_name(KindId kind) const { return std::string(kind_spec(kind).name); }

  // ---- header -------------------------------------------------------------

  void parse_initial() {
    if (auto i = root_.find("initial")) {
      const std::string& s = i->nonempty_string();
      if (s != "all_off" && s != "all_up" && !ends_with(s, ".json"))
        i->fail("expected \"all_off\", \"all_up\" or the path of a snapshot file (*.json), got " + q(s));
      p_.initial = s;
    } else {
      p_.initial = p_.kind == "startup" ? "all_off" : "all_up";
    }
  }

  // ---- steps --------------------------------------------------------------

  std::string what_it_targets(const ActionSpec& a) const {
    switch (a.target) {
      case TargetType::Host: return "targets a host";
      case TargetType::Component: return "needs a " + kind_name(a.kind) + " component";
      case TargetType::Cluster: return "targets the storage cluster (\"cluster:<name>\") or one of its nodes";
      case TargetType::None: break;
    }
    return "takes no target";
  }

  // A host alias as target of action a (context: " (role jb)" for role targets).
  void check_host_target(const ActionSpec& a, const Value& at, const std::string& alias,
                         const std::string& context) const {
    switch (a.target) {
      case TargetType::Host:
      case TargetType::None: return;
      case TargetType::Cluster: {
        if (!topo_.storage_cluster) at.fail("action " + std::string(a.name) + ": the topology has no storage_cluster");
        const auto& nodes = topo_.storage_cluster->nodes;
        if (std::find(nodes.begin(), nodes.end(), alias) == nodes.end())
          at.fail("host " + q(alias) + context + " is not a node of storage cluster " + q(topo_.storage_cluster->name) +
                  " (nodes: " + join_names(nodes) + "); action " + std::string(a.name) + " " + what_it_targets(a));
        return;
      }
      case TargetType::Component: {
        std::vector<std::string> matching;
        for (const ComponentRef* c : on_host(alias))
          if (c->kind == a.kind) matching.push_back(c->path());
        if (matching.empty())
          at.fail("host " + q(alias) + context + " has no " + kind_name(a.kind) + " component for action " +
                  std::string(a.name) + " (it has: " + component_names(alias) + ")");
        if (matching.size() > 1)
          at.fail("host " + q(alias) + context + " has several " + kind_name(a.kind) + " components; name one: " +
                  join_names(matching));
        return;
      }
    }
  }

  void check_target(const ActionSpec& a, const Value& at, const std::string& target) const {
    const std::string action(a.name);
    if (starts_with(target, kClusterPrefix)) {
      if (a.target != TargetType::Cluster)
        at.fail("action " + action + " " + what_it_targets(a) +
                ", got a cluster; \"cluster:\" targets suit pcs_cluster_start, pcs_cluster_stop and "
                "pcs_resource_cleanup");
      if (!topo_.storage_cluster) at.fail("the topology has no storage_cluster");
      const std::string name = target.substr(kClusterPrefix.size());
      if (name != topo_.storage_cluster->name)
        at.fail("unknown cluster " + q(name) + " (known: " + topo_.storage_cluster->name + ")");
      return;
    }
    if (starts_with(target, kRolePrefix)) {
      const std::string role = target.substr(kRolePrefix.size());
      for (const std::string& alias : role_hosts(at, role)) check_host_target(a, at, alias, " (role " + role + ")");
      return;
    }
    if (const std::size_t slash = target.find('/'); slash != std::string::npos) {
      const std::string alias = target.substr(0, slash);
      const std::string name = target.substr(slash + 1);
      require_host(at, alias);
      const ComponentRef* c = find_component(alias, name);
      if (!c) at.fail("host " + q(alias) + " has no component " + q(name) + " (it has: " + component_names(alias) + ")");
      if (a.target != TargetType::Component)
        at.fail("action " + action + " " + what_it_targets(a) + ", got the component " + q(target) + ": write " +
                q(alias));
      if (c->kind != a.kind)
        at.fail("action " + action + " needs a " + kind_name(a.kind) + " component, got " + q(target) + ", a " +
                kind_name(c->kind));
      return;
    }
    require_host(at, target);
    check_host_target(a, at, target, "");
  }

  // One atom "<subject> [not] <predicate>", appended (a role atom gives one per host).
  void parse_atom(const Value& v, Condition::Mode mode, std::vector<ConditionAtom>& out) const {
    const std::string& text = v.string();
    std::vector<std::string> words;
    std::string word;
    for (char c : text + " ") {
      if (c == ' ' || c == '\t') {
        if (!word.empty()) words.push_back(std::move(word));
        word.clear();
      } else {
        word += c;
      }
    }
    const bool negated = words.size() == 3 && words[1] == "not";
    if (words.size() != 2 && !negated)
      v.fail("expected \"<component> [not] <predicate>\", e.g. \"acd-dbm/mysql running\", \"acd-dbm up\" or "
             "\"role:jb/jboss running\", got " + q(text));
    const std::string& subject = words[0];
    const std::string& predicate = words.back();

    std::vector<const ComponentRef*> comps;
    if (starts_with(subject, kRolePrefix)) {
      const std::string rest = subject.substr(kRolePrefix.size());
      const std::size_t slash = rest.find('/');
      const std::string role = rest.substr(0, slash);
      const std::string name = slash == std::string::npos ? "vm" : rest.substr(slash + 1);
      const std::vector<std::string> hosts = role_hosts(v, role);
      if (mode == Condition::Mode::Any)
        v.fail("a role atom means every host with the role, which \"any\" cannot express: list the hosts' atoms");
      for (const std::string& alias : hosts) {
        const ComponentRef* c = find_component(alias, name);
        if (!c)
          v.fail("host " + q(alias) + " (role " + role + ") has no component " + q(name) + " (it has: " +
                 component_names(alias) + ")");
        comps.push_back(c);
      }
    } else {
      const std::size_t slash = subject.find('/');
      const std::string alias = subject.substr(0, slash);
      const std::string name = slash == std::string::npos ? "vm" : subject.substr(slash + 1);
      require_host(v, alias);
      const ComponentRef* c = find_component(alias, name);
      if (!c) v.fail("host " + q(alias) + " has no component " + q(name) + " (it has: " + component_names(alias) + ")");
      comps.push_back(c);
    }
    const auto predicates = kind_spec(comps.front()->kind).predicates;
    if (std::find(predicates.begin(), predicates.end(), predicate) == predicates.end())
      v.fail("unknown predicate " + q(predicate) + " of " + comps.front()->path() + ", a " +
             kind_name(comps.front()->kind) + " (known: " + join_names(names_of(predicates)) + ")");
    std::string trimmed = words[0];
    for (std::size_t i = 1; i < words.size(); ++i) trimmed += " " + words[i];
    for (const ComponentRef* c : comps) out.push_back(ConditionAtom{c->path(), predicate, negated, trimmed});
  }

  Condition parse_condition(const Value& v) const {
    Condition c;
    std::vector<Value> items;
    if (v.is_string()) {
      items.push_back(v);
    } else if (v.is_array()) {
      items = v.nonempty_array();
    } else if (v.is_object()) {
      v.allow_keys({"all", "any"});
      const auto members = v.members();
      if (members.size() != 1) v.fail("expected exactly one of \"all\" or \"any\"");
      if (members.front().first == "any") c.mode = Condition::Mode::Any;
      items = members.front().second.nonempty_array();
    } else {
      v.fail("expected a condition: \"<component> [not] <predicate>\", an array of them, {\"all\": [...]} or "
             "{\"any\": [...]}, got " + v.type_name());
    }
    for (const Value& item : items) parse_atom(item, c.mode, c.atoms);
    return c;
  }

  UserInvariant parse_invariant(const Value& v) const {
    v.allow_keys({"id", "severity", "reason", "fix", "when", "then"});
    UserInvariant u;
    u.json_path = v.pointer();
    const Value id = v.at("id");
    u.id = id.string();
    if (!is_step_id(u.id)) id.fail("expected an invariant id of letters, digits, '-', '_', '.' and ':', got " + q(u.id));
    for (const UserInvariant& other : p_.invariants)
      if (other.id == u.id) id.fail("duplicate invariant id " + q(u.id) + " (first at " + other.json_path + ")");
    u.severity = json_input::severity(v.at("severity"));
    u.reason = v.at("reason").nonempty_string();
    if (auto f = v.find("fix")) u.fix = f->string();
    u.when = parse_condition(v.at("when"));
    u.then = parse_condition(v.at("then"));
    return u;
  }

  double parse_timeout(const Value& v) const {
    return v.duration(Range{0, limits::kMaxDurationS, /*min_open=*/true});
  }

  RawStep parse_step(const Value& v, const std::string& phase) const {
    v.allow_keys({"id", "action", "target", "after", "wait", "timeout", "note"});
    RawStep r{Step{}, v, v.at("id"), {}, std::nullopt};
    Step& s = r.step;
    s.json_path = v.pointer();
    s.phase = phase;
    s.id = r.id->string();
    if (!is_step_id(s.id))
      r.id->fail("expected a step id of letters, digits and _ . : - (starting with a letter or digit), got " + q(s.id));
    const Value action = v.at("action");
    s.action = action.string();
    const ActionSpec* spec = find_action(s.action);
    if (!spec) {
      std::vector<std::string> known;
      for (const ActionSpec& a : all_actions()) known.emplace_back(a.name);
      action.fail("unknown action " + q(s.action) + " (known: " + join_names(known, 64) + ")");
    }
    std::optional<Value> target = v.find("target");
    if (spec->target == TargetType::None) {
      if (target)
        target->fail("action " + s.action + " takes no target: name the components in its \"wait\" condition");
    } else {
      if (!target) v.fail("missing key \"target\" (action " + s.action + " " + what_it_targets(*spec) + ")");
      s.target = target->nonempty_string();
      check_target(*spec, *target, s.target);
    }
    if (auto after = v.find("after"))
      for (const Value& a : after->array()) {
        const std::string& id = a.string();
        r.after_nodes.push_back(a);
        s.after.push_back(id);
      }
    std::optional<Value> wait = v.find("wait");
    if (wait) s.wait = parse_condition(*wait);
    if (spec->target == TargetType::None && !wait)
      v.fail("a \"check\" step needs a \"wait\" condition (it completes when the condition holds)");
    if (auto timeout = v.find("timeout")) {
      if (!wait) timeout->fail("\"timeout\" needs a \"wait\" (it bounds the wait)");
      s.timeout_s = parse_timeout(*timeout);
    }
    if (auto note = v.find("note")) s.note = note->string();
    return r;
  }

  static void add_after(Step& s, const std::vector<std::string>& ids) {
    std::unordered_set<std::string_view> listed(s.after.begin(), s.after.end());
    std::vector<std::string> more;
    for (const std::string& id : ids)
      if (listed.insert(id).second) more.push_back(id);
    s.after.insert(s.after.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }

  void parse_phases(const Value& phases) {
    std::map<std::string, std::string> seen;  // phase id -> pointer
    std::vector<std::string> previous;        // what completes the previous phase
    for (const Value& pv : phases.nonempty_array()) {
      pv.allow_keys({"id", "name", "steps", "wait", "timeout", "note"});
      const Value idv = pv.at("id");
      const std::string id = idv.string();
      if (!is_step_id(id))
        idv.fail("expected a phase id of letters, digits and _ . : - (starting with a letter or digit), got " + q(id));
      if (auto [it, fresh] = seen.emplace(id, pv.pointer()); !fresh)
        idv.fail("duplicate phase id " + q(id) + " (first at " + it->second + ")");
      std::string name = id;
      if (auto n = pv.find("name")) name = n->string();
      p_.phases.push_back({id, name});
      if (auto note = pv.find("note")) (void)note->string();
      std::vector<std::string> mine;
      std::optional<Value> steps = pv.find("steps");
      if (steps)
        for (const Value& sv : steps->array()) {
          RawStep r = parse_step(sv, id);
          add_after(r.step, previous);
          mine.push_back(r.step.id);
          raw_.push_back(std::move(r));
        }
      std::optional<Value> wait = pv.find("wait");
      std::optional<Value> timeout = pv.find("timeout");
      if (timeout && !wait) timeout->fail("\"timeout\" needs a \"wait\" (it bounds the wait)");
      if (mine.empty() && !wait) pv.fail("a phase needs \"steps\" or a \"wait\"");
      if (wait) {
        RawStep done{Step{}, *wait, std::nullopt, {}, id};
        done.step.id = id + ".done";
        done.step.action = "check";
        done.step.after = mine.empty() ? previous : mine;
        done.step.wait = parse_condition(*wait);
        if (timeout) done.step.timeout_s = parse_timeout(*timeout);
        done.step.phase = id;
        done.step.json_path = wait->pointer();
        mine.push_back(done.step.id);
        raw_.push_back(std::move(done));
      }
      previous = std::move(mine);
    }
  }

  // ---- rollout block (rollout.cpp) ------------------------------------------

  void parse_rollout(const Value& v) {
    Rollout r = read_rollout(v, topo_);
    for (Step& step : rollout_steps(r, v.pointer()))
      raw_.push_back(RawStep{std::move(step), v, std::nullopt, {}, std::string("rollout")});
    p_.rollout = std::move(r);
  }

  // ---- dependencies -------------------------------------------------------

  void check_dependencies() const {
    // Hashed, and each dependency looked up once: 3,000 steps may list millions.
    std::unordered_map<std::string_view, std::size_t> index;
    index.reserve(raw_.size());
    for (std::size_t i = 0; i < raw_.size(); ++i) {
      const RawStep& r = raw_[i];
      auto [it, fresh] = index.emplace(r.step.id, i);
      if (fresh) continue;
      const std::string first = raw_[it->second].step.json_path;
      if (r.generated_for)
        r.where.fail("step id " + q(r.step.id) + ", generated for the wait of phase " + q(*r.generated_for) +
                     ", is already used at " + first);
      r.id->fail("duplicate step id " + q(r.step.id) + " (first at " + first + ")");
    }
    // Written dependencies: each names an existing step other than itself.
    for (const RawStep& r : raw_)
      for (std::size_t j = 0; j < r.after_nodes.size(); ++j) {
        const std::string& dep = r.step.after[j];
        if (!index.count(dep))
          r.after_nodes[j].fail("step " + q(r.step.id) + " depends on " + q(dep) + ", but no step has that id");
        if (dep == r.step.id) r.after_nodes[j].fail("step " + q(r.step.id) + " depends on itself");
      }
    // Cycles (reported before order, since a cycle always has a step listed too early).
    std::vector<std::vector<std::size_t>> deps(raw_.size());
    for (std::size_t i = 0; i < raw_.size(); ++i) {
      deps[i].reserve(raw_[i].step.after.size());
      for (const std::string& dep : raw_[i].step.after) deps[i].push_back(index.at(dep));
    }
    if (std::vector<std::size_t> cycle = find_cycle(deps); !cycle.empty()) {
      std::string text;
      for (std::size_t i : cycle) text += (text.empty() ? "" : " -> ") + raw_[i].step.id;
      list_->fail("dependency cycle: " + text);
    }
    for (std::size_t i = 0; i < raw_.size(); ++i)
      for (std::size_t j = 0; j < raw_[i].after_nodes.size(); ++j) {
        const std::string& dep = raw_[i].step.after[j];
        if (deps[i][j] > i)
          raw_[i].after_nodes[j].fail("step " + q(raw_[i].step.id) + " depends on " + q(dep) +
                                      ", which comes later in the file; list steps in dependency order");
      }
  }

  // A cycle as a list of step indices whose last equals its first; empty if none.
  // Searched from the steps in file order, following dependencies in the order written.
  [[gnu::noinline]] static std::vector<std::size_t> find_cycle(const std::vector<std::vector<std::size_t>>& deps) {
    enum class Mark : std::uint8_t { New, Open, Done };
    std::vector<Mark> mark(deps.size(), Mark::New);
    for (std::size_t start = 0; start < deps.size(); ++start) {
      if (mark[start] != Mark::New) continue;
      std::vector<std::pair<std::size_t, std::size_t>> stack{{start, 0}};  // node, next dependency
      mark[start] = Mark::Open;
      while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next == deps[node].size()) {
          mark[node] = Mark::Done;
          stack.pop_back();
          continue;
        }
        const std::size_t dep = deps[node][next++];
        if (mark[dep] == Mark::Open) {
          std::vector<std::size_t> cycle;
          std::size_t k = 0;
          while (stack[k].first != dep) ++k;
          for (; k < stack.size(); ++k) cycle.push_back(stack[k].first);
          cycle.push_back(dep);
          return cycle;
        }
        if (mark[dep] == Mark::New) {
          mark[dep] = Mark::Open;
          stack.emplace_back(dep, 0);
        }
      }
    }
    return {};
  }

  const Source& src_;
  Value root_;
  const Topology& topo_;
  std::vector<ComponentRef> components_;
  Procedure p_;
  std::vector<RawStep> raw_;
  std::optional<Value> list_;  // "/steps" or "/phases"
};

}  // namespace

std::optional<double> load_by_name(std::string_view text) {
  if (text == "low") return 0.3;
  if (text == "peak") return 1.0;
  if (text == "over-peak") return 1.3;
  try {
    std::size_t used = 0;
    const double v = std::stod(std::string(text), &used);
    if (used == text.size() && v >= 0) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

Procedure parse_procedure(const std::string& text, const std::string& file_name, const Topology& topology) {
  const Source source(text, file_name);
  return ProcedureParser(source, topology).parse();
}

Procedure load_procedure(const std::string& path, Topology* topology_out) {
  const Source source = Source::load(path);
  const Value root = source.root();
  check_format(root);
  const Value where = root.at("topology");
  const std::filesystem::path written(where.nonempty_string());
  const std::filesystem::path resolved =
      written.is_absolute() ? written : (std::filesystem::path(path).parent_path() / written).lexically_normal();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(resolved, ec))
    where.fail("topology file " + q(resolved.string()) + " not found (a relative path is relative to this file)");
  Topology topology = load_topology(resolved.string());
  Procedure procedure = ProcedureParser(source, topology).parse();
  if (topology_out) *topology_out = std::move(topology);
  return procedure;
}

}  // namespace acdsim::model
