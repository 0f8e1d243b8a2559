#pragma once
// The tile shapes each kernel family is compiled for: the one list that
// is_supported(), the launch (dispatch/launch.cuh), the tests' forced
// policies and the tuner's candidates read, so that a shape added here is
// compiled, accepted, tested and tried together. Host and device code.

#include <cstddef>
#include <iterator>

namespace gemv::tiles {

/// row_warp: rows a warp owns; row_block and row_split_k: rows a block owns.
inline constexpr int kRows[] = {1, 2, 4};
/// 16-byte loads per thread and row in flight, for the three row families.
inline constexpr int kRowUnrolls[] = {2, 4};
/// row_subwarp: lanes per row.
inline constexpr int kSubwarpLanes[] = {1, 2, 4, 8, 16};
inline constexpr int kSubwarpUnrolls[] = {2, 4};
/// Several vectors against one A (gemv_multi): vectors a pass over A
/// serves, and the tiles compiled for them: row_warp of 1 or 2 rows and
/// row_block of 1 row (16-byte rows only), two loads a row and step. More
/// vectors than the largest take several passes.
inline constexpr int kPassVectors[] = {2, 4};
inline constexpr int kMultiWarpRows[] = {1, 2};
inline constexpr int kMultiBlockRows[] = {1};
inline constexpr int kMultiUnrolls[] = {2};
/// column: threads along the outputs (a block dimension, not a template
/// argument), and rows per thread and step in flight.
inline constexpr int kColumnLanes[] = {1, 2, 4, 8, 16, 32, 64, 128};
inline constexpr int kColumnUnrolls[] = {2, 4, 8};

/// Block sizes: whole warps, and at most 512 threads: every instantiation
/// fits 512 threads' registers (none uses more than 128), and a column
/// block's slice sums (one double per output of every thread, up to 8 per
/// thread for 16-bit types) stay within the 48 KB a block gets without
/// opting in.
inline constexpr int kMinThreads = 32;
inline constexpr int kMaxThreads = 512;

template <std::size_t N>
constexpr bool contains(const int (&values)[N], int v) noexcept {
  for (int x : values)
    if (x == v) return true;
  return false;
}

}  // namespace gemv::tiles
