#pragma once
// Integer arithmetic the dispatch and the model share (host and device).

#include <gemv/types.cuh>

#include <cstdint>

namespace gemv::detail {

constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) noexcept { return (a + b - 1) / b; }
constexpr std::int64_t round_up(std::int64_t a, std::int64_t b) noexcept { return ceil_div(a, b) * b; }
constexpr int pow2_ceil(std::int64_t v) noexcept {
  int p = 1;
  while (p < v && p < (1 << 30)) p *= 2;
  return p;
}
/// Elements of type `t` in one 16-byte vector.
constexpr int vector_width(dtype t) noexcept { return 16 / size_of(t); }
/// Outputs a column thread owns (kernels/column.cuh, kColumnChunk): a
/// 16-byte vector's worth, at most 8.
constexpr int column_chunk(dtype t) noexcept { return vector_width(t) < 8 ? vector_width(t) : 8; }
/// Whether a column thread keeps its next step's loads in flight while it
/// multiplies the current step's (kernels/column.cuh, column_walk): chunks
/// of at most 4 outputs (float and double A). Chunks of 8 carry 16
/// registers of compensated sums and already fill 128 registers at unroll
/// 8 without a second step of loads.
constexpr bool column_pipelined(dtype t) noexcept { return column_chunk(t) <= 4; }

}  // namespace gemv::detail
