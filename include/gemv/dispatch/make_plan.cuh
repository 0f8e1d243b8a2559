#pragma once
// Host-side dispatch: turns a problem and a device into a plan. Large
// aligned row problems are planned by the model of the card
// (dispatch/model.cuh); the rest by the tuning table of the device's
// architecture. Each kernel family's own part (what it supports, how a
// policy binds to a problem) is in dispatch/families.cuh. Pure arithmetic,
// no CUDA calls, so every decision is testable without a GPU.

#include <gemv/dispatch/families.cuh>
#include <gemv/dispatch/plan_rules.cuh>
#include <gemv/tuning/select.cuh>

#include <algorithm>
#include <cstdint>

namespace gemv {

/// Whether `p` names a tile shape the library was compiled with, for a
/// problem of this reduction kind (dispatch/compiled_tiles.cuh): whole warps
/// of at most the largest compiled block, then the family's own tiles.
constexpr bool is_supported(const policy& p, reduction kind) noexcept {
  if (p.splits < 0 || p.threads % 32 != 0 || p.threads < tiles::kMinThreads ||
      p.threads > tiles::kMaxThreads) {
    return p.kernel == kernel_kind::scale_only;
  }
  return families::visit(p.kernel, [&](auto family) { return family.supports(p, kind); });
}

/// Binds a policy to a problem: the family picks the split of the reduction
/// (when `pol.splits` is 0) and narrows tiles that would be wider than the
/// problem. The policy must satisfy is_supported().
constexpr plan bind(const problem& prob, policy pol, const device_info& dev,
                    const tuning::table& t) noexcept {
  using namespace detail;
  plan pl;
  pl.prob = prob;
  pl.vectorized = prob.vectorizable;
  families::visit(pol.kernel, [&](auto family) { family.bind(prob, pol, pl, dev, t); });
  if (pl.splits <= 1) pl.split_length = prob.reduction_length();
  pl.joined = joins_vectors(prob, pol, pl.split_length);
  pl.dependent_launch = pl.splits > 1 && dev.arch >= 90;
  pol.splits = static_cast<int>(pl.splits);
  pl.pol = pol;
  return pl;
}

namespace detail {

/// `pl`, marked as chosen by `source`.
constexpr plan planned_by(plan pl, plan_source source) noexcept {
  pl.source = source;
  return pl;
}

/// The column_whole tile for an across_rows problem, or a policy with
/// splits == 0 when the outputs are too few for it or the rows too many.
/// With enough outputs for tiles on most SMs, each block walks all rows of
/// its tile: one launch, no scratch. The tile is the widest that still gives
/// that many tiles, but never under kMinWholeColumnLanes (128 contiguous
/// bytes per row with 16-byte loads), and has no more slices than unrolled
/// steps of rows. Past column_whole_max_rows, split plans measured faster
/// despite their second pass, except for pipelined column walks
/// (column_pipelined): two steps in flight keep a long walk at bandwidth.
/// Pipelined walks also run whole on fewer tiles where they are short
/// (kShortWholeColumnRowsPerTile).
constexpr policy whole_column_tile(const problem& prob, const device_info& dev,
                                   const tuning::table& t) noexcept {
  policy whole = t.column_whole;
  whole.splits = 0;
  const bool pipelined = column_pipelined(prob.type);
  if (prob.rows > t.column_whole_max_rows && !pipelined) return whole;
  const std::int64_t width = column_chunk(prob.type);  // a column thread's chunk
  const auto take = [&](int lanes) {
    const std::int64_t steps = ceil_div(prob.rows, whole.unroll);
    const std::int64_t slices =
        std::clamp<std::int64_t>(pow2_ceil(steps), std::max(1, 32 / lanes), whole.threads / lanes);
    whole.lanes = lanes;
    whole.threads = static_cast<int>(slices * lanes);
    whole.splits = 1;
    return whole;
  };
  for (int lanes = whole.lanes; lanes >= kMinWholeColumnLanes; lanes /= 2) {
    const std::int64_t tiles = ceil_div(prob.cols, std::int64_t{lanes} * width);
    if (tiles * 100 >= std::int64_t{dev.sm_count} * t.column_whole_min_wave_pct) return take(lanes);
  }
  // Fewer tiles than a wave wants: short pipelined walks still run whole.
  const std::int64_t tiles = ceil_div(prob.cols, std::int64_t{kMinWholeColumnLanes} * width);
  if (pipelined && tiles * kShortWholeColumnMinSmShare >= dev.sm_count &&
      prob.rows <= kShortWholeColumnRowsPerTile * tiles)
    return take(kMinWholeColumnLanes);
  return whole;
}

}  // namespace detail

constexpr plan make_plan(const problem& prob, const device_info& dev, const tuning::table& t) noexcept;

namespace detail {

/// The sub-warp of rows of up to kShortRowBytes outside the model: lanes
/// fitted to the row, kShortRowUnroll rows a lane group.
constexpr plan short_row_sub_warp(const problem& prob, const device_info& dev,
                                  const tuning::table& t) noexcept {
  policy sub = t.row_subwarp;
  sub.unroll = kShortRowUnroll;
  sub.lanes = 0;
  return bind(prob, sub, dev, t);
}

/// The warp of one row and kShortRowUnroll loads a step, for such rows.
constexpr plan one_row_warp(const problem& prob, const device_info& dev, const tuning::table& t) noexcept {
  policy warp = t.row_warp;
  warp.rows = 1;
  warp.unroll = kShortRowUnroll;
  return bind(prob, warp, dev, t);
}

/// Rows of up to kShortRowBytes outside the model (small problems, the
/// element-wise path): a sub-warp (lanes fitted to the row, kShortRowUnroll
/// rows a lane group) where its steps carry a larger share of the row than
/// those of a warp of one row and kShortRowUnroll loads, as for aligned rows
/// of large problems (model::sub_warp_fills_better), in at most
/// kSubwarpShortRowMaxSteps steps. Writes the plan to `out` when it does.
constexpr bool fuller_sub_warp(const problem& prob, const device_info& dev, const tuning::table& t,
                               plan& out) noexcept {
  if (t.row_subwarp.kernel != kernel_kind::row_subwarp) return false;
  const plan sub_warp = short_row_sub_warp(prob, dev, t);
  const std::int64_t warp_step =
      std::int64_t{32} * kShortRowUnroll * row_step_width(prob, kernel_kind::row_warp, 1, kShortRowUnroll);
  const std::int64_t sub_step =
      std::int64_t{sub_warp.pol.lanes} * row_step_width(prob, kernel_kind::row_subwarp, kShortRowUnroll, 1);
  if (ceil_div(prob.cols, sub_step) > kSubwarpShortRowMaxSteps ||
      model::step_fill(prob.cols, sub_step) <= model::step_fill(prob.cols, warp_step)) {
    return false;
  }
  out = sub_warp;
  return true;
}

/// Whether `pol` reads A once for all the vectors of a several-vector
/// problem: a several-vector tile of row_warp, or of row_block on 16-byte
/// rows (the only row_block compiled for several vectors).
constexpr bool reads_once(const problem& prob, const policy& pol) noexcept {
  if (pol.vectors <= 1 || !is_supported(pol, prob.kind)) return false;
  return pol.kernel == kernel_kind::row_warp || (pol.kernel == kernel_kind::row_block && prob.vectorizable);
}

/// A several-vector problem run as a batch whose members share A (one
/// member a vector): every family runs it, reading A once a vector.
constexpr problem as_batch_of_vectors(const problem& prob) noexcept {
  problem b = prob;
  b.batch = prob.vectors;
  b.vectors = 1;
  return b;
}

/// The default plan of a several-vector problem: rows read once where a row
/// is long enough to want a warp or a block of its own and one vector's
/// plan reads whole rows; else (short rows, rows that one vector's plan
/// splits to keep the card busy, across_rows, or nothing to read) a batch
/// of vectors sharing A, whose members split their rows as one vector would.
constexpr plan several_vectors_plan(const problem& prob, const device_info& dev,
                                    const tuning::table& t) noexcept {
  const std::int64_t row_bytes = prob.cols * size_of(prob.type);
  problem one = prob;
  one.vectors = 1;
  const bool rows_read_once = prob.kind == reduction::along_rows && prob.outputs() > 0 &&
                              prob.reduction_length() > 0 && row_bytes > t.subwarp_max_row_bytes &&
                              make_plan(one, dev, t).splits == 1;
  if (!rows_read_once) {
    plan pl = make_plan(as_batch_of_vectors(prob), dev, t);
    pl.prob.vectors = prob.vectors;
    return pl;
  }
  const int v = model::pass_vectors(prob.vectors);
  policy pol{kernel_kind::row_warp, t.row_warp.threads, 1, 0, 2, 0, v};
  if (!model::plans(prob, dev, t)) return bind(prob, pol, dev, t);
  return planned_by(bind(prob, model::several_vectors_tile(prob, dev, t), dev, t), plan_source::model);
}

}  // namespace detail

/// The default plan that tuning table `t` gives a problem on a device. The
/// library uses its table for the device's architecture (below); the tuner
/// asks what a candidate table entry would give, narrowing included.
constexpr plan make_plan(const problem& prob, const device_info& dev,
                         const tuning::table& t) noexcept {
  using namespace detail;
  if (prob.vectors > 1) return several_vectors_plan(prob, dev, t);
  // A batch is planned as one problem of all its members' outputs (they are
  // independent rows or columns of one shape), then run member by member
  // along the grid's third dimension.
  if (prob.batch > 1) {
    problem whole = prob;
    whole.batch = 1;
    (prob.kind == reduction::along_rows ? whole.rows : whole.cols) *= prob.batch;
    plan pl = make_plan(whole, dev, t);
    pl.prob = prob;
    return pl;
  }
  if (prob.outputs() == 0 || prob.reduction_length() == 0) {
    return bind(prob, policy{kernel_kind::scale_only, 256, 0, 0, 0, 0}, dev, t);
  }
  if (prob.kind == reduction::across_rows) {
    const policy whole = detail::whole_column_tile(prob, dev, t);
    return bind(prob, whole.splits == 1 ? whole : t.column, dev, t);
  }

  const std::int64_t row_bytes = prob.cols * size_of(prob.type);
  if (row_bytes <= t.subwarp_max_row_bytes) {
    if (latency_bound_rows(prob, dev) && t.row_warp.kernel == kernel_kind::row_warp) {
      return one_row_warp(prob, dev, t);
    }
    return bind(prob, t.row_subwarp, dev, t);
  }

  // Large aligned problems: the tile that keeps the card's bytes in flight
  // (dispatch/model.cuh). Rows too long for one block, or too few rows for
  // whole-row blocks to keep enough in flight, are split below.
  bool split_for_bytes_in_flight = false;
  if (model::plans(prob, dev, t)) {
    const std::int64_t vectors = model::row_vectors(prob);
    if (model::short_row(vectors, t)) {
      const policy warp = model::short_row_warp(prob, dev, t);
      if (vectors <= model::kSubwarpMaxRowVectors && t.row_subwarp.kernel == kernel_kind::row_subwarp) {
        const plan sub_warp = bind(prob, t.row_subwarp, dev, t);  // lanes fitted to the row
        if (model::sub_warp_fills_better(vectors, sub_warp.pol.lanes, warp)) {
          return planned_by(sub_warp, plan_source::model);
        }
      }
      return planned_by(bind(prob, warp, dev, t), plan_source::model);
    }
    if (row_bytes <= t.max_block_bytes) {
      const policy whole = model::long_row_block(prob, dev, t);
      if (whole.splits == 0) return planned_by(bind(prob, whole, dev, t), plan_source::model);
      split_for_bytes_in_flight = true;
    }
  }
  if (row_bytes <= t.short_row_bytes) {
    // Element-wise rows: a sub-warp walks several rows a warp, where a warp of
    // one row ends each with a 32-lane sum (docs/performance-notes.md, entry 56).
    if (!prob.vectorizable && t.row_subwarp.kernel == kernel_kind::row_subwarp) {
      return short_row_sub_warp(prob, dev, t);
    }
    return bind(prob, t.row_warp, dev, t);
  }
  if (row_bytes <= kShortRowBytes) {
    if (plan sub_warp; fuller_sub_warp(prob, dev, t, sub_warp)) return sub_warp;
    // A warp a row (docs/performance-notes.md, entry 38).
    if (!prob.vectorizable) return one_row_warp(prob, dev, t);
  }

  // Longer rows: a block per row, narrowed to the row, so that each thread
  // walks its share in one or two steps of `unroll` loads instead of a long
  // chain of dependent steps. A row that the table's block covers with two
  // loads a thread is walked that way: a block then finishes its row in one
  // round trip (docs/performance-notes.md, entry 16). Whole rows on the
  // element-wise path take smaller blocks instead, unless joined
  // (element_wise_block, below).
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
  // its smallest block, two loads a thread (docs/performance-notes.md,
  // entry 42), as many as keep the target in flight (model::split_pieces).
  if (split_for_bytes_in_flight) {
    block = {kernel_kind::row_block, t.row_block_min_threads, 1, 0, 2, 0};
    block.splits = static_cast<int>(
        model::split_pieces(prob, dev, t, {kernel_kind::row_split_k, block.threads, 1, 0, block.unroll, 0}));
  }

  // Split each row across blocks when whole-row blocks are fewer than 1.5
  // per SM (too few loads in flight to cover DRAM latency, against a split
  // plan's second pass; docs/performance-notes.md, entry 21), or when rows
  // are so long that whole-row blocks would leave a ragged last wave.
  const std::int64_t groups = ceil_div(prob.rows, block.rows);
  const std::int64_t wave = std::int64_t{dev.sm_count} * std::max(1, dev.max_threads_per_sm / block.threads);
  const bool too_few_blocks = 2 * groups < 3 * std::int64_t{dev.sm_count};
  if (too_few_blocks || split_for_bytes_in_flight || row_bytes > t.max_block_bytes) {
    block.kernel = kernel_kind::row_split_k;
    if (groups >= wave && !split_for_bytes_in_flight) {
      block.splits = static_cast<int>(ceil_div(row_bytes, t.max_block_bytes));
    }
    const plan pl = bind(prob, block, dev, t);
    if (pl.splits > 1) {
      return planned_by(pl, split_for_bytes_in_flight ? plan_source::model_split : plan_source::table_rules);
    }
    block.kernel = kernel_kind::row_block;
    block.splits = 0;
  }
  if (!prob.vectorizable && !joins && block.rows == kBoundaryBlockRows) {
    block = one_wave_block(prob, dev, element_wise_block(prob, dev, t, chunks));
  }
  return bind(prob, block, dev, t);
}

/// The default plan for a problem on a device.
constexpr plan make_plan(const problem& prob, const device_info& dev) noexcept {
  return make_plan(prob, dev, tuning::for_arch(dev.arch));
}

/// A plan for `pol`, forced; `splits` in the policy is honoured when non-zero.
/// On a several-vector problem a row_warp or row_block policy with vectors 0
/// takes the problem's pass size; a policy that cannot read the rows once
/// runs the vectors as a batch sharing A.
constexpr plan make_plan(const problem& prob, const device_info& dev, const policy& pol) noexcept {
  if (prob.vectors > 1) {
    policy p = pol;
    if (p.vectors == 0 && (p.kernel == kernel_kind::row_warp || p.kernel == kernel_kind::row_block))
      p.vectors = model::pass_vectors(prob.vectors);
    if (prob.outputs() > 0 && prob.reduction_length() > 0 && detail::reads_once(prob, p))
      return bind(prob, p, dev, tuning::for_arch(dev.arch));
    p.vectors = 0;
    plan pl = make_plan(detail::as_batch_of_vectors(prob), dev, p);
    pl.prob.vectors = prob.vectors;
    return pl;
  }
  if (prob.batch > 1) {  // as the default plan: bound to all the members' outputs
    problem whole = prob;
    whole.batch = 1;
    (prob.kind == reduction::along_rows ? whole.rows : whole.cols) *= prob.batch;
    plan pl = bind(whole, pol, dev, tuning::for_arch(dev.arch));
    pl.prob = prob;
    return pl;
  }
  return bind(prob, pol, dev, tuning::for_arch(dev.arch));
}

}  // namespace gemv
