#pragma once
// Owning device allocations for tests.

#include "support/cuda_check.hpp"

#include <cuda_runtime.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace gemv::test {

/// cudaMalloc'd storage of exactly size() `T`s. Sized exactly, never from a
/// larger earlier allocation: a read past the end then leaves the allocation,
/// where compute-sanitizer reports it.
template <class T>
class device_buffer {
 public:
  device_buffer() = default;
  explicit device_buffer(std::size_t count) { resize(count); }
  device_buffer(const device_buffer&) = delete;
  device_buffer& operator=(const device_buffer&) = delete;
  device_buffer(device_buffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  ~device_buffer() { cudaFree(data_); }  // may run after the runtime shut down: ignore errors

  T* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  std::size_t bytes() const noexcept { return size_ * sizeof(T); }

  /// `count` elements of unspecified content. Keeps the allocation (and its
  /// address) only when the size is the same.
  void resize(std::size_t count) {
    if (count == size_) return;
    GEMV_CUDA_CHECK(cudaFree(std::exchange(data_, nullptr)));
    size_ = 0;
    if (count == 0) return;
    GEMV_CUDA_CHECK(cudaMalloc(&data_, count * sizeof(T)));
    size_ = count;
  }

  /// Becomes a copy of `host`, complete when this returns. (From pageable
  /// memory cudaMemcpy may return with the last transfer still in flight,
  /// which work on a non-blocking stream would race.) An empty `host` frees
  /// the buffer: data() is then null.
  void assign(const std::vector<T>& host) {
    resize(host.size());
    if (host.empty()) return;
    GEMV_CUDA_CHECK(cudaMemcpy(data_, host.data(), bytes(), cudaMemcpyHostToDevice));
    GEMV_CUDA_CHECK(cudaDeviceSynchronize());
  }

  /// The whole buffer, copied to the host.
  std::vector<T> to_host() const {
    std::vector<T> host(size_);
    GEMV_CUDA_CHECK(cudaMemcpy(host.data(), data_, bytes(), cudaMemcpyDeviceToHost));
    return host;
  }

  /// Index of the first element that differs bitwise from `host`, or -1 when
  /// none does (0 when the sizes differ). Copies back in pieces, so that a
  /// buffer of gigabytes needs no second host copy.
  std::int64_t first_difference(const std::vector<T>& host) const {
    if (host.size() != size_) return 0;
    constexpr std::size_t kPiece = (std::size_t{64} << 20) / sizeof(T);
    std::vector<T> piece(std::min(size_, kPiece));
    for (std::size_t begin = 0; begin < size_; begin += kPiece) {
      const std::size_t count = std::min(kPiece, size_ - begin);
      GEMV_CUDA_CHECK(cudaMemcpy(piece.data(), data_ + begin, count * sizeof(T), cudaMemcpyDeviceToHost));
      if (std::memcmp(piece.data(), host.data() + begin, count * sizeof(T)) == 0) continue;
      for (std::size_t i = 0; i < count; ++i)
        if (std::memcmp(&piece[i], &host[begin + i], sizeof(T)) != 0)
          return static_cast<std::int64_t>(begin + i);
    }
    return -1;
  }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace gemv::test
