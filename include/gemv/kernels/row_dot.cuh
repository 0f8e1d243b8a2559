#pragma once
// The per-thread part of every along_rows kernel: `Rows` rows times a strided
// slice of x, accumulated into one compensated sum per row.

#include <gemv/detail/accumulator.cuh>
#include <gemv/detail/element.cuh>
#include <gemv/detail/row_chunk.cuh>
#include <gemv/kernels/args.cuh>

namespace gemv::detail {

/// One step of dot_rows: `Loads` chunks per row, chunk u at chunk index
/// v + u * stride, all loaded before any is used. A chunk is one 16-byte
/// vector when Vectorized, else one element. With Guarded, chunks at or past
/// `chunks` are skipped (the last, partial step of a thread).
template <class T, int Rows, int Loads, bool Vectorized, bool Guarded>
__device__ __forceinline__ void dot_step(const T* const (&A)[Rows], const kernel_args<T>& a,
                                         std::int64_t k_begin, std::int64_t v, std::int64_t stride,
                                         std::int64_t chunks, compensated_sum (&acc)[Rows]) {
  constexpr int W = Vectorized ? kVectorWidth<T> : 1;
  using raw_t = std::conditional_t<Vectorized, uint4, float>;
  raw_t raw_a[Loads][Rows];
  raw_t raw_x[Loads];
#pragma unroll
  for (int u = 0; u < Loads; ++u) {
    const std::int64_t chunk = v + u * stride;
    const bool live = !Guarded || chunk < chunks;
    const std::int64_t k = k_begin + chunk * W;
    if constexpr (Vectorized) {
      raw_x[u] = live ? cached_vector(a.x + k) : uint4{0, 0, 0, 0};
#pragma unroll
      for (int r = 0; r < Rows; ++r) raw_a[u][r] = live ? stream_vector(A[r] + k) : uint4{0, 0, 0, 0};
    } else {
      raw_x[u] = live ? cached_element(a.x + k * a.incx) : 0.0f;
#pragma unroll
      for (int r = 0; r < Rows; ++r) raw_a[u][r] = live ? stream_element(A[r] + k) : 0.0f;
    }
  }
  // Products of one step are summed in float (at most 32 terms: 4 vectors of
  // 8, or 16 elements), then added to the compensated sum.
  float partial[Rows] = {};
#pragma unroll
  for (int u = 0; u < Loads; ++u) {
    if constexpr (Vectorized) {
      const auto xf = unpack<T>(raw_x[u]);
#pragma unroll
      for (int r = 0; r < Rows; ++r) {
        const auto af = unpack<T>(raw_a[u][r]);
#pragma unroll
        for (int i = 0; i < W; ++i) partial[r] = fmaf(af.v[i], xf.v[i], partial[r]);
      }
    } else {
#pragma unroll
      for (int r = 0; r < Rows; ++r) partial[r] = fmaf(raw_a[u][r], raw_x[u], partial[r]);
    }
  }
#pragma unroll
  for (int r = 0; r < Rows; ++r) acc[r].add(partial[r]);
}

/// Thread `rank` of `count` threads walks columns [k_begin, k_end) of rows
/// row[0..Rows) in steps of `Unroll` 16-byte vectors per row when Vectorized,
/// else of Unroll * ElementLoads single elements, `count` apart. Each
/// step keeps all its loads in flight; the last, partial step is guarded, so
/// a thread never waits on more than one round trip for its leftovers.
/// k_begin is a multiple of the vector width when Vectorized.
template <class T, int Rows, int Unroll, bool Vectorized, int ElementLoads>
__device__ __forceinline__ void dot_rows(const kernel_args<T>& a, const std::int64_t (&row)[Rows],
                                         std::int64_t k_begin, std::int64_t k_end, int rank,
                                         int count, compensated_sum (&acc)[Rows]) {
  constexpr int W = Vectorized ? kVectorWidth<T> : 1;
  constexpr int Loads = Vectorized ? Unroll : Unroll * ElementLoads;
  const T* A[Rows];
#pragma unroll
  for (int r = 0; r < Rows; ++r) A[r] = a.A + row[r] * a.ld;

  const std::int64_t chunks = (k_end - k_begin) / W;
  const std::int64_t stride = count;
  std::int64_t v = rank;
  for (; v + (Loads - 1) * stride < chunks; v += Loads * stride) {
    dot_step<T, Rows, Loads, Vectorized, false>(A, a, k_begin, v, stride, chunks, acc);
  }
  if (v < chunks) dot_step<T, Rows, Loads, Vectorized, true>(A, a, k_begin, v, stride, chunks, acc);

  if constexpr (Vectorized) {
    // Elements past the last whole vector of the row.
    for (std::int64_t k = k_begin + chunks * W + rank; k < k_end; k += stride) {
      const float xv = cached_element(a.x + k);
#pragma unroll
      for (int r = 0; r < Rows; ++r) acc[r].add(stream_element(A[r] + k) * xv);
    }
  }
}

/// One step of dot_row_from_boundary: `Unroll` vectors of A, vector u at
/// index v + u * stride from `body` (16-byte aligned), times x element by
/// element. With Guarded, vectors at or past `vectors` are skipped.
template <class T, int Unroll, bool Guarded>
__device__ __forceinline__ void boundary_step(const T* body, const kernel_args<T>& a,
                                              std::int64_t body_k, std::int64_t v,
                                              std::int64_t stride, std::int64_t vectors,
                                              compensated_sum& acc) {
  constexpr int W = kVectorWidth<T>;
  uint4 raw_a[Unroll];
#pragma unroll
  for (int u = 0; u < Unroll; ++u) {
    const bool live = !Guarded || v + u * stride < vectors;
    raw_a[u] = live ? stream_vector(body + (v + u * stride) * W) : uint4{0, 0, 0, 0};
  }
  float partial = 0.0f;  // at most 32 terms, as in dot_step
#pragma unroll
  for (int u = 0; u < Unroll; ++u) {
    const bool live = !Guarded || v + u * stride < vectors;
    const std::int64_t k = body_k + (v + u * stride) * W;
    const auto af = unpack<T>(raw_a[u]);
#pragma unroll
    for (int i = 0; i < W; ++i) {
      const float xv = live ? cached_element(a.x + (k + i) * a.incx) : 0.0f;
      partial = fmaf(af.v[i], xv, partial);
    }
  }
  acc.add(partial);
}

/// dot_rows for one row whose A or x is not 16-byte aligned: A is read in
/// 16-byte vectors from the row's first 16-byte boundary at or after k_begin
/// (a row start is always element-aligned), x element by element, since it
/// is then offset from A or strided (x is small and served by the caches).
/// The elements before that boundary and after the last whole vector are read
/// one per thread. Same steps and bytes of A in flight as the 16-byte path;
/// with single-element loads instead, long misaligned rows ran at 56-87% of
/// the streaming-read ceiling (docs/performance-notes.md, entry 29).
template <class T, int Unroll>
__device__ __forceinline__ void dot_row_from_boundary(const kernel_args<T>& a, std::int64_t row,
                                                      std::int64_t k_begin, std::int64_t k_end,
                                                      int rank, int count, compensated_sum& acc) {
  constexpr int W = kVectorWidth<T>;
  const T* A = a.A + row * a.ld;
  const auto misalignment = static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(A + k_begin) % 16);
  const std::int64_t head = min(k_end - k_begin, (16 - misalignment) % 16 / std::int64_t{sizeof(T)});
  if (rank < head) {
    const std::int64_t k = k_begin + rank;
    acc.add(stream_element(A + k) * cached_element(a.x + k * a.incx));
  }
  const std::int64_t body_k = k_begin + head;
  const std::int64_t vectors = (k_end - body_k) / W;
  const std::int64_t stride = count;
  std::int64_t v = rank;
  for (; v + (Unroll - 1) * stride < vectors; v += Unroll * stride) {
    boundary_step<T, Unroll, false>(A + body_k, a, body_k, v, stride, vectors, acc);
  }
  if (v < vectors) boundary_step<T, Unroll, true>(A + body_k, a, body_k, v, stride, vectors, acc);
  for (std::int64_t k = body_k + vectors * W + rank; k < k_end; k += stride) {
    acc.add(stream_element(A + k) * cached_element(a.x + k * a.incx));
  }
}

/// Rows past the end repeat the last row: loads stay in bounds and the warp
/// stays converged; the caller drops their results.
__device__ __forceinline__ std::int64_t clamped_row(std::int64_t row, std::int64_t rows) {
  return row < rows ? row : rows - 1;
}

}  // namespace gemv::detail
