// The keys one partition of the visited set met in the current wave of the
// search (checker_search.cpp). A new state is reached about as many times as
// it has predecessors, and most of those are offered in the same wave: this
// small table, which stays in the cache, lets only a key's first offer of the
// wave probe the big visited set, whose probes miss the cache. A slot holds
// the wave's stamp and a key, so starting a wave clears nothing.
#pragma once
#include <cstdint>
#include <vector>

#include "acdsim/checker/compiled.hpp"
#include "words.hpp"

namespace acdsim::checker {

class FirstSeen {
 public:
  explicit FirstSeen(std::size_t k) : k_(k), stride_(k + 1) {}

  // A new wave of at most `offers` offers: the table is at most 3/4 full (a
  // key is offered about three times a wave on the bench, so about 1/4 in
  // practice), and small enough to stay in the cache.
  void start(std::size_t offers) {
    std::size_t capacity = 1024;
    while (capacity * 3 < 4 * offers) capacity *= 2;
    if (capacity > mask_ + 1 || ++stamp_ == 0) {
      slots_.assign(capacity * stride_, 0);
      mask_ = capacity - 1;
      stamp_ = 1;
    }
  }
  void prefetch(std::uint64_t h) const { __builtin_prefetch(slots_.data() + (h & mask_) * stride_); }
  // True the first time key is offered in this wave.
  bool first(const Word* key, std::uint64_t h) {
    for (std::uint64_t slot = h & mask_;; slot = (slot + 1) & mask_) {
      Word* s = slots_.data() + slot * stride_;
      if (s[0] != stamp_) {
        s[0] = stamp_;
        copy_words(s + 1, key, k_);
        return true;
      }
      if (same_words(s + 1, key, k_)) return false;
    }
  }

 private:
  std::size_t k_, stride_;
  std::vector<Word> slots_;
  std::uint64_t mask_ = 0;
  Word stamp_ = 0;
};

}  // namespace acdsim::checker
