// Every typed GPU suite for float. One element type per translation unit:
// compiling the library's kernels is the slow part of the build, and this
// spreads it over as many compiler processes as there are types.

#include "gpu/instantiate.cuh"

GEMV_INSTANTIATE_GPU_SUITES(f32, float)

// A plan whose tile no instantiation has launches nothing and says so. The
// lookup fails before any CUDA call, so this runs without a GPU too.
namespace gemv::test {
TEST(Launch, ATileWithoutAnInstantiationIsKernelUnavailable) {
  plan pl;
  pl.prob = describe(layout::row_major, op::n, 64, 64, dtype::f32, 64);
  pl.vectorized = true;
  pl.split_length = 64;
  detail::kernel_args<detail::same_types<float>> args{};
  args.rows = args.cols = args.ld = 64;
  args.splits = 1;
  for (const policy& p : {policy{kernel_kind::row_warp, 128, 3, 0, 2, 0},
                          policy{kernel_kind::row_block, 128, 1, 0, 3, 0},
                          policy{kernel_kind::row_subwarp, 128, 0, 32, 2, 0},
                          policy{kernel_kind::column, 128, 0, 16, 5, 0},
                          policy{kernel_kind::none, 128, 0, 0, 0, 0}}) {
    pl.pol = p;
    EXPECT_EQ(detail::launch(pl, args, 0, nullptr), status::kernel_unavailable) << to_string(p);
  }
}

// Every tile of the compiled lists (dispatch/compiled_tiles.cuh) reaches an
// instantiation: without a device the launch itself fails (launch_failed),
// never the lookup (kernel_unavailable). With a device these launches would
// run on null operands, so there the forced-policy suites cover the tiles.
TEST(Launch, EveryCompiledTileHasAnInstantiation) {
  if (missing_device_reason().empty())
    GTEST_SKIP() << "a device is present: ForcedPolicies runs every tile on real operands";
  detail::kernel_args<detail::same_types<float>> args{};
  args.rows = args.cols = args.ld = 64;
  args.splits = 1;
  const auto expect_instantiated = [&](plan pl, const policy& p, std::int64_t batch = 1) {
    pl.prob = describe(layout::row_major, op::n, 64, 64, dtype::f32, 64);
    pl.prob.batch = batch;
    pl.pol = p;
    pl.split_length = 64;
    EXPECT_EQ(detail::launch(pl, args, 0, nullptr), status::launch_failed)
        << to_string(p) << (pl.vectorized ? " vec16" : " scalar");
  };
  for (bool vectorized : {false, true}) {
    plan pl;
    pl.vectorized = vectorized;
    for (kernel_kind k : {kernel_kind::row_warp, kernel_kind::row_block, kernel_kind::row_split_k})
      for (int rows : tiles::kRows)
        for (int unroll : tiles::kRowUnrolls) {
          // A single call and a batch's members run different row block kernels.
          expect_instantiated(pl, {k, 128, rows, 0, unroll, 0});
          expect_instantiated(pl, {k, 128, rows, 0, unroll, 0}, 2);
        }
    for (int lanes : tiles::kSubwarpLanes)
      for (int unroll : tiles::kSubwarpUnrolls)
        expect_instantiated(pl, {kernel_kind::row_subwarp, 128, 0, lanes, unroll, 0});
    for (int lanes : tiles::kColumnLanes)
      for (int unroll : tiles::kColumnUnrolls)
        expect_instantiated(pl, {kernel_kind::column, 128, 0, lanes, unroll, 0});
  }
  plan staged;
  staged.staged = true;
  expect_instantiated(staged, {kernel_kind::row_subwarp, 128, 0, 0, 2, 0});
  plan joined;
  joined.joined = true;
  expect_instantiated(joined, {kernel_kind::row_block, 128, 1, 0, 4, 0});
}

// The occupancy the model plans with (dispatch/occupancy.cuh): every
// compiled row kernel reports resident blocks within the card's limits,
// and the same number when asked again.
class Occupancy : public gpu_test_base {};

TEST_F(Occupancy, RowKernelsReportResidentBlocksWithinTheCardsLimits) {
  int device = 0;
  device_info dev;
  ASSERT_EQ(current_device(device, dev), status::success);
  for (bool vectorized : {false, true}) {
    for (kernel_kind k : {kernel_kind::row_warp, kernel_kind::row_block}) {
      for (int rows : tiles::kRows) {
        for (int unroll : tiles::kRowUnrolls) {
          for (int threads : {128, 256, 512}) {
            const policy p{k, threads, rows, 0, unroll, 0};
            const int blocks = detail::resident_blocks_of<detail::same_types<float>>(device, p, vectorized);
            EXPECT_GE(blocks, 1) << to_string(p);
            EXPECT_LE(blocks * threads, dev.max_threads_per_sm) << to_string(p);
            EXPECT_LE(blocks, dev.max_blocks_per_sm) << to_string(p);
            EXPECT_EQ(detail::resident_blocks_of<detail::same_types<float>>(device, p, vectorized), blocks) << to_string(p);
          }
        }
      }
    }
  }
  // The occupancy of a split-K tile is that of the kernel a split launch
  // runs (row_block_kernel), not the single call's row block, whose
  // four-load tiles hold more registers (kernels/row_block.cuh).
  using F = detail::same_types<float>;
  for (int rows : tiles::kRows) {
    for (int unroll : tiles::kRowUnrolls) {
      for (kernel_kind k : {kernel_kind::row_block, kernel_kind::row_split_k}) {
        const policy p{k, 512, rows, 0, unroll, 0};
        plan pl;
        pl.pol = p;
        pl.vectorized = true;
        pl.splits = k == kernel_kind::row_split_k ? 4 : 1;
        const detail::first_pass_kernel launched = detail::resolve_first_pass<F>(pl, 512, 4096, true);
        int expected = 0;
        ASSERT_EQ(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&expected, launched.kernel, 512, 0), cudaSuccess);
        EXPECT_EQ(detail::resident_blocks_of<F>(device, p, true), expected) << to_string(p);
      }
    }
  }
  // Other families through the same mapping: a column tile (its shared
  // memory counted), and no first-pass kernel for scale_only.
  const int column = detail::resident_blocks_of<detail::same_types<float>>(device, {kernel_kind::column, 512, 0, 16, 8, 0}, true);
  EXPECT_GE(column, 1);
  EXPECT_LE(column * 512, dev.max_threads_per_sm);
  EXPECT_EQ(detail::resident_blocks_of<detail::same_types<float>>(device, {kernel_kind::scale_only, 256, 0, 0, 0, 0}, true), 0);
}
}  // namespace gemv::test
