// The main search: breadth-first by levels over compressed keys, on
// Options::threads threads, with the one-thread search's results (docs/checker.md,
// "Threads"). A level is expanded in waves of parents:
//   1. expand (parallel, chunks of parents): every successor is offered to the
//      wave table, which keeps per key the first position (parent, then
//      successor) the one-thread search meets it at;
//   2. sift (parallel): a chunk's offers still holding their key's first
//      position and not in the visited set are the wave's new states, in
//      one-thread order; their invariants are evaluated and they are stored;
//   3. settle (one thread, in order): limits, findings, the next level.
// The visited set is only read while a wave is expanded, so what a thread
// finds there does not depend on the others' timing. The stubborn sets need
// no cycle proviso (nothing depends on what is visited) and take their
// give-up decision only between levels (StubbornSets::end_level).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>

#include "checker_impl.hpp"
#include "key_codec.hpp"
#include "visited_set.hpp"
#include "wave_table.hpp"
#include "worker_pool.hpp"

namespace acdsim::checker {

namespace {

constexpr std::size_t kChunkParents = 64;      // parents a thread takes at once
constexpr std::size_t kWaveParents = 1u << 13;  // parents per wave without partial-order reduction

struct Survivor {  // a new state of the wave
  std::uint64_t slot;
  std::uint32_t parent;  // in the wave
  std::uint32_t found_begin, found_end, acc_begin, acc_end;
};

}  // namespace

bool Checker::Impl::search(Outcome& out, bool wide, std::vector<std::string>& accepted_seen, bool use_por,
                           std::uint64_t max_states) const {
  KeyCodec codec(component_bits, component_words, words, wide);
  const std::size_t k = codec.key_words();
  VisitedSet visited(k);
  WaveTable wave(k);
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

  std::vector<Word> key(k);
  if (!codec.encode(canonical_initial.data(), key.data())) return false;
  visited.insert(key.data(), VisitedSet::hash(key.data(), k));
  std::uint64_t stored = 1;  // states stored in one-thread order (the visited set may hold a wave more)
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
    return visited.bytes_after_growth_at(stored, stored_capacity, more) + codec_bytes +
           (level.capacity() + next_level.capacity()) * sizeof(Word) + history_bytes();
  };
  auto finish = [&] {
    out.states = stored;
    out.bytes = visited.bytes_at(stored) + codec.bytes() + (level.capacity() + next_level.capacity()) * sizeof(Word) +
                history_bytes();
    out.parts = codec.parts();
    if (show) std::fprintf(stderr, "\r%100s\r", "");
  };

  // A thread's working space.
  struct alignas(64) Context {  // a line of its own: no false sharing between threads
    std::vector<Word> cur, scratch, keys;
    std::vector<std::uint64_t> hashes;
    std::vector<std::uint32_t> moves;
    struct First {
      std::uint64_t slot, hash, position;
    };
    std::vector<First> firsts;  // a chunk's offers holding their key's first position
    PartCache cache;
    std::size_t room = 0;  // wave table entries reserved and not yet taken
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
    std::size_t begin = 0, end = 0, resume = 0;  // parents, in the wave
    std::vector<std::pair<std::uint64_t, std::uint64_t>> offers;  // (slot, position) this chunk set
    std::vector<Note> notes;
    std::vector<Survivor> survivors;
    std::vector<Found> found;
    std::vector<std::string> accepted;  // first sightings in this chunk
  };
  std::vector<Chunk> chunks;
  std::vector<std::uint32_t> successors_of;  // per parent of the wave
  std::vector<std::uint8_t> judged_all;       // per parent: judged with `all`, so not expanded
  std::size_t wave_begin = 0;                 // the wave's first parent, in the level
  alignas(64) std::atomic<std::size_t> next_chunk{0};
  alignas(64) std::atomic<bool> pause{false};
  std::atomic<bool> abort{false};

  enum class Expanded { Done, Paused, Overflow };
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
      wave.prefetch(c.hashes[n]);
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
      return Expanded::Overflow;
    }
    c.seen.clear();
    std::optional<Found> judged = judge(c.cur.data(), x, c.seen);
    const bool skip = all && judged;  // collecting all: a state where the procedure breaks is not expanded
    // Every successor is offered; those already visited are sifted out per key, not per offer.
    const std::size_t offered = skip ? 0 : n;
    if (offered > c.room) {  // room in the wave table, taken in blocks: one shared update per many parents
      const std::size_t more = std::max<std::size_t>(offered - c.room, 512);
      if (!wave.reserve(more)) return Expanded::Paused;
      c.room += more;
    }
    successors_of[p] = static_cast<std::uint32_t>(n);
    judged_all[p] = skip;
    std::size_t claimed = 0;
    for (std::size_t b = 0; b < offered; ++b) {
      const std::uint64_t position = (std::uint64_t{p} << shift) | b;
      bool fresh = false;
      const std::uint64_t slot = wave.offer(&c.keys[b * k], c.hashes[b], position, c.moves[b], fresh);
      if (slot != WaveTable::kNoSlot) chunk.offers.emplace_back(slot, position);
      claimed += fresh;
    }
    c.room -= claimed;
    if (judged || !c.seen.empty()) chunk.notes.push_back(Note{static_cast<std::uint32_t>(p), false, std::move(judged), c.seen});
    return Expanded::Done;
  };
  // Runs job(context) on the pool when there are several chunks, else here.
  auto parallel = [&](auto&& job) {
    abort = false;
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
    for (std::size_t i; !pause.load(std::memory_order_relaxed) && !abort.load(std::memory_order_relaxed) &&
                        (i = next_chunk++) < chunks.size();) {
      Chunk& chunk = chunks[i];
      for (; chunk.resume < chunk.end && !pause.load(std::memory_order_relaxed); ++chunk.resume) {
        const Expanded e = expand(c, chunk, chunk.resume);
        if (e == Expanded::Paused) {
          pause = true;
          break;
        }
        if (e == Expanded::Overflow) {
          chunk.resume = chunk.end;
          break;
        }
      }
    }
    wave.release(c.room);  // so that the table counts its entries
    c.room = 0;
  };
  auto sift_chunks = [&](Context& c) {
    for (std::size_t i; !abort.load(std::memory_order_relaxed) && (i = next_chunk++) < chunks.size();) {
      Chunk& chunk = chunks[i];
      c.firsts.clear();  // offers still holding their key's first position
      const bool lowered = wave.lowered();
      for (const auto& [slot, position] : chunk.offers)
        if (!lowered || wave.position(slot) == position) c.firsts.push_back({slot, VisitedSet::hash(wave.key(slot), k), position});
      constexpr std::size_t kAhead = 8;
      for (std::size_t j = 0; j < std::min(kAhead, c.firsts.size()); ++j) visited.prefetch(c.firsts[j].hash);
      for (std::size_t j = 0; j < c.firsts.size(); ++j) {
        if (j + kAhead < c.firsts.size()) visited.prefetch(c.firsts[j + kAhead].hash);
        const auto [slot, h, position] = c.firsts[j];
        // seen in an earlier wave? One-word keys are stored at once (no other thread stores the same key).
        if (k == 1 ? !visited.insert_shared(*wave.key(slot), h) : visited.contains(wave.key(slot), h)) continue;
        codec.decode(wave.key(slot), c.cur.data());
        Survivor s{slot, static_cast<std::uint32_t>(position >> shift), static_cast<std::uint32_t>(chunk.found.size()), 0,
                   static_cast<std::uint32_t>(chunk.accepted.size()), 0};
        violated_in(c.cur.data(), chunk.accepted, chunk.found, all, wave.move(slot));
        s.found_end = static_cast<std::uint32_t>(chunk.found.size());
        s.acc_end = static_cast<std::uint32_t>(chunk.accepted.size());
        chunk.survivors.push_back(s);
      }
    }
  };
  auto insert_chunks = [&](Context&) {
    for (std::size_t i; !abort.load(std::memory_order_relaxed) && (i = next_chunk++) < chunks.size();) {
      const std::vector<Survivor>& sv = chunks[i].survivors;
      constexpr std::size_t kAhead = 8;
      for (std::size_t j = 0; j < sv.size(); ++j) {
        if (j + kAhead < sv.size()) visited.prefetch(VisitedSet::hash(wave.key(sv[j + kAhead].slot), k));
        visited.insert_new_shared(wave.key(sv[j].slot), VisitedSet::hash(wave.key(sv[j].slot), k));
      }
    }
  };

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
        chunk.begin = chunk.resume = i * chunk_parents;
        chunk.end = std::min(count, chunk.begin + chunk_parents);
        chunk.offers.clear(), chunk.notes.clear(), chunk.survivors.clear(), chunk.found.clear(), chunk.accepted.clear();
      }
      successors_of.assign(count, 0);
      judged_all.assign(count, 0);
      // 1. expand; when the wave table is full, grow it and go on where each chunk stopped
      while (true) {
        pause = false;
        next_chunk = 0;
        parallel(expand_chunks);
        if (!pause) break;
        const std::vector<std::uint64_t> moved = wave.grow();
        for (Chunk& chunk : chunks)
          for (auto& offer : chunk.offers) offer.first = moved[offer.first];
      }
      // A procedure part's number did not fit the key: start again with a wider one.
      for (const Chunk& chunk : chunks)
        for (const Note& note : chunk.notes)
          if (note.overflow) return false;
      codec_bytes = codec.bytes();
      // 2. sift, then store the new states (one-word keys: while sifting)
      if (k == 1) visited.reserve(wave.entries());
      next_chunk = 0;
      parallel(sift_chunks);
      std::size_t fresh = 0;
      for (const Chunk& chunk : chunks) fresh += chunk.survivors.size();
      if (k > 1) {
        visited.reserve(fresh);
        next_chunk = 0;
        parallel(insert_chunks);
      }
      visited.add_count(fresh);
      // 3. settle, in one-thread order
      for (Chunk& chunk : chunks) {
        std::size_t si = 0, ni = 0;
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
          for (; si < chunk.survivors.size() && chunk.survivors[si].parent == p; ++si) {
            const Survivor& s = chunk.survivors[si];
            for (std::uint32_t a = s.acc_begin; a < s.acc_end; ++a) seen(chunk.accepted[a]);
            ++stored;
            if (s.found_end > s.found_begin) {
              for (std::uint32_t f = s.found_begin; f < s.found_end; ++f) here.push_back(std::move(chunk.found[f]));
              if (!record(parent, true)) return finish(), true;
              continue;  // a violating state is not expanded
            }
            next_level.insert(next_level.end(), wave.key(s.slot), wave.key(s.slot) + k);
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
      if (wave.entries() * 16 < wave.capacity()) {  // few entries: clear those, not the whole table
        for (const Chunk& chunk : chunks)
          for (const auto& offer : chunk.offers) wave.clear(offer.first);
        wave.cleared();
      } else {
        wave.clear();
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
