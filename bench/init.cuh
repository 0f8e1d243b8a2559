#pragma once
// Random inputs generated on the device: a counter-based hash of the element
// index, so a fill is one pass at memory speed and always gives the same
// values for the same seed.

#include <gemv/types.cuh>

#include <cuda_runtime.h>

#include <cstdint>

namespace gemv::bench {

/// Writes `count` elements of type `stored` with values uniform in [-1, 1),
/// first rounded to `values`. A float buffer filled with values = f16 holds
/// exactly what a __half buffer with the same seed holds.
void fill_random(void* data, dtype stored, dtype values, std::int64_t count, std::uint64_t seed,
                 cudaStream_t stream);

}  // namespace gemv::bench
