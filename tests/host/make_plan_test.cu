// The plans the dispatch picks for representative shapes on each tuning
// table. make_plan is pure arithmetic, so no device is needed: device_info
// stands in for the card.

#include <gemv/dispatch/make_plan.cuh>
#include "support/cards.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace gemv::test {
namespace {

constexpr device_info kRtx4090{89, 128, 1536};  // sm89 table
constexpr device_info kH100{90, 132, 2048};     // sm90 table
constexpr device_info kA100{80, 108, 2048};     // generic table

/// A contiguous, 16-byte aligned call: what cudaMalloc'd operands give.
problem aligned(layout lay, op trans, std::int64_t m, std::int64_t n, dtype type = dtype::f32) {
  problem p = describe(lay, trans, m, n, type, lay == layout::row_major ? n : m);
  p.vectorizable = true;
  return p;
}

problem row_major_n(std::int64_t m, std::int64_t n, dtype type = dtype::f32) {
  return aligned(layout::row_major, op::n, m, n, type);
}

/// Row-major op n with every row off its 16-byte boundary (odd lda).
problem misaligned(std::int64_t m, std::int64_t n, dtype type = dtype::f32) {
  problem p = describe(layout::row_major, op::n, m, n, type, n);
  p.vectorizable = false;
  return p;
}

TEST(Describe, FoldsLayoutAndOpIntoTwoReductions) {
  const problem rn = describe(layout::row_major, op::n, 3, 5, dtype::f32, 5);
  EXPECT_EQ(rn.kind, reduction::along_rows);
  EXPECT_EQ(rn.rows, 3);
  EXPECT_EQ(rn.cols, 5);
  const problem rt = describe(layout::row_major, op::t, 3, 5, dtype::f32, 5);
  EXPECT_EQ(rt.kind, reduction::across_rows);
  EXPECT_EQ(rt.rows, 3);
  const problem cn = describe(layout::col_major, op::n, 3, 5, dtype::f32, 3);
  EXPECT_EQ(cn.kind, reduction::across_rows);
  EXPECT_EQ(cn.rows, 5);  // stored columns
  EXPECT_EQ(cn.cols, 3);
  const problem ct = describe(layout::col_major, op::t, 3, 5, dtype::f32, 3);
  EXPECT_EQ(ct.kind, reduction::along_rows);
  EXPECT_EQ(ct.outputs(), 5);
  EXPECT_EQ(ct.reduction_length(), 3);
}

TEST(Describe, VectorizesOnlyWhenEvery16ByteLoadIsAligned) {
  alignas(16) static float mem[64];
  auto vec = [](layout lay, op trans, std::int64_t lda, const float* A, const float* x,
                std::int64_t incx) {
    return describe(lay, trans, 4, 8, dtype::f32, A, lda, x, incx).vectorizable;
  };
  EXPECT_TRUE(vec(layout::row_major, op::n, 8, mem, mem + 32, 1));
  EXPECT_FALSE(vec(layout::row_major, op::n, 8, mem + 1, mem + 32, 1));  // A
  EXPECT_FALSE(vec(layout::row_major, op::n, 9, mem, mem + 32, 1));      // row starts
  EXPECT_FALSE(vec(layout::row_major, op::n, 8, mem, mem + 33, 1));      // x (read in vectors)
  EXPECT_FALSE(vec(layout::row_major, op::n, 8, mem, mem + 32, 2));      // strided x
  EXPECT_FALSE(vec(layout::row_major, op::n, 8, mem, mem + 32, -1));
  // Across rows, x is read one element at a time: its stride does not matter.
  EXPECT_TRUE(vec(layout::row_major, op::t, 8, mem, mem + 33, -3));
  EXPECT_FALSE(vec(layout::row_major, op::t, 10, mem, mem + 32, 1));
}

TEST(MakePlan, OneVeryLongRowIsSplitAcrossTheWholeCard) {
  for (const device_info& dev : {kRtx4090, kH100, kA100}) {
    const plan pl = make_plan(row_major_n(1, 16777216), dev);
    EXPECT_EQ(pl.pol.kernel, kernel_kind::row_split_k) << to_string(pl);
    EXPECT_GE(pl.splits, 4 * dev.sm_count) << to_string(pl);  // several waves of blocks
  }
}

TEST(MakePlan, VeryShortRowsShareAWarp) {
  // Large problems: two 16-byte vectors per lane, so a lane group covers
  // the row in two steps. Small ones: one vector per lane, one step.
  for (const device_info& dev : {kRtx4090, kH100, kA100}) {
    const plan eight = make_plan(row_major_n(16777216, 8), dev);  // two float4 per row
    EXPECT_EQ(eight.pol.kernel, kernel_kind::row_subwarp) << to_string(eight);
    EXPECT_EQ(eight.pol.lanes, 1) << to_string(eight);
    const plan sixty_four = make_plan(row_major_n(1048576, 64), dev);
    EXPECT_EQ(sixty_four.pol.kernel, kernel_kind::row_subwarp) << to_string(sixty_four);
    EXPECT_EQ(sixty_four.pol.lanes, 8) << to_string(sixty_four);
    EXPECT_EQ(make_plan(row_major_n(4096, 8), dev).pol.lanes, 2);
    EXPECT_EQ(make_plan(row_major_n(4096, 64), dev).pol.lanes, 16);
    // Element-wise loads (misaligned): four elements per lane and step
    // (warp_element_loads), so a group of two still covers the row at once.
    problem scalar = row_major_n(16777216, 8);
    scalar.vectorizable = false;
    EXPECT_EQ(make_plan(scalar, dev).pol.lanes, 2);
    scalar.cols = 7;
    EXPECT_EQ(make_plan(scalar, dev).pol.lanes, 2);
    scalar.cols = 9;
    EXPECT_EQ(make_plan(scalar, dev).pol.lanes, 4);
  }
}

TEST(MakePlan, ShortRowsGetAWarpEach) {
  for (const device_info& dev : {kRtx4090, kH100, kA100}) {
    for (const problem& p : {row_major_n(256, 256), row_major_n(100000, 200),
                             row_major_n(7, 512, dtype::bf16)}) {
      const plan pl = make_plan(p, dev);
      EXPECT_EQ(pl.pol.kernel, kernel_kind::row_warp) << to_string(pl);
      EXPECT_EQ(pl.splits, 1);
    }
  }
}

TEST(MakePlan, LongRowsGetABlockEach) {
  // A warp per row would walk each row in a long chain of dependent steps;
  // a block per row, narrowed to the row, walks it in one or two.
  for (const device_info& dev : {kRtx4090, kH100, kA100}) {
    for (const problem& p : {row_major_n(4096, 4096), row_major_n(8192, 8192),
                             row_major_n(4096, 11008, dtype::f16), row_major_n(1024, 1024),
                             row_major_n(128256, 4096, dtype::bf16)}) {
      const plan pl = make_plan(p, dev);
      EXPECT_EQ(pl.pol.kernel, kernel_kind::row_block) << to_string(pl);
      EXPECT_EQ(pl.splits, 1);
      EXPECT_GE(pl.pol.threads, 128) << to_string(pl);
      // No more threads than 16-byte vectors per step of the row.
      const std::int64_t vectors = p.cols * size_of(p.type) / 16;
      EXPECT_LE(pl.pol.threads, std::max<std::int64_t>(128, vectors / pl.pol.unroll + 31))
          << to_string(pl);
    }
  }
}

TEST(MakePlan, RowsThatFitOneStepOfTwoLoadsAreWalkedThatWay) {
  // Problems too small for the model (latency bound): where the table's
  // block covers a row with two loads a thread, the plan takes unroll 2 and
  // just enough threads; longer rows keep the table's unroll.
  for (const device_info& dev : {kRtx4090, kH100, kA100}) {
    const policy table_block = tuning::for_arch(dev.arch).row_block;
    for (const problem& p : {row_major_n(1024, 1024), row_major_n(256, 8192),
                             row_major_n(512, 4096, dtype::f16), row_major_n(2048, 1024),
                             row_major_n(1024, 4096, dtype::bf16),
                             row_major_n(256, 14336, dtype::bf16)}) {
      ASSERT_FALSE(model::plans(p, dev, tuning::for_arch(dev.arch)));
      const plan pl = make_plan(p, dev);
      ASSERT_EQ(pl.pol.kernel, kernel_kind::row_block) << to_string(pl);
      const std::int64_t vectors = p.cols * size_of(p.type) / 16;
      if (vectors <= 2 * table_block.threads) {
        EXPECT_EQ(pl.pol.unroll, 2) << to_string(pl);
        EXPECT_GE(std::int64_t{pl.pol.threads} * 2, vectors) << to_string(pl);
      } else {
        EXPECT_EQ(pl.pol.unroll, table_block.unroll) << to_string(pl);
      }
    }
  }
}

TEST(MakePlan, MisalignedLongRowsAreSizedByVectors) {
  // A 1-row block reads a misaligned row in 16-byte vectors from its first
  // 16-byte boundary (kernels/row_dot.cuh), so its threads count vectors:
  // 2047 floats are 512 vectors, two a thread for at most 256 threads.
  for (const device_info& dev : {kRtx4090, kH100, kA100}) {
    const plan pl = make_plan(misaligned(1024, 2047), dev);
    ASSERT_EQ(pl.pol.kernel, kernel_kind::row_block) << to_string(pl);
    ASSERT_EQ(pl.pol.rows, 1) << to_string(pl);
    EXPECT_FALSE(pl.vectorized);
    EXPECT_EQ(pl.pol.unroll, 2) << to_string(pl);
    EXPECT_LE(pl.pol.threads, 256) << to_string(pl);
  }
}

TEST(MakePlan, LongMisalignedRowsJoinVectors) {
  // A joined block's warp makes 31 windows of x from 32 vectors of A
  // (kernels/row_dot.cuh) and holds more registers: joined for 16-bit rows
  // of four block steps or more and float rows of sixteen or more.
  const plan bf16 = make_plan(misaligned(2048, 65535, dtype::bf16), kH100);  // 8192 vectors
  EXPECT_TRUE(bf16.joined) << to_string(bf16);
  EXPECT_EQ(bf16.pol.unroll, 4) << to_string(bf16);
  EXPECT_EQ(bf16.pol.threads, 512) << to_string(bf16);
  EXPECT_TRUE(make_plan(misaligned(256, 131071), kH100).joined);  // 32768 vectors, 16 steps
  problem strided = misaligned(2048, 65535, dtype::bf16);
  strided.x_contiguous = false;
  EXPECT_FALSE(make_plan(strided, kH100).joined);
  for (const problem& p : {misaligned(4096, 14335, dtype::bf16), misaligned(2048, 65535),
                           misaligned(8192, 8191), misaligned(14336, 4095, dtype::bf16)}) {
    EXPECT_FALSE(make_plan(p, kH100).joined) << to_string(make_plan(p, kH100));
  }
  // Split pieces: of two steps, not joined; of 64 steps, joined.
  const plan short_pieces = make_plan(misaligned(64, 1048575), kH100);
  EXPECT_EQ(short_pieces.pol.kernel, kernel_kind::row_split_k) << to_string(short_pieces);
  EXPECT_FALSE(short_pieces.joined) << to_string(short_pieces);
  const plan long_pieces = make_plan(misaligned(2048, 1048575), kH100);
  EXPECT_EQ(long_pieces.pol.kernel, kernel_kind::row_split_k) << to_string(long_pieces);
  EXPECT_TRUE(long_pieces.joined) << to_string(long_pieces);
  // Aligned rows never join.
  EXPECT_FALSE(make_plan(row_major_n(2048, 65536, dtype::bf16), kH100).joined);
}

TEST(MakePlan, MisalignedRowsTakeSmallBlocksThatFillTheCard) {
  // Element-wise 1-row blocks: two loads a thread, as few threads as fill
  // the card once and walk a row in at most 8 steps, from 128 up to the
  // table's block and no more than one step's worth.
  struct expected_tile {
    problem p;
    int threads;
  };
  for (const expected_tile& e : {expected_tile{misaligned(128256, 4095, dtype::bf16), 128},
                                 expected_tile{misaligned(4096, 14335, dtype::bf16), 128},  // 7 steps
                                 expected_tile{misaligned(16384, 16383), 256},  // 8 steps
                                 expected_tile{misaligned(1024, 14335, dtype::bf16), 256},  // one wave
                                 expected_tile{misaligned(256, 4095), 512},     // one step
                                 expected_tile{misaligned(1024, 2047), 256}}) {  // one step
    const plan pl = make_plan(e.p, kH100);
    EXPECT_EQ(pl.pol.kernel, kernel_kind::row_block) << to_string(pl);
    EXPECT_FALSE(pl.joined) << to_string(pl);
    EXPECT_EQ(pl.pol.unroll, 2) << to_string(pl);
    EXPECT_EQ(pl.pol.threads, e.threads) << to_string(pl);
  }
}

TEST(MakePlan, MisalignedRowBlocksWithALastWaveAtMostHalfFullTakeOneWave) {
  // Measured on the H200 (docs/performance-notes.md, entry 50): element-wise
  // 1-row blocks whose grid's last wave was at most half full ran 3-30%
  // slower than the largest block whose grid is resident at once; with the
  // last wave nearly full (1.89 waves) the smaller block lost 3-4%. Without
  // an occupancy query, a wave is SMs x (threads per SM / threads) blocks.
  struct expected_tile {
    problem p;
    int threads;
  };
  const device_info& h200 = test::card_named("H200")->dev;  // 132 SMs, 2048 threads each
  for (const expected_tile& e : {expected_tile{misaligned(777, 77777), 256},   // 1.47 waves of 512
                                 expected_tile{misaligned(600, 100001), 256},  // 1.14 waves of 512
                                 expected_tile{misaligned(1500, 16383), 128},  // 1.42 waves of 256
                                 expected_tile{misaligned(1800, 24575, dtype::f16), 128},  // 1.36 of 192
                                 expected_tile{misaligned(1000, 65535), 512},  // 1.89 waves: kept
                                 expected_tile{misaligned(2000, 32767, dtype::bf16), 256},  // 1.89: kept
                                 expected_tile{misaligned(512, 100001), 512},  // one wave already
                                 expected_tile{misaligned(3000, 32767), 512}}) {  // no block fits one
    const plan pl = make_plan(e.p, h200);
    EXPECT_EQ(pl.pol.kernel, kernel_kind::row_block) << to_string(pl);
    EXPECT_FALSE(pl.joined) << to_string(pl);
    EXPECT_EQ(pl.pol.unroll, 2) << to_string(pl);
    EXPECT_EQ(pl.pol.threads, e.threads) << to_string(pl);
  }
}

TEST(MakePlan, MisalignedRowsOfUpTo4KiBTakeAWarpEach) {
  // Element-wise rows of 1-4 KiB: a warp per row with two loads a step,
  // whose steps (256 elements) these rows fill.
  for (const problem& p : {misaligned(32768, 1023, dtype::f16), misaligned(65536, 2047, dtype::bf16),
                           misaligned(512, 511), misaligned(8192, 1023), misaligned(131072, 1535, dtype::f16)}) {
    const plan pl = make_plan(p, kH100);
    EXPECT_EQ(pl.pol.kernel, kernel_kind::row_warp) << to_string(pl);
    EXPECT_EQ(pl.pol.rows, 1) << to_string(pl);
    EXPECT_EQ(pl.pol.unroll, 2) << to_string(pl);
  }
  // Rows that leave much of a warp's last step idle take a sub-warp of 16
  // lanes (steps of 64 elements), two rows a lane group, if it walks them
  // in at most 8 steps: float rows of 333 elements fill 65% of the warp's
  // steps and 87% of the sub-warp's 6; bf16 rows of 1290 would take 21
  // (measured on the H200: docs/performance-notes.md, entry 47).
  for (const problem& p : {misaligned(100003, 333), misaligned(8192, 300)}) {
    const plan pl = make_plan(p, kH100);
    EXPECT_EQ(pl.pol.kernel, kernel_kind::row_subwarp) << to_string(pl);
    EXPECT_EQ(pl.pol.lanes, 16) << to_string(pl);
    EXPECT_EQ(pl.pol.unroll, 2) << to_string(pl);
    EXPECT_FALSE(pl.staged) << to_string(pl);
  }
  // Rows of 257 bytes to 1 KiB take the sub-warp whether or not it fills its
  // steps better: it walks several rows a warp, where a warp of one row ends
  // each with a 32-lane sum (measured on the H200, docs/performance-notes.md,
  // entry 56: float 100003 x 77 34.8 -> 15.3 us, 500000 x 65 156 -> 52, f16
  // 65536 x 255 33.1 -> 18.6). Aligned rows of small problems keep the
  // table's warp.
  for (const device_info& dev : {kH100, kRtx4090}) {
    for (const problem& p : {misaligned(100003, 77), misaligned(500000, 65), misaligned(200003, 129),
                             misaligned(65536, 255), misaligned(65536, 255, dtype::f16),
                             misaligned(4096, 256)}) {
      const plan pl = make_plan(p, dev);
      EXPECT_EQ(pl.pol.kernel, kernel_kind::row_subwarp) << to_string(pl);
      EXPECT_EQ(pl.pol.unroll, 2) << to_string(pl);
      EXPECT_FALSE(pl.staged) << to_string(pl);
    }
    EXPECT_EQ(make_plan(row_major_n(4096, 256), dev).pol.kernel, kernel_kind::row_warp);
  }
  // Aligned rows of small problems (outside the model) too: float rows of
  // 75 vectors fill 59% of a warp's steps of 64 and 94% of a 16-lane
  // sub-warp's 5; rows of 128 vectors fill both and keep the table's block.
  const plan aligned_short = make_plan(row_major_n(8192, 300), kH100);
  EXPECT_EQ(aligned_short.pol.kernel, kernel_kind::row_subwarp) << to_string(aligned_short);
  EXPECT_EQ(aligned_short.pol.lanes, 16) << to_string(aligned_short);
  EXPECT_TRUE(aligned_short.vectorized) << to_string(aligned_short);
  EXPECT_EQ(make_plan(row_major_n(8192, 512), kH100).pol.kernel, kernel_kind::row_block);
  const plan long_walk = make_plan(misaligned(4096, 1290, dtype::bf16), kH100);
  EXPECT_EQ(long_walk.pol.kernel, kernel_kind::row_warp) << to_string(long_walk);
  EXPECT_EQ(long_walk.pol.unroll, 2) << to_string(long_walk);
  // Longer rows and aligned rows keep row blocks.
  for (const problem& p : {misaligned(65536, 1025), misaligned(512, 1025)}) {
    EXPECT_EQ(make_plan(p, kH100).pol.kernel, kernel_kind::row_block) << to_string(make_plan(p, kH100));
  }
  // Aligned rows of a large problem take the model's warp (two rows a warp).
  const plan aligned_rows = make_plan(row_major_n(65536, 1024), kH100);
  EXPECT_EQ(aligned_rows.pol.kernel, kernel_kind::row_warp) << to_string(aligned_rows);
  EXPECT_EQ(aligned_rows.pol.rows, 2) << to_string(aligned_rows);
}

TEST(MakePlan, LatencyBoundShortRowsTakeAWarpEach) {
  // 16-byte rows of 64-256 bytes whose warps fill at most a quarter of one
  // wave of resident warps: a warp a row, two loads a step (measured on the
  // H200, docs/performance-notes.md, entry 57: float 128 x 64 4.8 -> 4.1 us).
  for (const device_info& dev : {kH100, kRtx4090, kA100}) {
    const std::int64_t quarter_wave = std::int64_t{dev.sm_count} * (dev.max_threads_per_sm / 32) / 4;
    for (const problem& p : {row_major_n(128, 64), row_major_n(512, 64), row_major_n(1024, 32),
                             row_major_n(quarter_wave, 64), row_major_n(128, 16),
                             row_major_n(256, 128, dtype::bf16)}) {
      const plan pl = make_plan(p, dev);
      EXPECT_EQ(pl.pol.kernel, kernel_kind::row_warp) << to_string(pl);
      EXPECT_EQ(pl.pol.rows, 1) << to_string(pl);
      EXPECT_EQ(pl.pol.unroll, 2) << to_string(pl);
    }
    // More rows, rows under 64 bytes and misaligned rows keep the sub-warp.
    for (const problem& p : {row_major_n(quarter_wave + 1, 64), row_major_n(1048576, 16), row_major_n(128, 4),
                             misaligned(128, 63)}) {
      EXPECT_EQ(make_plan(p, dev).pol.kernel, kernel_kind::row_subwarp) << to_string(make_plan(p, dev));
    }
  }
}

TEST(MakePlan, ShortMisalignedRowsNearlyBackToBackAreStaged) {
  // Sub-warp rows on the element-wise path run the staged kernel, which
  // copies a block's rows with 16-byte loads, padding between rows included
  // (kernels/row_staged.cuh): only for rows of 16 to 256 bytes with at most
  // an eighth of a row of padding.
  for (const device_info& dev : {kRtx4090, kH100, kA100}) {
    problem p = describe(layout::row_major, op::n, 1048576, 63, dtype::bf16, 63);
    const plan staged = make_plan(p, dev);
    EXPECT_EQ(staged.pol.kernel, kernel_kind::row_subwarp) << to_string(staged);
    EXPECT_TRUE(staged.staged) << to_string(staged);
    EXPECT_EQ(staged.splits, 1);

    p.ld = 70;  // 7 elements of padding: at most an eighth of 63
    EXPECT_TRUE(make_plan(p, dev).staged);
    p.ld = 72;  // 9: more
    EXPECT_FALSE(make_plan(p, dev).staged);

    EXPECT_FALSE(make_plan(row_major_n(1048576, 64, dtype::bf16), dev).staged);  // aligned: vectors

    problem longer = describe(layout::row_major, op::n, 65536, 255, dtype::f32, 255);  // 1020 bytes
    EXPECT_FALSE(make_plan(longer, dev).staged) << to_string(make_plan(longer, dev));
    // Rows under 16 bytes keep the sub-warp kernel; 28 bytes are staged.
    EXPECT_FALSE(make_plan(describe(layout::row_major, op::n, 4194304, 7, dtype::f16, 7), dev).staged);
    EXPECT_TRUE(make_plan(describe(layout::row_major, op::n, 16777216, 7, dtype::f32, 7), dev).staged);
  }
}

TEST(MakePlan, FollowsTheTableItIsGiven) {
  // The tuner times what a table holding another entry would run: the plan
  // must come from the table passed in, reshaped the same way.
  const problem rows = row_major_n(8192, 8192);
  const plan own = make_plan(rows, kH100);
  EXPECT_EQ(own.pol, make_plan(rows, kH100, tuning::sm90).pol);

  tuning::table trial = tuning::sm90;
  trial.row_block_min_threads = 256;
  const plan wider = make_plan(rows, kH100, trial);
  EXPECT_EQ(wider.pol.kernel, kernel_kind::row_block) << to_string(wider);
  EXPECT_EQ(wider.pol.threads, 256) << to_string(wider);
  EXPECT_NE(wider.pol.threads, own.pol.threads);

  const problem cols = aligned(layout::row_major, op::t, 4096, 14336, dtype::bf16);
  trial.column_whole = {kernel_kind::column, 256, 0, 8, 4, 1};
  const plan whole = make_plan(cols, kH100, trial);
  EXPECT_EQ(whole.splits, 1) << to_string(whole);
  EXPECT_EQ(whole.pol.lanes, 8) << to_string(whole);
  EXPECT_EQ(whole.pol.unroll, 4) << to_string(whole);
  EXPECT_LE(whole.pol.threads, 256) << to_string(whole);
}

TEST(MakePlan, RowsTooFewToKeepTheTargetInFlightAreSplit) {
  // A whole-row block per row cannot keep the card's bytes in flight when
  // there are too few rows: those are split; enough rows are not.
  for (const test::card& c : test::kCards) {
    const device_info& dev = c.dev;
    for (const problem& p : {row_major_n(64, 1048576), row_major_n(2, 1000000),
                             row_major_n(dev.sm_count / 2, 131072)}) {
      const plan pl = make_plan(p, dev);
      EXPECT_EQ(pl.pol.kernel, kernel_kind::row_split_k) << c.name << ": " << to_string(pl);
      EXPECT_GT(pl.splits, 1) << c.name << ": " << to_string(pl);
    }
    for (const problem& p : {row_major_n(16 * dev.sm_count, 131072), row_major_n(8192, 65536)}) {
      const plan pl = make_plan(p, dev);
      EXPECT_EQ(pl.pol.kernel, kernel_kind::row_block) << c.name << ": " << to_string(pl);
      EXPECT_EQ(pl.splits, 1) << c.name << ": " << to_string(pl);
    }
  }
}

TEST(MakePlan, VeryLongRowsAreCutIntoBoundedPieces) {
  // 4 MiB rows: whole-row blocks would leave a ragged last wave.
  for (const device_info& dev : {kRtx4090, kH100, kA100}) {
    const plan pl = make_plan(row_major_n(2048, 1048576), dev);
    EXPECT_EQ(pl.pol.kernel, kernel_kind::row_split_k) << to_string(pl);
    EXPECT_LE(pl.split_length * 4, tuning::for_arch(dev.arch).max_block_bytes) << to_string(pl);
  }
}

TEST(MakePlan, FewLongRowsOnTheH100AreCutIntoSingleBlockSteps) {
  // 64 rows of 4 MiB: on the H100 pieces of one block step (8192 floats for
  // 512 threads of four 16-byte loads) ran 1.4% faster than two-step pieces
  // (docs/performance-notes.md, entry 36). Pieces never go under one step.
  const plan pl = make_plan(row_major_n(64, 1048576), kH100);
  EXPECT_EQ(pl.pol.kernel, kernel_kind::row_split_k) << to_string(pl);
  const std::int64_t step = std::int64_t{pl.pol.threads} * pl.pol.unroll * 4;
  EXPECT_EQ(pl.split_length, step) << to_string(pl);
  EXPECT_EQ(pl.splits, 1048576 / step) << to_string(pl);
  for (const device_info& dev : {kRtx4090, kH100, kA100}) {
    for (const problem& p : {row_major_n(1, 16777216), row_major_n(32, 2097152), row_major_n(128, 262144)}) {
      const plan few = make_plan(p, dev);
      EXPECT_GE(few.split_length, std::int64_t{few.pol.threads} * few.pol.unroll * 4) << to_string(few);
    }
  }
}

TEST(MakePlan, SmallSplitGridsRoundPiecesToOneStep) {
  // A row of a million floats is 122.07 pieces of min_split_bytes (32 KiB):
  // under one wave of blocks the count rounds up, to 123 one-step pieces,
  // not down to 122 pieces that whole steps round to 16384 elements (62).
  const plan one = make_plan(row_major_n(1, 1000000), kH100);
  EXPECT_EQ(one.pol.kernel, kernel_kind::row_split_k) << to_string(one);
  EXPECT_EQ(one.splits, 123) << to_string(one);
  // Grids of a wave or more keep the count rounded down (entry 39).
  EXPECT_EQ(make_plan(row_major_n(150, 300000), kH100).splits, 19);
}

TEST(MakePlan, FewShortRowsAreNotSplit) {
  // Splitting 1 KiB rows would give blocks slivers of work and cost a second
  // launch: one warp per row.
  for (const device_info& dev : {kRtx4090, kH100, kA100}) {
    for (const problem& p : {row_major_n(256, 256), row_major_n(1024, 1024), row_major_n(2, 1000)}) {
      const plan pl = make_plan(p, dev);
      EXPECT_EQ(pl.splits, 1) << to_string(pl);
      EXPECT_EQ(pl.workspace_bytes(), 0u) << to_string(pl);
    }
  }
}

TEST(MakePlan, TransposeFollowsTheStorage) {
  for (const device_info& dev : {kRtx4090, kH100, kA100}) {
    // Row-major op t gathers across rows: the column kernel.
    for (std::int64_t m : {4096, 16384}) {
      const plan pl = make_plan(aligned(layout::row_major, op::t, m, 4096), dev);
      EXPECT_EQ(pl.prob.kind, reduction::across_rows);
      EXPECT_EQ(pl.pol.kernel, kernel_kind::column) << to_string(pl);
    }
    // Column-major op t reads stored columns end to end: a row kernel.
    const plan ct = make_plan(aligned(layout::col_major, op::t, 4096, 4096), dev);
    EXPECT_EQ(ct.prob.kind, reduction::along_rows);
    EXPECT_EQ(ct.pol.kernel, make_plan(row_major_n(4096, 4096), dev).pol.kernel) << to_string(ct);
    // Column-major op n is the column kernel again.
    EXPECT_EQ(make_plan(aligned(layout::col_major, op::n, 4096, 4096), dev).pol.kernel,
              kernel_kind::column);
  }
}

TEST(MakePlan, ColumnPlansSplitRowsWhenOutputsAreFew) {
  for (const device_info& dev : {kRtx4090, kH100, kA100}) {
    const plan few = make_plan(aligned(layout::row_major, op::t, 1048576, 64), dev);
    EXPECT_EQ(few.pol.kernel, kernel_kind::column);
    EXPECT_GT(few.splits, 1) << to_string(few);
    // 64 floats are 16 float4: no tile wider than 16 lanes.
    EXPECT_EQ(few.pol.lanes, std::min(16, tuning::for_arch(dev.arch).column.lanes)) << to_string(few);
  }
}

TEST(MakePlan, ManyOutputsGetColumnTilesThatWalkEveryRow) {
  // One launch, no scratch: the widest tile that still gives tiles for 60%
  // of the SMs (132 on the H100: at least 80 tiles).
  const struct {
    problem p;
    int lanes;
  } cases[] = {
      {aligned(layout::row_major, op::t, 4096, 4096), 8},                 // 128 tiles of 32 floats
      {aligned(layout::row_major, op::t, 8192, 4096), 8},
      {aligned(layout::row_major, op::t, 4096, 14336, dtype::bf16), 16},  // 112 tiles of 128
      {aligned(layout::row_major, op::t, 4096, 11008, dtype::f16), 16},   // 86 tiles
      {aligned(layout::col_major, op::n, 1000000, 100), 16},              // many tiles, few rows
  };
  for (const auto& c : cases) {
    const plan pl = make_plan(c.p, kH100);
    EXPECT_EQ(pl.pol.kernel, kernel_kind::column) << to_string(pl);
    EXPECT_EQ(pl.splits, 1) << to_string(pl);
    EXPECT_EQ(pl.workspace_bytes(), 0u) << to_string(pl);
    EXPECT_EQ(pl.pol.lanes, c.lanes) << to_string(pl);
    EXPECT_EQ(pl.pol.unroll, tuning::sm90.column_whole.unroll) << to_string(pl);
    EXPECT_LE(pl.pol.threads, tuning::sm90.column_whole.threads) << to_string(pl);
  }
  // No more slices than unrolled steps of rows: 100 rows, unroll 8: 13 steps, 16 slices.
  const plan few_rows = make_plan(aligned(layout::col_major, op::n, 1000000, 100), kH100);
  EXPECT_EQ(few_rows.pol.threads, 16 * 16) << to_string(few_rows);
  // Too few outputs for a wave of 8-lane tiles, or, where the walk is not
  // pipelined (16-bit A), more rows than column_whole_max_rows: rows are
  // split instead.
  for (const problem& p : {aligned(layout::row_major, op::t, 65536, 2048),  // 64 tiles
                           aligned(layout::row_major, op::t, 16384, 4096, dtype::bf16),
                           aligned(layout::row_major, op::t, 16384, 8192, dtype::f16)}) {
    const plan split = make_plan(p, kH100);
    EXPECT_EQ(split.pol.kernel, kernel_kind::column) << to_string(split);
    EXPECT_GT(split.splits, 1) << to_string(split);
  }
}

TEST(MakePlan, PipelinedColumnWalksTakeEveryRowPastTheRowLimit) {
  // Float and double column threads keep two steps of loads in flight
  // (column_pipelined): on the H200 the whole-column tile ran float
  // 16384x4096 op t in 65.7 us against 78.0 for nine pieces and 67.5 for the
  // best split tile, double in 124.2 against 138.5 (performance notes,
  // entry 51).
  EXPECT_TRUE(detail::column_pipelined(dtype::f32));
  EXPECT_TRUE(detail::column_pipelined(dtype::f64));
  EXPECT_FALSE(detail::column_pipelined(dtype::bf16));
  EXPECT_FALSE(detail::column_pipelined(dtype::e4m3));
  for (const device_info& dev : {kRtx4090, kH100, kA100, test::card_named("H200")->dev}) {
    for (const problem& p : {aligned(layout::row_major, op::t, 16384, 4096),
                             aligned(layout::row_major, op::t, 65536, 8192),
                             aligned(layout::row_major, op::t, 16384, 4096, dtype::f64)}) {
      ASSERT_GT(p.rows, tuning::for_arch(dev.arch).column_whole_max_rows);
      const plan pl = make_plan(p, dev);
      EXPECT_EQ(pl.pol.kernel, kernel_kind::column) << to_string(pl);
      EXPECT_EQ(pl.splits, 1) << to_string(pl);
      EXPECT_EQ(pl.workspace_bytes(), 0u) << to_string(pl);
    }
  }
}

TEST(MakePlan, ShortPipelinedColumnWalksRunWholeOnFewTiles) {
  // Float op t with 32 or 64 tiles of 8 lanes (under 60% of the H200's
  // SMs), tuned on the H200 (docs/performance-notes.md, entry 52): whole
  // columns 7.3-21.5 us against 9.9-22.4 for the split plan up to 128 rows
  // a tile; past it the split plan wins (16384 x 1024: 22.5 against 30.2).
  const device_info& h200 = test::card_named("H200")->dev;
  for (const problem& p : {aligned(layout::row_major, op::t, 1024, 1024),
                           aligned(layout::row_major, op::t, 2048, 1024),
                           aligned(layout::row_major, op::t, 1024, 2048),
                           aligned(layout::row_major, op::t, 8192, 2048),
                           aligned(layout::row_major, op::t, 1024, 1024, dtype::f64)}) {
    const plan pl = make_plan(p, h200);
    EXPECT_EQ(pl.pol.kernel, kernel_kind::column) << to_string(pl);
    EXPECT_EQ(pl.splits, 1) << to_string(pl);
    EXPECT_EQ(pl.pol.lanes, detail::kMinWholeColumnLanes) << to_string(pl);
  }
  // Longer walks, too few tiles, or a walk that is not pipelined: split.
  for (const problem& p : {aligned(layout::row_major, op::t, 16384, 1024),
                           aligned(layout::row_major, op::t, 16384, 2048),
                           aligned(layout::row_major, op::t, 2048, 512),  // 16 tiles
                           aligned(layout::row_major, op::t, 2048, 4096, dtype::bf16)}) {
    const plan pl = make_plan(p, h200);
    EXPECT_EQ(pl.pol.kernel, kernel_kind::column) << to_string(pl);
    EXPECT_GT(pl.splits, 1) << to_string(pl);
  }
}

TEST(MakePlan, SplitColumnGridsAreResidentAtOnce) {
  // Pieces of a column plan are sized to the blocks the card holds at once:
  // pipelined float tiles of 128 registers fit four 128-thread blocks an
  // SM, and nine pieces of 64 tiles (576 blocks on 528 slots) ran float
  // 16384x4096 op t 18% slower on the H200 than one wave.
  device_info dev = test::card_named("H200")->dev;
  for (const int resident : {4, 2}) {
    dev.occupancy = resident == 4 ? +[](int, const policy&, bool) { return 4; }
                                  : +[](int, const policy&, bool) { return 2; };
    for (const problem& p : {aligned(layout::row_major, op::t, 32768, 2048),
                             aligned(layout::row_major, op::t, 65536, 1024),
                             aligned(layout::row_major, op::t, 1048576, 64)}) {
      const plan pl = make_plan(p, dev);
      ASSERT_EQ(pl.pol.kernel, kernel_kind::column) << to_string(pl);
      const std::int64_t tiles = detail::ceil_div(p.cols, pl.pol.lanes * detail::column_chunk(p.type));
      EXPECT_GT(pl.splits, 1) << to_string(pl);
      EXPECT_LE(tiles * pl.splits, std::int64_t{dev.sm_count} * resident) << to_string(pl);
    }
  }
}

TEST(MakePlan, MisalignedColumnsKeepTheAlignedTile) {
  // A column thread owns a vector's worth of outputs whether it reads them in
  // one 16-byte load or element by element: a misaligned A changes the loads,
  // not the grid.
  for (const device_info& dev : {kRtx4090, kH100, kA100}) {
    for (const problem& p : {aligned(layout::row_major, op::t, 4096, 4096),
                             aligned(layout::row_major, op::t, 16384, 4096),
                             aligned(layout::row_major, op::t, 4096, 14336, dtype::bf16),
                             aligned(layout::row_major, op::t, 65536, 2048, dtype::f16)}) {
      problem scalar = p;
      scalar.vectorizable = false;
      const plan vec = make_plan(p, dev);
      const plan elementwise = make_plan(scalar, dev);
      EXPECT_TRUE(vec.vectorized) << to_string(vec);
      EXPECT_FALSE(elementwise.vectorized) << to_string(elementwise);
      EXPECT_EQ(elementwise.pol.lanes, vec.pol.lanes) << to_string(elementwise);
      EXPECT_EQ(elementwise.pol.threads, vec.pol.threads) << to_string(elementwise);
      EXPECT_EQ(elementwise.splits, vec.splits) << to_string(elementwise);
    }
  }
}

TEST(MakePlan, EmptyProblemsOnlyScaleY) {
  for (const problem& p : {row_major_n(0, 10), row_major_n(10, 0),
                           aligned(layout::row_major, op::t, 0, 10)}) {
    const plan pl = make_plan(p, kH100);
    EXPECT_EQ(pl.pol.kernel, kernel_kind::scale_only) << to_string(pl);
    EXPECT_EQ(pl.workspace_bytes(), 0u);
  }
}

TEST(MakePlan, TablesFallThroughByComputeCapability) {
  EXPECT_STREQ(tuning::for_arch(89).name, "sm89");
  // Newer cards inherit the newest table at or below them, never `generic`.
  for (int arch : {90, 100, 103, 120, 121}) EXPECT_STREQ(tuning::for_arch(arch).name, "sm90");
  for (int arch : {70, 75, 80, 86, 87}) EXPECT_STREQ(tuning::for_arch(arch).name, "generic");
}

}  // namespace
}  // namespace gemv::test
