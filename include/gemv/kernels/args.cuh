#pragma once
// Kernel parameters. Pointers to x and y already point at logical element 0,
// so negative increments need no special case inside the kernels.

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
  float alpha;
  float beta;
  double* partials;          ///< split pieces: partials[split * outputs + output]
  std::int64_t split_length; ///< reduction elements per split piece
  std::int64_t splits;
};

}  // namespace gemv::detail
