#pragma once
// Per-thread accumulation and the reductions that combine threads.
//
// Precision: a GEMV row can be 2^20 elements or longer. One float running sum
// per thread drifts by ~1e-4 relative over such a row, so each thread keeps a
// compensated (Kahan) float sum and every combination of threads happens in
// double. The kernels are bandwidth bound; the extra flops are free.

#include <gemv/detail/element.cuh>

namespace gemv::detail {

/// Kahan sum in float: `sum - carry` is the running total to about one float
/// rounding, however many terms were added.
struct compensated_sum {
  float sum = 0.0f;
  float carry = 0.0f;

  // Once the sum is infinite (an Inf term, or overflow) its rounding error
  // means nothing, and (t - sum) would be Inf - Inf = NaN: the carry is
  // dropped so the sum stays +-Inf as plain addition gives, and NaN only
  // comes from NaN or Inf + -Inf terms, as in BLAS.
  __device__ __forceinline__ void add(float term) {
    const float y = term - carry;
    const float t = sum + y;
    carry = isfinite(t) ? (t - sum) - y : 0.0f;
    sum = t;
  }
  __device__ __forceinline__ double value() const {
    return static_cast<double>(sum) - static_cast<double>(carry);
  }
};

/// Plain double sum, for double operands: their products carry the same
/// precision as the sum, as in every double BLAS.
struct double_sum {
  double sum = 0.0;
  __device__ __forceinline__ void add(double term) { sum += term; }
  __device__ __forceinline__ double value() const { return sum; }
};

/// The per-thread accumulator of products computed in C.
template <class C>
using accumulator_t = std::conditional_t<std::is_same_v<C, double>, double_sum, compensated_sum>;

/// Sum over a whole warp, in every lane: a butterfly of shuffles in a fixed
/// order. Every lane must take part (row_block; docs/performance-notes.md,
/// entry 54).
__device__ __forceinline__ double warp_sum(double v) {
#pragma unroll
  for (int offset = 16; offset > 0; offset /= 2) v += __shfl_xor_sync(0xffffffffu, v, offset);
  return v;
}

/// Sum over each group of `Lanes` consecutive lanes (a power of two up to 32),
/// in every lane of the group: a butterfly of shuffles in a fixed order, so
/// deterministic. Every lane of the warp must take part
/// (docs/performance-notes.md, entry 56).
template <int Lanes>
__device__ __forceinline__ double group_sum(double v) {
#pragma unroll
  for (int offset = Lanes / 2; offset > 0; offset /= 2) v += __shfl_xor_sync(0xffffffffu, v, offset);
  return v;
}

}  // namespace gemv::detail
