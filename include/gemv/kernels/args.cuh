#pragma once
// Kernel parameters, and where a finished output goes: y through the
// epilogue, or the split scratch. Pointers to x and y already point at
// logical element 0, so negative increments need no special case inside the
// kernels.

#include <gemv/detail/accumulator.cuh>
#include <gemv/detail/epilogue.cuh>

#include <cstdint>

namespace gemv::detail {

template <class T>
struct kernel_args {
  const T* A;
  std::int64_t ld;
  std::int64_t rows;  ///< stored rows
  std::int64_t cols;  ///< stored row length
  const T* x;
  std::int64_t incx;
  T* y;
  std::int64_t incy;
  linear_combination epilogue;  ///< how an output is stored: alpha and beta
  double* partials;          ///< split pieces: partials[split * outputs + output]
  std::int64_t split_length; ///< reduction elements per split piece
  std::int64_t splits;
};

/// Writes the finished dot product of output `out` (of `outputs`): straight
/// to y, or to the split scratch when the reduction is cut into pieces.
template <class T>
__device__ __forceinline__ void finish_output(const kernel_args<T>& a, std::int64_t out,
                                              std::int64_t outputs, std::int64_t split,
                                              double dot) {
  if (a.splits > 1) {
    a.partials[split * outputs + out] = dot;
  } else {
    a.epilogue.store(a.y + out * a.incy, dot);
  }
}

}  // namespace gemv::detail
