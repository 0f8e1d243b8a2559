#pragma once
// The correctness guard: gemv's y against cuBLAS's y on the same inputs.

#include <gemv/types.cuh>

#include <cstdint>

namespace gemv::bench {

/// ||a - b||_2 / ||b||_2 over `count` elements of two device arrays, read
/// back to the host and compared in double. The element types may differ
/// (one cuBLAS entry point writes float). NaN if either holds a NaN.
double relative_l2_diff(const void* a, dtype ta, const void* b, dtype tb, std::int64_t count);

/// The largest relative difference accepted for outputs of type `t`. Both
/// sides accumulate in float or better, so the difference is a few roundings
/// of the output type, plus float summation error over long rows; a broken
/// kernel is off by O(1).
constexpr double tolerance(dtype t) {
  return t == dtype::f32 ? 1e-3 : t == dtype::f16 ? 5e-3 : 3e-2;
}

}  // namespace gemv::bench
