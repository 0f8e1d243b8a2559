#pragma once
// Column kernel, for across_rows problems (row-major op t, column-major op n):
// output j gathers A[i][j] * x[i] over the stored rows i. A block is a tile of
// blockDim.x threads along the outputs, each owning a chunk of 16 bytes' worth
// of adjacent outputs, by blockDim.y slices that share the rows of the
// block's split piece. Slices meet in shared memory in a fixed order; pieces
// (gridDim.y > 1) meet in the split finalize pass.
//
// The chunk is as wide whether or not A's rows are 16-byte aligned: only the
// loads differ (one 16-byte load, or one load per element). With one element
// per thread instead, a misaligned A kept a quarter (float) to an eighth
// (16-bit) of the bytes in flight and ran up to 13% behind cuBLAS
// (docs/performance-notes.md, entry 26).

#include <gemv/detail/accumulator.cuh>
#include <gemv/detail/element.cuh>
#include <gemv/detail/grid_dependency.cuh>
#include <gemv/kernels/args.cuh>

namespace gemv::detail {

/// One step of a column thread: rows i + u * slices for u < Unroll, each a
/// chunk of `W` adjacent outputs, all loaded before any is used. `p` and `xp`
/// point at row i's chunk and x element; `p_step` and `x_step` move them by
/// `slices` rows. With VectorLoads the chunk is one 16-byte load; otherwise
/// `valid` element loads (the last, partial chunk of a row, or a misaligned
/// A). With Guarded, rows at or past i_end are skipped.
template <class T, int W, int Unroll, bool VectorLoads, bool Guarded>
__device__ __forceinline__ void column_step(const T* p, const T* xp, std::int64_t p_step,
                                            std::int64_t x_step, std::int64_t i, int slices,
                                            std::int64_t i_end, int valid,
                                            compensated_sum (&acc)[W]) {
  using raw_t = std::conditional_t<VectorLoads, uint4, fragment<W>>;
  raw_t raw[Unroll];
  float xv[Unroll];
#pragma unroll
  for (int u = 0; u < Unroll; ++u) {
    const bool live = !Guarded || i + u * slices < i_end;
    xv[u] = live ? cached_element(xp + u * x_step) : 0.0f;
    if constexpr (VectorLoads) {
      raw[u] = live ? stream_vector(p + u * p_step) : uint4{0, 0, 0, 0};
    } else {
#pragma unroll
      for (int w = 0; w < W; ++w) raw[u].v[w] = live && w < valid ? stream_element(p + u * p_step + w) : 0.0f;
    }
  }
  float partial[W] = {};
#pragma unroll
  for (int u = 0; u < Unroll; ++u) {
    fragment<W> f;
    if constexpr (VectorLoads) {
      f = unpack<T>(raw[u]);
    } else {
      f = raw[u];
    }
#pragma unroll
    for (int w = 0; w < W; ++w) partial[w] = fmaf(f.v[w], xv[u], partial[w]);
  }
#pragma unroll
  for (int w = 0; w < W; ++w) acc[w].add(partial[w]);
}

/// Walks rows [i, i_end) in steps of `slices`, Unroll rows per step, moving
/// pointers rather than recomputing 64-bit row offsets (fewer registers).
template <class T, int W, int Unroll, bool VectorLoads>
__device__ __forceinline__ void column_walk(const T* column, const kernel_args<T>& a,
                                            std::int64_t i, int slices, std::int64_t i_end,
                                            int valid, compensated_sum (&acc)[W]) {
  const std::int64_t p_step = slices * a.ld;
  const std::int64_t x_step = slices * a.incx;
  const T* p = column + i * a.ld;
  const T* xp = a.x + i * a.incx;
  for (; i + (Unroll - 1) * slices < i_end; i += Unroll * slices) {
    column_step<T, W, Unroll, VectorLoads, false>(p, xp, p_step, x_step, i, slices, i_end, valid, acc);
    p += Unroll * p_step;
    xp += Unroll * x_step;
  }
  if (i < i_end) {
    column_step<T, W, Unroll, VectorLoads, true>(p, xp, p_step, x_step, i, slices, i_end, valid, acc);
  }
}

/// Largest column block the dispatch launches (is_supported).
inline constexpr int kMaxColumnThreads = 512;

/// One column block: its tile of outputs over the rows of its split piece.
template <class T, int Unroll, bool VectorLoads>
__device__ __forceinline__ void column_block(const kernel_args<T>& a) {
  constexpr int W = kVectorWidth<T>;
  extern __shared__ double slice_sums[];  // [blockDim.y][blockDim.x * W]
  allow_dependent_launch();  // the split finalize waits for this grid on the device

  const std::int64_t tile_first = std::int64_t{blockIdx.x} * blockDim.x * W;
  const std::int64_t col = tile_first + std::int64_t{threadIdx.x} * W;
  const std::int64_t split = blockIdx.y;
  const std::int64_t i_begin = split * a.split_length + threadIdx.y;
  const std::int64_t i_end = min(a.rows, split * a.split_length + a.split_length);
  const int slices = blockDim.y;
  const int valid = col >= a.cols ? 0 : static_cast<int>(a.cols - col < W ? a.cols - col : W);

  compensated_sum acc[W];
  if (VectorLoads && valid == W) {
    column_walk<T, W, Unroll, true>(a.A + col, a, i_begin, slices, i_end, valid, acc);
  } else if (valid > 0) {
    column_walk<T, W, Unroll, false>(a.A + col, a, i_begin, slices, i_end, valid, acc);
  }

  const int tile = blockDim.x * W;
#pragma unroll
  for (int w = 0; w < W; ++w) slice_sums[threadIdx.y * tile + threadIdx.x * W + w] = acc[w].value();
  __syncthreads();

  // Slices meet in a fixed order: the result does not depend on timing.
  const int tid = threadIdx.y * blockDim.x + threadIdx.x;
  for (int o = tid; o < tile; o += blockDim.x * blockDim.y) {
    const std::int64_t out = tile_first + o;
    if (out >= a.cols) break;
    double dot = 0.0;
    for (int s = 0; s < slices; ++s) dot += slice_sums[s * tile + o];
    finish_output(a, out, a.cols, split, dot);
  }
}

// Two entry points over one body. Unroll 8 needs the launch bound to stay
// within 128 registers (16-bit types on sm_89), so that a 512-thread block
// always fits an SM's 64 K registers. Shallower unrolls fit without it, and
// the bound costs them: it changes the compiler's schedule, and an unroll-4
// tile ran about 9% slower with it (docs/performance-notes.md, entry 15).
template <class T, int Unroll, bool VectorLoads>
__global__ void column_kernel(const kernel_args<T> a) {
  column_block<T, Unroll, VectorLoads>(a);
}

template <class T, int Unroll, bool VectorLoads>
__global__ void __launch_bounds__(kMaxColumnThreads) column_kernel_bounded(const kernel_args<T> a) {
  column_block<T, Unroll, VectorLoads>(a);
}

}  // namespace gemv::detail
