// The main search: breadth-first by levels over compressed keys, on
// Options::threads threads, with the one-thread search's results (docs/checker.md,
// "Threads"). The visited set is cut by key hash into one partition per
// thread. A level is expanded in waves of parents:
//   1. expand (parallel, chunks of parents): every successor is put, with its
//      position (the parent's place in the wave, then its own among the
//      parent's), on its partition's list of the chunk;
//   2. store (parallel, a partition per thread at a time): a partition takes
//      its lists chunk by chunk, so its offers come in one-thread order; the
//      first offer of a key it has not stored is a new state: stored, and its
//      invariants evaluated;
//   3. settle (one thread): the partitions' new states, merged by position,
//      are the one-thread order: limits, findings, the next level.
// A partition is written by one thread at a time, so nothing is locked. The
// stubborn sets need no cycle proviso (nothing depends on what is visited) and
// take their give-up decision only between levels (StubbornSets::end_level).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>

#include "checker_impl.hpp"
#include "first_seen.hpp"
#include "key_codec.hpp"
#include "visited_set.hpp"
#include "worker_pool.hpp"

namespace acdsim::checker {

namespace {

constexpr std::size_t kChunkParents = 64;      // parents a thread takes at once
constexpr std::size_t kWaveParents = 1u << 13;  // parents per wave
constexpr unsigned kMaxPartitions = 64;         // of the visited set (settling scans them all)

struct Fresh {  // a new state of the wave, in its partition
  std::uint64_t position;
  std::uint32_t found_begin, found_end, acc_begin, acc_end;
};

// A successor on its way to its partition: position, move, hash, then the key.
constexpr std::size_t kOfferHeader = 3;

// Words appended without being zeroed first (a wave's offers are written once, read once).
class Offers {
 public:
  std::size_t size() const { return size_; }
  const Word* data() const { return data_.get(); }
  void clear() { size_ = 0; }
  Word* append(std::size_t n) {
    if (size_ + n > capacity_) {
      capacity_ = std::max(2 * capacity_, size_ + n + 1024);
      std::unique_ptr<Word[]> more(new Word[capacity_]);
      std::copy(data_.get(), data_.get() + size_, more.get());
      data_ = std::move(more);
    }
    size_ += n;
    return data_.get() + size_ - n;
  }

 private:
  std::unique_ptr<Word[]> data_;
  std::size_t size_ = 0, capacity_ = 0;
};

}  // namespace

bool Checker::Impl::search(Outcome& out, bool wide, std::vector<std::string>& accepted_seen, bool use_por,
                           std::uint64_t max_states) const {
  KeyCodec codec(component_bits, component_words, words, wide);
  const std::size_t k = codec.key_words();
  const std::size_t stride = kOfferHeader + k;
  std::vector<Word> level, next_level;  // keys
  const std::size_t most = steps.size() + model.faults_end();  // successors of one state at most
  const unsigned shift = static_cast<unsigned>(64 - __builtin_clzll(most | 1));
  const bool reducing = use_por && stubborn;
  const unsigned threads = options.threads ? options.threads : available_cores();
  std::unique_ptr<WorkerPool> pool;  // made when a wave has work for more than one thread
  const auto t0 = std::chrono::steady_clock::now();
  auto last_report = t0;
  const bool show = options.progress && ::isatty(2);
  out.key_words = k;

  // The visited set, one partition per thread; the new states each found in a wave.
  struct alignas(64) Partition {  // a line of its own: no false sharing between threads
    VisitedSet visited;
    FirstSeen met;                // keys offered in this wave
    std::vector<const Word*> firsts;  // each key's first offer in this wave
    std::vector<Word> keys;  // of the new states
    std::vector<Fresh> fresh;
    std::vector<Found> found;
    std::vector<std::string> accepted;  // first sightings in this partition's new states
    explicit Partition(std::size_t k) : visited(k), met(k) {}
  };
  const unsigned partition_count = std::min(threads, kMaxPartitions);
  std::vector<Partition> partitions;
  partitions.reserve(partition_count);
  for (unsigned i = 0; i < partition_count; ++i) partitions.emplace_back(k);
  auto partition_of = [&](std::uint64_t h) {  // high bits: the table's slot takes the low ones
    return static_cast<std::size_t>(((h >> 32) * partition_count) >> 32);
  };
  const VisitedSet& sizes = partitions[0].visited;  // memory is counted as for one table of every state

  std::vector<Word> key(k);
  if (!codec.encode(canonical_initial.data(), key.data())) return false;
  const std::uint64_t initial_hash = VisitedSet::hash(key.data(), k);
  partitions[partition_of(initial_hash)].visited.insert(key.data(), initial_hash);
  std::uint64_t stored = 1;  // states stored in one-thread order (the partitions may hold a wave more)
  const bool all = options.all_violations;
  std::vector<Found> here;  // one state's violations
  if (violated_in(initial.data(), accepted_seen, here, all)) {  // nothing to expand
    for (Found& f : here)
      if (out.keys.insert(f.key()).second) f.path = {canonical_initial}, out.found.push_back(std::move(f));
    return true;
  }
  next_level = key;

  // While it stays small, the history of every level's keys with each
  // state's parent: a counterexample's path then needs no second search.
  const std::uint64_t history_budget = std::min(options.trace_history_bytes, options.max_memory_bytes / 8);
  bool tracking = true;
  std::vector<Word> history;
  std::vector<std::uint32_t> parents, next_parents{0};
  std::size_t level_base = 0;  // history index of the current level's first state
  auto history_bytes = [&] { return history.capacity() * sizeof(Word) + (parents.capacity() + next_parents.capacity()) * 4; };
  auto path_through = [&](std::size_t index) {
    std::vector<std::vector<Word>> path;
    std::vector<Word> state(words);
    for (std::size_t i = index;; i = parents[i]) {
      codec.decode(&history[i * k], state.data());
      path.push_back(state);
      if (i == 0) break;
    }
    std::reverse(path.begin(), path.end());
    return path;
  };

  // Keeps the findings in here whose keys are new, with their path while the
  // history is kept (parent: the expanded state's history index; the found
  // state is appended unless it is that one). Returns whether to go on.
  std::uint64_t found_at = 0;  // states stored when the first violation was found
  auto record = [&](std::size_t parent, bool append) {
    for (Found& f : here) {
      if (!out.keys.insert(f.key()).second) continue;
      if (out.found.empty()) found_at = stored;
      if (tracking) {
        f.path = path_through(parent);
        if (append) f.path.push_back(f.state);
      }
      out.found.push_back(std::move(f));
    }
    here.clear();
    return all;
  };
  auto seen = [&](const std::string& id) {
    if (accepted_seen.size() < 8 && std::find(accepted_seen.begin(), accepted_seen.end(), id) == accepted_seen.end())
      accepted_seen.push_back(id);
  };

  std::uint64_t codec_bytes = 0;  // after each wave's expansion
  std::uint64_t stored_capacity = VisitedSet::capacity_after(0);  // of a table grown one insertion at a time
  auto memory = [&](std::size_t more) {
    while (stored * 4 > stored_capacity * 3) stored_capacity *= 2;  // VisitedSet::capacity_after(stored), kept up
    return sizes.bytes_after_growth_at(stored, stored_capacity, more) + codec_bytes +
           (level.capacity() + next_level.capacity()) * sizeof(Word) + history_bytes();
  };
  auto finish = [&] {
    out.states = stored;
    out.bytes = sizes.bytes_at(stored) + codec.bytes() + (level.capacity() + next_level.capacity()) * sizeof(Word) +
                history_bytes();
    out.parts = codec.parts();
    if (show) std::fprintf(stderr, "\r%100s\r", "");
  };

  // A thread's working space.
  struct alignas(64) Context {  // a line of its own: no false sharing between threads
    std::vector<Word> cur, scratch, keys;
    std::vector<std::uint64_t> hashes;
    std::vector<std::uint32_t> moves;
    PartCache cache;
    std::vector<std::string> seen;  // accepted ids judge() saw in one parent
    Context(std::size_t words, std::size_t k, std::size_t part_words)
        : cur(words), scratch(words), keys(64 * k), hashes(64), moves(64), cache(part_words) {}
  };
  std::vector<Context> contexts;  // one per worker
  const std::size_t part_words = std::max<std::size_t>(codec.part_words(), 1);
  contexts.emplace_back(words, k, part_words);

  // What expanding a parent left for settling besides its offers (only when there is something).
  struct Note {
    std::uint32_t parent;  // in the wave
    bool overflow = false;
    std::optional<Found> judged;
    std::vector<std::string> accepted;  // accepted ids judge() saw
  };
  struct alignas(64) Chunk {
    std::size_t begin = 0, end = 0;  // parents, in the wave
    std::vector<Offers> offers;  // per partition: stride words per successor
    std::vector<Note> notes;
  };
  std::vector<Chunk> chunks;
  std::vector<std::uint32_t> successors_of;  // per parent of the wave
  std::vector<std::uint8_t> judged_all;       // per parent: judged with `all`, so not expanded
  std::size_t wave_begin = 0;                 // the wave's first parent, in the level
  alignas(64) std::atomic<std::size_t> next_job{0};
  std::atomic<bool> abort{false};

  // False when a procedure part's number did not fit the key (noted for settling).
  auto expand = [&](Context& c, Chunk& chunk, std::size_t p) {
    const std::size_t at = (wave_begin + p) * k;
    const std::uint64_t part = codec.decode(&level[at], c.cur.data());
    std::size_t n = 0;
    bool overflow = false;
    auto collect = [&](const Word* next, std::uint32_t via) {
      if (n == c.moves.size()) {
        const std::size_t room = std::min(most, 2 * n);
        c.keys.resize(room * k), c.hashes.resize(room), c.moves.resize(room);
      }
      Word* key = &c.keys[n * k];
      if (!codec.encode(next, key, c.cur.data(), part, &c.cache)) return !(overflow = true);
      c.moves[n] = via & kViaMove ? via & ~kViaMove : steps[via].move;
      c.hashes[n] = VisitedSet::hash(key, k);
      ++n;
      return true;
    };
    Expansion x;
    bool reduced = reducing && ample(c.cur.data(), c.scratch.data(), collect);
    if (reduced) {  // no cycle proviso: the stubborn sets need none (docs/checker.md)
      x.moved = true;
      x.refused = refused_step(c.cur.data());
    }
    if (!reduced) x = successors(c.cur.data(), c.scratch.data(), true, collect);
    if (overflow) {
      chunk.notes.push_back(Note{static_cast<std::uint32_t>(p), true, std::nullopt, {}});
      return false;
    }
    c.seen.clear();
    std::optional<Found> judged = judge(c.cur.data(), x, c.seen);
    const bool skip = all && judged;  // collecting all: a state where the procedure breaks is not expanded
    successors_of[p] = static_cast<std::uint32_t>(n);
    judged_all[p] = skip;
    for (std::size_t b = 0; !skip && b < n; ++b) {
      Word* offer = chunk.offers[partition_of(c.hashes[b])].append(stride);
      offer[0] = (std::uint64_t{p} << shift) | b;
      offer[1] = c.moves[b];
      offer[2] = c.hashes[b];
      copy_words(offer + kOfferHeader, &c.keys[b * k], k);
    }
    if (judged || !c.seen.empty()) chunk.notes.push_back(Note{static_cast<std::uint32_t>(p), false, std::move(judged), c.seen});
    return true;
  };
  // Runs job(context) on the pool when there are several chunks, else here.
  auto parallel = [&](auto&& job) {
    abort = false;
    next_job = 0;
    auto guarded = [&](unsigned t) {
      try {
        job(contexts[t]);
      } catch (...) {
        abort = true;
        throw;
      }
    };
    if (threads > 1 && chunks.size() > 1) {
      if (!pool) {
        pool = std::make_unique<WorkerPool>(threads);
        while (contexts.size() < pool->size()) contexts.emplace_back(words, k, part_words);
      }
      pool->run(guarded);
    } else {
      guarded(0);
    }
  };
  auto expand_chunks = [&](Context& c) {
    for (std::size_t i; !abort.load(std::memory_order_relaxed) && (i = next_job++) < chunks.size();) {
      Chunk& chunk = chunks[i];
      for (std::size_t p = chunk.begin; p < chunk.end && expand(c, chunk, p); ++p) {
      }
    }
  };
  auto store_partitions = [&](Context& c) {
    for (std::size_t i; !abort.load(std::memory_order_relaxed) && (i = next_job++) < partitions.size();) {
      Partition& part = partitions[i];
      part.keys.clear(), part.fresh.clear(), part.found.clear(), part.accepted.clear();
      std::size_t offered = 0;
      for (const Chunk& chunk : chunks) offered += chunk.offers[i].size() / stride;
      part.met.start(offered);
      part.firsts.clear();
      constexpr std::size_t kAhead = 8;  // offers: the slot of the 8th one ahead is prefetched
      constexpr std::size_t kFar = 16;   // new keys: the visited slot of the 16th one ahead
      for (const Chunk& chunk : chunks) {
        const Word* offers = chunk.offers[i].data();
        const std::size_t size = chunk.offers[i].size();
        for (std::size_t o = 0; o < std::min(kAhead * stride, size); o += stride) part.met.prefetch(offers[o + 2]);
        for (std::size_t o = 0; o < size; o += stride) {
          if (o + kAhead * stride < size) part.met.prefetch(offers[o + kAhead * stride + 2]);
          if (part.met.first(&offers[o + kOfferHeader], offers[o + 2])) part.firsts.push_back(&offers[o]);
        }
      }
      for (std::size_t j = 0; j < std::min(kFar, part.firsts.size()); ++j) part.visited.prefetch(part.firsts[j][2]);
      for (std::size_t j = 0; j < part.firsts.size(); ++j) {
        if (j + kFar < part.firsts.size()) part.visited.prefetch(part.firsts[j + kFar][2]);
        const Word* offer = part.firsts[j];
        const Word* key = offer + kOfferHeader;
        if (!part.visited.insert(key, offer[2])) continue;
        codec.decode(key, c.cur.data());
        Fresh f{offer[0], static_cast<std::uint32_t>(part.found.size()), 0,
                static_cast<std::uint32_t>(part.accepted.size()), 0};
        violated_in(c.cur.data(), part.accepted, part.found, all, static_cast<std::uint32_t>(offer[1]));
        f.found_end = static_cast<std::uint32_t>(part.found.size());
        f.acc_end = static_cast<std::uint32_t>(part.accepted.size());
        part.fresh.push_back(f);
        part.keys.insert(part.keys.end(), key, key + k);
      }
    }
  };

  std::vector<std::size_t> taken(partitions.size());  // settling: new states taken, per partition
  for (out.depth = 0; !next_level.empty(); ++out.depth) {
    if (stubborn) stubborn->end_level();
    level.swap(next_level);
    next_level.clear();
    if (tracking && history_bytes() + level.size() * sizeof(Word) > history_budget) {
      tracking = false;
      std::vector<Word>().swap(history);
      std::vector<std::uint32_t>().swap(parents);
      std::vector<std::uint32_t>().swap(next_parents);
    }
    if (tracking) {
      level_base = history.size() / k;
      history.insert(history.end(), level.begin(), level.end());
      parents.insert(parents.end(), next_parents.begin(), next_parents.end());
      next_parents.clear();
    }
    const std::size_t level_states = level.size() / k;
    const std::size_t wave_size = options.wave_parents ? options.wave_parents : kWaveParents;
    for (wave_begin = 0; wave_begin < level_states; wave_begin += wave_size) {
      const std::size_t count = std::min(wave_size, level_states - wave_begin);
      if ((std::uint64_t{count} << shift) >> shift != count || count > UINT32_MAX)
        throw std::length_error("a breadth-first level too large to order");
      const std::size_t chunk_parents = options.wave_parents ? std::max<std::size_t>(1, options.wave_parents / 4) : kChunkParents;
      chunks.resize((count + chunk_parents - 1) / chunk_parents);  // their lists keep their room from wave to wave
      for (std::size_t i = 0; i < chunks.size(); ++i) {
        Chunk& chunk = chunks[i];
        chunk.begin = i * chunk_parents;
        chunk.end = std::min(count, chunk.begin + chunk_parents);
        chunk.offers.resize(partitions.size());
        for (Offers& offers : chunk.offers) offers.clear();
        chunk.notes.clear();
      }
      successors_of.assign(count, 0);
      judged_all.assign(count, 0);
      // 1. expand
      parallel(expand_chunks);
      // A procedure part's number did not fit the key: start again with a wider one.
      for (const Chunk& chunk : chunks)
        for (const Note& note : chunk.notes)
          if (note.overflow) return false;
      codec_bytes = codec.bytes();
      // 2. store the new states
      parallel(store_partitions);
      // 3. settle, in one-thread order: the partitions' new states merged by position
      std::fill(taken.begin(), taken.end(), 0);
      for (Chunk& chunk : chunks) {
        std::size_t ni = 0;
        for (std::size_t p = chunk.begin; p < chunk.end; ++p) {
          Note* note = ni < chunk.notes.size() && chunk.notes[ni].parent == p ? &chunk.notes[ni++] : nullptr;
          const std::size_t parent = level_base + wave_begin + p;  // history index
          const std::size_t n = successors_of[p];
          out.transitions += n;
          if (all && note)
            for (const std::string& id : note->accepted) seen(id);
          if (n > 0 && !judged_all[p] && memory(n) > options.max_memory_bytes) {
            char text[64];
            std::snprintf(text, sizeof text, "memory limit of %.1f MiB reached", options.max_memory_bytes / 1048576.0);
            out.limit = text;
            return finish(), true;
          }
          while (true) {  // the next new state, if it is one of p's
            std::size_t from = partitions.size();
            std::uint64_t first = UINT64_MAX;
            for (std::size_t i = 0; i < partitions.size(); ++i)
              if (taken[i] < partitions[i].fresh.size() && partitions[i].fresh[taken[i]].position < first)
                first = partitions[(from = i)].fresh[taken[i]].position;
            if (from == partitions.size() || first >> shift != p) break;
            Partition& part = partitions[from];
            const Fresh& s = part.fresh[taken[from]];
            const Word* key = &part.keys[taken[from]++ * k];
            for (std::uint32_t a = s.acc_begin; a < s.acc_end; ++a) seen(part.accepted[a]);
            ++stored;
            if (s.found_end > s.found_begin) {
              for (std::uint32_t f = s.found_begin; f < s.found_end; ++f) here.push_back(std::move(part.found[f]));
              if (!record(parent, true)) return finish(), true;
              continue;  // a violating state is not expanded
            }
            next_level.insert(next_level.end(), key, key + k);
            if (tracking) next_parents.push_back(static_cast<std::uint32_t>(parent));
            if (stored >= max_states) {
              out.limit = "state limit of " + std::to_string(max_states) + " reached";
              return finish(), true;
            }
            if (!out.found.empty() && stored - found_at >= options.states_after_violation) {
              out.limit = "looked at " + std::to_string(options.states_after_violation) +
                          " states past the first violation for further ones";
              return finish(), true;
            }
          }
          if (!all && note)
            for (const std::string& id : note->accepted) seen(id);
          if (note && note->judged) {
            here.push_back(std::move(*note->judged));
            if (!record(parent, false)) return finish(), true;
          }
        }
      }
      if (show && std::chrono::steady_clock::now() - last_report > std::chrono::milliseconds(500)) {
        last_report = std::chrono::steady_clock::now();
        const double s = std::chrono::duration<double>(last_report - t0).count();
        std::fprintf(stderr, "\r%llu states, %.0f states/s, depth %u, queue %zu, %zu violations so far   ",
                     static_cast<unsigned long long>(stored), stored / (s > 0 ? s : 1), out.depth,
                     (level.size() + next_level.size()) / k - wave_begin - count, out.found.size());
      }
    }
  }
  return finish(), true;
}

}  // namespace acdsim::checker
