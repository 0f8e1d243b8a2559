#pragma once
// Host-side dispatch: turns a problem and a device into a plan, using the
// tuning table of the device's architecture. Pure arithmetic, no CUDA calls,
// so every decision is testable without a GPU.

#include <gemv/detail/row_chunk.cuh>
#include <gemv/dispatch/compiled_tiles.cuh>
#include <gemv/dispatch/model.cuh>
#include <gemv/plan.cuh>
#include <gemv/tuning/select.cuh>

#include <algorithm>
#include <cstdint>

namespace gemv {

/// Upper bound on the scratch of any plan the dispatch makes. The library's
/// own per-stream scratch has exactly this size.
inline constexpr std::size_t kMaxWorkspaceBytes = std::size_t{1} << 20;

namespace detail {

constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) noexcept { return (a + b - 1) / b; }
constexpr std::int64_t round_up(std::int64_t a, std::int64_t b) noexcept { return ceil_div(a, b) * b; }
constexpr int pow2_ceil(std::int64_t v) noexcept {
  int p = 1;
  while (p < v && p < (1 << 30)) p *= 2;
  return p;
}
constexpr int vector_width(dtype t) noexcept { return 16 / size_of(t); }

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
/// float (four saved). A joined warp makes 31 windows from 32 vectors and
/// its block holds 56-60 registers a thread instead of 32-40; on the H100
/// and H200 it ran 4-17% faster on such rows, 1-28% slower on float rows of
/// 1-8 steps, and behind the element-wise block of entry 37 on shorter
/// 16-bit rows (docs/performance-notes.md, entries 35 and 37).
constexpr bool joins_vectors(const problem& p, const policy& pol, std::int64_t length) noexcept {
  if (p.vectorizable || !p.x_contiguous || pol.rows != kBoundaryBlockRows || pol.unroll != 4) return false;
  if (pol.kernel != kernel_kind::row_block && pol.kernel != kernel_kind::row_split_k) return false;
  const std::int64_t vectors = ceil_div(length, vector_width(p.type));
  const std::int64_t steps = ceil_div(vectors, std::int64_t{pol.threads} * pol.unroll);
  return steps >= (size_of(p.type) == 2 ? 4 : 16);
}

/// Rows on the element-wise path up to this long take a warp each, with
/// four single-element loads a row and step (warp_element_loads), past the
/// table's short_row_bytes: on the H100, misaligned rows of 2-4 KB ran 2-33%
/// faster so than in 128-thread row blocks, from 512 rows to 131072 (f16
/// 32768 x 1023: 52.4 -> 35.2 us; float 8192 x 511: 14.2 -> 10.5 us), rows of
/// 8 KB 2% slower to 3% faster (docs/performance-notes.md, entry 38).
inline constexpr std::int64_t kElementWiseWarpRowBytes = 4096;

/// Steps of two loads that an element-wise 1-row block's thread walks at
/// most (element_wise_block).
inline constexpr std::int64_t kElementWiseMaxSteps = 8;

/// A whole-row block for rows on the element-wise path that are not joined:
/// two loads a thread, and as few threads as fill the card once with one
/// block per row and walk a row in at most kElementWiseMaxSteps steps: from
/// 128 up to the table's block, and no more than walk the row in one step.
/// On the H100 such blocks ran 5-14% faster than blocks sized to walk the row
/// in one step (bf16 128256 x 4095: 422.6 -> 363.6 us with 128 threads
/// instead of 256), while aligned rows gained nothing
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

/// Rows that the staged kernel takes (kernels/row_staged.cuh): up to
/// kStagedMaxRowBytes, so that a block's 128 rows fit the 48 KB of shared
/// memory a block gets without opting in, and from kStagedMinRowBytes: on
/// rows of 14 bytes (f16 4194304 x 7) it ran 50.8 -> 55.9 us, on rows of 28
/// bytes (float 16777216 x 7) 234.7 -> 203.0 us (docs/performance-notes.md,
/// entry 34; nothing measured in between).
inline constexpr std::int64_t kStagedMaxRowBytes = 256;
inline constexpr std::int64_t kStagedMinRowBytes = 16;

/// A sub-warp problem on the element-wise path runs the staged kernel when its
/// rows are short and nearly back to back: the kernel copies the padding
/// between rows too, so at most an eighth of a row of it.
constexpr bool stages_rows(const problem& p) noexcept {
  const std::int64_t row_bytes = p.cols * size_of(p.type);
  return p.kind == reduction::along_rows && !p.vectorizable && row_bytes >= kStagedMinRowBytes &&
         row_bytes <= kStagedMaxRowBytes && (p.ld - p.cols) * 8 <= p.cols;
}

/// Elements per split piece are a multiple of this, so every piece of a
/// vectorized row starts on a 16-byte boundary.
inline constexpr std::int64_t kSplitGranule = 64;
inline constexpr std::int64_t kMaxSplits = 65535;  // gridDim.y
inline constexpr std::int64_t kMaxPartials = kMaxWorkspaceBytes / sizeof(double);
inline constexpr int kMinWholeColumnLanes = 8;

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
  // count rounds up: float 1 x 1000000 ran 12.0 -> 9.5 us and 2 x 1000000
  // 13.0 -> 10.6 us on the H100, while larger grids rounded up lost up to 3%
  // (docs/performance-notes.md, entry 39).
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

/// Whether `p` names a tile shape the library was compiled with, for a
/// problem of this reduction kind (dispatch/compiled_tiles.cuh).
constexpr bool is_supported(const policy& p, reduction kind) noexcept {
  using tiles::contains;
  if (p.splits < 0 || p.threads % 32 != 0 || p.threads < tiles::kMinThreads ||
      p.threads > tiles::kMaxThreads) {
    return p.kernel == kernel_kind::scale_only;
  }
  switch (p.kernel) {
    case kernel_kind::row_warp:
    case kernel_kind::row_block:
    case kernel_kind::row_split_k:
      return kind == reduction::along_rows && contains(tiles::kRows, p.rows) &&
             contains(tiles::kRowUnrolls, p.unroll);
    case kernel_kind::row_subwarp:
      // lanes 0: chosen from the row length when the policy is bound.
      return kind == reduction::along_rows && (p.lanes == 0 || contains(tiles::kSubwarpLanes, p.lanes)) &&
             contains(tiles::kSubwarpUnrolls, p.unroll);
    case kernel_kind::column:
      return kind == reduction::across_rows && contains(tiles::kColumnLanes, p.lanes) &&
             p.threads % p.lanes == 0 && contains(tiles::kColumnUnrolls, p.unroll);
    case kernel_kind::scale_only:
      return true;
    case kernel_kind::none:  // a quick return is the validation's outcome, never a forced policy
      return false;
  }
  return false;
}

/// Binds a policy to a problem: picks the split of the reduction (when
/// `pol.splits` is 0) and narrows tiles that would be wider than the problem.
/// The policy must satisfy is_supported().
constexpr plan bind(const problem& prob, policy pol, const device_info& dev,
                    const tuning::table& t) noexcept {
  using namespace detail;
  plan pl;
  pl.prob = prob;
  pl.vectorized = prob.vectorizable;
  const std::int64_t esize = size_of(prob.type);

  switch (pol.kernel) {
    case kernel_kind::row_subwarp:
      pl.staged = stages_rows(prob);
      if (pol.lanes == 0) {  // a group's rows are its unrolled loads
        // One step per lane; two on large aligned problems, where the lanes
        // that a row would leave idle are better spent on other rows: on the
        // H200, 16777216 x 8 floats ran 191 -> 156 us with one lane a row
        // instead of two, 1048576 x 64 79 -> 68 us with eight instead of
        // sixteen (docs/performance-notes.md, entry 42).
        const std::int64_t steps = model::plans(prob, dev, t) ? 2 : 1;
        const std::int64_t width = row_step_width(prob, pol.kernel, pol.unroll, 1) * steps;
        pol.lanes = static_cast<int>(std::min<std::int64_t>(16, pow2_ceil(ceil_div(prob.cols, width))));
      }
      break;
    case kernel_kind::row_split_k: {
      const std::int64_t groups = ceil_div(prob.rows, pol.rows);
      std::int64_t s = pol.splits > 0
                           ? pol.splits
                           : std::max<std::int64_t>(2, auto_splits(t, dev, pol.threads, groups,
                                                                   prob.cols, esize));
      s = clamp_splits(s, prob.cols, kSplitGranule, prob.rows);
      // Automatic pieces are whole block steps, so no thread idles in a
      // partial last step; forced ones keep their count.
      const std::int64_t step =
          std::int64_t{pol.threads} * row_step_width(prob, pol.kernel, pol.rows, pol.unroll) * pol.unroll;
      const std::int64_t granule = pol.splits > 0 ? kSplitGranule : round_up(step, kSplitGranule);
      pl.split_length = round_up(ceil_div(prob.cols, s), granule);
      pl.splits = std::max<std::int64_t>(1, ceil_div(prob.cols, pl.split_length));
      break;
    }
    case kernel_kind::column: {
      // A column thread owns a whole vector's worth of outputs even when it
      // must load them one by one (kernels/column.cuh).
      const std::int64_t chunk = vector_width(prob.type);
      const int wide = std::min<int>(pol.lanes, pow2_ceil(ceil_div(prob.cols, chunk)));
      pol.lanes = wide;
      const int slices = pol.threads / wide;
      const std::int64_t col_blocks = ceil_div(prob.cols, wide * chunk);
      // Enough blocks to keep every SM busy, but few pieces: each piece costs
      // a pass over the partial sums.
      const std::int64_t target = std::int64_t{dev.sm_count} * t.column_blocks_per_sm;
      std::int64_t s = pol.splits > 0 ? pol.splits : ceil_div(target, col_blocks);
      // Each slice thread should have at least one unrolled step per piece.
      if (pol.splits == 0) s = std::min(s, std::max<std::int64_t>(1, prob.rows / (slices * pol.unroll)));
      s = clamp_splits(s, prob.rows, 1, prob.cols);
      const std::int64_t granule = pol.splits > 0 ? 1 : std::int64_t{slices} * pol.unroll;
      pl.split_length = round_up(ceil_div(prob.rows, s), granule);
      pl.splits = ceil_div(prob.rows, pl.split_length);
      break;
    }
    default:
      break;
  }
  if (pl.splits <= 1) pl.split_length = prob.reduction_length();
  pl.joined = joins_vectors(prob, pol, pl.split_length);
  pl.dependent_launch = pl.splits > 1 && dev.arch >= 90;
  pol.splits = static_cast<int>(pl.splits);
  pl.pol = pol;
  return pl;
}

namespace detail {

/// The column_whole tile for an across_rows problem, or a policy with
/// splits == 0 when the outputs are too few for it or the rows too many.
/// With enough outputs for tiles on most SMs, each block walks all rows of
/// its tile: one launch, no scratch. The tile is the widest that still gives
/// that many tiles, but never under kMinWholeColumnLanes (128 contiguous
/// bytes per row with 16-byte loads), and has no more slices than unrolled
/// steps of rows. Past column_whole_max_rows, split plans measured faster
/// despite their second pass.
constexpr policy whole_column_tile(const problem& prob, const device_info& dev,
                                   const tuning::table& t) noexcept {
  policy whole = t.column_whole;
  whole.splits = 0;
  if (prob.rows > t.column_whole_max_rows) return whole;
  const std::int64_t width = vector_width(prob.type);  // a column thread's chunk
  for (int lanes = whole.lanes; lanes >= kMinWholeColumnLanes; lanes /= 2) {
    const std::int64_t tiles = ceil_div(prob.cols, std::int64_t{lanes} * width);
    if (tiles * 100 < std::int64_t{dev.sm_count} * t.column_whole_min_wave_pct) continue;
    const std::int64_t steps = ceil_div(prob.rows, whole.unroll);
    const std::int64_t slices =
        std::clamp<std::int64_t>(pow2_ceil(steps), std::max(1, 32 / lanes), whole.threads / lanes);
    whole.lanes = lanes;
    whole.threads = static_cast<int>(slices * lanes);
    whole.splits = 1;
    return whole;
  }
  return whole;
}

}  // namespace detail

/// The default plan that tuning table `t` gives a problem on a device. The
/// library uses its table for the device's architecture (below); the tuner
/// asks what a candidate table entry would give, narrowing included.
constexpr plan make_plan(const problem& prob, const device_info& dev,
                         const tuning::table& t) noexcept {
  using namespace detail;
  if (prob.outputs() == 0 || prob.reduction_length() == 0) {
    return bind(prob, policy{kernel_kind::scale_only, 256, 0, 0, 0, 0}, dev, t);
  }
  if (prob.kind == reduction::across_rows) {
    const policy whole = detail::whole_column_tile(prob, dev, t);
    return bind(prob, whole.splits == 1 ? whole : t.column, dev, t);
  }

  const std::int64_t row_bytes = prob.cols * size_of(prob.type);
  if (row_bytes <= t.subwarp_max_row_bytes) return bind(prob, t.row_subwarp, dev, t);

  // Large aligned problems: the tile that keeps the card's bytes in flight
  // (dispatch/model.cuh). Rows too long for one block, or too few rows for
  // whole-row blocks to keep enough in flight, are split below.
  bool split_for_bytes_in_flight = false;
  if (model::plans(prob, dev, t)) {
    if (model::short_row(ceil_div(prob.cols, vector_width(prob.type)), t))
      return bind(prob, model::short_row_warp(prob, dev, t), dev, t);
    if (row_bytes <= t.max_block_bytes) {
      const policy whole = model::long_row_block(prob, dev, t);
      if (whole.splits == 0) return bind(prob, whole, dev, t);
      split_for_bytes_in_flight = true;
    }
  }
  if (row_bytes <= t.short_row_bytes) return bind(prob, t.row_warp, dev, t);
  if (!prob.vectorizable && row_bytes <= kElementWiseWarpRowBytes) {
    policy warp = t.row_warp;
    warp.rows = 1;
    warp.unroll = 4;
    return bind(prob, warp, dev, t);
  }

  // Longer rows: a block per row, narrowed to the row, so that each thread
  // walks its share in one or two steps of `unroll` loads instead of a long
  // chain of dependent steps. A row that the table's block covers with two
  // loads a thread is walked that way: a block then finishes its row in one
  // round trip, which measured 1-2% faster on 4096-wide rows of every type
  // than half as many threads with four loads each (docs/performance-notes.md,
  // entry 16). Whole rows on the element-wise path take smaller blocks
  // instead, unless joined (element_wise_block, below).
  const auto sized = [&](std::int64_t chunks) {
    policy block = t.row_block;
    if (block.unroll > 2 && ceil_div(chunks, 2) <= block.threads) block.unroll = 2;
    const std::int64_t wanted = round_up(ceil_div(chunks, block.unroll), 32);
    block.threads = static_cast<int>(std::min<std::int64_t>(std::max<std::int64_t>(wanted, 128), block.threads));
    return block;
  };
  const std::int64_t chunks =
      ceil_div(prob.cols, row_step_width(prob, t.row_block.kernel, t.row_block.rows, t.row_block.unroll));
  policy block = sized(chunks);
  // A joined block's 32 lanes cover 31 lanes' worth of x: sized for that when
  // the row is then joined.
  const policy joined = sized(ceil_div(chunks * 32, kJoinedWindowsPerWarp));
  const bool joins = joins_vectors(prob, joined, prob.cols);
  if (joins) block = joined;
  // Rows too few for the model's whole-row blocks are split into pieces of
  // its smallest block, two loads a thread: on the H200, float 200 x 65536
  // ran 20.3 us in 512-thread pieces, 18.0 us in 128-thread ones
  // (docs/performance-notes.md, entry 42).
  if (split_for_bytes_in_flight) block = {kernel_kind::row_block, t.row_block_min_threads, 1, 0, 2, 0};

  // Split each row across blocks when whole-row blocks are fewer than 1.5
  // per SM (too few loads in flight to cover DRAM latency: on the H100, 140
  // rows of 800 KB ran 2% slower unsplit, 200 rows of 512 KB 3% faster, since
  // a split plan pays a second pass; docs/performance-notes.md, entry 21),
  // or when rows are so long that whole-row blocks would leave a ragged last
  // wave.
  const std::int64_t groups = ceil_div(prob.rows, block.rows);
  const std::int64_t wave = std::int64_t{dev.sm_count} * std::max(1, dev.max_threads_per_sm / block.threads);
  const bool too_few_blocks = 2 * groups < 3 * std::int64_t{dev.sm_count};
  if (too_few_blocks || split_for_bytes_in_flight || row_bytes > t.max_block_bytes) {
    block.kernel = kernel_kind::row_split_k;
    if (groups >= wave) block.splits = static_cast<int>(ceil_div(row_bytes, t.max_block_bytes));
    const plan pl = bind(prob, block, dev, t);
    if (pl.splits > 1) return pl;
    block.kernel = kernel_kind::row_block;
    block.splits = 0;
  }
  if (!prob.vectorizable && !joins && block.rows == kBoundaryBlockRows) {
    block = element_wise_block(prob, dev, t, chunks);
  }
  return bind(prob, block, dev, t);
}

/// The default plan for a problem on a device.
constexpr plan make_plan(const problem& prob, const device_info& dev) noexcept {
  return make_plan(prob, dev, tuning::for_arch(dev.arch));
}

/// A plan for `pol`, forced; `splits` in the policy is honoured when non-zero.
constexpr plan make_plan(const problem& prob, const device_info& dev, const policy& pol) noexcept {
  return bind(prob, pol, dev, tuning::for_arch(dev.arch));
}

}  // namespace gemv
