#pragma once
// Row-block: each block owns `Rows` adjacent rows and all its warps split the
// row; with gridDim.y > 1 the grid also splits it (split-K) and each block
// writes its piece to scratch for row_split_finalize. For few, long rows.
// With Vectors > 1 (gemv_multi, whole rows only), each row meets that many
// vectors of x, and each load of A serves all of them. A single call of
// 16-byte rows runs the same walk from a smaller parameter block
// (row_block_call_kernel).

#include <gemv/detail/grid_dependency.cuh>
#include <gemv/dispatch/compiled_tiles.cuh>
#include <gemv/kernels/row_dot.cuh>

namespace gemv::detail {

/// Largest block the launcher uses: one partial per warp and row in shared memory.
inline constexpr int kMaxWarpsPerBlock = 32;

/// The block's sums of `Outputs` dot products, each held in part by every
/// thread (acc[i]): a butterfly in each warp, then the warps' sums in warp
/// order, so the result does not depend on timing. Thread i < Outputs gets
/// output i's sum and true; the others false.
template <int Outputs, class Acc>
__device__ __forceinline__ bool block_sums(const Acc (&acc)[Outputs], double& dot) {
  __shared__ double warp_sums[Outputs][kMaxWarpsPerBlock];
  const int lane = threadIdx.x % 32;
  const int warp = threadIdx.x / 32;
#pragma unroll
  for (int i = 0; i < Outputs; ++i) {
    const double s = warp_sum(acc[i].value());
    if (lane == 0) warp_sums[i][warp] = s;
  }
  __syncthreads();
  if (threadIdx.x >= Outputs) return false;
  dot = 0.0;
  for (int w = 0; w < static_cast<int>(blockDim.x / 32); ++w) dot += warp_sums[threadIdx.x][w];
  return true;
}

/// With Joined (plan::joined), a 1-row block on the element-wise path reads x
/// in vectors and joins A's to meet them: its own instantiation, since it
/// needs more registers than the element-wise block.
template <class E, int Rows, int Unroll, bool Vectorized, bool Joined = false, int Vectors = 1>
__global__ void row_block_kernel(const kernel_args<E> batch) {
  static_assert(Vectors == 1 || (Vectorized && !Joined), "several vectors: 16-byte rows only");
  const kernel_args<E> a = member_inputs(batch);  // outputs: after the walk
  allow_dependent_launch();  // the split finalize waits for this grid on the device
  const std::int64_t first = std::int64_t{blockIdx.x} * Rows;
  const std::int64_t split = blockIdx.y;
  const std::int64_t k_begin = split * a.split_length;
  const std::int64_t k_end = min(a.cols, k_begin + a.split_length);

  std::int64_t row[Rows];
#pragma unroll
  for (int r = 0; r < Rows; ++r) row[r] = clamped_row(first + r, a.rows);

  accumulator_t<typename E::compute> acc[Rows * Vectors];
  if constexpr (Joined) {
    static_assert(Rows == kBoundaryBlockRows && !Vectorized);
    dot_row_joined<E, Unroll>(a, row[0], k_begin, k_end, threadIdx.x, blockDim.x, acc[0]);
  } else if constexpr (Rows == kBoundaryBlockRows && !Vectorized) {
    dot_row_from_boundary<E, Unroll>(a, row[0], k_begin, k_end, threadIdx.x, blockDim.x, acc[0]);
  } else {
    dot_rows<E, Rows, Unroll, Vectorized, kBlockElementLoads, Vectors>(a, row, k_begin, k_end,
                                                                       threadIdx.x, blockDim.x, acc);
  }
  // Thread i finishes row i / Vectors with vector i % Vectors.
  double dot = 0.0;
  const std::int64_t out = first + threadIdx.x / Vectors;
  if (block_sums(acc, dot) && out < a.rows) {
    if constexpr (Vectors == 1) {
      finish_output(member_outputs(a), out, a.rows, split, dot);
    } else {
      store_vector_output(member_outputs(a), static_cast<int>(threadIdx.x % Vectors), out, dot);
    }
  }
}

/// row_block_kernel for a single call of 16-byte rows, unsplit: the same
/// walk and sums, from call_args, with no batch member or split piece to
/// find. The launch runs it whenever a call allows (launch_first_pass).
template <class E, int Rows, int Unroll>
__device__ __forceinline__ void row_block_call(const call_args<E>& c) {
  kernel_args<E> a{};  // the walk's view: the operands, x contiguous, one vector
  static_cast<matrix_operands<E>&>(a) = c;
  a.incx = 1;
  a.vectors = 1;
  const std::int64_t first = std::int64_t{blockIdx.x} * Rows;
  std::int64_t row[Rows];
#pragma unroll
  for (int r = 0; r < Rows; ++r) row[r] = clamped_row(first + r, c.rows);

  accumulator_t<typename E::compute> acc[Rows];
  dot_rows<E, Rows, Unroll, true, kBlockElementLoads>(a, row, 0, c.cols, threadIdx.x, blockDim.x, acc);
  double dot = 0.0;
  const std::int64_t out = first + threadIdx.x;
  if (block_sums(acc, dot) && out < c.rows) c.epilogue.store(c.y + out * c.incy, out, dot);
}

// Two entry points over one body: the bounded one keeps all of a step's
// loads in flight, for the tiles of kBoundedRowTile (docs/performance-notes.md,
// entry 55).
template <class E, int Rows, int Unroll>
__global__ void row_block_call_kernel(const call_args<E> c) {
  row_block_call<E, Rows, Unroll>(c);
}

template <class E, int Rows, int Unroll>
__global__ void __launch_bounds__(tiles::kMaxThreads, 1) row_block_call_kernel_bounded(const call_args<E> c) {
  row_block_call<E, Rows, Unroll>(c);
}

}  // namespace gemv::detail
