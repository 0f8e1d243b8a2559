// Accuracy of float gemv over long reductions: with inputs uniform in [0, 1)
// (no cancellation, so the relative error is meaningful), the relative 2-norm
// error against a double reference must stay at 1e-7, i.e. about what one
// rounding of each output to float costs (2^-24 ~ 6e-8 at worst). A plain
// float accumulation over 2^20 terms is ~1e-4 off: this is what the
// compensated per-thread sums and double combination buy.

#include "gpu/calls.cuh"

#include <cmath>
#include <string>

namespace gemv::test {
namespace {

class Accuracy : public gpu_test<float> {
 protected:
  void expect_accurate(layout lay, op trans, std::int64_t m, std::int64_t n) {
    const call_args c = packed_call(lay, trans, m, n);
    const std::size_t bytes = static_cast<std::size_t>(m * n) * sizeof(float);
    if (const std::string why = memory_shortfall(bytes, bytes); !why.empty()) GTEST_SKIP() << why;

    const operands<float> ops = make_operands<float>(c, 0, next_seed(), value_range{0.0, 1.0});
    const expected ref = reference_gemv(ops);
    device_operands<float> dev;
    dev.upload(ops);
    plan chosen;
    ASSERT_EQ(choose_plan<float>(c.lay, c.trans, m, n, c.alpha, dev.A(), c.lda, dev.x(), c.incx,
                                 c.beta, dev.y(), c.incy, chosen),
              status::success);
    std::vector<float> y;
    ASSERT_TRUE(run_and_check(dev, ops, ref, [&](const float* A, const float* x, float* out) {
      return call_gemv(c, A, x, out);
    }, &y)) << to_string(chosen);

    double err2 = 0.0, ref2 = 0.0;
    for (std::int64_t o = 0; o < c.y_len(); ++o) {
      const double d = y[ops.y_begin() + o] - ref.value[o];
      err2 += d * d;
      ref2 += ref.value[o] * ref.value[o];
    }
    const double relative = std::sqrt(err2 / ref2);
    RecordProperty("relative_error", std::to_string(relative));
    RecordProperty("plan", to_string(chosen));
    EXPECT_LE(relative, 1e-7) << to_string(c) << "\n  " << to_string(chosen);
  }
};

// The reference problem: 2048 x 2^20 floats, 8 GiB.
TEST_F(Accuracy, ReferenceProblem2048x1048576) {
  expect_accurate(layout::row_major, op::n, 2048, 1048576);
}

// The same row length at 1 GiB, for cards that cannot hold the reference problem.
TEST_F(Accuracy, LongRows256x1048576) { expect_accurate(layout::row_major, op::n, 256, 1048576); }

// One row of 2^24: split-K into thousands of pieces.
TEST_F(Accuracy, SplitKOneRowOf2To24) { expect_accurate(layout::row_major, op::n, 1, 1 << 24); }

// 2^20 stored rows gathered into 256 outputs: the column kernel with split rows.
TEST_F(Accuracy, ColumnKernelOver2To20Rows) {
  expect_accurate(layout::row_major, op::t, 1048576, 256);
}

}  // namespace
}  // namespace gemv::test
