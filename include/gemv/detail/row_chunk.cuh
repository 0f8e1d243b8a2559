#pragma once
// What a row-kernel thread reads per unrolled step, shared by the kernels and
// by the host-side dispatch that sizes their grids (plain constants: no CUDA
// headers needed).

namespace gemv::detail {

/// Element sizes of A the staged kernel serves (kernels/row_staged.cuh:
/// staged_pitch keeps 2- and 4-byte rows off shared-memory bank conflicts,
/// and x is staged as float); rows of other types take the sub-warp kernels.
constexpr bool stages_element(int element_bytes) noexcept {
  return element_bytes == 2 || element_bytes == 4;
}

/// Single-element loads per row and unrolled step of a warp or sub-warp
/// thread (rows up to a few KB) on the element-wise path (A's rows or x not
/// 16-byte aligned), for a kernel of `rows` rows and `unroll` steps. The loads
/// of a step are as many elements apart as threads share the row, so each
/// load instruction of a warp stays coalesced. Four keep as many bytes in
/// flight as a float vector (docs/performance-notes.md, entry 28). Kernels
/// of 16 rows x steps take two: four would take the 16-bit ones past the 128
/// registers that a 512-thread block allows.
constexpr int warp_element_loads(int rows, int unroll) noexcept { return rows * unroll > 8 ? 2 : 4; }

/// Row blocks of this many rows read a misaligned row in 16-byte vectors
/// from its first 16-byte boundary (dot_row_from_boundary in
/// kernels/row_dot.cuh), so the dispatch sizes them as for aligned rows.
inline constexpr int kBoundaryBlockRows = 1;

/// Those blocks, when x is contiguous, read x in 16-byte vectors too and join
/// each warp's 32 vectors of A, lane with neighbouring lane, into this many
/// windows that meet x's vectors (dot_row_joined in kernels/row_dot.cuh).
inline constexpr int kJoinedWindowsPerWarp = 31;

/// Single-element loads per row and step of the other row-block and split-K
/// threads (2 or 4 rows): one. Two and four lost on most long rows: more
/// registers, fewer resident blocks (docs/performance-notes.md, entry 28).
inline constexpr int kBlockElementLoads = 1;

/// warp_element_loads as a constant that device code can read.
template <int Rows, int Unroll>
inline constexpr int kWarpElementLoads = warp_element_loads(Rows, Unroll);

}  // namespace gemv::detail
