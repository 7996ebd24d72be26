// A component kind's transition function, compiled once from its MSM machine.
//
// Starting from the machine's initial state, every event under every fact
// combination is played on the real MSM machine (breadth-first); each distinct
// local state gets a dense code. The result is a flat table
// next[state][event][facts] that the checker steps without touching MSM, and
// one prototype machine per state for drivers that want live MSM objects.
// The MSM machine stays the single source of truth: the table is derived.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "acdsim/model/kinds.hpp"
#include "acdsim/model/machine.hpp"

namespace acdsim::model {

using LocalCode = std::uint16_t;

class KindTable {
 public:
  static constexpr LocalCode kNotEnabled = 0xFFFF;
  static constexpr LocalCode kGuardRejected = 0xFFFE;

  // Compiled on first use; thread-safe.
  static const KindTable& of(KindId kind);
  // Compiles a table for any spec (tests use it directly).
  explicit KindTable(const KindSpec& spec);

  const KindSpec& spec() const { return *spec_; }
  std::size_t size() const { return names_.size(); }
  unsigned bits() const { return bits_; }  // bits needed to store a code
  static constexpr LocalCode initial() { return 0; }

  const std::string& name(LocalCode code) const { return names_[code]; }
  std::optional<LocalCode> code_of(std::string_view name) const;

  // Next code, or kNotEnabled / kGuardRejected.
  LocalCode next(LocalCode code, EventId event, FactBits facts) const {
    return next_[(static_cast<std::size_t>(code) * events_ + event) * fact_combos_ + (facts & fact_mask_)];
  }
  bool holds(LocalCode code, PredicateId predicate) const { return (predicates_[code] >> predicate) & 1u; }
  std::uint32_t predicate_bits(LocalCode code) const { return predicates_[code]; }

  // A live MSM machine in that state (a copy of the prototype).
  std::unique_ptr<Machine> machine(LocalCode code) const { return prototypes_[code]->clone(); }
  // The code of a live machine's state (nullopt if never reached by compilation).
  std::optional<LocalCode> code_of(const Machine& machine) const;

  std::size_t transition_count() const;  // (state, event, facts) entries that are Taken

 private:
  const KindSpec* spec_;
  std::size_t events_, fact_combos_;
  FactBits fact_mask_;
  unsigned bits_ = 1;
  std::vector<std::string> names_;
  std::vector<std::unique_ptr<Machine>> prototypes_;
  std::vector<std::uint32_t> predicates_;
  std::vector<LocalCode> next_;
  std::unordered_map<std::uint64_t, LocalCode> by_key_;
  std::unordered_map<std::string, LocalCode> by_name_;
};

}  // namespace acdsim::model
