// The main search's state storage: the visited set of compressed keys and the
// codec that compresses states into keys.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <random>
#include <set>
#include <vector>

#include "key_codec.hpp"
#include "visited_set.hpp"
#include "zeroed_words.hpp"

namespace acdsim::checker {
namespace {

TEST(VisitedSet, InsertsOnceAndGrows) {
  for (std::size_t k : {1u, 2u, 3u}) {
    VisitedSet set(k);
    std::mt19937_64 rng(k);
    std::vector<std::vector<Word>> keys;
    for (int i = 0; i < 200'000; ++i) {
      std::vector<Word> key(k);
      for (Word& w : key) w = rng() | 1;  // never all zero
      keys.push_back(key);
    }
    for (const auto& key : keys) EXPECT_TRUE(set.insert(key.data(), VisitedSet::hash(key.data(), k)));
    for (const auto& key : keys) EXPECT_FALSE(set.insert(key.data(), VisitedSet::hash(key.data(), k)));
    EXPECT_EQ(set.size(), keys.size());
    EXPECT_LE(set.bytes(), keys.size() * k * 8 * 4 / 3 * 2);  // at most 3/4 full after growth, so < 8/3 words per key
  }
}

TEST(ZeroedWords, SmallAndHugePageBackedArraysStartZeroAndMove) {
  for (std::size_t n : {std::size_t{100}, std::size_t{3} << 20}) {  // heap, then a 24 MiB mapping
    ZeroedWords a(n);
    ASSERT_EQ(a.size(), n);
    for (std::size_t i = 0; i < n; i += 4093) EXPECT_EQ(a[i], 0u);
    EXPECT_EQ(a[n - 1], 0u);
    if (n * sizeof(Word) >= (std::size_t{2} << 20)) {  // mapped on a huge-page boundary
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(a.data()) % (std::size_t{2} << 20), 0u);
    }
    a[n - 1] = 7;
    ZeroedWords b = std::move(a);
    EXPECT_EQ(b.size(), n);
    EXPECT_EQ(b[n - 1], 7u);
    EXPECT_EQ(a.size(), 0u);
  }
}

TEST(VisitedSet, KeysDifferingInOneBitAreDistinct) {
  VisitedSet set(2);
  for (unsigned bit = 0; bit < 128; ++bit) {
    Word key[2] = {0, 0};
    key[bit / 64] = Word{1} << (bit % 64);
    EXPECT_TRUE(set.insert(key, VisitedSet::hash(key, 2)));
  }
  EXPECT_EQ(set.size(), 128u);
}

// A state of `words` words whose first component_words hold component_bits bits.
std::vector<Word> random_state(std::mt19937_64& rng, std::size_t component_bits, std::size_t component_words,
                               std::size_t words, unsigned procedure_variety) {
  std::vector<Word> s(words, 0);
  for (std::size_t b = 0; b < component_bits; ++b)
    if (rng() & 1) s[b / 64] |= Word{1} << (b % 64);
  for (std::size_t w = component_words; w < words; ++w) s[w] = rng() % procedure_variety;
  return s;
}

TEST(KeyCodec, RoundTripsNarrowAndWide) {
  struct Shape {
    std::size_t component_bits, component_words, words;
    std::size_t narrow_key_words;  // key words when not wide
  };
  for (const Shape& shape : {Shape{38, 1, 2, 1}, Shape{50, 1, 2, 2}, Shape{64, 1, 3, 2}, Shape{100, 2, 3, 2},
                             Shape{10, 1, 1, 1}}) {
    for (bool wide : {false, true}) {
      KeyCodec codec(shape.component_bits, shape.component_words, shape.words, wide);
      EXPECT_EQ(codec.key_words(), wide ? shape.component_words + 1 : shape.narrow_key_words);
      std::mt19937_64 rng(shape.component_bits);
      std::set<std::vector<Word>> states, keys;
      for (int i = 0; i < 5000; ++i) {
        const auto s = random_state(rng, shape.component_bits, shape.component_words, shape.words, 7);
        std::vector<Word> key(codec.key_words()), back(shape.words);
        ASSERT_TRUE(codec.encode(s.data(), key.data()));
        EXPECT_NE(key, std::vector<Word>(codec.key_words(), 0)) << "a key must never be all zero";
        codec.decode(key.data(), back.data());
        EXPECT_EQ(back, s);
        states.insert(s);
        keys.insert(key);
      }
      EXPECT_EQ(states.size(), keys.size()) << "encoding is one-to-one";
    }
  }
}

TEST(KeyCodec, ReusesTheNumberOfALikeState) {
  KeyCodec codec(38, 1, 2, false);
  const Word a[2] = {5, 9}, b[2] = {6, 9};
  Word ka[1], kb[1];
  ASSERT_TRUE(codec.encode(a, ka));
  ASSERT_TRUE(codec.encode(b, kb, a, 0));
  EXPECT_EQ(codec.parts(), 1u);
  Word back[2];
  codec.decode(kb, back);
  EXPECT_EQ(back[0], 6u);
  EXPECT_EQ(back[1], 9u);
}

TEST(KeyCodec, ReportsAnIndexThatDoesNotFit) {
  // 44 component bits leave exactly 20 spare bits: 2^20 - 1 procedure parts fit.
  KeyCodec codec(44, 1, 2, false);
  ASSERT_EQ(codec.key_words(), 1u);
  Word state[2] = {0, 0}, key[1];
  std::uint64_t p = 0;
  for (; p + 1 < (std::uint64_t{1} << 20); ++p) {
    state[1] = p;
    ASSERT_TRUE(codec.encode(state, key));
  }
  state[1] = p;
  EXPECT_FALSE(codec.encode(state, key));
}

RC_GTEST_PROP(KeyCodec, DecodeInvertsEncode, (std::vector<std::uint8_t> procedure_values)) {
  KeyCodec codec(70, 2, 3, false);
  std::mt19937_64 rng(procedure_values.size());
  for (std::uint8_t v : procedure_values) {
    auto s = random_state(rng, 70, 2, 3, 1);
    s[2] = v;
    std::vector<Word> key(codec.key_words()), back(3);
    RC_ASSERT(codec.encode(s.data(), key.data()));
    codec.decode(key.data(), back.data());
    RC_ASSERT(back == s);
  }
}

}  // namespace
}  // namespace acdsim::checker
