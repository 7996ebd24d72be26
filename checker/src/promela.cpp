// The Promela export (promela.hpp): the checker's compiled problem written out
// as one Promela process whose do-loop has one d_step per acdsim move.
//
// Globals: one byte per component (its local code), one per step (its status),
// the fault count, and `halt` (1: an invariant is violated, 2: a ready step's
// command is refused; a function of the others, so it adds no states). A move's
// d_step is guarded by halt == 0 and the move being enabled; it applies the
// move with the kind tables (facts from the state before), closes the waits in
// step order as close() does and sets halt. Halted states are not expanded,
// as in check's search for every violation, so with reductions off SPIN's
// "states, stored" equals check's states. Each d_step prints an "@acdsim"
// marker, which `spin -t` shows when replaying a trail.
#include "acdsim/checker/promela.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "acdsim/model/input_error.hpp"
#include "acdsim/model/vm.hpp"
#include "checker_impl.hpp"

namespace acdsim::checker {

struct PromelaAccess {
  using Impl = Checker::Impl;
  static const Impl& impl(const Checker& c) { return *c.impl_; }
};

namespace {

using Impl = PromelaAccess::Impl;
constexpr int kNone = 255;  // "no next code" in the temporaries

Options unreduced(Options o) {
  o.symmetry = false;
  o.partial_order = false;
  o.all_violations = true;
  return o;
}

std::string join(const std::vector<std::string>& parts, const char* op, const char* empty) {
  if (parts.empty()) return empty;
  if (parts.size() == 1) return parts[0];
  std::string out = "(";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? op : "") + parts[i];
  return out + ")";
}

// Text from the procedure inside a /* comment */: a "*/" in it would end the comment.
std::string comment(std::string text) {
  for (std::size_t at = 0; (at = text.find("*/", at)) != std::string::npos;) text.replace(at, 2, "* /");
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

std::string wrap(const std::string& e) { return e.front() == '(' ? e : "(" + e + ")"; }

class Writer {
 public:
  explicit Writer(const Impl& impl) : x_(impl) {
    for (model::ComponentIndex c = 0; c < x_.system.size(); ++c) {
      const Field& f = x_.model.field(c);
      by_field_[{f.word, f.shift}] = c;
    }
  }

  std::string model_text(const std::string& procedure_file, const Options& o) {
    std::ostringstream out;
    nlohmann::json header{{"procedure", procedure_file}, {"faults", o.faults}};
    nlohmann::json accept = nlohmann::json::array();
    for (Severity s : o.accepted) accept.push_back(std::string(to_string(s)));
    header["accept"] = accept;
    std::string json = header.dump();  // one line; "*/" cannot end the comment: "/" is escaped
    for (std::size_t at = 0; (at = json.find("*/", at)) != std::string::npos;) json.replace(at, 2, "*\\/");
    out << "/* acdsim-promela/1 " << json << " */\n";
    out << "/* " << comment(x_.procedure.name) << ": " << x_.system.size() << " components, " << x_.steps.size()
        << " steps, " << x_.model.environment_end() << " environment moves, "
        << (o.faults ? x_.model.faults_end() - x_.model.environment_end() : 0) << " fault moves, "
        << x_.properties.always.size() << " invariant clauses, " << x_.properties.goal.size()
        << " goal clauses.\n   Verify: spin -a THIS.pml && gcc -O2 -DSAFETY -DNOREDUCE -DBFS -o pan pan.c && ./pan -c0\n"
           "   (docs/checker.md, \"Re-verifying a verdict with SPIN\"). */\n\n";
    const Word* init = x_.initial.data();
    for (model::ComponentIndex c = 0; c < x_.system.size(); ++c)
      out << "byte c" << c << " = " << x_.model.field(c).read(init) << ";  /* " << comment(x_.system.component(c).path())
          << ": " << x_.system.table(c).name(static_cast<model::LocalCode>(x_.model.field(c).read(init))) << " */\n";
    for (std::uint32_t i = 0; i < x_.steps.size(); ++i)
      out << "byte s" << i << " = " << x_.steps[i].status.read(init) << ";  /* " << comment(x_.steps[i].label) << " */\n";
    if (o.faults) out << "byte nf = 0;  /* faults so far, at most " << o.faults << " */\n";
    std::vector<std::string> seen;
    std::vector<Impl::Found> found;
    int halt = x_.violated_in(init, seen, found, false) ? 1 : refused_any(init) ? 2 : 0;
    out << "byte halt = " << halt << ";  /* 1: an invariant violated, 2: a step refused */\n";
    std::size_t temps = 1;
    for (const auto& m : x_.model.moves()) temps = std::max<std::size_t>(temps, m.parts_end - m.parts_begin);
    // Not `hidden` (pan's BFS refuses those): zero again at the end of each move, so they add no states.
    out << "byte nx[" << temps << "];  /* next codes of a move's participants, 0 between moves */\n\n";

    // Enabledness of every move the search may take, as macros.
    const std::uint32_t moves_end = o.faults ? x_.model.faults_end() : x_.model.environment_end();
    std::vector<std::uint32_t> used;
    for (std::uint32_t m = 0; m < moves_end; ++m) used.push_back(m);
    for (const IrStep& s : x_.steps)
      if (s.move != kNoMove) used.push_back(s.move);
    std::ostringstream defs, body;
    for (const IrStep& s : x_.steps)
      if (s.move != kNoMove) reads_[s.move] = reads(s.move);
    for (std::uint32_t m : used) defs << "#define EN" << m << " (" << enabled(m) << ")\n";

    body << "active proctype acdsim() {\nend:\n  do\n";
    // Halted states: report and go nowhere (check does not expand them either).
    body << "  :: d_step { halt == 1 ->\n    if\n";
    for (std::uint32_t i = 0; i < x_.properties.always.size(); ++i)
      if (!accepted(x_.properties.always[i].spec))
        body << "    :: " << clause(x_.properties.always[i]) << " -> printf(\"@acdsim invariant " << i << "\\n\")\n";
    body << "    :: else -> skip\n    fi;\n    assert(0) }\n";
    if (!x_.accepted[static_cast<int>(Severity::ManualFix)]) {
      body << "  :: d_step { halt == 2 ->\n    if\n";
      for (std::uint32_t i = 0; i < x_.steps.size(); ++i)
        if (x_.steps[i].move != kNoMove)
          body << "    :: " << ready(i) << " && !EN" << x_.steps[i].move << " -> printf(\"@acdsim refused " << i
              << "\\n\")\n";
      body << "    :: else -> skip\n    fi;\n    assert(0) }\n";
    }
    for (std::uint32_t i = 0; i < x_.steps.size(); ++i) {
      const IrStep& s = x_.steps[i];
      if (s.move == kNoMove) continue;
      body << "  :: d_step { halt == 0 && " << ready(i) << " && EN" << s.move << " ->  /* " << comment(s.label) << " */\n";
      apply(body, s.move);
      body << "    s" << i << " = 1;\n";
      finish(body, s.move, i, "step " + std::to_string(i));
    }
    for (std::uint32_t m = 0; m < moves_end; ++m) {
      const bool fault = m >= x_.model.environment_end();
      body << "  :: d_step { halt == 0 && " << (fault ? "nf < " + std::to_string(o.faults) + " && " : "") << "EN" << m
          << " ->  /* " << comment(x_.model.moves()[m].move->label) << " */\n";
      apply(body, m);
      if (fault) body << "    nf++;\n";
      finish(body, m, kNoMove, (fault ? "fault " : "env ") + std::to_string(m));
    }
    // Where nothing can move: stuck, or a goal clause violated.
    std::vector<std::string> complete;
    for (std::uint32_t i = 0; i < x_.steps.size(); ++i)
      complete.push_back("s" + std::to_string(i) + " == " + std::to_string(x_.steps[i].done));
    body << "  :: d_step { timeout ->  /* spin warns of timeout in a d_step: here it is the guard, as meant */\n    if\n";
    if (!x_.accepted[static_cast<int>(Severity::Outage)])
      body << "    :: !" << wrap(join(complete, " && ", "1")) << " -> printf(\"@acdsim stuck\\n\"); assert(0)\n";
    for (std::uint32_t i = 0; i < x_.properties.goal.size(); ++i)
      if (!accepted(x_.properties.goal[i].spec))
        body << "    :: " << join(complete, " && ", "1") << " && " << clause(x_.properties.goal[i])
            << " -> printf(\"@acdsim goal " << i << "\\n\"); assert(0)\n";
    body << "    :: else -> skip\n    fi }\n";
    body << "  od\n}\n";
    // The fact macros last: applying a move may need more of them.
    for (const auto& [name, text] : facts_) out << "#define " << name << " (" << text << ")\n";
    out << defs.str() << "\n" << body.str();
    return out.str();
  }

 private:
  bool accepted(const InvariantSpec* spec) const { return x_.accepted[static_cast<int>(spec->severity)]; }

  bool refused_any(const Word* state) const {
    return !x_.accepted[static_cast<int>(Severity::ManualFix)] && x_.refused_step(state) != kNoMove;
  }

  model::ComponentIndex component_at(const Field& f) const {
    const auto it = by_field_.find({f.word, f.shift});
    if (it == by_field_.end()) throw std::logic_error("promela: a term on no component");
    return it->second;
  }

  // "c == a || lo <= c <= hi ..." for a set of codes of component c.
  std::string in_codes(model::ComponentIndex c, const std::vector<bool>& codes) const {
    const std::string v = "c" + std::to_string(c);
    std::vector<std::string> parts;
    std::size_t all = 0;
    for (std::size_t k = 0; k < codes.size();) {
      if (!codes[k]) { ++k; continue; }
      std::size_t end = k;
      while (end + 1 < codes.size() && codes[end + 1]) ++end;
      all += end - k + 1;
      if (end == k) parts.push_back(v + " == " + std::to_string(k));
      else if (end == k + 1) parts.push_back(v + " == " + std::to_string(k)), parts.push_back(v + " == " + std::to_string(end));
      else parts.push_back("(" + v + " >= " + std::to_string(k) + " && " + v + " <= " + std::to_string(end) + ")");
      k = end + 1;
    }
    if (all == codes.size()) return "1";
    return join(parts, " || ", "0");
  }

  std::string term(const CompiledTerm& t) const {
    const model::ComponentIndex c = component_at(t.field);
    std::vector<bool> codes(x_.system.table(c).size());
    for (std::size_t k = 0; k < codes.size(); ++k) codes[k] = t.codes.has(k);
    const std::string e = in_codes(c, codes);
    return t.negated ? "!" + (e.front() == '(' ? e : "(" + e + ")") : e;
  }

  std::string clause(const Clause& c) const {
    std::vector<std::string> parts;
    for (const CompiledTerm& t : c.terms) parts.push_back(term(t));
    return join(parts, " && ", "1");
  }

  // Fact bit b of component c as an expression (a macro FB<c>_<b>); "0" for a
  // bit no rule sets.
  std::string fact_bit(model::ComponentIndex c, std::size_t b) {
    const auto& rules = x_.system.fact_rules(c);
    if (b >= rules.size()) return "0";
    const model::FactRule& r = rules[b];
    std::vector<std::string> terms;
    for (const model::Term& t : r.terms) terms.push_back(term(x_.model.term(t)));
    std::string value;
    switch (r.mode) {
      case model::FactRule::Mode::False: return "0";
      case model::FactRule::Mode::True: return "1";
      case model::FactRule::Mode::Any: value = join(terms, " || ", "0"); break;
      case model::FactRule::Mode::All: value = join(terms, " && ", "1"); break;
      case model::FactRule::Mode::None: value = "!" + wrap(join(terms, " || ", "0")); break;
    }
    if (value == "0" || value == "1") return value;
    const std::string name = "FB" + std::to_string(c) + "_" + std::to_string(b);
    facts_.emplace(name, value);
    return name;
  }

  // "The facts of c are one of these combinations", over the bits that matter.
  std::string facts_in(model::ComponentIndex c, const std::vector<bool>& in) {
    std::vector<std::size_t> relevant;
    for (std::size_t b = 0; (std::size_t{1} << b) < in.size(); ++b)
      for (std::size_t f = 0; f < in.size(); ++f)
        if (in[f] != in[f ^ (std::size_t{1} << b)]) {
          relevant.push_back(b);
          break;
        }
    if (relevant.empty()) return in[0] ? "1" : "0";
    std::vector<std::string> bit;
    for (std::size_t b : relevant) bit.push_back(fact_bit(c, b));
    // Patterns of the relevant bits (the others do not matter), the fewer side as DNF.
    std::vector<bool> pattern(std::size_t{1} << relevant.size());
    std::size_t n = 0;
    for (std::size_t p = 0; p < pattern.size(); ++p) {
      std::size_t f = 0;
      for (std::size_t i = 0; i < relevant.size(); ++i)
        if (p >> i & 1) f |= std::size_t{1} << relevant[i];
      n += pattern[p] = in[f];
    }
    const bool negate = 2 * n > pattern.size();
    std::vector<std::string> any;
    for (std::size_t p = 0; p < pattern.size(); ++p) {
      if (pattern[p] == negate) continue;
      std::vector<std::string> all;
      for (std::size_t i = 0; i < relevant.size(); ++i)
        if (bit[i] != "1" && bit[i] != "0") all.push_back((p >> i & 1 ? "" : "!") + bit[i]);
        else if ((bit[i] == "1") != static_cast<bool>(p >> i & 1)) all.push_back("0");
      any.push_back(join(all, " && ", "1"));
    }
    const std::string e = join(any, " || ", "0");
    return negate ? "!" + wrap(e) : e;
  }

  // A move's participants on one component, in order, as one table over
  // (code, facts, host up) (apply(): each part reads the code the earlier
  // ones left, facts and host from the state before).
  enum : int { kRejected = -2, kNoFire = -1 };
  struct Group {
    model::ComponentIndex component;
    std::size_t combos;                       // fact combinations
    bool host = false;                        // some part needs its host up
    std::vector<std::vector<int>> outcome;    // [code][facts * 2 + up]: a code, kNoFire or kRejected
  };
  std::vector<Group> groups(std::uint32_t m) const {
    const model::Move& move = *x_.model.moves()[m].move;
    std::vector<Group> out;
    std::vector<std::vector<const model::Participant*>> parts;
    for (const model::Participant& p : move.participants) {
      std::size_t g = 0;
      while (g < out.size() && out[g].component != p.component) ++g;
      if (g == out.size()) {
        const KindTable& table = x_.system.table(p.component);
        out.push_back(Group{p.component, std::size_t{1} << table.spec().facts.size(), false, {}});
        parts.emplace_back();
      }
      out[g].host = out[g].host || p.needs_host_up;
      parts[g].push_back(&p);
    }
    for (std::size_t g = 0; g < out.size(); ++g) {
      const KindTable& table = x_.system.table(out[g].component);
      for (model::LocalCode code = 0; code < table.size(); ++code) {
        out[g].outcome.emplace_back();
        for (model::FactBits f = 0; f < out[g].combos; ++f)
          for (int up = 0; up < 2; ++up) {
            int now = code, result = kNoFire;
            for (const model::Participant* p : parts[g]) {
              const model::LocalCode next = p->needs_host_up && !up ? KindTable::kNotEnabled
                                            : table.next(static_cast<model::LocalCode>(now), p->event, f);
              if (next >= KindTable::kGuardRejected) {
                if (p->required) { result = kRejected; break; }
                continue;
              }
              now = result = next;
            }
            out[g].outcome.back().push_back(result);
          }
      }
    }
    return out;
  }
  std::string host_up(model::ComponentIndex c) const {
    const auto vm = *x_.system.vm_of(x_.system.component(c).host);
    return term(x_.model.term(model::Term{vm, static_cast<model::PredicateId>(model::vm::Pred::Up), false}));
  }
  // Where `want` holds of a group's outcome, over (facts, host up) for one code.
  std::string combos_where(const Group& g, const std::vector<int>& row, const std::function<bool(int)>& want) {
    std::vector<bool> up(g.combos), down(g.combos);
    for (std::size_t f = 0; f < g.combos; ++f) down[f] = want(row[2 * f]), up[f] = want(row[2 * f + 1]);
    auto facts = [&](const std::vector<bool>& in) { return facts_in(g.component, in); };
    if (!g.host || up == down) return facts(up);
    const std::string u = facts(up), d = facts(down), h = host_up(g.component);
    std::vector<std::string> any;
    if (u != "0") any.push_back(u == "1" ? h : "(" + h + " && " + u + ")");
    if (d != "0") any.push_back(d == "1" ? "!" + wrap(h) : "(!" + wrap(h) + " && " + d + ")");
    return join(any, " || ", "0");
  }
  // The group's outcome satisfies want in the current state.
  std::string group_where(const Group& g, const std::function<bool(int)>& want) {
    std::vector<bool> always(g.outcome.size(), false);
    std::vector<std::string> sometimes;
    for (std::size_t code = 0; code < g.outcome.size(); ++code) {
      const std::string e = combos_where(g, g.outcome[code], want);
      if (e == "1") always[code] = true;
      else if (e != "0") sometimes.push_back("(c" + std::to_string(g.component) + " == " + std::to_string(code) + " && " + e + ")");
    }
    std::vector<std::string> any;
    if (std::find(always.begin(), always.end(), true) != always.end()) any.push_back(in_codes(g.component, always));
    any.insert(any.end(), sometimes.begin(), sometimes.end());
    return join(any, " || ", "0");
  }

  std::string enabled(std::uint32_t m) {
    const model::Move& move = *x_.model.moves()[m].move;
    std::vector<std::string> all, any;
    for (const model::Term& t : move.requires_) all.push_back(term(x_.model.term(t)));
    for (const Group& g : groups(m)) {
      const std::string ok = group_where(g, [](int o) { return o != kRejected; });
      if (ok != "1") all.push_back(ok);
      any.push_back(group_where(g, [](int o) { return o >= 0; }));
    }
    all.push_back(join(any, " || ", "0"));
    return join(all, " && ", "1");
  }

  // Next codes into nx[] (from the state before), then written.
  void apply(std::ostream& out, std::uint32_t m) {
    const std::vector<Group> gs = groups(m);
    for (std::size_t k = 0; k < gs.size(); ++k) {
      const Group& g = gs[k];
      const std::string v = "c" + std::to_string(g.component), nk = "nx[" + std::to_string(k) + "]";
      out << "    if\n";
      for (std::size_t code = 0; code < g.outcome.size(); ++code) {
        std::set<int> results(g.outcome[code].begin(), g.outcome[code].end());
        results.erase(kRejected), results.erase(kNoFire);
        if (results.empty()) continue;
        out << "    :: " << v << " == " << code << " -> if";
        for (int r : results) {
          out << " :: " << combos_where(g, g.outcome[code], [r](int o) { return o == r; }) << " -> " << nk << " = " << r;
        }
        out << " :: else -> " << nk << " = " << kNone << " fi\n";
      }
      out << "    :: else -> " << nk << " = " << kNone << "\n    fi;\n";
    }
    for (std::size_t k = 0; k < gs.size(); ++k)
      out << "    if :: nx[" << k << "] != " << kNone << " -> c" << gs[k].component << " = nx[" << k
          << "] :: else fi;\n    nx[" << k << "] = 0;\n";
  }

  std::string deps(std::uint32_t i) const {
    std::vector<std::string> parts;
    for (std::uint32_t d : x_.steps[i].deps)
      parts.push_back("s" + std::to_string(d) + " == " + std::to_string(x_.steps[d].done));
    return join(parts, " && ", "1");
  }
  std::string ready(std::uint32_t i) const {
    const std::string d = deps(i);
    return "s" + std::to_string(i) + " == 0" + (d == "1" ? "" : " && " + d);
  }
  std::string wait(const IrStep& s) const {
    std::vector<std::string> parts;
    for (const CompiledTerm& t : s.wait) parts.push_back(term(t));
    return s.mode == model::Condition::Mode::All ? join(parts, " && ", "1") : join(parts, " || ", "0");
  }

  // Waits closed in step order (close()), halt set, the marker printed.
  // The components a move's enabledness reads: requires, participants, their
  // hosts' VMs and the terms of their facts.
  std::set<model::ComponentIndex> reads(std::uint32_t m) const {
    const model::Move& move = *x_.model.moves()[m].move;
    std::set<model::ComponentIndex> out;
    for (const model::Term& t : move.requires_) out.insert(t.component);
    for (const model::Participant& p : move.participants) {
      out.insert(p.component);
      out.insert(*x_.system.vm_of(x_.system.component(p.component).host));
      for (const model::FactRule& r : x_.system.fact_rules(p.component))
        for (const model::Term& t : r.terms) out.insert(t.component);
    }
    return out;
  }

  // After move m (step `step`'s command, or kNoMove): the waits whose inputs
  // may have changed are closed in step order (close()), halt is set from the
  // clauses and steps the move may have changed (the state before had
  // halt == 0), and the marker printed.
  void finish(std::ostream& out, std::uint32_t m, std::uint32_t step, const std::string& marker) const {
    const auto touched_list = x_.model.touched(m);
    const std::set<model::ComponentIndex> touched(touched_list.begin(), touched_list.end());
    std::vector<bool> changed(x_.steps.size(), false);  // statuses this move may change
    if (step != kNoMove) changed[step] = true;
    auto deps_changed = [&](std::uint32_t i) {
      for (std::uint32_t d : x_.steps[i].deps)
        if (changed[d]) return true;
      return false;
    };
    for (std::uint32_t i : x_.observers) {
      const IrStep& s = x_.steps[i];
      bool inputs = deps_changed(i) || changed[i];
      for (const CompiledTerm& t : s.wait) inputs = inputs || touched.count(component_at(t.field));
      if (!inputs) continue;
      changed[i] = true;
      const std::string st = "s" + std::to_string(i);
      if (s.move != kNoMove) {
        if (s.done != 2) continue;
        out << "    if :: " << st << " == 1 && " << wait(s) << " -> " << st << " = 2 :: else fi;\n";
      } else {
        out << "    if :: " << ready(i) << (s.has_wait ? " && " + wait(s) : "") << " -> " << st << " = 1 :: else fi;\n";
      }
    }
    std::vector<std::string> bad, refused;
    for (std::uint32_t c : x_.clauses_of_move[m])
      if (!accepted(x_.properties.always[c].spec)) bad.push_back(clause(x_.properties.always[c]));
    if (!x_.accepted[static_cast<int>(Severity::ManualFix)])
      for (std::uint32_t i = 0; i < x_.steps.size(); ++i) {
        if (x_.steps[i].move == kNoMove) continue;
        bool may = changed[i] || deps_changed(i);
        for (model::ComponentIndex c : reads_.at(x_.steps[i].move)) may = may || touched.count(c);
        if (may) refused.push_back("(" + ready(i) + " && !EN" + std::to_string(x_.steps[i].move) + ")");
      }
    out << "    if\n";
    if (!bad.empty()) out << "    :: " << join(bad, " || ", "0") << " -> halt = 1\n";
    if (!refused.empty()) out << "    :: " << join(refused, " || ", "0") << " -> halt = 2\n";
    out << "    :: else -> skip\n    fi;\n";
    out << "    printf(\"@acdsim " << marker << "\\n\") }\n";
  }

  const Impl& x_;
  std::map<std::pair<std::uint32_t, std::uint8_t>, model::ComponentIndex> by_field_;
  std::map<std::string, std::string> facts_;  // fact bit macros
  std::map<std::uint32_t, std::set<model::ComponentIndex>> reads_;  // per step's move: reads()
};

}  // namespace

std::string promela_model(const model::Procedure& procedure, const model::Topology& topology, Options options,
                          const std::string& procedure_file) {
  options = unreduced(std::move(options));
  const Checker checker(procedure, topology, options);
  Writer w(PromelaAccess::impl(checker));
  return w.model_text(procedure_file, options);
}

}  // namespace acdsim::checker

namespace acdsim::checker {

Result result_from_spin_replay(const model::Procedure& procedure, const model::Topology& topology, Options options,
                               const std::string& replay_text, const std::string& replay_path) {
  using Impl = PromelaAccess::Impl;
  options = unreduced(std::move(options));
  const Checker checker(procedure, topology, options);
  const Impl& x = PromelaAccess::impl(checker);
  auto fail = [&](int line, const std::string& what) { throw model::InputError(replay_path, "", line, what); };
  std::vector<std::vector<Word>> path{x.initial};
  std::vector<Word> scratch(x.words);
  std::optional<Impl::Found> found;
  std::istringstream in(replay_text);
  std::string text;
  int line = 0, last = 0;
  while (std::getline(in, text)) {
    ++line;
    const auto at = text.find("@acdsim ");
    if (at == std::string::npos) continue;
    if (found) fail(line, "a marker after the violation: \"" + text.substr(at) + "\"");
    std::istringstream words(text.substr(at + 8));
    std::string what;
    long long n = -1;
    words >> what >> n;
    const std::vector<Word>& cur = path.back();
    last = line;
    if (what == "step" || what == "env" || what == "fault") {
      std::uint32_t want = kNoMove;
      if (what == "step" && n >= 0 && static_cast<std::size_t>(n) < x.steps.size()) want = static_cast<std::uint32_t>(n);
      if (what != "step" && n >= 0 && n < (what == "env" ? x.model.environment_end() : x.model.faults_end()) &&
          (what == "env") == (n < x.model.environment_end()))
        want = static_cast<std::uint32_t>(n) | kViaMove;
      if (want == kNoMove) fail(line, "\"" + text.substr(at) + "\" names no " + what + " of this procedure");
      std::optional<std::vector<Word>> next;
      x.successors(cur.data(), scratch.data(), false, [&](const Word* s, std::uint32_t via) {
        if (via == want) next.emplace(s, s + x.words);
        return !next;
      }, false);
      if (!next) fail(line, "\"" + text.substr(at) + "\" is not possible after the moves before it (a trail of another model?)");
      path.push_back(std::move(*next));
      continue;
    }
    std::vector<std::string> seen;
    if (what == "invariant") {
      std::vector<Impl::Found> into;
      if (n < 0 || static_cast<std::size_t>(n) >= x.properties.always.size() ||
          !x.violated_clause(static_cast<std::uint32_t>(n), cur.data(), seen, into))
        fail(line, "\"" + text.substr(at) + "\": that invariant clause does not fail at the trail's end");
      found = std::move(into.front());
    } else if (what == "refused" || what == "stuck" || what == "goal") {
      const auto moves = x.successors(cur.data(), scratch.data(), true, [](const Word*, std::uint32_t) { return true; }, false);
      found = x.judge(cur.data(), moves, seen);
      const std::string_view id = found ? found->spec->id : std::string_view();
      const bool agrees = found && (what == "refused"  ? id == "procedure.step-refused" && found->attempted == n
                                    : what == "stuck" ? id == "procedure.stuck"
                                                      : n >= 0 && static_cast<std::size_t>(n) < x.properties.goal.size() &&
                                                            x.properties.goal[n].spec == found->spec);
      if (!agrees) fail(line, "\"" + text.substr(at) + "\" is not what acdsim finds at the trail's end");
    } else {
      fail(line, "unknown marker \"" + text.substr(at) + "\"");
    }
  }
  if (!found)
    fail(last, "no violation marker (@acdsim invariant, refused, stuck or goal): give the output of `spin -t` on a "
               "trail of this model");
  found->path = path;
  Result r;
  r.verdict = Verdict::Violated;
  r.violations.push_back(x.violation_of(*found));
  r.violation = r.violations.front();
  r.depth = static_cast<std::uint32_t>(path.size() - 1);
  r.user_specs = x.user;
  r.not_checked = x.properties.not_checked;
  return r;
}

}  // namespace acdsim::checker
