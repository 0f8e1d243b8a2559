#pragma once
// Second pass of every split plan: adds the pieces of each output in split
// order (deterministic, no atomics) and stores them through the epilogue.
// Templated on y's type and the scalar type only: calls whose A or x differ
// share these kernels.

#include <gemv/detail/accumulator.cuh>
#include <gemv/detail/epilogue.cuh>
#include <gemv/detail/grid_dependency.cuh>
#include <gemv/kernels/args.cuh>

#include <cub/block/block_reduce.cuh>

namespace gemv::detail {

/// One thread per output, for plans with few pieces per output. The loads
/// are unrolled so that several are in flight: the pieces come from L2.
/// Member `first_member + blockIdx.z` of a batch reads its own pieces
/// (splits * outputs on per member) and writes its own y (stride_y on).
template <class TY, class S, class Act>
__global__ void split_finalize_thread_kernel(const double* partials, std::int64_t outputs,
                                             std::int64_t splits, TY* y, std::int64_t incy,
                                             output_epilogue<TY, S, Act> epilogue,
                                             std::int64_t stride_y, TY* const* y_array,
                                             std::int64_t y_offset, std::int64_t first_member) {
  wait_for_prerequisite_grid();
  const std::int64_t out = std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x;
  if (out >= outputs) return;
  const std::int64_t member = first_member + blockIdx.z;
  partials += member * splits * outputs;
  y = member_y(y, y_array, y_offset, stride_y, member);
  double dot = 0.0;
#pragma unroll 8
  for (std::int64_t s = 0; s < splits; ++s) dot += partials[s * outputs + out];
  epilogue.store(y + out * incy, out, dot);
}

/// One block per output, for plans with many pieces per output (a few long
/// rows): each thread adds a strided share, then a fixed-shape block
/// reduction. A single thread walking thousands of pieces would wait on one
/// L2 round trip per piece.
template <class TY, class S, class Act, int Threads>
__global__ void __launch_bounds__(Threads)
    split_finalize_block_kernel(const double* partials, std::int64_t outputs, std::int64_t splits,
                                TY* y, std::int64_t incy, output_epilogue<TY, S, Act> epilogue,
                                std::int64_t stride_y, TY* const* y_array, std::int64_t y_offset,
                                std::int64_t first_member) {
  using reduce = cub::BlockReduce<double, Threads>;
  __shared__ typename reduce::TempStorage storage;
  wait_for_prerequisite_grid();
  const std::int64_t out = blockIdx.x;
  const std::int64_t member = first_member + blockIdx.z;
  partials += member * splits * outputs;
  y = member_y(y, y_array, y_offset, stride_y, member);
  double dot = 0.0;
  for (std::int64_t s = threadIdx.x; s < splits; s += Threads) dot += partials[s * outputs + out];
  dot = reduce(storage).Sum(dot);
  if (threadIdx.x == 0) epilogue.store(y + out * incy, out, dot);
}

/// The epilogue of an empty product (output_epilogue::without_product), for
/// alpha == 0 or an empty reduction: y = beta * y, plus act(bias) when the
/// epilogue has a bias; y is not read when beta is 0.
template <class TY, class S, class Act>
__global__ void scale_kernel(std::int64_t outputs, TY* y, std::int64_t incy,
                             output_epilogue<TY, S, Act> epilogue, std::int64_t stride_y,
                             TY* const* y_array, std::int64_t y_offset, std::int64_t first_member) {
  const std::int64_t out = std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x;
  if (out >= outputs) return;
  y = member_y(y, y_array, y_offset, stride_y, first_member + blockIdx.z);
  epilogue.store(y + out * incy, out, 0.0);
}

}  // namespace gemv::detail
