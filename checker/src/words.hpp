// Copy and compare of a few state words. States are 1-4 words almost always;
// a libc call per successor costs more than the work, so these stay inline.
#pragma once
#include <cstddef>

#include "acdsim/checker/compiled.hpp"

namespace acdsim::checker {

[[gnu::always_inline]] inline void copy_words(Word* to, const Word* from, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) to[i] = from[i];
}

[[gnu::always_inline]] inline bool same_words(const Word* a, const Word* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

}  // namespace acdsim::checker
