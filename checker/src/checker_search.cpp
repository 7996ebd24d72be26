// The main search: breadth-first by levels over compressed keys.
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "checker_impl.hpp"
#include "key_codec.hpp"
#include "visited_set.hpp"

namespace acdsim::checker {

bool Checker::Impl::search(Outcome& out, bool wide, std::vector<std::string>& accepted_seen, bool use_por,
            std::uint64_t max_states) const {
  KeyCodec codec(component_bits, component_words, words, wide);
  const std::size_t k = codec.key_words();
  VisitedSet visited(k);
  std::vector<Word> level, next_level;  // keys
  std::vector<Word> cur(words), scratch(words);
  // One state's successors, inserted together so their table slots are prefetched.
  // Sized for the most a state has had so far, not for every step and fault at
  // once: with 100,000 steps that was steps x state words, 1.3 GB.
  const std::size_t most = steps.size() + model.faults_end();  // successors of one state at most
  std::vector<Word> batch_states, batch_keys;
  std::vector<std::uint64_t> batch_hashes;
  std::vector<std::uint32_t> batch_moves;
  auto batch_room = [&](std::size_t n) {
    if (n < batch_moves.size()) return;
    const std::size_t room = std::min(most, std::max<std::size_t>(64, 2 * batch_moves.size()));
    batch_states.resize(room * words), batch_keys.resize(room * k), batch_hashes.resize(room), batch_moves.resize(room);
  };
  batch_room(0);
  const auto t0 = std::chrono::steady_clock::now();
  auto last_report = t0;
  const bool show = options.progress && ::isatty(2);
  out.key_words = k;

  std::vector<Word> key(k);
  if (!codec.encode(canonical_initial.data(), key.data())) return false;
  visited.insert(key.data(), VisitedSet::hash(key.data(), k));
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
      if (out.found.empty()) found_at = visited.size();
      if (tracking) {
        f.path = path_through(parent);
        if (append) f.path.push_back(f.state);
      }
      out.found.push_back(std::move(f));
    }
    here.clear();
    return all;
  };

  auto memory = [&](std::size_t more) {
    return visited.bytes_after_growth(more) + codec.bytes() +
           (level.capacity() + next_level.capacity()) * sizeof(Word) + history_bytes();
  };
  auto finish = [&] {
    out.states = visited.size();
    out.bytes = visited.bytes() + codec.bytes() + (level.capacity() + next_level.capacity()) * sizeof(Word) +
                history_bytes();
    out.parts = codec.parts();
    if (show) std::fprintf(stderr, "\r%100s\r", "");
  };
  for (out.depth = 0; !next_level.empty(); ++out.depth) {
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
    for (std::size_t at = 0; at < level.size(); at += k) {
      const std::uint64_t part = codec.decode(&level[at], cur.data());
      std::size_t n = 0;
      bool overflow = false;
      auto collect = [&](const Word* next, std::uint32_t via) {
        batch_room(n);
        Word* key = &batch_keys[n * k];
        if (!codec.encode(next, key, cur.data(), part)) return !(overflow = true);
        copy_words(&batch_states[n * words], next, words);
        batch_moves[n] = via & kViaMove ? via & ~kViaMove : steps[via].move;
        batch_hashes[n] = VisitedSet::hash(key, k);
        visited.prefetch(batch_hashes[n]);
        ++n;
        return true;
      };
      Expansion x;
      bool reduced = use_por && stubborn && ample(cur.data(), scratch.data(), collect);
      if (reduced) {  // no cycle proviso: the stubborn sets need none (docs/checker.md)
        x.moved = true;
        x.refused = refused_step(cur.data());
      }
      if (!reduced) x = successors(cur.data(), scratch.data(), true, collect);
      if (overflow) return false;
      out.transitions += n;
      // Collecting all: a state where the procedure breaks (a refused step) is not expanded.
      std::optional<Found> judged;
      if (all && (judged = judge(cur.data(), x, accepted_seen))) n = 0;
      if (n > 0 && memory(n) > options.max_memory_bytes) {
        char text[64];
        std::snprintf(text, sizeof text, "memory limit of %.1f MiB reached", options.max_memory_bytes / 1048576.0);
        out.limit = text;
        return finish(), true;
      }
      for (std::size_t b = 0; b < n; ++b) {
        if (!visited.insert(&batch_keys[b * k], batch_hashes[b])) continue;
        if (violated_in(&batch_states[b * words], accepted_seen, here, all, batch_moves[b])) {
          if (!record(level_base + at / k, true)) return finish(), true;
          continue;  // a violating state is not expanded
        }
        next_level.insert(next_level.end(), &batch_keys[b * k], &batch_keys[b * k] + k);
        if (tracking) next_parents.push_back(static_cast<std::uint32_t>(level_base + at / k));
        if (visited.size() >= max_states) {
          out.limit = "state limit of " + std::to_string(max_states) + " reached";
          return finish(), true;
        }
        if (!out.found.empty() && visited.size() - found_at >= options.states_after_violation) {
          out.limit = "looked at " + std::to_string(options.states_after_violation) +
                      " states past the first violation for further ones";
          return finish(), true;
        }
      }
      if (!all) judged = judge(cur.data(), x, accepted_seen);
      if (judged) {
        here.push_back(std::move(*judged));
        if (!record(level_base + at / k, false)) return finish(), true;
      }
      if (show && (at & 0xFFFF) == 0) {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_report > std::chrono::milliseconds(500)) {
          last_report = now;
          const double s = std::chrono::duration<double>(now - t0).count();
          std::fprintf(stderr, "\r%zu states, %.0f states/s, depth %u, queue %zu, %zu violations so far   ",
                       visited.size(), visited.size() / (s > 0 ? s : 1), out.depth,
                       (level.size() - at + next_level.size()) / k, out.found.size());
        }
      }
    }
  }
  return finish(), true;
}

}  // namespace acdsim::checker
