#pragma once
// Sub-warp: `Lanes` lanes per row, so one warp covers 32 / Lanes adjacent
// rows with one coalesced access. For rows of a few vectors (K up to ~64
// floats). Each group handles `Unroll` rows, 32 / Lanes rows apart, to keep
// several loads in flight.

#include <gemv/kernels/row_dot.cuh>

namespace gemv::detail {

template <class E, int Lanes, int Unroll, bool Vectorized, bool Member>
__device__ __forceinline__ void subwarp_rows(const kernel_args<E>& a) {
  constexpr int kGroups = 32 / Lanes;
  const int lane = threadIdx.x % 32;
  const int group = lane / Lanes;
  const int rank = lane % Lanes;
  const std::int64_t warp = (std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x) / 32;
  const std::int64_t warp_first = warp * kGroups * Unroll;
  if (warp_first >= a.rows) return;

  std::int64_t row[Unroll];
#pragma unroll
  for (int u = 0; u < Unroll; ++u) {
    row[u] = clamped_row(warp_first + u * kGroups + group, a.rows);
  }
  accumulator_t<typename E::compute> acc[Unroll];
  // The rows play the part of the unrolled loads: one step each per pass.
  // A lane alone on a row reads part of each sector a step where the row is
  // longer than one load: through L1, the rest is there for the next step.
  dot_rows<E, Unroll, 1, Vectorized, kWarpElementLoads<Unroll, 1>, 1, Lanes == 1>(a, row, 0, a.cols, rank,
                                                                                  Lanes, acc);
#pragma unroll
  for (int u = 0; u < Unroll; ++u) {
    const double dot = group_sum<Lanes>(acc[u].value());
    const std::int64_t r = warp_first + u * kGroups + group;
    if (rank == 0 && r < a.rows) store_output(outputs_of<Member>(a), r, dot);
  }
}

template <class E, int Lanes, int Unroll, bool Vectorized>
__global__ void row_subwarp_kernel(const kernel_args<E> batch) {
  with_member(batch, [](const kernel_args<E>& a, auto member) {
    subwarp_rows<E, Lanes, Unroll, Vectorized, decltype(member)::value>(a);
  });
}

}  // namespace gemv::detail
