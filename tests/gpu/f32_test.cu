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
  detail::kernel_args<float> args{};
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
}  // namespace gemv::test
