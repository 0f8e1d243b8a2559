// The model of large row problems (dispatch/model.cuh) on the published
// limits of six cards: its targets, and that every plan it makes keeps the
// target in flight with the cheapest tile that can.

#include <gemv/dispatch/make_plan.cuh>

#include "support/cards.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gemv {
namespace {

problem rows_of(std::int64_t m, std::int64_t n, dtype type) {
  problem p;
  p.type = type;
  p.x_type = type;
  p.rows = m;
  p.cols = n;
  p.ld = n;
  p.vectorizable = true;
  return p;
}

const tuning::table& table_of(const device_info& dev) { return tuning::for_arch(dev.arch); }

TEST(Model, TargetFollowsBandwidthAndSms) {
  // Little's law over each card's own figures: the H200 needs about 1.4
  // times the H100's bytes per SM, the RTX 4090 about a third of it.
  double h100 = 0, h200 = 0, rtx4090 = 0;
  for (const test::card& c : test::kCards) {
    const double f = model::bytes_in_flight_target(c.dev, table_of(c.dev));
    EXPECT_GT(f, 4.0 * 1024) << c.name;
    EXPECT_LT(f, 128.0 * 1024) << c.name;
    const std::string name = c.name;
    if (name == "H100 SXM") h100 = f;
    if (name == "H200") h200 = f;
    if (name == "RTX 4090") rtx4090 = f;
  }
  EXPECT_NEAR(h200 / h100, 4800.0 / 3350.0, 1e-9);
  EXPECT_NEAR(h200, 4800e9 * 1.35e-6 / 132, 1.0);  // about 48 KiB
  EXPECT_LT(rtx4090, h100 / 2);
  device_info unknown{90, 132, 2048};
  EXPECT_EQ(model::bytes_in_flight_target(unknown, tuning::sm90), model::kDefaultBytesInFlightPerSm);
}

TEST(Model, ResidentBlocksStayWithinTheCardsLimits) {
  for (const test::card& c : test::kCards) {
    for (int threads = 32; threads <= 512; threads *= 2) {
      const policy block{kernel_kind::row_block, threads, 1, 0, 2, 0};
      const std::int64_t blocks = model::resident_blocks(c.dev, block);
      EXPECT_GE(blocks, 1) << c.name;
      EXPECT_LE(blocks, c.dev.max_blocks_per_sm) << c.name << " " << threads;
      EXPECT_LE(blocks * threads, c.dev.max_threads_per_sm) << c.name << " " << threads;
    }
  }
}

int one_block_each(int, const policy&, bool) { return 1; }
int unknown(int, const policy&, bool) { return 0; }

TEST(Model, OccupancyOfTheCompiledKernelBoundsResidentBlocks) {
  // Where the caller knows its kernels' occupancy, it decides (never above
  // the thread limit); where it does not, the thread and block limits do.
  const test::card* h200 = test::card_named("H200");
  ASSERT_NE(h200, nullptr);
  device_info dev = h200->dev;
  const policy block{kernel_kind::row_block, 128, 1, 0, 2, 0};
  EXPECT_EQ(model::resident_blocks(dev, block), 16);
  dev.occupancy = one_block_each;
  EXPECT_EQ(model::resident_blocks(dev, block), 1);
  dev.occupancy = unknown;
  EXPECT_EQ(model::resident_blocks(dev, block), 16);
  // Fewer resident blocks keep fewer bytes in flight: the plan grows.
  const problem p = rows_of(14336, 4096, dtype::bf16);
  dev.occupancy = nullptr;
  const plan by_limits = make_plan(p, dev);
  device_info register_bound = dev;
  register_bound.occupancy = [](int, const policy& pol, bool) { return 1536 / pol.threads; };
  const plan by_occupancy = make_plan(p, register_bound);
  EXPECT_GT(by_occupancy.pol.threads * by_occupancy.pol.unroll, by_limits.pol.threads * by_limits.pol.unroll)
      << to_string(by_limits) << " vs " << to_string(by_occupancy);
}

TEST(Model, PlansSayWhatChoseThem) {
  // The plan report (docs/tuning.md) reads this instead of repeating the
  // planner's conditions.
  const test::card* h200 = test::card_named("H200");
  ASSERT_NE(h200, nullptr);
  const device_info& dev = h200->dev;
  EXPECT_EQ(make_plan(rows_of(14336, 4096, dtype::bf16), dev).source, plan_source::model);
  EXPECT_EQ(make_plan(rows_of(8192, 2048, dtype::bf16), dev).source, plan_source::model);  // warps
  const plan few_rows = make_plan(rows_of(128, 65536, dtype::f32), dev);
  EXPECT_EQ(few_rows.source, plan_source::model_split) << to_string(few_rows);
  EXPECT_GT(few_rows.splits, 1);
  // Rows past one block's bytes, the column kernel, and a forced policy,
  // even the one the model would choose: not the model's choice.
  EXPECT_EQ(make_plan(rows_of(2048, 1048576, dtype::f32), dev).source, plan_source::table_rules);
  problem across = rows_of(4096, 4096, dtype::f32);
  across.kind = reduction::across_rows;
  EXPECT_EQ(make_plan(across, dev).source, plan_source::table_rules);
  const problem modelled = rows_of(14336, 4096, dtype::bf16);
  EXPECT_EQ(make_plan(modelled, dev, make_plan(modelled, dev).pol).source, plan_source::table_rules);
}

TEST(Model, LongerWalksLoadMoreOfTheTime) {
  EXPECT_LT(model::duty(1), model::duty(2));
  EXPECT_LT(model::duty(2), model::duty(8));
  EXPECT_LT(model::duty(64), 1.0);
}

/// Large problems of every row-length class the model plans.
std::vector<problem> large_row_problems() {
  return {rows_of(65536, 768, dtype::bf16),     rows_of(32000, 2048, dtype::bf16),
          rows_of(4096, 4096, dtype::f32),      rows_of(14336, 4096, dtype::bf16),
          rows_of(128256, 4096, dtype::bf16),   rows_of(4096, 14336, dtype::bf16),
          rows_of(4096, 11008, dtype::f16),     rows_of(16384, 16384, dtype::f32),
          rows_of(256, 131072, dtype::f32),     rows_of(2048, 65536, dtype::f16)};
}

TEST(Model, WholeRowPlansKeepTheTargetInFlightWithTheCheapestTile) {
  for (const test::card& c : test::kCards) {
    const device_info& dev = c.dev;
    const tuning::table& t = table_of(dev);
    const double target = model::bytes_in_flight_target(dev, t);
    for (const problem& p : large_row_problems()) {
      ASSERT_TRUE(model::plans(p, dev, t)) << c.name << " " << p.rows << "x" << p.cols;
      const plan pl = make_plan(p, dev);
      const std::string where = std::string(c.name) + ": " + to_string(pl);
      if (pl.splits > 1) continue;  // split plans: RowsTooFewToKeepTheTargetInFlightAreSplit
      const std::int64_t vectors = model::row_vectors(p);
      if (pl.pol.kernel == kernel_kind::row_subwarp) {  // short rows whose steps it fills better than a warp
        EXPECT_TRUE(model::sub_warp_fills_better(vectors, pl.pol.lanes, model::short_row_warp(p, dev, t))) << where;
        continue;
      }
      const model::row_tile tile = model::tile_of(p, dev, pl.pol);
      if (pl.pol.kernel != kernel_kind::row_warp) {
        ASSERT_EQ(pl.pol.kernel, kernel_kind::row_block) << where;
        EXPECT_GE(pl.pol.threads, t.row_block_min_threads) << where;
        // No block of fewer threads, or of as many with fewer loads, would do.
        for (int threads = t.row_block_min_threads; threads <= pl.pol.threads; threads *= 2) {
          for (int unroll : tiles::kRowUnrolls) {
            if (threads == pl.pol.threads && unroll >= pl.pol.unroll) continue;
            EXPECT_LT(model::bytes_in_flight(model::block_tile(p, dev, threads, 1, unroll), vectors, dev),
                      target)
                << where << " (cheaper: " << threads << " threads, unroll " << unroll << ")";
          }
        }
      }
      EXPECT_GE(model::bytes_in_flight(tile, vectors, dev), target) << where;
      // The plan fits the card: its blocks are resident.
      EXPECT_LE(pl.pol.threads, dev.max_threads_per_sm) << where;
    }
  }
}

TEST(Model, RowsSplitForBytesInFlightTakeTheLongestWalkThatKeepsTheTarget) {
  // Rows of 256 KB to 1 MB, too few for whole-row blocks: the pieces are
  // the longest walk of the smallest block that keeps the target in flight
  // (a walk twice as long would not), and never under one step.
  for (const test::card& c : test::kCards) {
    const device_info& dev = c.dev;
    const tuning::table& t = table_of(dev);
    const double target = model::bytes_in_flight_target(dev, t);
    for (const problem& p : {rows_of(64, 262144, dtype::f32), rows_of(128, 262144, dtype::f32),
                             rows_of(128, 65536, dtype::f32), rows_of(200, 65536, dtype::f32),
                             rows_of(32, 524288, dtype::bf16)}) {
      if (!model::plans(p, dev, t) || model::long_row_block(p, dev, t).splits == 0) continue;
      const plan pl = make_plan(p, dev);
      const std::string where = std::string(c.name) + ": " + to_string(pl);
      ASSERT_EQ(pl.pol.kernel, kernel_kind::row_split_k) << where;
      EXPECT_EQ(pl.pol.threads, t.row_block_min_threads) << where;
      const std::int64_t step = std::int64_t{pl.pol.threads} * pl.pol.unroll;
      const std::int64_t piece = model::row_vectors(p) / pl.splits;  // 16-byte vectors
      ASSERT_GE(piece, step) << where;
      const model::row_tile tile{p.rows * pl.splits, model::resident_blocks(dev, pl.pol), pl.pol.threads, 1,
                                 pl.pol.unroll};
      if (piece > step) EXPECT_GE(model::bytes_in_flight(tile, piece, dev), target) << where;
      const model::row_tile longer{p.rows * ((pl.splits + 1) / 2), tile.units_per_sm, pl.pol.threads, 1,
                                   pl.pol.unroll};
      if (2 * piece * 16 <= t.min_split_bytes)
        EXPECT_LT(model::bytes_in_flight(longer, 2 * piece, dev), target) << where;
    }
  }
  // Measured on the H200 (docs/performance-notes.md, entry 46).
  const test::card* h200_card = test::card_named("H200");
  ASSERT_NE(h200_card, nullptr);
  const device_info& h200 = h200_card->dev;
  EXPECT_EQ(make_plan(rows_of(128, 65536, dtype::f32), h200).splits, 16);
  EXPECT_EQ(make_plan(rows_of(64, 262144, dtype::f32), h200).splits, 32);
}

TEST(Model, SubWarpStepsReadWholeSectorPairs) {
  // On every card, each step of a large short-row plan's lanes reads a
  // row's 64-byte sector pairs whole, or the whole row; rows of one
  // sector may be read half a sector a step (two steps of one lane).
  for (const test::card& c : test::kCards) {
    for (const dtype type : {dtype::f32, dtype::f64, dtype::bf16}) {
      for (const std::int64_t row_bytes : {16, 32, 48, 64, 96, 128, 256}) {
        const std::int64_t cols = row_bytes / size_of(type);
        const problem p = rows_of((std::int64_t{1} << 29) / row_bytes, cols, type);
        const plan pl = make_plan(p, c.dev);
        const std::string where = std::string(c.name) + ": " + to_string(pl);
        ASSERT_EQ(pl.pol.kernel, kernel_kind::row_subwarp) << where;
        const std::int64_t step_bytes = std::int64_t{pl.pol.lanes} * 16;
        if (row_bytes > 32) {
          EXPECT_TRUE(step_bytes >= row_bytes || step_bytes % model::kSectorPairBytes == 0) << where;
        }
        EXPECT_LE(pl.pol.lanes, detail::pow2_ceil(model::row_vectors(p))) << where;  // no step past the row
      }
    }
  }
  // Measured on the H200 (docs/performance-notes.md, entry 46): rows of
  // 32 B on one lane (two steps), of 64 B on four (one step).
  const test::card* h200_card = test::card_named("H200");
  ASSERT_NE(h200_card, nullptr);
  const device_info& h200 = h200_card->dev;
  EXPECT_EQ(make_plan(rows_of(16777216, 8, dtype::f32), h200).pol.lanes, 1);
  EXPECT_EQ(make_plan(rows_of(16777216, 8, dtype::f64), h200).pol.lanes, 4);
  // A lane alone on a 32-byte row reads it through L1 with two rows a lane
  // (entry 48); a 16-byte row keeps the table's unroll.
  for (dtype type : {dtype::f32, dtype::bf16, dtype::f64}) {
    const std::int64_t cols = 32 / size_of(type);
    const plan pair = make_plan(rows_of(16777216, cols, type), h200);
    EXPECT_EQ(pair.pol.lanes, 1) << to_string(pair);
    EXPECT_EQ(pair.pol.unroll, 2) << to_string(pair);
    const plan single = make_plan(rows_of(33554432, cols / 2, type), h200);
    EXPECT_EQ(single.pol.lanes, 1) << to_string(single);
    EXPECT_EQ(single.pol.unroll, tuning::for_arch(h200.arch).row_subwarp.unroll) << to_string(single);
  }
  EXPECT_EQ(make_plan(rows_of(8388608, 16, dtype::f32), h200).pol.lanes, 4);
  EXPECT_EQ(make_plan(rows_of(4194304, 32, dtype::f32), h200).pol.lanes, 4);
}

TEST(Model, WarpsOfShortRowsTakeFourLoadsAStepWhereTheRowFillsThem) {
  // Measured on the H200 (docs/performance-notes.md, entry 49): 4 KB rows
  // on warps of two rows, four loads a step (two steps a row) rather than
  // two (four steps); a 1 KB row of 64 vectors would leave half of four
  // loads idle and keeps two, and so do rows of an A narrower than x.
  for (const test::card& c : test::kCards) {
    const device_info& dev = c.dev;
    const tuning::table& t = table_of(dev);
    const policy four_kb = model::short_row_warp(rows_of(131072, 2048, dtype::bf16), dev, t);
    EXPECT_EQ(four_kb.rows, 2) << c.name;
    EXPECT_EQ(four_kb.unroll, 4) << c.name;
    const policy one_kb = model::short_row_warp(rows_of(131072, 256, dtype::f32), dev, t);
    EXPECT_EQ(one_kb.unroll, 2) << c.name;
    // 96 vectors fill four loads a step (three of four in the last) as well as two.
    EXPECT_EQ(model::short_row_warp(rows_of(131072, 768, dtype::bf16), dev, t).unroll, 4) << c.name;
    // 1-byte A beside 16-bit x: two loads of x a load of A; keeps two.
    problem fp8 = rows_of(131072, 4096, dtype::e4m3);
    fp8.x_type = dtype::bf16;
    EXPECT_EQ(model::short_row_warp(fp8, dev, t).unroll, 2) << c.name;
  }
}

TEST(Model, TheRtx4090NeedsFewerLoadsInFlightThanTheH200) {
  // Same rows, the 4090's smaller target: its tile is never larger.
  const test::card* rtx = test::card_named("RTX 4090");
  const test::card* h200 = test::card_named("H200");
  ASSERT_NE(rtx, nullptr);
  ASSERT_NE(h200, nullptr);
  for (const problem& p : large_row_problems()) {
    const plan a = make_plan(p, rtx->dev);
    const plan b = make_plan(p, h200->dev);
    if (a.pol.kernel != b.pol.kernel || a.splits > 1 || b.splits > 1) continue;
    EXPECT_LE(a.pol.threads * a.pol.unroll * a.pol.rows, b.pol.threads * b.pol.unroll * b.pol.rows)
        << to_string(a) << " vs " << to_string(b);
  }
}

}  // namespace
}  // namespace gemv
