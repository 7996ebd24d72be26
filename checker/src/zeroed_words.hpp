// A fixed-size array of zeroed words for the visited set. Large tables are
// probed at random, so with 4 KiB pages nearly every probe is a TLB miss and
// a page walk (perf on the (8,8) bench: most of the search's time sat on the
// prefetch of the next slot). Big arrays are therefore mapped directly and
// asked for transparent huge pages; the kernel's zero pages also make a fresh
// table free to clear.
#pragma once
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <utility>

#include "acdsim/checker/compiled.hpp"

namespace acdsim::checker {

class ZeroedWords {
 public:
  ZeroedWords() = default;
  explicit ZeroedWords(std::size_t n) : size_(n) {
    if (n == 0) return;
    const std::size_t bytes = n * sizeof(Word);
    if (bytes < kHuge) {
      data_ = new Word[n]();
      return;
    }
    // Over-map by one huge page so the array can start on a 2 MiB boundary.
    mapped_ = bytes + kHuge;
    void* p = ::mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    map_ = p;
    const auto start = (reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
    data_ = reinterpret_cast<Word*>(start);
#ifdef MADV_HUGEPAGE
    ::madvise(data_, (bytes + kHuge - 1) & ~(kHuge - 1), MADV_HUGEPAGE);  // a hint: no huge pages is only slower
#endif
  }
  ZeroedWords(ZeroedWords&& o) noexcept { swap(o); }
  ZeroedWords& operator=(ZeroedWords&& o) noexcept {
    ZeroedWords(std::move(o)).swap(*this);
    return *this;
  }
  ZeroedWords(const ZeroedWords&) = delete;
  ZeroedWords& operator=(const ZeroedWords&) = delete;
  ~ZeroedWords() {
    if (map_) ::munmap(map_, mapped_);
    else delete[] data_;
  }

  void swap(ZeroedWords& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(map_, o.map_);
    std::swap(mapped_, o.mapped_);
  }
  std::size_t size() const { return size_; }
  Word* data() { return data_; }
  const Word* data() const { return data_; }
  Word& operator[](std::size_t i) { return data_[i]; }
  const Word& operator[](std::size_t i) const { return data_[i]; }

 private:
  static constexpr std::size_t kHuge = std::size_t{2} << 20;
  Word* data_ = nullptr;
  std::size_t size_ = 0;
  void* map_ = nullptr;
  std::size_t mapped_ = 0;
};

}  // namespace acdsim::checker
