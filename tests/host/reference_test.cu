// The test oracle itself: the host reference against products worked out by
// hand in every layout, op and increment sign, and the output check against
// deliberately broken results.

#include "support/compare.hpp"
#include "support/reference.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace gemv::test {
namespace {

// A = [1 2 3]
//     [4 5 6]
const std::vector<float> kRowMajorA = {1, 2, 3, 4, 5, 6};  // lda 3
const std::vector<float> kColMajorA = {1, 4, 2, 5, 3, 6};  // lda 2
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

call_args make_call(layout lay, op trans, std::int64_t incx = 1, std::int64_t incy = 1,
                    float alpha = 1.0f, float beta = 0.0f) {
  call_args c = packed_call(lay, trans, 2, 3, beta);
  c.incx = incx;
  c.incy = incy;
  c.alpha = alpha;
  return c;
}

const float* matrix(layout lay) { return (lay == layout::row_major ? kRowMajorA : kColMajorA).data(); }

TEST(Reference, OpNInBothLayouts) {
  const std::vector<float> x = {1, 10, 100};
  const std::vector<float> y = {kNaN, kNaN};  // beta == 0: never read
  for (layout lay : {layout::row_major, layout::col_major}) {
    const expected e = reference_gemv(make_call(lay, op::n), matrix(lay), x.data(), y.data());
    EXPECT_EQ(e.value, (std::vector<double>{321, 654}));
    EXPECT_EQ(e.bound, (std::vector<double>{321, 654}));
  }
}

TEST(Reference, OpTInBothLayouts) {
  const std::vector<float> x = {1, 10};
  const std::vector<float> y = {kNaN, kNaN, kNaN};
  for (layout lay : {layout::row_major, layout::col_major}) {
    const expected e = reference_gemv(make_call(lay, op::t), matrix(lay), x.data(), y.data());
    EXPECT_EQ(e.value, (std::vector<double>{41, 52, 63}));
  }
}

TEST(Reference, NegativeIncrementsStoreVectorsBackwards) {
  // Logical x = (1, 10, 100) stored with incx = -2: element i at (3 - 1 - i) * 2.
  const std::vector<float> x = {100, kNaN, 10, kNaN, 1};
  // Logical y = (2, 4) stored with incy = -3: y_0 at offset 3, y_1 at offset 0.
  const std::vector<float> y = {4, kNaN, kNaN, 2};
  const call_args c = make_call(layout::row_major, op::n, -2, -3, 2.0f, -0.5f);
  const expected e = reference_gemv(c, matrix(layout::row_major), x.data(), y.data());
  EXPECT_EQ(e.value, (std::vector<double>{2 * 321 - 1, 2 * 654 - 2}));
  EXPECT_EQ(e.bound, (std::vector<double>{2 * 321 + 1, 2 * 654 + 2}));
}

TEST(Reference, AlphaZeroReadsNeitherAnorX) {
  const std::vector<float> A(6, kNaN), x(3, kNaN), y = {2, 4};
  const expected e = reference_gemv(make_call(layout::row_major, op::n, 1, 1, 0.0f, 2.0f),
                                    A.data(), x.data(), y.data());
  EXPECT_EQ(e.value, (std::vector<double>{4, 8}));
}

TEST(Reference, EmptyReductionScalesY) {
  call_args c = make_call(layout::row_major, op::n, 1, 1, 1.0f, -0.5f);
  c.n = 0;
  c.lda = 1;
  const std::vector<float> y = {2, 4};
  const expected e = reference_gemv<float>(c, nullptr, nullptr, y.data());
  EXPECT_EQ(e.value, (std::vector<double>{-1, -2}));
}

TEST(Reference, NoOutputs) {
  call_args c = make_call(layout::row_major, op::n);
  c.m = 0;
  const std::vector<float> x = {1, 10, 100};
  EXPECT_TRUE(reference_gemv<float>(c, nullptr, x.data(), nullptr).value.empty());
}

TEST(Reference, SampledOutputs) {
  const std::vector<float> x = {1, 10};
  const std::vector<float> y = {kNaN, kNaN, kNaN};
  const expected e = reference_gemv(make_call(layout::row_major, op::t), matrix(layout::row_major),
                                    x.data(), y.data(), /*stride=*/2);
  EXPECT_EQ(e.value, (std::vector<double>{41, 63}));
}

TEST(Reference, LargeProblemsSplitAcrossThreadsAddUpExactly) {
  // Small integers: every partial sum is exact in double, whatever the split.
  for (layout lay : {layout::row_major, layout::col_major}) {
    for (op trans : {op::n, op::t}) {
      const call_args c = packed_call(lay, trans, trans == op::n ? 3 : 300001,
                                      trans == op::n ? 300001 : 3);
      std::vector<float> A(static_cast<std::size_t>(c.m * c.n)), x(c.x_len()), y(c.y_len());
      for (std::size_t i = 0; i < A.size(); ++i) A[i] = static_cast<float>(i % 7) - 3;
      for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 5) - 2;
      const expected e = reference_gemv(c, A.data(), x.data(), y.data());
      for (std::int64_t o = 0; o < c.y_len(); ++o) {
        double sum = 0;
        for (std::int64_t r = 0; r < c.x_len(); ++r) {
          const std::int64_t i = trans == op::n ? o : r, j = trans == op::n ? r : o;
          sum += A[lay == layout::row_major ? i * c.lda + j : i + j * c.lda] * double{x[r]};
        }
        EXPECT_EQ(e.value[o], sum) << int(lay) << int(trans) << " output " << o;
      }
    }
  }
}

TEST(Tolerance, OneUlpOfTheOutputTypePlusTheAccumulationTerm) {
  EXPECT_NEAR(tolerance<__half>(1.0, 1.0), 0x1p-10, 0x1p-18);
  EXPECT_NEAR(tolerance<__nv_bfloat16>(1.0, 1.0), 0x1p-7, 0x1p-18);
  EXPECT_NEAR(tolerance<float>(1.0, 1.0), 4 * 0x1p-23 + 0x1p-23, 0x1p-40);
  EXPECT_GT(tolerance<float>(0.0, 0.0), 0.0);
  // Cancellation: a tiny result of large terms gets the accumulation term.
  EXPECT_GT(tolerance<float>(1e-6, 1000.0), 4 * 0x1p-23 * 1000.0);
}

class CheckY : public ::testing::Test {
 protected:
  void SetUp() override {
    call_args c;
    c.m = 4;
    c.n = 3;
    c.lda = 3;
    c.incy = -2;
    c.beta = 0.0f;
    ops = make_operands<float>(c, /*shift=*/1, /*seed=*/42);
    ref = reference_gemv(ops);
    exact = ops.y;
    for (std::int64_t o = 0; o < c.y_len(); ++o)
      exact[ops.y_begin() + position(o, c.y_len(), c.incy)] = static_cast<float>(ref.value[o]);
  }
  operands<float> ops;
  expected ref;
  std::vector<float> exact;  // the y buffer a perfect call leaves
};

TEST_F(CheckY, AcceptsTheExactResult) { EXPECT_TRUE(check_y(ops, exact, ref)); }

TEST_F(CheckY, RejectsAWrongOutput) {
  std::vector<float> after = exact;
  after[ops.y_begin() + position(3, 4, -2)] += 1e-3f;
  EXPECT_FALSE(check_y(ops, after, ref));
}

TEST_F(CheckY, RejectsAnUnwrittenOutput) {
  std::vector<float> after = exact;
  after[ops.y_begin() + position(0, 4, -2)] = poison<float>();
  EXPECT_FALSE(check_y(ops, after, ref));
}

TEST_F(CheckY, RejectsWritesToGapsAndGuards) {
  for (std::int64_t i : {std::int64_t{0}, ops.y_begin() - 1, ops.y_begin() + 1,
                         static_cast<std::int64_t>(exact.size()) - 1}) {
    std::vector<float> after = exact;
    after[i] = 0.0f;
    EXPECT_FALSE(check_y(ops, after, ref)) << "index " << i;
  }
}

TEST(Operands, PoisonEverythingACallMustNotRead) {
  call_args c;
  c.m = 3;
  c.n = 5;
  c.lda = 8;
  c.incx = -3;
  const operands<float> ops = make_operands<float>(c, /*shift=*/1, /*seed=*/7);
  ASSERT_EQ(ops.A.size(), 1u + 3 * 8);
  EXPECT_TRUE(std::isnan(ops.A[0]));  // the misaligning shift
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 8; ++k)
      EXPECT_EQ(std::isnan(ops.a_ptr()[r * 8 + k]), k >= 5) << r << "," << k;
  ASSERT_EQ(ops.x.size(), 1u + span(5, -3));
  for (std::int64_t i = 0; i < span(5, -3); ++i) EXPECT_EQ(std::isnan(ops.x_ptr()[i]), i % 3 != 0);
  for (float v : ops.y) EXPECT_TRUE(std::isnan(v));  // beta == 0
}

}  // namespace
}  // namespace gemv::test
