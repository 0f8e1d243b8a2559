#pragma once
// The per-thread part of every along_rows kernel: `Rows` rows times a strided
// slice of x, accumulated into one compensated sum per row.

#include <gemv/detail/accumulator.cuh>
#include <gemv/detail/element.cuh>
#include <gemv/kernels/args.cuh>

namespace gemv::detail {

/// Thread `rank` of `count` threads walks columns [k_begin, k_end) of rows
/// row[0..Rows) in steps of one vector per thread (16 bytes when Vectorized,
/// one element otherwise). `Unroll` steps are loaded before any is used, so
/// each thread keeps Rows * Unroll independent loads in flight.
/// k_begin is a multiple of the vector width when Vectorized.
template <class T, int Rows, int Unroll, bool Vectorized>
__device__ __forceinline__ void dot_rows(const kernel_args<T>& a, const std::int64_t (&row)[Rows],
                                         std::int64_t k_begin, std::int64_t k_end, int rank,
                                         int count, compensated_sum (&acc)[Rows]) {
  constexpr int W = Vectorized ? kVectorWidth<T> : 1;
  const T* A[Rows];
#pragma unroll
  for (int r = 0; r < Rows; ++r) A[r] = a.A + row[r] * a.ld;

  const std::int64_t vectors = (k_end - k_begin) / W;
  const std::int64_t stride = count;
  std::int64_t v = rank;

  if constexpr (Vectorized) {
    // Main loop: every one of the Unroll loads is in range, no guards.
    for (; v + (Unroll - 1) * stride < vectors; v += Unroll * stride) {
      uint4 raw_a[Unroll][Rows];
      uint4 raw_x[Unroll];
#pragma unroll
      for (int u = 0; u < Unroll; ++u) {
        const std::int64_t k = k_begin + (v + u * stride) * W;
        raw_x[u] = cached_vector(a.x + k);
#pragma unroll
        for (int r = 0; r < Rows; ++r) raw_a[u][r] = stream_vector(A[r] + k);
      }
      float partial[Rows] = {};
#pragma unroll
      for (int u = 0; u < Unroll; ++u) {
        const auto xf = unpack<T>(raw_x[u]);
#pragma unroll
        for (int r = 0; r < Rows; ++r) {
          const auto af = unpack<T>(raw_a[u][r]);
#pragma unroll
          for (int i = 0; i < W; ++i) partial[r] = fmaf(af.v[i], xf.v[i], partial[r]);
        }
      }
#pragma unroll
      for (int r = 0; r < Rows; ++r) acc[r].add(partial[r]);
    }
    // Remainder vectors, one at a time.
    for (; v < vectors; v += stride) {
      const std::int64_t k = k_begin + v * W;
      const auto xf = unpack<T>(cached_vector(a.x + k));
#pragma unroll
      for (int r = 0; r < Rows; ++r) {
        const auto af = unpack<T>(stream_vector(A[r] + k));
        float partial = 0.0f;
#pragma unroll
        for (int i = 0; i < W; ++i) partial = fmaf(af.v[i], xf.v[i], partial);
        acc[r].add(partial);
      }
    }
    // Tail elements past the last whole vector of the row.
    for (std::int64_t k = k_begin + vectors * W + rank; k < k_end; k += stride) {
      const float xv = cached_element(a.x + k);
#pragma unroll
      for (int r = 0; r < Rows; ++r) acc[r].add(stream_element(A[r] + k) * xv);
    }
  } else {
    // Element-wise path for misaligned A, x or lda, or a strided x.
    for (; v + (Unroll - 1) * stride < vectors; v += Unroll * stride) {
      float av[Unroll][Rows];
      float xv[Unroll];
#pragma unroll
      for (int u = 0; u < Unroll; ++u) {
        const std::int64_t k = k_begin + v + u * stride;
        xv[u] = cached_element(a.x + k * a.incx);
#pragma unroll
        for (int r = 0; r < Rows; ++r) av[u][r] = stream_element(A[r] + k);
      }
#pragma unroll
      for (int r = 0; r < Rows; ++r) {
        float partial = 0.0f;
#pragma unroll
        for (int u = 0; u < Unroll; ++u) partial = fmaf(av[u][r], xv[u], partial);
        acc[r].add(partial);
      }
    }
    for (; v < vectors; v += stride) {
      const std::int64_t k = k_begin + v;
      const float xv = cached_element(a.x + k * a.incx);
#pragma unroll
      for (int r = 0; r < Rows; ++r) acc[r].add(stream_element(A[r] + k) * xv);
    }
  }
}

/// Writes the finished dot product of `row`: straight to y, or to the split
/// scratch when the reduction is cut into pieces.
template <class T>
__device__ __forceinline__ void finish_row(const kernel_args<T>& a, std::int64_t row,
                                           std::int64_t split, double dot) {
  if (a.splits > 1) {
    a.partials[split * a.rows + row] = dot;
  } else {
    store_output(a.y + row * a.incy, dot, a.alpha, a.beta);
  }
}

}  // namespace gemv::detail
