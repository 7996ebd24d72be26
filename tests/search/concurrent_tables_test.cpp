// The parallel search's structures: a partition's table of the keys met in a
// wave and its visited set; hammered from several threads, interned parts get
// one number each, and the worker pool runs a job on every worker, rethrows a
// worker's exception, and wakes workers and caller that fell asleep.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "first_seen.hpp"
#include "part_table.hpp"
#include "visited_set.hpp"
#include "worker_pool.hpp"

namespace acdsim::checker {
namespace {

constexpr unsigned kThreads = 4;

// The per-wave table of a partition: the first offer of each key in a wave
// is first, later ones are not, and the next wave starts empty, also after
// the table grew for a bigger wave.
TEST(ConcurrentTables, FirstSeenKnowsEachKeysFirstOfferInAWave) {
  for (std::size_t k : {1u, 3u}) {
    FirstSeen met(k);
    auto key_of = [&](std::uint64_t i) {
      std::vector<Word> key(k, i * 7);
      key[k - 1] = i + 1;
      return key;
    };
    for (std::uint64_t wave : {100u, 3000u, 100u}) {  // the second wave makes the table grow
      met.start(2 * wave);
      for (int round = 0; round < 2; ++round)
        for (std::uint64_t i = 0; i < wave; ++i) {
          const std::vector<Word> key = key_of(i);
          EXPECT_EQ(met.first(key.data(), VisitedSet::hash(key.data(), k)), round == 0) << "wave " << wave << " key " << i;
        }
    }
  }
}

TEST(ConcurrentTables, VisitedSetStoresEachKeyOnceWhileGrowing) {
  for (std::size_t k : {1u, 2u}) {
    VisitedSet set(k);
    const std::uint64_t keys = 200'000;  // grows from 65,536 slots twice
    for (std::uint64_t i = 0; i < keys; ++i) {
      std::vector<Word> key(k, i + 1);
      EXPECT_TRUE(set.insert(key.data(), VisitedSet::hash(key.data(), k))) << i;
    }
    EXPECT_EQ(set.size(), keys);
    for (std::uint64_t i = 0; i < keys; ++i) {
      std::vector<Word> key(k, i + 1);
      EXPECT_TRUE(set.contains(key.data(), VisitedSet::hash(key.data(), k))) << i;
      EXPECT_FALSE(set.insert(key.data(), VisitedSet::hash(key.data(), k))) << i;
    }
  }
}

TEST(ConcurrentTables, InternedPartsHaveOneNumberEach) {
  PartTable table(2);
  const std::uint64_t parts = 5000;  // several segments and growths
  std::vector<std::vector<std::uint64_t>> numbers(kThreads, std::vector<std::uint64_t>(parts));
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      PartCache cache(2);
      for (std::uint64_t n = 0; n < parts; ++n) {
        const std::uint64_t i = (n * 7919 + t * 13) % parts;
        const Word part[2] = {i, i * 3 + 1};
        const std::uint64_t h = PartCache::hash(part, 2);
        std::uint64_t index = cache.find(part, h);
        if (index == PartCache::kNone) cache.put(part, h, index = table.intern(part));
        numbers[t][i] = index;
        EXPECT_EQ(table.at(index)[0], i);  // readable at once, without a lock
        EXPECT_EQ(table.at(index)[1], i * 3 + 1);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(table.size(), parts);
  for (unsigned t = 1; t < kThreads; ++t) EXPECT_EQ(numbers[t], numbers[0]);
}

TEST(ConcurrentTables, WorkerPoolRunsEveryWorkerAndRethrows) {
  WorkerPool pool(kThreads);
  ASSERT_EQ(pool.size(), kThreads);
  for (int round = 0; round < 50; ++round) {
    std::vector<int> ran(kThreads, 0);
    pool.run([&](unsigned w) { ran[w] += 1; });
    EXPECT_EQ(ran, std::vector<int>(kThreads, 1));
  }
  EXPECT_THROW(pool.run([](unsigned w) {
    if (w == kThreads - 1) throw std::runtime_error("worker failed");
  }), std::runtime_error);
  EXPECT_THROW(pool.run([](unsigned w) {
    if (w == 0) throw std::bad_alloc();
  }), std::bad_alloc);
  std::atomic<int> after{0};
  pool.run([&](unsigned) { ++after; });  // still usable
  EXPECT_EQ(after, static_cast<int>(kThreads));
  // Longer than the spin (2 ms): the workers, then the caller, have gone to sleep.
  for (int round = 0; round < 5; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::atomic<int> ran{0};
    pool.run([&](unsigned w) {
      if (w == kThreads - 1) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      ++ran;
    });
    EXPECT_EQ(ran, static_cast<int>(kThreads));
  }
  EXPECT_GE(available_cores(), 1u);
}

}  // namespace
}  // namespace acdsim::checker
