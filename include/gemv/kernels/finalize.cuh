#pragma once
// Second pass of every split plan: adds the pieces of each output in split
// order (deterministic, no atomics) and applies alpha and beta.
// `Lanes` lanes share one output: 1 when there are few pieces, 32 when there
// are many, so that a long chain of dependent double adds never sits on one
// thread.

#include <gemv/detail/accumulator.cuh>

namespace gemv::detail {

template <class T, int Lanes>
__global__ void split_finalize_kernel(const double* partials, std::int64_t outputs,
                                      std::int64_t splits, T* y, std::int64_t incy, float alpha,
                                      float beta) {
  const std::int64_t thread = std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x;
  const std::int64_t out = thread / Lanes;
  const int rank = static_cast<int>(thread % Lanes);
  if (out >= outputs) return;  // uniform per group: outputs * Lanes never splits a group
  double dot = 0.0;
  for (std::int64_t s = rank; s < splits; s += Lanes) dot += partials[s * outputs + out];
  dot = group_sum<Lanes>(dot);
  if (rank == 0) store_output(y + out * incy, dot, alpha, beta);
}

/// y = beta * y, for alpha == 0 or an empty reduction; y is not read when
/// beta is 0.
template <class T>
__global__ void scale_kernel(std::int64_t outputs, T* y, std::int64_t incy, float beta) {
  const std::int64_t out = std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x;
  if (out >= outputs) return;
  store_output(y + out * incy, 0.0, 0.0f, beta);
}

}  // namespace gemv::detail
