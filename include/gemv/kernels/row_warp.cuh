#pragma once
// Warp-per-row: each warp owns `Rows` adjacent rows and walks them end to
// end, loading each x vector once for all of its rows. For many rows. With
// Vectors > 1 (gemv_multi), each row meets that many vectors of x, and each
// load of A serves all of them.

#include <gemv/dispatch/compiled_tiles.cuh>
#include <gemv/kernels/row_dot.cuh>

namespace gemv::detail {

template <class E, int Rows, int Unroll, bool Vectorized, int Vectors>
__device__ __forceinline__ void row_warp(const kernel_args<E>& batch) {
  const kernel_args<E> a = member_inputs(batch);  // outputs: after the walk
  const int lane = threadIdx.x % 32;
  const std::int64_t warp = (std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x) / 32;
  const std::int64_t first = warp * Rows;
  if (first >= a.rows) return;

  std::int64_t row[Rows];
#pragma unroll
  for (int r = 0; r < Rows; ++r) row[r] = clamped_row(first + r, a.rows);

  accumulator_t<typename E::compute> acc[Rows * Vectors];
  dot_rows<E, Rows, Unroll, Vectorized, kWarpElementLoads<Rows, Unroll>, Vectors>(a, row, 0, a.cols, lane,
                                                                                  32, acc);
#pragma unroll
  for (int r = 0; r < Rows; ++r) {
#pragma unroll
    for (int j = 0; j < Vectors; ++j) {
      const double dot = group_sum<32>(acc[r * Vectors + j].value());
      if (lane == 0 && first + r < a.rows) {
        if constexpr (Vectors == 1) {
          store_output(member_outputs(a), first + r, dot);
        } else {
          store_vector_output(member_outputs(a), j, first + r, dot);
        }
      }
    }
  }
}

// Two entry points over one body, as for the single call's row block: the
// bounded one for the tiles of kBoundedRowTile.
template <class E, int Rows, int Unroll, bool Vectorized, int Vectors = 1>
__global__ void row_warp_kernel(const kernel_args<E> batch) {
  row_warp<E, Rows, Unroll, Vectorized, Vectors>(batch);
}

template <class E, int Rows, int Unroll, bool Vectorized, int Vectors = 1>
__global__ void __launch_bounds__(tiles::kMaxThreads, 1) row_warp_kernel_bounded(const kernel_args<E> batch) {
  row_warp<E, Rows, Unroll, Vectorized, Vectors>(batch);
}

}  // namespace gemv::detail
