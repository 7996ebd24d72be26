// Collapse compression of packed states. A state is its component words
// followed by its procedure words (step statuses, fault count). Far fewer
// procedure parts occur than states, so the procedure part is interned and
// the stored key is the component words with the part's number (+1, so no key
// is all zero) in the spare high bits of the last component word, or in one
// extra word when fewer than kMinIndexBits are spare. Several threads may
// encode and decode at once (part_table.hpp).
#pragma once
#include <cstdint>
#include <cstring>

#include "acdsim/checker/compiled.hpp"
#include "part_table.hpp"
#include "words.hpp"

namespace acdsim::checker {

class KeyCodec {
 public:
  static constexpr unsigned kMinIndexBits = 20;

  // component_bits: bits used by the component fields (words [0, component_words));
  // words: the whole packed state. wide: always use an extra word for the index.
  KeyCodec(std::size_t component_bits, std::size_t component_words, std::size_t words, bool wide)
      : cw_(component_words), pw_(words - component_words), parts_(pw_ == 0 ? 1 : pw_) {
    const std::size_t spare = cw_ * 64 - component_bits;
    if (!wide && spare >= kMinIndexBits) {
      index_word_ = cw_ - 1;
      index_shift_ = static_cast<unsigned>(64 - spare);
      index_bits_ = spare > 32 ? 32 : static_cast<unsigned>(spare);
      k_ = cw_;
    } else {
      index_word_ = cw_;
      index_shift_ = 0;
      index_bits_ = 32;
      k_ = cw_ + 1;
    }
  }

  std::size_t key_words() const { return k_; }
  std::size_t parts() const { return parts_.size(); }
  std::size_t part_words() const { return pw_; }
  std::uint64_t bytes() const { return parts_.bytes(); }

  // False when the procedure part's number does not fit (use a wide codec).
  // like_state/like_index: a state with a known part number (usually the
  // predecessor: most moves leave the procedure part alone). cache: the
  // calling thread's recently met parts.
  bool encode(const Word* state, Word* key, const Word* like_state = nullptr, std::uint64_t like_index = 0,
              PartCache* cache = nullptr) {
    copy_words(key, state, cw_);
    if (k_ > cw_) key[cw_] = 0;
    std::uint64_t index = 0;
    if (pw_ > 0) {
      if (like_state && same_words(state + cw_, like_state + cw_, pw_)) index = like_index;
      else if (!cache) index = parts_.intern(state + cw_);
      else {
        const std::uint64_t h = PartCache::hash(state + cw_, pw_);
        index = cache->find(state + cw_, h);
        if (index == PartCache::kNone) cache->put(state + cw_, h, index = parts_.intern(state + cw_));
      }
    }
    if (index + 1 >= (std::uint64_t{1} << index_bits_)) return false;
    key[index_word_] |= (index + 1) << index_shift_;
    return true;
  }
  // Returns the procedure part's number.
  std::uint64_t decode(const Word* key, Word* state) const {
    copy_words(state, key, cw_);
    const Word field = (key[index_word_] >> index_shift_) & ((Word{1} << index_bits_) - 1);
    if (index_word_ < cw_) state[index_word_] &= ~(((Word{1} << index_bits_) - 1) << index_shift_);
    if (pw_ > 0) copy_words(state + cw_, parts_.at(field - 1), pw_);
    return field - 1;
  }

 private:
  std::size_t cw_, pw_, k_ = 0;
  std::size_t index_word_ = 0;
  unsigned index_shift_ = 0, index_bits_ = 0;
  PartTable parts_;
};

}  // namespace acdsim::checker
