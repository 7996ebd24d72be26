#include "acdsim/model/kind_table.hpp"

#include <array>
#include <deque>
#include <mutex>
#include <stdexcept>

namespace acdsim::model {

KindTable::KindTable(const KindSpec& spec)
    : spec_(&spec),
      events_(spec.events.size()),
      fact_combos_(std::size_t{1} << spec.facts.size()),
      fact_mask_(static_cast<FactBits>(fact_combos_ - 1)) {
  if (spec.facts.size() > 12) throw std::logic_error("kind " + std::string(spec.name) + ": too many facts to tabulate");
  if (spec.predicates.size() > 32) throw std::logic_error("kind " + std::string(spec.name) + ": too many predicates");

  auto intern = [&](std::unique_ptr<Machine> m) -> LocalCode {
    auto [it, fresh] = by_key_.emplace(m->key(), static_cast<LocalCode>(names_.size()));
    if (!fresh) return it->second;
    if (names_.size() >= kGuardRejected) throw std::logic_error("kind " + std::string(spec.name) + ": too many states");
    std::string name = m->state_name();
    if (!by_name_.emplace(name, it->second).second)
      throw std::logic_error("kind " + std::string(spec.name) + ": two states share the name \"" + name + "\"");
    std::uint32_t preds = 0;
    for (std::size_t p = 0; p < spec.predicates.size(); ++p)
      if (m->holds(static_cast<PredicateId>(p))) preds |= 1u << p;
    names_.push_back(std::move(name));
    predicates_.push_back(preds);
    prototypes_.push_back(std::move(m));
    return it->second;
  };

  intern(spec.make_initial());
  // Breadth-first over codes; the table grows as new states appear.
  for (std::size_t code = 0; code < names_.size(); ++code) {
    next_.resize((code + 1) * events_ * fact_combos_, kNotEnabled);
    for (std::size_t e = 0; e < events_; ++e) {
      for (std::size_t f = 0; f < fact_combos_; ++f) {
        auto m = prototypes_[code]->clone();
        const Outcome outcome = m->process(static_cast<EventId>(e), static_cast<FactBits>(f));
        LocalCode result = kNotEnabled;
        if (outcome == Outcome::GuardRejected) result = kGuardRejected;
        if (outcome == Outcome::Taken) result = intern(std::move(m));
        next_[(code * events_ + e) * fact_combos_ + f] = result;
      }
    }
  }
  while ((std::size_t{1} << bits_) < names_.size()) ++bits_;
}

const KindTable& KindTable::of(KindId kind) {
  static std::array<std::unique_ptr<KindTable>, static_cast<std::size_t>(KindId::Count)> tables;
  static std::array<std::once_flag, static_cast<std::size_t>(KindId::Count)> once;
  const auto i = static_cast<std::size_t>(kind);
  std::call_once(once[i], [&] { tables[i] = std::make_unique<KindTable>(kind_spec(kind)); });
  return *tables[i];
}

std::optional<LocalCode> KindTable::code_of(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

std::optional<LocalCode> KindTable::code_of(const Machine& machine) const {
  auto it = by_key_.find(machine.key());
  if (it == by_key_.end()) return std::nullopt;
  return it->second;
}

std::size_t KindTable::transition_count() const {
  std::size_t n = 0;
  for (LocalCode c : next_) n += c < kGuardRejected;
  return n;
}

}  // namespace acdsim::model
