#include "worker_pool.hpp"

#include <sched.h>

#include <chrono>
#include <cstdio>
#include <system_error>

namespace acdsim::checker {

unsigned available_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

WorkerPool::WorkerPool(unsigned threads) {
  threads_.reserve(threads > 0 ? threads - 1 : 0);
  for (unsigned t = 1; t < threads; ++t) {
    try {
      threads_.emplace_back([this, t] { loop(t); });
    } catch (const std::system_error& e) {  // thread fallback: work with those created
      std::fprintf(stderr, "acdsim: could create only %u of %u search threads (%s); searching on %u\n", t, threads,
                   e.what(), t);
      break;
    }
  }
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    generation_.fetch_add(1);
  }
  start_.notify_all();
  for (std::thread& t : threads_) t.join();
}

namespace {

// Spins until done() or about `microseconds` have passed; true if done().
template <class Done>
bool spin_until(Done&& done, int microseconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::microseconds(microseconds);
  for (unsigned i = 0;; ++i) {
    if (done()) return true;
    if ((i & 63) == 63 && std::chrono::steady_clock::now() > end) return false;
    __builtin_ia32_pause();
  }
}

constexpr int kSpinMicroseconds = 2000;

}  // namespace

void WorkerPool::run(const std::function<void(unsigned)>& job) {
  {
    std::lock_guard lock(mutex_);
    job_ = &job;
    failure_ = nullptr;
    running_.store(static_cast<unsigned>(threads_.size()), std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  start_.notify_all();
  std::exception_ptr mine;
  try {
    job(0);
  } catch (...) {
    mine = std::current_exception();
  }
  if (!spin_until([&] { return running_.load(std::memory_order_acquire) == 0; }, kSpinMicroseconds)) {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return running_.load(std::memory_order_acquire) == 0; });
  }
  std::lock_guard lock(mutex_);
  job_ = nullptr;
  if (mine) std::rethrow_exception(mine);
  if (failure_) std::rethrow_exception(failure_);
}

void WorkerPool::loop(unsigned worker) {
  std::uint64_t seen = 0;
  while (true) {
    const std::function<void(unsigned)>* job;
    if (!spin_until([&] { return generation_.load(std::memory_order_acquire) != seen; }, kSpinMicroseconds)) {
      std::unique_lock lock(mutex_);
      start_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
    }
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      seen = generation_.load(std::memory_order_relaxed);
      job = job_;
    }
    std::exception_ptr failure;
    try {
      (*job)(worker);
    } catch (...) {
      failure = std::current_exception();
    }
    if (failure) {
      std::lock_guard lock(mutex_);
      if (!failure_) failure_ = failure;
    }
    if (running_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard lock(mutex_);  // the caller checks running_ under the lock before it sleeps
      done_.notify_one();
    }
  }
}

}  // namespace acdsim::checker
