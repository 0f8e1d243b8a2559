#pragma once
// The correctness guard: gemv's y against a yardstick's y on the same inputs.

#include <gemv/types.cuh>

#include <algorithm>
#include <cstdint>

namespace gemv::bench {

/// ||a - b||_2 / ||b||_2 over `count` elements of two device arrays, read
/// back to the host and compared in double. The element types may differ
/// (one cuBLAS entry point writes float). NaN if either holds a NaN.
double relative_l2_diff(const void* a, dtype ta, const void* b, dtype tb, std::int64_t count);

/// The largest relative_l2_diff of `members` consecutive runs of `count`
/// elements: a batch's worst member, so that one wrong member among
/// thousands is not averaged away over the whole batch. NaN if any is.
double worst_member_l2_diff(const void* a, dtype ta, const void* b, dtype tb, std::int64_t count,
                            std::int64_t members);

/// The largest relative difference accepted for outputs of type `t`. Both
/// sides accumulate in float or better, so the difference is a few roundings
/// of the output type (2^-24, 2^-11, 2^-8 relative for f32, f16, bf16), plus
/// float summation error over long rows; a broken kernel is off by O(1).
/// Double outputs sum in double on both sides: 1e-9 leaves rows of 2^20
/// terms a wide margin over the n * 2^-53 worst case.
constexpr double tolerance(dtype t) {
  switch (t) {
    case dtype::f64: return 1e-9;
    case dtype::f32: return 1e-3;
    case dtype::f16: return 5e-3;
    default: return 3e-2;  // bf16 (and anything coarser)
  }
}

/// Two outputs of types `a` and `b` agree as far as the coarser one allows.
constexpr double tolerance(dtype a, dtype b) { return std::max(tolerance(a), tolerance(b)); }

}  // namespace gemv::bench
