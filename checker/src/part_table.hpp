// The interned procedure parts of KeyCodec, safe to share between the
// search's threads: a part keeps its number and its address for good
// (segments that never move, so decoding needs no lock), and interning a new
// part takes a mutex. Few distinct parts occur, so each thread keeps a small
// cache of the parts it met (PartCache) and rarely locks.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "acdsim/checker/compiled.hpp"
#include "words.hpp"

namespace acdsim::checker {

// A thread's recently interned parts: direct-mapped by hash, verified by content.
class PartCache {
 public:
  explicit PartCache(std::size_t words) : words_(words), parts_(kSlots * words), index_(kSlots, kNone) {}
  static std::uint64_t hash(const Word* part, std::size_t words) {
    std::uint64_t h = 0x9E3779B97F4A7C15ull;
    for (std::size_t w = 0; w < words; ++w) h = (h ^ part[w]) * 0xBF58476D1CE4E5B9ull, h ^= h >> 29;
    return h;
  }
  // The part's number, or kNone.
  std::uint64_t find(const Word* part, std::uint64_t h) const {
    const std::size_t s = h & (kSlots - 1);
    return index_[s] != kNone && same_words(&parts_[s * words_], part, words_) ? index_[s] : kNone;
  }
  void put(const Word* part, std::uint64_t h, std::uint64_t index) {
    const std::size_t s = h & (kSlots - 1);
    copy_words(&parts_[s * words_], part, words_);
    index_[s] = index;
  }
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};

 private:
  static constexpr std::size_t kSlots = 4096;
  std::size_t words_;
  std::vector<Word> parts_;
  std::vector<std::uint64_t> index_;
};

class PartTable {
 public:
  explicit PartTable(std::size_t words) : words_(words == 0 ? 1 : words), table_(1u << 10, kEmpty), mask_((1u << 10) - 1) {}
  PartTable(const PartTable&) = delete;
  PartTable& operator=(const PartTable&) = delete;

  std::size_t size() const { return count_.load(std::memory_order_acquire); }
  std::uint64_t bytes() const {
    std::lock_guard lock(mutex_);
    return allocated_ * words_ * sizeof(Word) + table_.size() * sizeof(std::uint32_t);
  }
  // The part numbered index (interned earlier: its words never move).
  const Word* at(std::uint64_t index) const {
    const unsigned seg = segment_of(index);
    return segments_[seg].load(std::memory_order_acquire) + (index - first_of(seg)) * words_;
  }
  // The part's number, interned if new.
  std::uint64_t intern(const Word* part) {
    const std::uint64_t h = PartCache::hash(part, words_);
    std::lock_guard lock(mutex_);
    const std::size_t n = count_.load(std::memory_order_relaxed);
    if ((n + 1) * 4 > table_.size() * 3) grow();
    std::uint64_t slot = h & mask_;
    for (; table_[slot] != kEmpty; slot = (slot + 1) & mask_)
      if (same_words(at(table_[slot]), part, words_)) return table_[slot];
    const unsigned seg = segment_of(n);
    if (!segments_[seg].load(std::memory_order_relaxed)) {
      const std::size_t count = first_of(seg + 1) - first_of(seg);
      owned_[seg] = std::make_unique<Word[]>(count * words_);
      allocated_ += count;
      segments_[seg].store(owned_[seg].get(), std::memory_order_release);
    }
    copy_words(segments_[seg].load(std::memory_order_relaxed) + (n - first_of(seg)) * words_, part, words_);
    table_[slot] = static_cast<std::uint32_t>(n);
    count_.store(n + 1, std::memory_order_release);
    return n;
  }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  static constexpr unsigned kFirstBits = 10;  // segment s holds 2^(10+s-1) parts (s >= 1), segment 0 2^10
  static unsigned segment_of(std::uint64_t i) {
    const std::uint64_t q = i >> kFirstBits;
    return q == 0 ? 0 : 64 - static_cast<unsigned>(__builtin_clzll(q));
  }
  static std::uint64_t first_of(unsigned seg) { return seg == 0 ? 0 : std::uint64_t{1} << (kFirstBits + seg - 1); }
  void grow() {
    std::vector<std::uint32_t> bigger(table_.size() * 2, kEmpty);
    mask_ = bigger.size() - 1;
    for (std::uint32_t i : table_) {
      if (i == kEmpty) continue;
      std::uint64_t slot = PartCache::hash(at(i), words_) & mask_;
      while (bigger[slot] != kEmpty) slot = (slot + 1) & mask_;
      bigger[slot] = i;
    }
    table_.swap(bigger);
  }

  std::size_t words_;
  static constexpr unsigned kSegments = 40;
  std::atomic<Word*> segments_[kSegments] = {};
  std::unique_ptr<Word[]> owned_[kSegments];
  std::size_t allocated_ = 0;
  std::vector<std::uint32_t> table_;
  std::uint64_t mask_;
  std::atomic<std::size_t> count_{0};
  mutable std::mutex mutex_;
};

}  // namespace acdsim::checker
