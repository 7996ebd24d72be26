// Visited states: an append-only log of packed states (which is also the
// breadth-first queue) and an open-addressing table of 32-bit indices into it.
// About 8 * words + 4 / 0.75 bytes per state.
#pragma once
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "acdsim/checker/compiled.hpp"
#include "words.hpp"

namespace acdsim::checker {

class StateStore {
 public:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;

  explicit StateStore(std::size_t words) : words_(words), table_(1u << 16, kEmpty), mask_((1u << 16) - 1) {}

  std::size_t size() const { return count_; }
  const Word* at(std::uint32_t index) const { return log_.data() + std::size_t{index} * words_; }
  std::uint64_t bytes() const { return log_.capacity() * sizeof(Word) + table_.capacity() * sizeof(std::uint32_t); }
  // Bytes once the next insertion makes the structures grow (for the memory limit).
  std::uint64_t bytes_after_growth() const {
    std::uint64_t b = bytes();
    if ((count_ + 1) * 4 > table_.size() * 3) b += table_.size() * 2 * sizeof(std::uint32_t);
    if ((count_ + 1) * words_ > log_.capacity()) b += log_.capacity() * sizeof(Word);
    return b;
  }

  bool contains(const Word* s) const {
    for (std::uint64_t slot = hash(s) & mask_;; slot = (slot + 1) & mask_) {
      const std::uint32_t i = table_[slot];
      if (i == kEmpty) return false;
      if (same_words(at(i), s, words_)) return true;
    }
  }

  // Index of s and whether it was new.
  std::pair<std::uint32_t, bool> insert(const Word* s) {
    if ((count_ + 1) * 4 > table_.size() * 3) grow();
    std::uint64_t slot = hash(s) & mask_;
    while (true) {
      const std::uint32_t i = table_[slot];
      if (i == kEmpty) break;
      if (same_words(at(i), s, words_)) return {i, false};
      slot = (slot + 1) & mask_;
    }
    const auto index = static_cast<std::uint32_t>(count_++);
    log_.insert(log_.end(), s, s + words_);
    table_[slot] = index;
    return {index, true};
  }

 private:
  std::uint64_t hash(const Word* s) const {
    std::uint64_t h = 0x9E3779B97F4A7C15ull;
    for (std::size_t w = 0; w < words_; ++w) {
      std::uint64_t z = s[w] + h;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      h = z ^ (z >> 31);
    }
    return h;
  }
  void grow() {
    std::vector<std::uint32_t> bigger(table_.size() * 2, kEmpty);
    mask_ = bigger.size() - 1;
    for (std::uint32_t i : table_) {
      if (i == kEmpty) continue;
      std::uint64_t slot = hash(at(i)) & mask_;
      while (bigger[slot] != kEmpty) slot = (slot + 1) & mask_;
      bigger[slot] = i;
    }
    table_.swap(bigger);
  }

  std::size_t words_;
  std::vector<Word> log_;
  std::vector<std::uint32_t> table_;
  std::uint64_t mask_;
  std::size_t count_ = 0;
};

}  // namespace acdsim::checker
