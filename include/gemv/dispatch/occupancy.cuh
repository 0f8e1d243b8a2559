#pragma once
// Occupancy of the compiled row kernels, for the model's plans
// (dispatch/model.cuh): resident blocks per SM of the instantiation a
// policy runs, from cudaOccupancyMaxActiveBlocksPerMultiprocessor, which
// counts the kernel's registers and shared memory as well as the card's
// thread and block limits. Asked once per device, kernel and block size,
// then read from a cache: a call that plans a large row problem makes no
// CUDA call after the first.

#include <gemv/dispatch/compiled_tiles.cuh>
#include <gemv/dispatch/launch.cuh>

#include <cuda_runtime.h>

#include <map>
#include <mutex>
#include <tuple>

namespace gemv::detail {

/// The row_warp or row_block kernel that runs `p` for element type T, or
/// nullptr (another family, or a tile with no instantiation).
template <class T>
const void* row_kernel_of(const policy& p, bool vectorized) noexcept {
  const void* kernel = nullptr;
  with_bool(vectorized, [&](auto vec) {
    with_value<tiles::kRows>(p.rows, [&](auto rows) {
      with_value<tiles::kRowUnrolls>(p.unroll, [&](auto unroll) {
        if (p.kernel == kernel_kind::row_warp) {
          kernel = reinterpret_cast<const void*>(row_warp_kernel<T, rows(), unroll(), vec()>);
        } else if (p.kernel == kernel_kind::row_block || p.kernel == kernel_kind::row_split_k) {
          kernel = reinterpret_cast<const void*>(row_block_kernel<T, rows(), unroll(), vec()>);
        }
      });
    });
  });
  return kernel;
}

/// occupancy_query for element type T (plan.cuh). 0 when the runtime cannot
/// say (no kernel image for this device: the launch would fail the same
/// way, and report it); the dispatch then counts thread and block limits
/// only.
template <class T>
int resident_blocks_of(int device, const policy& p, bool vectorized) noexcept {
  const void* kernel = row_kernel_of<T>(p, vectorized);
  if (kernel == nullptr || device < 0) return 0;
  using key = std::tuple<int, const void*, int>;
  static std::mutex mutex;
  static std::map<key, int> known;
  const key k{device, kernel, p.threads};
  {
    const std::lock_guard<std::mutex> lock(mutex);
    if (const auto it = known.find(k); it != known.end()) return it->second;
  }
  int blocks = 0;
  if (cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, kernel, p.threads, 0) != cudaSuccess)
    blocks = 0;
  const std::lock_guard<std::mutex> lock(mutex);
  known.emplace(k, blocks);
  return blocks;
}

}  // namespace gemv::detail
