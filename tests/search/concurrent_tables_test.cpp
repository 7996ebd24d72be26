// The parallel search's shared structures, hammered from several threads:
// the wave table keeps each key's lowest position and move, the visited set
// stores each key once, interned parts get one number each, and the worker
// pool runs a job on every worker and rethrows a worker's exception.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "part_table.hpp"
#include "visited_set.hpp"
#include "wave_table.hpp"
#include "worker_pool.hpp"

namespace acdsim::checker {
namespace {

constexpr unsigned kThreads = 4;

TEST(ConcurrentTables, WaveTableKeepsTheLowestPositionOfEveryKey) {
  for (std::size_t k : {1u, 3u}) {
    WaveTable wave(k, 1u << 12);
    const std::uint64_t keys = 2000;
    auto key_of = [&](std::uint64_t i) {
      std::vector<Word> key(k, 0);
      key[k - 1] = i + 1;  // never all zero
      if (k > 1) key[0] = i * 7;
      return key;
    };
    // Thread t offers key i at position i * kThreads + (t + i) % kThreads: the lowest is i * kThreads.
    std::vector<std::thread> threads;
    std::atomic<std::uint64_t> claims{0};
    for (unsigned t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (std::uint64_t i = 0; i < keys; ++i) {
          const std::vector<Word> key = key_of(i);
          const std::uint64_t position = i * kThreads + (t + i) % kThreads;
          bool claimed = false;
          wave.offer(key.data(), VisitedSet::hash(key.data(), k), position, static_cast<std::uint32_t>(position), claimed);
          claims += claimed;
        }
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(claims, keys);  // one claim per key
    std::set<std::uint64_t> positions;
    for (std::uint64_t slot = 0; slot < wave.capacity(); ++slot) {
      if (wave.key(slot)[k - 1] == 0) continue;  // empty
      const std::uint64_t i = wave.key(slot)[k - 1] - 1;
      EXPECT_EQ(wave.position(slot), i * kThreads) << "key " << i;
      EXPECT_EQ(wave.move(slot), i * kThreads) << "key " << i;
      positions.insert(wave.position(slot));
    }
    EXPECT_EQ(positions.size(), keys);
  }
}

TEST(ConcurrentTables, VisitedSetStoresEachKeyOnce) {
  for (std::size_t k : {1u, 2u}) {
    VisitedSet set(k);
    const std::uint64_t keys = 50'000;
    set.reserve(keys);
    std::atomic<std::uint64_t> stored{0};
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (std::uint64_t i = t; i < keys; i += kThreads) {
          std::vector<Word> key(k, i + 1);
          const std::uint64_t h = VisitedSet::hash(key.data(), k);
          if (k == 1) {
            stored += set.insert_shared(key[0], h);
          } else {
            set.insert_new_shared(key.data(), h);
            ++stored;
          }
        }
      });
    for (auto& t : threads) t.join();
    set.add_count(stored);
    EXPECT_EQ(set.size(), keys);
    for (std::uint64_t i = 0; i < keys; ++i) {
      std::vector<Word> key(k, i + 1);
      EXPECT_TRUE(set.contains(key.data(), VisitedSet::hash(key.data(), k))) << i;
      if (k == 1) {
        EXPECT_FALSE(set.insert_shared(key[0], VisitedSet::hash(key.data(), k)));
      }
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
  EXPECT_GE(available_cores(), 1u);
}

}  // namespace
}  // namespace acdsim::checker
