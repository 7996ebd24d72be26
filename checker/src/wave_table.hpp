// The states first met in one wave of the parallel breadth-first search
// (checker_search.cpp): for each new key, the first position at which the
// one-thread search would have met it (parent's place in the wave, then the
// successor's place among the parent's) and the move that produced it there.
// Threads insert at once: a slot is claimed, and a lower position written, by
// a compare-and-swap on the slot's position word, whose top bit locks the
// slot while its other words are written. Its size is fixed during a wave:
// a thread reserves room for a parent's candidates first (reserve), and when
// there is none the wave pauses, the table grows (move_slots) and the wave goes on.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <vector>

#include "acdsim/checker/compiled.hpp"
#include "visited_set.hpp"
#include "words.hpp"
#include "zeroed_words.hpp"

namespace acdsim::checker {

class WaveTable {
 public:
  explicit WaveTable(std::size_t k, std::size_t capacity = std::size_t{1} << 10)
      : k_(k), stride_(k + 2), slots_(capacity * (k + 2)), mask_(capacity - 1) {}

  std::size_t capacity() const { return mask_ + 1; }
  std::uint64_t bytes() const { return slots_.size() * sizeof(Word); }

  // Room for n more entries (at most 3/4 full); false: the table must grow first.
  bool reserve(std::size_t n) {
    const std::size_t limit = capacity() / 4 * 3;
    std::size_t used = reserved_.load(std::memory_order_relaxed);
    do {
      if (used + n > limit) return false;
    } while (!reserved_.compare_exchange_weak(used, used + n, std::memory_order_relaxed));
    return true;
  }

  // Keeps the lowest position seen for key. Returns the slot when this call
  // claimed it or lowered its position (the caller records (slot, position)),
  // else kNoSlot.
  static constexpr std::uint64_t kNoSlot = ~std::uint64_t{0};
  // claimed: set when this call took a new slot.
  std::uint64_t offer(const Word* key, std::uint64_t h, std::uint64_t position, std::uint32_t move, bool& claimed) {
    const Word mine = position + 1;  // 0: empty
    for (std::uint64_t slot = h & mask_;; slot = (slot + 1) & mask_) {
      Word* e = entry(slot);
      std::atomic_ref<Word> pos(e[0]);
      Word seen = pos.load(std::memory_order_acquire);
      if (seen == 0) {
        if (!pos.compare_exchange_strong(seen, kLock, std::memory_order_acquire)) {
          --slot;  // someone claimed it meanwhile: look at it again
          continue;
        }
        e[1] = move;
        copy_words(e + 2, key, k_);
        pos.store(mine, std::memory_order_release);
        claimed = true;
        return slot;
      }
      while (seen & kLock) seen = pos.load(std::memory_order_acquire);
      if (!same_words(e + 2, key, k_)) continue;
      while (true) {
        if (mine >= seen) return kNoSlot;
        if (seen & kLock) {
          seen = pos.load(std::memory_order_acquire);
          continue;
        }
        if (pos.compare_exchange_weak(seen, kLock, std::memory_order_acquire)) {
          lowered_.store(true, std::memory_order_relaxed);
          e[1] = move;
          pos.store(mine, std::memory_order_release);
          return slot;
        }
      }
    }
  }

  // Whether some offer lowered a position another had set (never on one thread):
  // if not, every recorded offer holds its key's first position.
  bool lowered() const { return lowered_.load(std::memory_order_relaxed); }
  // Keys in the table (after the wave's threads are done).
  std::size_t entries() const { return reserved_.load(std::memory_order_relaxed); }
  // Gives back room reserved and not taken (offers of keys already there).
  void release(std::size_t n) { reserved_.fetch_sub(n, std::memory_order_relaxed); }
  void prefetch(std::uint64_t h) const { __builtin_prefetch(entry(h & mask_)); }

  // After a wave's threads are done.
  std::uint64_t position(std::uint64_t slot) const { return entry(slot)[0] - 1; }
  std::uint32_t move(std::uint64_t slot) const { return static_cast<std::uint32_t>(entry(slot)[1]); }
  const Word* key(std::uint64_t slot) const { return entry(slot) + 2; }

  // Doubles the capacity (one thread); old slot numbers are mapped through the returned table.
  std::vector<std::uint64_t> grow() {
    const std::size_t capacity = (mask_ + 1) * 2;
    ZeroedWords old = std::exchange(slots_, ZeroedWords(capacity * stride_));
    const std::size_t old_capacity = mask_ + 1;
    mask_ = capacity - 1;
    std::vector<std::uint64_t> moved(old_capacity, kNoSlot);
    std::size_t used = 0;
    for (std::size_t i = 0; i < old_capacity; ++i) {
      const Word* e = &old[i * stride_];
      if (e[0] == 0) continue;
      ++used;
      std::uint64_t slot = hash_of(e + 2) & mask_;
      while (entry(slot)[0] != 0) slot = (slot + 1) & mask_;
      copy_words(entry(slot), e, stride_);
      moved[i] = slot;
    }
    reserved_ = used;
    return moved;
  }
  // Empties one slot (every slot with an entry, then cleared(): an empty table for the next wave).
  void clear(std::uint64_t slot) { std::fill(entry(slot), entry(slot) + stride_, Word{0}); }
  void cleared() {
    reserved_ = 0;
    lowered_ = false;
  }
  // Empties the table for the next wave.
  void clear() {
    std::fill(slots_.data(), slots_.data() + slots_.size(), Word{0});
    reserved_ = 0;
    lowered_ = false;
  }

 private:
  static constexpr Word kLock = Word{1} << 63;
  std::uint64_t hash_of(const Word* key) const { return VisitedSet::hash(key, k_); }
  Word* entry(std::uint64_t slot) { return slots_.data() + slot * stride_; }
  const Word* entry(std::uint64_t slot) const { return slots_.data() + slot * stride_; }

  std::size_t k_, stride_;
  ZeroedWords slots_;
  std::uint64_t mask_;
  std::atomic<std::size_t> reserved_{0};
  std::atomic<bool> lowered_{false};
};

}  // namespace acdsim::checker
