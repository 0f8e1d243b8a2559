#pragma once
// Occupancy of the compiled first-pass kernels, for the model's plans
// (dispatch/model.cuh): resident blocks per SM of the instantiation a
// policy runs (resolve_first_pass, the launch's own mapping), from
// cudaOccupancyMaxActiveBlocksPerMultiprocessor, which counts the kernel's
// registers and shared memory as well as the card's thread and block
// limits. Asked once per device, kernel, block size and shared memory, then
// read from a cache: a call that plans a large row problem makes no CUDA
// call after the first.

#include <gemv/dispatch/launch.cuh>

#include <cuda_runtime.h>

#include <map>
#include <mutex>
#include <tuple>

namespace gemv::detail {

/// occupancy_query for element types E (plan.cuh). 0 when the runtime cannot
/// say (no kernel image for this device: the launch would fail the same
/// way, and report it); the dispatch then counts thread and block limits
/// only.
template <class E>
int resident_blocks_of(int device, const policy& p, bool vectorized) noexcept {
  // The kernel and launch shape the dispatch would run for a single call
  // (the grid's size does not matter to occupancy): row_block_call_kernel
  // for a row block, row_block_kernel for split-K. A batch's row block
  // (row_block_kernel too) may hold a few registers more or fewer: the
  // model plans batches by the single call's.
  plan pl;
  pl.pol = p;
  pl.vectorized = vectorized;
  pl.splits = p.kernel == kernel_kind::row_split_k ? 2 : 1;
  const first_pass_kernel k = resolve_first_pass<E>(pl, 1, 1, true);
  const void* kernel = k.kernel;
  const int threads = static_cast<int>(k.block.x * k.block.y * k.block.z);
  if (kernel == nullptr || device < 0) return 0;
  using key = std::tuple<int, const void*, int, std::size_t>;
  static std::mutex mutex;
  static std::map<key, int> known;
  const key id{device, kernel, threads, k.smem};
  {
    const std::lock_guard<std::mutex> lock(mutex);
    if (const auto it = known.find(id); it != known.end()) return it->second;
  }
  int blocks = 0;
  if (cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, kernel, threads, k.smem) != cudaSuccess)
    blocks = 0;
  const std::lock_guard<std::mutex> lock(mutex);
  known.emplace(id, blocks);
  return blocks;
}

}  // namespace gemv::detail
