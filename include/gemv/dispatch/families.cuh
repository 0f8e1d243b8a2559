#pragma once
// One description per kernel family, host side: the tiles it was compiled
// for (dispatch/compiled_tiles.cuh), which policies it runs, and how a
// policy binds to a problem (the split of the reduction, lanes fitted to
// the row or to the outputs). is_supported() and bind() (make_plan.cuh)
// dispatch to these; the device-side counterpart, each family's kernel and
// launch shape, is launch_first_pass (dispatch/launch.cuh).
//
// A family is a struct with
//   static constexpr kernel_kind kind;
//   static constexpr bool supports(const policy&, reduction) noexcept;
//   static constexpr void bind(const problem&, policy&, plan&,
//                              const device_info&, const tuning::table&) noexcept;
// bind() may change the policy (lanes), and sets plan::splits,
// split_length and staged; bind() in make_plan.cuh does the rest.

#include <gemv/dispatch/plan_rules.cuh>

namespace gemv::families {

/// The row families' tiles: rows and unrolls of the compiled lists, for
/// one vector.
constexpr bool compiled_row_tile(const policy& p, reduction kind) noexcept {
  return kind == reduction::along_rows && p.vectors <= 1 && tiles::contains(tiles::kRows, p.rows) &&
         tiles::contains(tiles::kRowUnrolls, p.unroll);
}

/// A tile of several vectors a pass (gemv_multi), `rows` from `Rows`.
template <std::size_t N>
constexpr bool compiled_multi_tile(const policy& p, reduction kind, const int (&Rows)[N]) noexcept {
  return kind == reduction::along_rows && tiles::contains(tiles::kPassVectors, p.vectors) &&
         tiles::contains(Rows, p.rows) && tiles::contains(tiles::kMultiUnrolls, p.unroll);
}

/// A tile that runs as given: nothing to choose.
struct runs_as_given {
  static constexpr void bind(const problem&, policy&, plan&, const device_info&,
                             const tuning::table&) noexcept {}
};

/// A warp owns `rows` rows and walks them whole.
struct row_warp : runs_as_given {
  static constexpr kernel_kind kind = kernel_kind::row_warp;
  static constexpr bool supports(const policy& p, reduction r) noexcept {
    return compiled_row_tile(p, r) || compiled_multi_tile(p, r, tiles::kMultiWarpRows);
  }
};

/// A block owns `rows` rows; its warps split each row.
struct row_block : runs_as_given {
  static constexpr kernel_kind kind = kernel_kind::row_block;
  static constexpr bool supports(const policy& p, reduction r) noexcept {
    return compiled_row_tile(p, r) || (compiled_multi_tile(p, r, tiles::kMultiBlockRows) && p.splits <= 1);
  }
};

/// row_block over a grid that also cuts each row into pieces, then a
/// fixed-order sum of the pieces.
struct row_split_k {
  static constexpr kernel_kind kind = kernel_kind::row_split_k;
  static constexpr bool supports(const policy& p, reduction r) noexcept { return compiled_row_tile(p, r); }

  static constexpr void bind(const problem& prob, policy& pol, plan& pl, const device_info& dev,
                             const tuning::table& t) noexcept {
    using namespace detail;
    const std::int64_t groups = ceil_div(prob.rows, pol.rows);
    std::int64_t s = pol.splits > 0 ? pol.splits
                                    : std::max<std::int64_t>(2, auto_splits(t, dev, pol.threads, groups,
                                                                            prob.cols, size_of(prob.type)));
    s = clamp_splits(s, prob.cols, kSplitGranule, prob.rows);
    // Automatic pieces are whole block steps, so no thread idles in a
    // partial last step; forced ones keep their count.
    const std::int64_t step =
        std::int64_t{pol.threads} * row_step_width(prob, pol.kernel, pol.rows, pol.unroll) * pol.unroll;
    const std::int64_t granule = pol.splits > 0 ? kSplitGranule : round_up(step, kSplitGranule);
    pl.split_length = round_up(ceil_div(prob.cols, s), granule);
    pl.splits = std::max<std::int64_t>(1, ceil_div(prob.cols, pl.split_length));
  }
};

/// `lanes` lanes a row, for rows of a few vectors; lanes 0 are fitted to the
/// row when bound. Short rows stored nearly back to back on the element-wise
/// path run the staged kernel instead.
struct row_subwarp {
  static constexpr kernel_kind kind = kernel_kind::row_subwarp;
  static constexpr bool supports(const policy& p, reduction r) noexcept {
    return r == reduction::along_rows && p.vectors <= 1 &&
           (p.lanes == 0 || tiles::contains(tiles::kSubwarpLanes, p.lanes)) &&
           tiles::contains(tiles::kSubwarpUnrolls, p.unroll);
  }

  static constexpr void bind(const problem& prob, policy& pol, plan& pl, const device_info& dev,
                             const tuning::table& t) noexcept {
    using namespace detail;
    pl.staged = stages_rows(prob);
    if (pol.lanes == 0) {  // a group's rows are its unrolled loads
      // One step per lane; two on large aligned problems, where the lanes
      // that a row would leave idle are better spent on other rows
      // (docs/performance-notes.md, entry 42), but never fewer lanes than
      // read a row's sector pairs whole in one step (model::sector_pair_lanes).
      const std::int64_t step = row_step_width(prob, pol.kernel, pol.unroll, 1);
      std::int64_t lanes = pow2_ceil(ceil_div(prob.cols, step));
      if (model::plans(prob, dev, t)) {
        lanes = std::max<std::int64_t>(pow2_ceil(ceil_div(prob.cols, 2 * step)),
                                       model::sector_pair_lanes(prob));
        // A lane alone on a row of two vectors finds each sector's second
        // half in L1 (kernels/row_subwarp.cuh): two rows a lane
        // (docs/performance-notes.md, entry 48).
        if (lanes == 1 && model::row_vectors(prob) > 1) pol.unroll = std::min(pol.unroll, 2);
      }
      pol.lanes = static_cast<int>(std::min<std::int64_t>(16, lanes));
    }
  }
};

/// Each thread owns a vector's worth of adjacent outputs; `lanes` threads
/// along the outputs, the rest of the block splits the reduction.
struct column {
  static constexpr kernel_kind kind = kernel_kind::column;
  static constexpr bool supports(const policy& p, reduction r) noexcept {
    return r == reduction::across_rows && p.vectors <= 1 && tiles::contains(tiles::kColumnLanes, p.lanes) &&
           p.threads % p.lanes == 0 && tiles::contains(tiles::kColumnUnrolls, p.unroll);
  }

  static constexpr void bind(const problem& prob, policy& pol, plan& pl, const device_info& dev,
                             const tuning::table& t) noexcept {
    using namespace detail;
    // A column thread owns a whole vector's worth of outputs even when it
    // must load them one by one (kernels/column.cuh).
    const std::int64_t chunk = column_chunk(prob.type);
    const int wide = std::min<int>(pol.lanes, pow2_ceil(ceil_div(prob.cols, chunk)));
    pol.lanes = wide;
    const int slices = pol.threads / wide;
    const std::int64_t col_blocks = ceil_div(prob.cols, wide * chunk);
    // Enough blocks to keep every SM busy, but few pieces: each piece costs
    // a pass over the partial sums.
    const std::int64_t target = std::int64_t{dev.sm_count} * t.column_blocks_per_sm;
    std::int64_t s = pol.splits > 0 ? pol.splits : ceil_div(target, col_blocks);
    if (pol.splits == 0) {
      // Each slice thread should have at least one unrolled step per piece.
      s = std::min(s, std::max<std::int64_t>(1, prob.rows / (slices * pol.unroll)));
      // And no more blocks than are resident at once: a second wave of a
      // few blocks costs a whole walk (pipelined tiles of 128 registers fit
      // four 128-thread blocks an SM; docs/performance-notes.md, entry 51).
      s = std::min(s, std::max<std::int64_t>(1, model::resident_wave(dev, pol) / col_blocks));
    }
    s = clamp_splits(s, prob.rows, 1, prob.cols);
    const std::int64_t granule = pol.splits > 0 ? 1 : std::int64_t{slices} * pol.unroll;
    pl.split_length = round_up(ceil_div(prob.rows, s), granule);
    pl.splits = ceil_div(prob.rows, pl.split_length);
  }
};

/// alpha == 0 (and beta != 1): y = beta * y, any block.
struct scale_only : runs_as_given {
  static constexpr kernel_kind kind = kernel_kind::scale_only;
  static constexpr bool supports(const policy&, reduction) noexcept { return true; }
};

/// The BLAS quick return: nothing runs. The validation's outcome, never a
/// forced policy.
struct none : runs_as_given {
  static constexpr kernel_kind kind = kernel_kind::none;
  static constexpr bool supports(const policy&, reduction) noexcept { return false; }
};

/// f(Family{}) for the family of `k`.
template <class F>
constexpr auto visit(kernel_kind k, F&& f) {
  switch (k) {
    case kernel_kind::row_warp: return f(row_warp{});
    case kernel_kind::row_block: return f(row_block{});
    case kernel_kind::row_split_k: return f(row_split_k{});
    case kernel_kind::row_subwarp: return f(row_subwarp{});
    case kernel_kind::column: return f(column{});
    case kernel_kind::scale_only: return f(scale_only{});
    case kernel_kind::none: break;
  }
  return f(none{});
}

}  // namespace gemv::families
