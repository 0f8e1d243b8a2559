#pragma once
// The arithmetic and the measured rules that plans are made of: sizes of
// steps and pieces, when rows are staged or joined, how many pieces a
// split takes. Shared by the family descriptors (dispatch/families.cuh)
// and make_plan. Host arithmetic only.

#include <gemv/detail/arithmetic.cuh>
#include <gemv/detail/row_chunk.cuh>
#include <gemv/dispatch/compiled_tiles.cuh>
#include <gemv/dispatch/model.cuh>
#include <gemv/plan.cuh>
#include <gemv/tuning/table.cuh>

#include <algorithm>
#include <cstdint>

namespace gemv {

/// Upper bound on the scratch of any plan the dispatch makes. The library's
/// own per-stream scratch has exactly this size.
inline constexpr std::size_t kMaxWorkspaceBytes = std::size_t{1} << 20;

namespace detail {


/// Elements of a row that a thread of row kernel `k` with `rows` rows and
/// `unroll` steps reads per step (kernels/row_dot.cuh): a 16-byte vector, or
/// single elements on the element-wise path (detail/row_chunk.cuh), except
/// in row blocks of kBoundaryBlockRows, which read A in vectors from the
/// row's first 16-byte boundary.
constexpr int row_step_width(const problem& p, kernel_kind k, int rows, int unroll) noexcept {
  if (p.vectorizable) return vector_width(p.type);
  if (k == kernel_kind::row_warp || k == kernel_kind::row_subwarp) return warp_element_loads(rows, unroll);
  return rows == kBoundaryBlockRows ? vector_width(p.type) : kBlockElementLoads;
}

/// Whether a row block of `pol` joins A's vectors to x's (plan::joined) on
/// rows or split pieces of `length` columns: one row a block, four loads a
/// thread, x contiguous, and long rows: four steps of the block or more for
/// 16-bit rows (eight element loads of x saved per vector of A), sixteen for
/// float (four saved). A joined warp makes 31 windows from 32 vectors; the
/// step thresholds are where joining measured faster
/// (docs/performance-notes.md, entries 35 and 37).
constexpr bool joins_vectors(const problem& p, const policy& pol, std::int64_t length) noexcept {
  if (p.vectorizable || !p.x_contiguous || pol.rows != kBoundaryBlockRows || pol.unroll != 4) return false;
  if (size_of(p.x_type) != size_of(p.type)) return false;  // x is read in A's windows
  if (pol.kernel != kernel_kind::row_block && pol.kernel != kernel_kind::row_split_k) return false;
  const std::int64_t vectors = ceil_div(length, vector_width(p.type));
  const std::int64_t steps = ceil_div(vectors, std::int64_t{pol.threads} * pol.unroll);
  return steps >= (size_of(p.type) == 2 ? 4 : 16);
}

/// Rows past the table's short_row_bytes and up to this long that the model
/// does not plan: on the element-wise path they take a warp each
/// (docs/performance-notes.md, entry 38); on either path a sub-warp where
/// its steps are fuller (fuller_sub_warp, make_plan.cuh).
inline constexpr std::int64_t kShortRowBytes = 4096;

/// Loads a row and step of those warps and sub-warps (on the element-wise
/// path, each of warp_element_loads single elements; docs/performance-notes.md,
/// entry 47).
inline constexpr int kShortRowUnroll = 2;

/// 16-byte rows of kLatencyBoundMinRowBytes up to the table's
/// subwarp_max_row_bytes take a warp a row, not a sub-warp, while those warps
/// fill at most 1 / kLatencyBoundWaveShare of one wave
/// (docs/performance-notes.md, entry 57).
inline constexpr std::int64_t kLatencyBoundMinRowBytes = 64;
inline constexpr int kLatencyBoundWaveShare = 4;

/// Whether `p`, rows of at most subwarp_max_row_bytes, is such a problem on `dev`.
constexpr bool latency_bound_rows(const problem& p, const device_info& dev) noexcept {
  const std::int64_t row_bytes = p.cols * size_of(p.type);
  const std::int64_t resident_warps = std::int64_t{dev.sm_count} * (dev.max_threads_per_sm / 32);
  return p.kind == reduction::along_rows && p.vectorizable && row_bytes >= kLatencyBoundMinRowBytes &&
         p.rows * kLatencyBoundWaveShare <= resident_warps;
}

/// Steps a sub-warp may take on such a row: as on the longest aligned row
/// the model gives it (model::kSubwarpMaxRowVectors at 16 lanes of two
/// vectors; docs/performance-notes.md, entry 47).
inline constexpr std::int64_t kSubwarpShortRowMaxSteps = 8;

/// Steps of two loads that an element-wise 1-row block's thread walks at
/// most (element_wise_block).
inline constexpr std::int64_t kElementWiseMaxSteps = 8;

/// A whole-row block for rows on the element-wise path that are not joined:
/// two loads a thread, and as few threads as fill the card once with one
/// block per row and walk a row in at most kElementWiseMaxSteps steps: from
/// 128 up to the table's block, and no more than walk the row in one step
/// (docs/performance-notes.md, entry 37).
constexpr policy element_wise_block(const problem& p, const device_info& dev, const tuning::table& t,
                                    std::int64_t vectors) noexcept {
  policy block = t.row_block;
  block.unroll = 2;
  const std::int64_t resident = std::int64_t{dev.sm_count} * dev.max_threads_per_sm;
  const std::int64_t wanted = std::max(ceil_div(resident, p.rows), ceil_div(vectors, 2 * kElementWiseMaxSteps));
  const std::int64_t one_step = round_up(ceil_div(vectors, 2), 32);
  const std::int64_t threads = std::min({round_up(wanted, 32), one_step, std::int64_t{block.threads}});
  block.threads = static_cast<int>(std::max<std::int64_t>(threads, 128));
  return block;
}

/// An element-wise 1-row block for a grid of `rows` blocks: where the grid's
/// last wave is at most half full, most SMs idle through it; the largest
/// block of 512, 256 or 128 threads (no larger than `block`) whose grid is
/// all resident at once takes its place. Otherwise, or where none fits,
/// `block` as it is (docs/performance-notes.md, entry 50).
constexpr policy one_wave_block(const problem& p, const device_info& dev, const policy& block) noexcept {
  const auto wave = [&](int threads) {
    policy b = block;
    b.threads = threads;
    return model::resident_wave(dev, b);
  };
  const std::int64_t full = wave(block.threads);
  const std::int64_t last = p.rows % full;
  if (p.rows <= full || last == 0 || 2 * last > full) return block;
  for (int threads : {512, 256, 128}) {
    if (threads < block.threads && p.rows <= wave(threads)) {
      policy fit = block;
      fit.threads = threads;
      return fit;
    }
  }
  return block;
}

/// Rows that the staged kernel takes (kernels/row_staged.cuh): up to
/// kStagedMaxRowBytes, so that a block's 128 rows fit the 48 KB of shared
/// memory a block gets without opting in, and from kStagedMinRowBytes, where
/// it started to win (docs/performance-notes.md, entry 34).
inline constexpr std::int64_t kStagedMaxRowBytes = 256;
inline constexpr std::int64_t kStagedMinRowBytes = 16;

/// A sub-warp problem on the element-wise path runs the staged kernel when its
/// rows are short and nearly back to back: the kernel copies the padding
/// between rows too, so at most an eighth of a row of it.
constexpr bool stages_rows(const problem& p) noexcept {
  const std::int64_t row_bytes = p.cols * size_of(p.type);
  return stages_element(size_of(p.type)) && p.kind == reduction::along_rows && !p.vectorizable && row_bytes >= kStagedMinRowBytes &&
         row_bytes <= kStagedMaxRowBytes && (p.ld - p.cols) * 8 <= p.cols;
}

/// Elements per split piece are a multiple of this, so every piece of a
/// vectorized row starts on a 16-byte boundary.
inline constexpr std::int64_t kSplitGranule = 64;
inline constexpr std::int64_t kMaxSplits = 65535;  // gridDim.y
inline constexpr std::int64_t kMaxPartials = kMaxWorkspaceBytes / sizeof(double);
inline constexpr int kMinWholeColumnLanes = 8;
/// Pipelined whole-column tiles too few for a wave (whole_column_tile) still
/// beat a split plan while each walks at most this many rows per tile of
/// the grid, on at least a fifth of the SMs: there the split's second pass
/// and short pieces cost more than the idle SMs (docs/performance-notes.md,
/// entry 52).
inline constexpr std::int64_t kShortWholeColumnRowsPerTile = 128;
inline constexpr int kShortWholeColumnMinSmShare = 5;  // tiles >= SMs / 5

/// How many pieces to cut a reduction of `length` elements into, when the
/// rest of the grid already has `other_blocks` blocks.
constexpr std::int64_t auto_splits(const tuning::table& t, const device_info& dev, int threads,
                                   std::int64_t other_blocks, std::int64_t length,
                                   std::int64_t bytes_per_step) noexcept {
  const std::int64_t blocks_per_sm = std::max(1, dev.max_threads_per_sm / threads);
  const std::int64_t target = std::int64_t{dev.sm_count} * blocks_per_sm * t.split_waves;
  const std::int64_t groups = std::max<std::int64_t>(other_blocks, 1);
  std::int64_t s = ceil_div(target, groups);
  // Pieces of about min_split_bytes or more. Counted rounding down, a length
  // that is not a whole number of them gives pieces a little longer, which
  // bind rounds up to whole steps: twice the bytes where min_split_bytes is
  // one step. On a grid under one wave that halves the blocks, so there the
  // count rounds up (docs/performance-notes.md, entry 39).
  const std::int64_t bytes = length * bytes_per_step;
  const std::int64_t floor_cap = std::max<std::int64_t>(1, bytes / t.min_split_bytes);
  const bool under_a_wave = groups * floor_cap < std::int64_t{dev.sm_count} * blocks_per_sm;
  return std::min(s, under_a_wave ? ceil_div(bytes, t.min_split_bytes) : floor_cap);
}

constexpr std::int64_t clamp_splits(std::int64_t s, std::int64_t length, std::int64_t granule,
                                    std::int64_t outputs) noexcept {
  s = std::min(s, ceil_div(length, granule));
  s = std::min(s, kMaxSplits);
  s = std::min(s, std::max<std::int64_t>(1, kMaxPartials / std::max<std::int64_t>(outputs, 1)));
  return std::max<std::int64_t>(s, 1);
}

}  // namespace detail

}  // namespace gemv
