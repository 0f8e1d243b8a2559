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

}  // namespace gemv::detail
