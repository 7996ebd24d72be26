// The System compiled for speed: moves stepped directly on packed states
// (64-bit words), through flat arrays, with no allocation and no MSM in the
// loop. Built from the very same KindTables and fact rules the System uses;
// a test replays random walks through both and compares.
#pragma once
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "acdsim/model/system.hpp"

namespace acdsim::checker {

using model::KindTable;
using model::LocalCode;
using Word = std::uint64_t;

// Where a value lives in a packed state.
struct Field {
  std::uint32_t word = 0;
  std::uint8_t shift = 0;
  std::uint8_t bits = 0;
  Word mask() const { return bits >= 64 ? ~Word{0} : (Word{1} << bits) - 1; }
  Word read(const Word* s) const { return (s[word] >> shift) & mask(); }
  void write(Word* s, Word v) const { s[word] = (s[word] & ~(mask() << shift)) | (v << shift); }
};

// Lays out fields one after another; a field never straddles two words.
class Layout {
 public:
  Field add(unsigned bits);
  void align() { bits_ = words() * 64; }  // the next field starts a new word
  std::size_t words() const { return (bits_ + 63) / 64; }
  std::size_t bits() const { return bits_; }

 private:
  std::size_t bits_ = 0;
};

// A set of a component's local codes: a kind has at most kMaxCodes reachable states.
struct CodeSet {
  static constexpr Word kMaxCodes = 128;
  Word bits[2] = {0, 0};
  void add(Word code) { bits[code >> 6] |= Word{1} << (code & 63); }
  bool has(Word code) const { return ((bits[code >> 6] >> (code & 63)) & 1u) != 0; }
  friend auto operator<=>(const CodeSet&, const CodeSet&) = default;
};

// "component's code is one of codes" (a predicate, precomputed over codes).
struct CompiledTerm {
  Field field;
  CodeSet codes;  // holds for these codes
  bool negated = false;
  bool holds(const Word* s) const { return codes.has(field.read(s)) != negated; }
};

class CompiledModel {
 public:
  // Adds the system's components to layout (first), compiles facts and moves.
  CompiledModel(const model::System& system, Layout& layout);

  const model::System& system() const { return *system_; }
  const Field& field(model::ComponentIndex c) const { return fields_[c]; }
  CompiledTerm term(const model::Term& t) const;

  // A compiled move; index in moves() is stable.
  struct MoveRef {
    const model::Move* move;
    std::uint32_t requires_begin, requires_end, parts_begin, parts_end;
  };
  std::uint32_t add_move(const model::Move& move);  // compiles one more move (e.g. a procedure step)
  const std::vector<MoveRef>& moves() const { return moves_; }
  std::uint32_t environment_begin() const { return 0; }
  std::uint32_t environment_end() const { return environment_end_; }
  std::uint32_t faults_end() const { return faults_end_; }

  // False when the move is certainly not enabled in `in` (its first, required
  // participant cannot take its event there); cheap, for scanning many moves.
  bool may_apply(std::uint32_t move, const Word* in) const {
    const Gate& g = gates_[move];
    return !g.check || g.codes.has(g.field.read(in));
  }
  // The environment and fault moves below `end` (at most faults_end()) that
  // may_apply in `in`, ascending: found through their gate components' codes,
  // not by trying every move.
  void candidates(const Word* in, std::uint32_t end, std::vector<std::uint32_t>& out) const;
  // The facts component c's guards see in s (bit b: its b-th fact rule holds).
  model::FactBits facts(model::ComponentIndex c, const Word* s) const;
  // The components a move may change.
  std::vector<model::ComponentIndex> touched(std::uint32_t move) const;

  // out = in with the move applied; false if the move is not enabled in `in`.
  // `in` and `out` must not overlap.
  bool apply(std::uint32_t move, const Word* in, Word* out, std::size_t words) const;

  // Unpacked form for messages and for the slow, checked path.
  model::Snapshot unpack(const Word* s) const;
  void pack(const model::Snapshot& snapshot, Word* s) const;

 private:
  struct Part {
    Field field;
    const KindTable* table;
    model::EventId event;
    bool required, needs_host_up;
    bool fact_free;      // the event's outcome never depends on the facts
    CodeSet maybe_enabled;  // codes the event can be taken from (for some facts)
    CompiledTerm host_up;
    model::ComponentIndex component;
  };
  struct FactRange {
    model::FactRule::Mode mode;
    std::uint32_t begin, end;
  };

  const model::System* system_;
  std::vector<Field> fields_;
  std::vector<std::vector<FactRange>> fact_rules_;  // per component, per fact bit
  std::vector<CompiledTerm> terms_;                 // pool for facts and requires
  std::vector<Part> parts_;
  std::vector<MoveRef> moves_;
  struct Gate {
    Field field;
    CodeSet codes;
    bool check = false;
  };
  std::vector<Gate> gates_;  // per move
  void index_gates();
  // Moves below faults_end by gate: per distinct gate field (group), per code
  // of it, the moves whose gate admits the code (gate_moves_ from
  // gate_starts_[gate_code_begin_[group] + code] to the next start).
  std::vector<Field> gate_fields_;
  std::vector<std::uint32_t> gate_code_begin_, gate_starts_, gate_moves_;
  std::vector<std::uint32_t> ungated_;
  std::uint32_t environment_end_ = 0, faults_end_ = 0;
};

}  // namespace acdsim::checker
