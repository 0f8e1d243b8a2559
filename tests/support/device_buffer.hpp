#pragma once
// Owning device allocations for tests.

#include "support/cuda_check.hpp"

#include <cuda_runtime.h>

#include <cstddef>
#include <utility>
#include <vector>

namespace gemv::test {

/// cudaMalloc'd storage of `T`, growing on demand so that a test can reuse it
/// across many problems without reallocating (cudaFree synchronises).
template <class T>
class device_buffer {
 public:
  device_buffer() = default;
  explicit device_buffer(std::size_t count) { resize(count); }
  device_buffer(const device_buffer&) = delete;
  device_buffer& operator=(const device_buffer&) = delete;
  device_buffer(device_buffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  ~device_buffer() { cudaFree(data_); }  // may run after the runtime shut down: ignore errors

  T* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  std::size_t bytes() const noexcept { return size_ * sizeof(T); }

  /// `count` elements of unspecified content; keeps the allocation if it is big enough.
  void resize(std::size_t count) {
    if (count > capacity_) {
      GEMV_CUDA_CHECK(cudaFree(std::exchange(data_, nullptr)));
      capacity_ = 0;
      GEMV_CUDA_CHECK(cudaMalloc(&data_, count * sizeof(T)));
      capacity_ = count;
    }
    size_ = count;
  }

  /// Becomes a copy of `host`, complete when this returns. (From pageable
  /// memory cudaMemcpy may return with the last transfer still in flight,
  /// which work on a non-blocking stream would race.)
  void assign(const std::vector<T>& host) {
    resize(host.size());
    GEMV_CUDA_CHECK(cudaMemcpy(data_, host.data(), bytes(), cudaMemcpyHostToDevice));
    GEMV_CUDA_CHECK(cudaDeviceSynchronize());
  }

  /// The whole buffer, copied to the host.
  std::vector<T> to_host() const {
    std::vector<T> host(size_);
    GEMV_CUDA_CHECK(cudaMemcpy(host.data(), data_, bytes(), cudaMemcpyDeviceToHost));
    return host;
  }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace gemv::test
