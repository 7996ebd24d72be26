// The set of visited states of the main search: an open-addressing hash table
// that holds the (compressed) state keys themselves, k words each, so a lookup
// costs one cache miss and no pointer chasing. The all-zero key marks an empty
// slot (KeyCodec never produces it). At most 3/4 full: 8 * k / 0.75 bytes per
// state at worst, 8 * k / 0.375 right after a growth.
//
// The parallel search (checker_search.cpp) keeps one set per partition of the
// keys, each written by one thread at a time.
#pragma once
#include <cstdint>
#include <cstring>
#include <utility>

#include "acdsim/checker/compiled.hpp"
#include "words.hpp"
#include "zeroed_words.hpp"

namespace acdsim::checker {

class VisitedSet {
 public:
  explicit VisitedSet(std::size_t k) : k_(k), slots_((std::size_t{1} << 16) * k), mask_((1u << 16) - 1) {}

  std::size_t size() const { return count_; }
  std::size_t key_words() const { return k_; }
  std::uint64_t bytes() const { return slots_.size() * sizeof(Word); }
  // Bytes while the table grows within the next `more` insertions (old and new table).
  std::uint64_t bytes_after_growth(std::size_t more = 1) const { return needs_growth(more) ? bytes() * 3 : bytes(); }

  static std::uint64_t hash(const Word* key, std::size_t k) {
    std::uint64_t h = 0x9E3779B97F4A7C15ull;
    for (std::size_t w = 0; w < k; ++w) {
      std::uint64_t z = key[w] ^ h;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      h = z ^ (z >> 31);
    }
    return h;
  }
  void prefetch(std::uint64_t h) const { __builtin_prefetch(slots_.data() + (h & mask_) * k_); }

  bool contains(const Word* key, std::uint64_t h) const {
    for (std::uint64_t slot = h & mask_;; slot = (slot + 1) & mask_) {
      const Word* s = slots_.data() + slot * k_;
      if (empty(s)) return false;
      if (same_words(s, key, k_)) return true;
    }
  }

  // The capacity (slots) the table has after `count` insertions, one at a time.
  static std::uint64_t capacity_after(std::uint64_t count) {
    std::uint64_t capacity = std::uint64_t{1} << 16;
    while (count * 4 > capacity * 3) capacity *= 2;
    return capacity;
  }
  // bytes_after_growth(more) of a table that has had `count` insertions one at
  // a time, its capacity then being `capacity` (capacity_after(count)).
  std::uint64_t bytes_after_growth_at(std::uint64_t count, std::uint64_t capacity, std::size_t more) const {
    const std::uint64_t bytes = capacity * k_ * sizeof(Word);
    return (count + more) * 4 > capacity * 3 ? bytes * 3 : bytes;
  }
  std::uint64_t bytes_at(std::uint64_t count) const { return capacity_after(count) * k_ * sizeof(Word); }

  // True if key was not in the set (it is now).
  bool insert(const Word* key, std::uint64_t h) {
    if (needs_growth()) grow();
    std::uint64_t slot = h & mask_;
    if (k_ == 1) {
      while (true) {
        Word& s = slots_[slot];
        if (s == 0) {
          s = key[0];
          ++count_;
          return true;
        }
        if (s == key[0]) return false;
        slot = (slot + 1) & mask_;
      }
    }
    while (true) {
      Word* s = slots_.data() + slot * k_;
      if (empty(s)) {
        copy_words(s, key, k_);
        ++count_;
        return true;
      }
      if (same_words(s, key, k_)) return false;
      slot = (slot + 1) & mask_;
    }
  }

 private:
  bool needs_growth(std::size_t more = 1) const { return (count_ + more) * 4 > (mask_ + 1) * 3; }
  bool empty(const Word* s) const {
    for (std::size_t w = 0; w < k_; ++w)
      if (s[w] != 0) return false;
    return true;
  }
  void grow() {
    const std::uint64_t capacity = (mask_ + 1) * 2;
    ZeroedWords old = std::exchange(slots_, ZeroedWords(capacity * k_));
    mask_ = capacity - 1;
    for (std::size_t i = 0; i < old.size(); i += k_) {
      if (empty(&old[i])) continue;
      std::uint64_t slot = hash(&old[i], k_) & mask_;
      while (!empty(slots_.data() + slot * k_)) slot = (slot + 1) & mask_;
      std::memcpy(slots_.data() + slot * k_, &old[i], k_ * sizeof(Word));
    }
  }

  std::size_t k_;
  ZeroedWords slots_;
  std::uint64_t mask_;
  std::size_t count_ = 0;
};

}  // namespace acdsim::checker
