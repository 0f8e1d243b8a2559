#pragma once
// Column kernel, for across_rows problems (row-major op t, column-major op n):
// output j gathers A[i][j] * x[i] over the stored rows i. A block is a tile of
// blockDim.x threads along the outputs, each owning a chunk of 16 bytes' worth
// of adjacent outputs, by blockDim.y slices that share the rows of the
// block's split piece. Slices meet in shared memory in a fixed order; pieces
// (gridDim.y > 1) meet in the split finalize pass.
//
// The chunk is as wide whether or not A's rows are 16-byte aligned: only the
// loads differ (one 16-byte load, or one load per element), so a misaligned
// A keeps the aligned tile's bytes in flight (docs/performance-notes.md,
// entry 26).

#include <gemv/detail/accumulator.cuh>
#include <gemv/detail/arithmetic.cuh>
#include <gemv/detail/element.cuh>
#include <gemv/detail/grid_dependency.cuh>
#include <gemv/dispatch/compiled_tiles.cuh>
#include <gemv/kernels/args.cuh>

namespace gemv::detail {

/// Adjacent outputs a column thread owns: one 16-byte vector of A, or 8
/// elements of 1-byte types (an 8-byte load), so that a 512-thread block's
/// slice sums (a double per output) stay within 48 KB for every type.
/// The dispatch sizes column grids with the same rule (column_chunk).
template <class E>
inline constexpr int kColumnChunk = column_chunk(dtype_of<typename E::a>::value);

/// Whether a column thread keeps two steps of loads in flight (column_walk).
template <class E>
inline constexpr bool kPipelinedColumn = column_pipelined(dtype_of<typename E::a>::value);

/// The raw load of one chunk.
template <class E>
using column_raw_t =
    std::conditional_t<kColumnChunk<E> * sizeof(typename E::a) == 16, uint4, uint2>;

__device__ __forceinline__ void stream_chunk(const void* p, uint4& raw) { raw = stream_vector(p); }
__device__ __forceinline__ void stream_chunk(const void* p, uint2& raw) { raw = stream_half_vector(p); }

/// The loads of one step of a column thread: rows i + u * slices for
/// u < Unroll, each a chunk of `W` adjacent outputs, and their x elements.
/// With VectorLoads a chunk is one 16-byte load; otherwise `valid` element
/// loads (the last, partial chunk of a row, or a misaligned A).
template <class E, int Unroll, bool VectorLoads>
struct column_loads {
  using C = typename E::compute;
  static constexpr int W = kColumnChunk<E>;
  using raw_t = std::conditional_t<VectorLoads, column_raw_t<E>, fragment<W, C>>;
  raw_t raw[Unroll];
  C xv[Unroll];

  /// Issues the step's loads. `p` and `xp` point at row i's chunk and x
  /// element; `p_step` and `x_step` move them by `slices` rows. With
  /// Guarded, rows at or past i_end read as zero.
  template <bool Guarded>
  __device__ __forceinline__ void issue(const typename E::a* p, const typename E::x* xp, std::int64_t p_step,
                                        std::int64_t x_step, std::int64_t i, int slices, std::int64_t i_end,
                                        int valid) {
#pragma unroll
    for (int u = 0; u < Unroll; ++u) {
      const bool live = !Guarded || i + u * slices < i_end;
      xv[u] = live ? C(cached_element(xp + u * x_step)) : C(0);
      if constexpr (VectorLoads) {
        if (live) {
          stream_chunk(p + u * p_step, raw[u]);
        } else {
          raw[u] = {};
        }
      } else {
#pragma unroll
        for (int w = 0; w < W; ++w) raw[u].v[w] = live && w < valid ? stream_element(p + u * p_step + w) : C(0);
      }
    }
  }

  /// Adds the step's products to the thread's sums.
  __device__ __forceinline__ void accumulate(accumulator_t<C> (&acc)[W]) const {
    C partial[W] = {};
#pragma unroll
    for (int u = 0; u < Unroll; ++u) {
      fragment<W, C> f;
      if constexpr (VectorLoads) {
        f = unpack<typename E::a>(raw[u]);
      } else {
        f = raw[u];
      }
#pragma unroll
      for (int w = 0; w < W; ++w) partial[w] = multiply_add(f.v[w], xv[u], partial[w]);
    }
#pragma unroll
    for (int w = 0; w < W; ++w) acc[w].add(partial[w]);
  }
};

/// Walks rows [i, i_end) in steps of `slices`, Unroll rows per step, moving
/// pointers rather than recomputing 64-bit row offsets (fewer registers).
/// Pipelined (column_pipelined), a step's loads are issued before the
/// previous step's products: two steps in flight, not one
/// (docs/performance-notes.md, entry 51).
template <class E, int Unroll, bool VectorLoads>
__device__ __forceinline__ void column_walk(const typename E::a* column, const kernel_args<E>& a,
                                            std::int64_t i, int slices, std::int64_t i_end,
                                            int valid,
                                            accumulator_t<typename E::compute> (&acc)[kColumnChunk<E>]) {
  using loads = column_loads<E, Unroll, VectorLoads>;
  const std::int64_t p_step = slices * a.ld;
  const std::int64_t x_step = slices * a.incx;
  const typename E::a* p = column + i * a.ld;
  const typename E::x* xp = a.x + i * a.incx;
  const auto whole_step = [&] { return i + (Unroll - 1) * slices < i_end; };
  if constexpr (kPipelinedColumn<E>) {
    if (whole_step()) {
      loads current;
      current.template issue<false>(p, xp, p_step, x_step, i, slices, i_end, valid);
      for (;;) {
        i += Unroll * slices;
        p += Unroll * p_step;
        xp += Unroll * x_step;
        if (!whole_step()) break;
        loads next;
        next.template issue<false>(p, xp, p_step, x_step, i, slices, i_end, valid);
        current.accumulate(acc);
        current = next;
      }
      current.accumulate(acc);
    }
  } else {
    for (; whole_step(); i += Unroll * slices) {
      loads step;
      step.template issue<false>(p, xp, p_step, x_step, i, slices, i_end, valid);
      step.accumulate(acc);
      p += Unroll * p_step;
      xp += Unroll * x_step;
    }
  }
  if (i < i_end) {
    loads last;
    last.template issue<true>(p, xp, p_step, x_step, i, slices, i_end, valid);
    last.accumulate(acc);
  }
}

/// One column block: its tile of outputs over the rows of its split piece.
/// `a` holds the block's member's inputs (member_inputs); its outputs are
/// found after the walk.
template <class E, int Unroll, bool VectorLoads>
__device__ __forceinline__ void column_block(const kernel_args<E>& a) {
  constexpr int W = kColumnChunk<E>;
  extern __shared__ double slice_sums[];  // [blockDim.y][blockDim.x * W]
  allow_dependent_launch();  // the split finalize waits for this grid on the device

  const std::int64_t tile_first = std::int64_t{blockIdx.x} * blockDim.x * W;
  const std::int64_t col = tile_first + std::int64_t{threadIdx.x} * W;
  const std::int64_t split = blockIdx.y;
  const std::int64_t i_begin = split * a.split_length + threadIdx.y;
  const std::int64_t i_end = min(a.rows, split * a.split_length + a.split_length);
  const int slices = blockDim.y;
  const int valid = col >= a.cols ? 0 : static_cast<int>(a.cols - col < W ? a.cols - col : W);

  accumulator_t<typename E::compute> acc[W];
  if (VectorLoads && valid == W) {
    column_walk<E, Unroll, true>(a.A + col, a, i_begin, slices, i_end, valid, acc);
  } else if (valid > 0) {
    column_walk<E, Unroll, false>(a.A + col, a, i_begin, slices, i_end, valid, acc);
  }

  const int tile = blockDim.x * W;
#pragma unroll
  for (int w = 0; w < W; ++w) slice_sums[threadIdx.y * tile + threadIdx.x * W + w] = acc[w].value();
  __syncthreads();

  // Slices meet in a fixed order: the result does not depend on timing.
  const kernel_args<E> out_args = member_outputs(a);
  const int tid = threadIdx.y * blockDim.x + threadIdx.x;
  for (int o = tid; o < tile; o += blockDim.x * blockDim.y) {
    const std::int64_t out = tile_first + o;
    if (out >= a.cols) break;
    double dot = 0.0;
    for (int s = 0; s < slices; ++s) dot += slice_sums[s * tile + o];
    finish_output(out_args, out, a.cols, split, dot);
  }
}

// Two entry points over one body. Unroll 8 needs the launch bound to stay
// within 128 registers (16-bit types; float and double with two steps in
// flight), so that a 512-thread block always fits an SM's 64 K registers.
// Shallower unrolls fit without it, and the bound's schedule slows them
// (docs/performance-notes.md, entry 15).
template <class E, int Unroll, bool VectorLoads>
__global__ void column_kernel(const kernel_args<E> batch) {
  column_block<E, Unroll, VectorLoads>(member_inputs(batch));
}

template <class E, int Unroll, bool VectorLoads>
__global__ void __launch_bounds__(tiles::kMaxThreads) column_kernel_bounded(const kernel_args<E> batch) {
  column_block<E, Unroll, VectorLoads>(member_inputs(batch));
}

}  // namespace gemv::detail
