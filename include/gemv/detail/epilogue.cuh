#pragma once
// How a finished output leaves a kernel. Every output site (the row
// kernels, unsplit column tiles, the split second pass and the beta-only
// scale kernel) stores through an epilogue, so a new one (a bias, an
// activation, a type of its own for y) changes this file and the argument
// that carries it, not the kernels.

#include <gemv/detail/element.cuh>

namespace gemv::detail {

/// y = alpha * dot + beta * y, computed in double and rounded once to T.
/// y is not read when beta is 0, so NaN or garbage in it never shows
/// through, as BLAS specifies.
struct linear_combination {
  float alpha;
  float beta;

  /// Whether an output's old value is read.
  __host__ __device__ constexpr bool reads_y() const noexcept { return beta != 0.0f; }

  template <class T>
  __device__ __forceinline__ void store(T* y, double dot) const {
    double out = static_cast<double>(alpha) * dot;
    if (reads_y()) out += static_cast<double>(beta) * static_cast<double>(to_float(*y));
    *y = from_float<T>(static_cast<float>(out));
  }
};

}  // namespace gemv::detail
