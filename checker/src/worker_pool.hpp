// The search's threads: run(job) calls job(worker) on every worker at once
// (worker 0 is the calling thread) and returns when all are done, rethrowing
// the first exception a worker threw. When the system refuses to create a
// thread, the pool works with those it has (none: the calling thread alone).
// The search hands out a job per phase of every wave, thousands a second:
// waiting threads spin a little before they sleep, since waking a sleeping
// thread costs more than a short phase on a virtual machine.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace acdsim::checker {

// The cores this process may run on (affinity mask, cgroup cpusets), at least 1.
unsigned available_cores();

class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  unsigned size() const { return static_cast<unsigned>(threads_.size()) + 1; }
  void run(const std::function<void(unsigned)>& job);

 private:
  void loop(unsigned worker);

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable start_, done_;
  const std::function<void(unsigned)>* job_ = nullptr;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<unsigned> running_{0};
  bool stopping_ = false;
  std::exception_ptr failure_;
};

}  // namespace acdsim::checker
