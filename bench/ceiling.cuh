#pragma once
// The bandwidth ceiling: kernels that only stream through a buffer, reading
// every byte once with 16-byte loads and keeping several loads in flight per
// thread. A gemv cannot move A faster than this, so "percent of the ceiling"
// is the share of the reachable bandwidth that gemv reaches.
//
// Host interface only; the kernels live in ceiling.cu.

#include "common.hpp"

#include <cuda_runtime.h>

#include <cstddef>
#include <string>
#include <vector>

namespace gemv::bench {

/// Launches streaming reads over a device buffer. Several variants (block
/// size, loads in flight, load flavour); each is one full-occupancy grid that
/// walks the buffer with a grid-stride loop, folds what it read into one word
/// per warp and writes that word, so no load can be optimised away.
class stream_reader {
 public:
  explicit stream_reader(int sm_count);

  /// The variant whose loads have normal L2 priority: reading with it
  /// replaces what L2 holds (evict-first loads would mostly replace each
  /// other).
  static constexpr int kFlushVariant = 0;

  int variants() const;
  std::string name(int variant) const;
  /// Reads `bytes` bytes from `data` (16-byte aligned; rounded up to a whole
  /// 16-byte vector, so the allocation must cover that).
  void read(int variant, const void* data, std::size_t bytes, cudaStream_t stream) const;

 private:
  std::vector<int> full_grid_;  ///< resident blocks of each variant on the whole card
  device_buffer sink_;
};

}  // namespace gemv::bench
