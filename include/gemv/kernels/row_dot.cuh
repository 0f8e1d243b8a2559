#pragma once
// The per-thread part of every along_rows kernel: `Rows` rows times a strided
// slice of x, accumulated into one compensated sum per row.

#include <gemv/detail/accumulator.cuh>
#include <gemv/detail/element.cuh>
#include <gemv/detail/row_chunk.cuh>
#include <gemv/kernels/args.cuh>

namespace gemv::detail {

/// x's vector j of a several-vector launch: the last live one past
/// a.vectors (its loads stay in bounds; its results are dropped).
template <int Vectors, class E>
__device__ __forceinline__ void x_vectors_of(const kernel_args<E>& a, const typename E::x* (&X)[Vectors]) {
  if constexpr (Vectors == 1) {
    X[0] = a.x;
  } else {
#pragma unroll
    for (int j = 0; j < Vectors; ++j) X[j] = a.x + (j < a.vectors ? j : a.vectors - 1) * a.ldx;
  }
}

/// Whether a 16-byte row tile launches the bounded kernel that keeps all of a
/// step's loads in flight (row_block_call_kernel_bounded,
/// row_warp_kernel_bounded): four loads a step, whose loads of A and x fit
/// 80 registers (docs/performance-notes.md, entry 55).
template <class E, int Rows, int Unroll>
inline constexpr bool kBoundedRowTile = Unroll >= 4 && 4 * Unroll * (Rows + E::x_vectors) <= 80;

/// One step of dot_rows: `Loads` chunks per row, chunk u at chunk index
/// v + u * stride, all loaded before any is used. A chunk is one 16-byte
/// vector when Vectorized, else one element. With Guarded, chunks at or past
/// `chunks` are skipped (the last, partial step of a thread). Each chunk of
/// A meets the same chunk of each of `Vectors` vectors of x; acc[r * Vectors
/// + j] is row r's sum with vector j.
template <class E, int Rows, int Loads, bool Vectorized, bool Guarded, int Vectors, bool ThroughL1>
__device__ __forceinline__ void dot_step(const typename E::a* const (&A)[Rows],
                                         const typename E::x* const (&X)[Vectors],
                                         const kernel_args<E>& a, std::int64_t k_begin,
                                         std::int64_t v, std::int64_t stride, std::int64_t chunks,
                                         accumulator_t<typename E::compute> (&acc)[Rows * Vectors]) {
  using C = typename E::compute;
  constexpr int W = Vectorized ? E::width : 1;
  std::conditional_t<Vectorized, uint4, C> raw_a[Loads][Rows];
  std::conditional_t<Vectorized, x_chunk<E>, C> raw_x[Loads][Vectors];
#pragma unroll
  for (int u = 0; u < Loads; ++u) {
    const std::int64_t chunk = v + u * stride;
    const bool live = !Guarded || chunk < chunks;
    const std::int64_t k = k_begin + chunk * W;
    if constexpr (Vectorized) {
#pragma unroll
      for (int j = 0; j < Vectors; ++j) raw_x[u][j] = live ? cached_x_chunk<E>(X[j] + k) : zero_x_chunk<E>();
#pragma unroll
      for (int r = 0; r < Rows; ++r) raw_a[u][r] = live ? a_vector<ThroughL1>(A[r] + k) : uint4{0, 0, 0, 0};
    } else {
#pragma unroll
      for (int j = 0; j < Vectors; ++j) raw_x[u][j] = live ? cached_element(X[j] + k * a.incx) : C(0);
#pragma unroll
      for (int r = 0; r < Rows; ++r) raw_a[u][r] = live ? a_element<ThroughL1>(A[r] + k) : C(0);
    }
  }
  // Products of one step are summed in the compute type (at most 64 terms:
  // 4 vectors of 16 one-byte elements; 32 for 16-bit types), then added to
  // the compensated sum.
  C partial[Rows * Vectors] = {};
#pragma unroll
  for (int u = 0; u < Loads; ++u) {
#pragma unroll
    for (int j = 0; j < Vectors; ++j) {
      if constexpr (Vectorized) {
        const auto xf = unpack_x<E>(raw_x[u][j]);
#pragma unroll
        for (int r = 0; r < Rows; ++r) {
          const auto af = unpack<typename E::a>(raw_a[u][r]);
#pragma unroll
          for (int i = 0; i < W; ++i) partial[r * Vectors + j] = multiply_add(af.v[i], xf.v[i], partial[r * Vectors + j]);
        }
      } else {
#pragma unroll
        for (int r = 0; r < Rows; ++r)
          partial[r * Vectors + j] = multiply_add(raw_a[u][r], raw_x[u][j], partial[r * Vectors + j]);
      }
    }
  }
#pragma unroll
  for (int i = 0; i < Rows * Vectors; ++i) acc[i].add(partial[i]);
}

/// Thread `rank` of `count` threads walks columns [k_begin, k_end) of rows
/// row[0..Rows) in steps of `Unroll` 16-byte vectors per row when Vectorized,
/// else of Unroll * ElementLoads single elements, `count` apart. Each
/// step keeps all its loads in flight; the last, partial step is guarded, so
/// a thread never waits on more than one round trip for its leftovers.
/// k_begin is a multiple of the vector width when Vectorized. With Vectors
/// > 1, each row meets that many vectors of x (a several-vector launch):
/// A is read once for all of them. With ThroughL1, A's loads keep their
/// sectors in L1 (l1_vector): for lanes that read part of a sector a step.
template <class E, int Rows, int Unroll, bool Vectorized, int ElementLoads, int Vectors = 1,
          bool ThroughL1 = false>
__device__ __forceinline__ void dot_rows(const kernel_args<E>& a, const std::int64_t (&row)[Rows],
                                         std::int64_t k_begin, std::int64_t k_end, int rank,
                                         int count, accumulator_t<typename E::compute> (&acc)[Rows * Vectors]) {
  constexpr int W = Vectorized ? E::width : 1;
  constexpr int Loads = Vectorized ? Unroll : Unroll * ElementLoads;
  const typename E::a* A[Rows];
#pragma unroll
  for (int r = 0; r < Rows; ++r) A[r] = a.A + row[r] * a.ld;
  const typename E::x* X[Vectors];
  x_vectors_of<Vectors>(a, X);

  const std::int64_t chunks = (k_end - k_begin) / W;
  const std::int64_t stride = count;
  std::int64_t v = rank;
  for (; v + (Loads - 1) * stride < chunks; v += Loads * stride) {
    dot_step<E, Rows, Loads, Vectorized, false, Vectors, ThroughL1>(A, X, a, k_begin, v, stride, chunks, acc);
  }
  if (v < chunks) dot_step<E, Rows, Loads, Vectorized, true, Vectors, ThroughL1>(A, X, a, k_begin, v, stride, chunks, acc);

  if constexpr (Vectorized) {
    // Elements past the last whole vector of the row.
    for (std::int64_t k = k_begin + chunks * W + rank; k < k_end; k += stride) {
      decltype(cached_element(X[0] + k)) xv[Vectors];
#pragma unroll
      for (int j = 0; j < Vectors; ++j) xv[j] = cached_element(X[j] + k);
#pragma unroll
      for (int r = 0; r < Rows; ++r) {
        const auto av = a_element<ThroughL1>(A[r] + k);
#pragma unroll
        for (int j = 0; j < Vectors; ++j) acc[r * Vectors + j].add(av * xv[j]);
      }
    }
  }
}

/// One step of dot_row_from_boundary: `Unroll` vectors of A, vector u at
/// index v + u * stride from `body` (16-byte aligned), times x element by
/// element. With Guarded, vectors at or past `vectors` are skipped.
template <class E, int Unroll, bool Guarded>
__device__ __forceinline__ void boundary_step(const typename E::a* body, const kernel_args<E>& a,
                                              std::int64_t body_k, std::int64_t v,
                                              std::int64_t stride, std::int64_t vectors,
                                              accumulator_t<typename E::compute>& acc) {
  using C = typename E::compute;
  constexpr int W = E::width;
  uint4 raw_a[Unroll];
#pragma unroll
  for (int u = 0; u < Unroll; ++u) {
    const bool live = !Guarded || v + u * stride < vectors;
    raw_a[u] = live ? stream_vector(body + (v + u * stride) * W) : uint4{0, 0, 0, 0};
  }
  C partial = 0;  // at most 64 terms, as in dot_step
#pragma unroll
  for (int u = 0; u < Unroll; ++u) {
    const bool live = !Guarded || v + u * stride < vectors;
    const std::int64_t k = body_k + (v + u * stride) * W;
    const auto af = unpack<typename E::a>(raw_a[u]);
#pragma unroll
    for (int i = 0; i < W; ++i) {
      const C xv = live ? C(cached_element(a.x + (k + i) * a.incx)) : C(0);
      partial = multiply_add(af.v[i], xv, partial);
    }
  }
  acc.add(partial);
}

/// dot_rows for one row whose A or x is not 16-byte aligned: A is read in
/// 16-byte vectors from the row's first 16-byte boundary at or after k_begin
/// (a row start is always element-aligned), x element by element, since it
/// is then offset from A or strided (x is small and served by the caches).
/// The elements before that boundary and after the last whole vector are read
/// one per thread. Same steps and bytes of A in flight as the 16-byte path
/// (docs/performance-notes.md, entry 29).
template <class E, int Unroll>
__device__ __forceinline__ void dot_row_from_boundary(const kernel_args<E>& a, std::int64_t row,
                                                      std::int64_t k_begin, std::int64_t k_end,
                                                      int rank, int count,
                                                      accumulator_t<typename E::compute>& acc) {
  using TA = typename E::a;
  constexpr int W = E::width;
  const TA* A = a.A + row * a.ld;
  const auto misalignment = static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(A + k_begin) % 16);
  const std::int64_t head = min(k_end - k_begin, (16 - misalignment) % 16 / std::int64_t{sizeof(TA)});
  if (rank < head) {
    const std::int64_t k = k_begin + rank;
    acc.add(stream_element(A + k) * cached_element(a.x + k * a.incx));
  }
  const std::int64_t body_k = k_begin + head;
  const std::int64_t vectors = (k_end - body_k) / W;
  const std::int64_t stride = count;
  std::int64_t v = rank;
  for (; v + (Unroll - 1) * stride < vectors; v += Unroll * stride) {
    boundary_step<E, Unroll, false>(A + body_k, a, body_k, v, stride, vectors, acc);
  }
  if (v < vectors) boundary_step<E, Unroll, true>(A + body_k, a, body_k, v, stride, vectors, acc);
  for (std::int64_t k = body_k + vectors * W + rank; k < k_end; k += stride) {
    acc.add(stream_element(A + k) * cached_element(a.x + k * a.incx));
  }
}

/// Bytes [Offset, Offset + 16) of the 32 bytes `lo` then `hi`. Offset is a
/// multiple of the element size, known at compile time, so the words are
/// picked without indexing registers at run time.
template <int Offset>
__device__ __forceinline__ uint4 join_vectors(uint4 lo, uint4 hi) {
  constexpr int kWord = Offset / 4;
  constexpr int kBits = Offset % 4 * 8;
  const unsigned c[8] = {lo.x, lo.y, lo.z, lo.w, hi.x, hi.y, hi.z, hi.w};
  unsigned out[4];
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    out[i] = kBits == 0 ? c[kWord + i] : __funnelshift_r(c[kWord + i], c[kWord + i + 1], kBits);
  }
  return {out[0], out[1], out[2], out[3]};
}

/// Where a row's 16-byte vectors of A meet x's: vectors m and m + 1 of A
/// (whole 16-byte vectors from column `first_vector`) hold window m, the
/// columns from `first_window` + m * W that x holds as one aligned vector.
struct joined_windows {
  std::int64_t first_vector;  ///< column where A's first whole vector starts
  std::int64_t vectors;       ///< whole vectors of A within the row's range
  std::int64_t first_window;  ///< column of window 0: x is 16-byte aligned there
  std::int64_t windows;       ///< windows whose vectors of A are both whole
  int offset;                 ///< bytes from a vector of A to its window
};

template <class E>
__device__ __forceinline__ joined_windows find_windows(const typename E::a* row, const typename E::x* x,
                                                        std::int64_t k_begin, std::int64_t k_end) {
  constexpr int W = E::width;
  constexpr int size = sizeof(typename E::a);  // that of x too (E::same_size)
  const auto bytes_to_boundary = [](const void* p) {
    return static_cast<int>((16 - reinterpret_cast<std::uintptr_t>(p) % 16) % 16);
  };
  joined_windows j;
  j.first_vector = k_begin + min(k_end - k_begin, std::int64_t{bytes_to_boundary(row + k_begin) / size});
  j.vectors = (k_end - j.first_vector) / W;
  j.offset = bytes_to_boundary(x + j.first_vector);
  j.first_window = j.first_vector + j.offset / size;
  j.windows = j.offset == 0 ? j.vectors : max(j.vectors - 1, std::int64_t{0});
  return j;
}

/// One step of dot_row_joined: `Unroll` groups of a warp, `step` elements
/// apart; `pa` and `px` point at this lane's vector of A and of x in the
/// first group, `m` is its window's index there. With Guarded, vectors and
/// windows past the row's are skipped.
template <class E, int Unroll, int Offset, bool Guarded>
__device__ __forceinline__ void joined_step(const typename E::a* pa, const typename E::x* px, std::int64_t step,
                                            std::int64_t m, std::int64_t m_step,
                                            const joined_windows& j, int lane,
                                            accumulator_t<typename E::compute>& acc) {
  static_assert(E::same_size, "x is read in A's windows");
  constexpr int W = E::width;
  uint4 raw_a[Unroll];
  uint4 raw_x[Unroll];
#pragma unroll
  for (int u = 0; u < Unroll; ++u) {
    const bool vector_live = !Guarded || m + u * m_step < j.vectors;
    const bool window_live = !Guarded || m + u * m_step < j.windows;
    raw_a[u] = vector_live ? stream_vector(pa + u * step) : uint4{0, 0, 0, 0};
    raw_x[u] = window_live ? cached_vector(px + u * step) : uint4{0, 0, 0, 0};
  }
  typename E::compute partial = 0;  // at most 32 terms, as in dot_step
#pragma unroll
  for (int u = 0; u < Unroll; ++u) {
    uint4 window = raw_a[u];
    if constexpr (Offset != 0) {
      const uint4 next = {__shfl_down_sync(~0u, raw_a[u].x, 1), __shfl_down_sync(~0u, raw_a[u].y, 1),
                          __shfl_down_sync(~0u, raw_a[u].z, 1), __shfl_down_sync(~0u, raw_a[u].w, 1)};
      window = join_vectors<Offset>(raw_a[u], next);
    }
    const auto af = unpack<typename E::a>(window);
    const auto xf = unpack<typename E::x>(raw_x[u]);
    typename E::compute product = 0;
#pragma unroll
    for (int i = 0; i < W; ++i) product = multiply_add(af.v[i], xf.v[i], product);
    // A dead window may join a live vector of A with x's zeros: drop its
    // product rather than multiply (an infinite A would give NaN).
    if (!Guarded || m + u * m_step < j.windows) partial += product;
  }
  acc.add(lane < kJoinedWindowsPerWarp ? partial : 0);
}

/// The windows of dot_row_joined, for the row's offset `Offset`.
template <class E, int Unroll, int Offset>
__device__ __forceinline__ void joined_walk(const typename E::a* row, const typename E::x* x, const joined_windows& j,
                                            int rank, int count, accumulator_t<typename E::compute>& acc) {
  constexpr int W = E::width;
  const int lane = rank % 32;
  const std::int64_t warps = count / 32;
  const std::int64_t groups = (j.windows + kJoinedWindowsPerWarp - 1) / kJoinedWindowsPerWarp;
  const std::int64_t m_step = warps * kJoinedWindowsPerWarp;  // from one group of a warp to its next
  std::int64_t g = rank / 32;
  std::int64_t m = g * kJoinedWindowsPerWarp + lane;
  const typename E::a* pa = row + j.first_vector + m * W;
  const typename E::x* px = x + j.first_window + m * W;
  for (; g + (Unroll - 1) * warps < groups - 1; g += Unroll * warps) {
    joined_step<E, Unroll, Offset, false>(pa, px, m_step * W, m, m_step, j, lane, acc);
    m += Unroll * m_step;
    pa += Unroll * m_step * W;
    px += Unroll * m_step * W;
  }
  if (g < groups) joined_step<E, Unroll, Offset, true>(pa, px, m_step * W, m, m_step, j, lane, acc);
}

/// joined_walk for the first offset at or past `Offset` that is the row's.
template <class E, int Unroll, int Offset = 0>
__device__ __forceinline__ void joined_walk_at(const typename E::a* row, const typename E::x* x, const joined_windows& j,
                                               int rank, int count, accumulator_t<typename E::compute>& acc) {
  if constexpr (Offset < 16) {
    if (j.offset == Offset) {
      joined_walk<E, Unroll, Offset>(row, x, j, rank, count, acc);
    } else {
      joined_walk_at<E, Unroll, Offset + static_cast<int>(sizeof(typename E::a))>(row, x, j, rank, count, acc);
    }
  }
}

/// dot_rows for one row whose A is not 16-byte aligned while x is contiguous:
/// both are read in 16-byte vectors, A's from its first boundary and x's
/// from its own, and each lane shifts its vector of A and its neighbour's
/// into the columns of its vector of x. The shift is the same along the row,
/// so each one is compiled on its own (4 for float, 8 for 16-bit types)
/// and the words are picked by name. Columns outside the windows (under two
/// vectors at each end) are read one element per thread.
template <class E, int Unroll>
__device__ __forceinline__ void dot_row_joined(const kernel_args<E>& a, std::int64_t row_index,
                                               std::int64_t k_begin, std::int64_t k_end,
                                               int rank, int count, accumulator_t<typename E::compute>& acc) {
  constexpr int W = E::width;
  const typename E::a* row = a.A + row_index * a.ld;
  const joined_windows j = find_windows<E>(row, a.x, k_begin, k_end);
  joined_walk_at<E, Unroll>(row, a.x, j, rank, count, acc);

  const std::int64_t windows_end = j.first_window + j.windows * W;
  for (std::int64_t k = k_begin + rank; k < j.first_window && k < k_end; k += count) {
    acc.add(stream_element(row + k) * cached_element(a.x + k));
  }
  for (std::int64_t k = max(windows_end, j.first_window) + rank; k < k_end; k += count) {
    acc.add(stream_element(row + k) * cached_element(a.x + k));
  }
}

/// Rows past the end repeat the last row: loads stay in bounds and the warp
/// stays converged; the caller drops their results.
__device__ __forceinline__ std::int64_t clamped_row(std::int64_t row, std::int64_t rows) {
  return row < rows ? row : rows - 1;
}

}  // namespace gemv::detail
