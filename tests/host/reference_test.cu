// The test oracle itself: the host reference against products worked out by
// hand in every layout, op and increment sign, the BLAS quick returns and
// IEEE special values; the output check against deliberately broken
// results; the exact problems against T's precision.

#include "support/compare.hpp"
#include "support/exact.hpp"
#include "support/reference.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
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

// BLAS quick returns: y stays as it was, whatever it holds (-0.0, NaN),
// and nothing else is read.
TEST(Reference, EmptyReductionLeavesYUntouched) {
  for (float beta : {0.0f, -0.5f, 1.0f}) {
    call_args c = make_call(layout::row_major, op::n, 1, 1, 1.0f, beta);
    c.n = 0;
    c.lda = 1;
    const std::vector<float> y = {2, -0.0f};
    const expected e = reference_gemv<float>(c, nullptr, nullptr, y.data());
    EXPECT_TRUE(e.untouched) << beta;
    EXPECT_EQ(e.value, (std::vector<double>{2, 0})) << beta;
  }
}

TEST(Reference, AlphaZeroBetaOneLeavesYUntouched) {
  const std::vector<float> A(6, kNaN), x(3, kNaN), y = {-0.0f, kNaN};
  const expected e = reference_gemv(make_call(layout::row_major, op::n, 1, 1, 0.0f, 1.0f),
                                    A.data(), x.data(), y.data());
  EXPECT_TRUE(e.untouched);
  // alpha == 0 with any other beta computes beta * y.
  for (float beta : {0.0f, 2.0f}) {
    const expected scaled = reference_gemv(make_call(layout::row_major, op::n, 1, 1, 0.0f, beta),
                                           A.data(), x.data(), y.data());
    EXPECT_FALSE(scaled.untouched);
  }
}

TEST(Reference, NoOutputs) {
  call_args c = make_call(layout::row_major, op::n);
  c.m = 0;
  const std::vector<float> x = {1, 10, 100};
  const expected e = reference_gemv<float>(c, nullptr, x.data(), nullptr);
  EXPECT_TRUE(e.value.empty());
  EXPECT_TRUE(e.untouched);
}

// Inf and NaN follow IEEE arithmetic on the exact sum.
TEST(Reference, InfinitiesAndNaNs) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> y = {kNaN, kNaN};
  const auto run = [&](std::vector<float> A, std::vector<float> x, float alpha = 1.0f) {
    return reference_gemv(make_call(layout::row_major, op::n, 1, 1, alpha), A.data(), x.data(),
                          y.data())
        .value;
  };
  EXPECT_EQ(run({1, inf, 3, 4, 5, 6}, {1, -1, 1}), (std::vector<double>{-inf, 5}));
  EXPECT_EQ(run({1, inf, 3, 4, 5, 6}, {1, -1, 1}, -0.5f), (std::vector<double>{inf, -2.5}));
  const std::vector<double> nan_row = run({inf, -inf, 3, 4, 5, kNaN}, {1, 1, 1});
  EXPECT_TRUE(std::isnan(nan_row[0]));
  EXPECT_TRUE(std::isnan(nan_row[1]));
  const std::vector<double> nan_x = run({1, 2, 3, 4, 5, 6}, {1, kNaN, 1});
  EXPECT_TRUE(std::isnan(nan_x[0]) && std::isnan(nan_x[1]));
  // Finite products past float's range stay finite in double: the check
  // rounds them to Inf.
  const float big = 0x1p127f;
  EXPECT_EQ(run({big, big, big, 0, 0, 0}, {1, 1, 1}), (std::vector<double>{0x3p127, 0}));
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

TEST(CheckYExact, RejectsTheLastBit) {
  call_args c = packed_call(layout::col_major, op::t, 37, 5, -0.5f);
  c.incy = -2;
  const operands<float> ops = make_exact_operands<float>(c, 1, 11);
  const expected ref = reference_gemv(ops);
  std::vector<float> after = ops.y;
  for (std::int64_t o = 0; o < c.y_len(); ++o)
    after[ops.y_begin() + position(o, c.y_len(), c.incy)] = static_cast<float>(ref.value[o]);
  EXPECT_TRUE(check_y(ops, after, ref, comparison::exact));
  float& y3 = after[ops.y_begin() + position(3, c.y_len(), c.incy)];
  y3 = std::nextafter(y3, HUGE_VALF);
  EXPECT_TRUE(check_y(ops, after, ref));  // within tolerance
  EXPECT_FALSE(check_y(ops, after, ref, comparison::exact));
}

// After a quick return every element of y's buffer must be bitwise as it
// was: -0.0 turned into +0.0, or a NaN's payload changed, is a failure.
TEST_F(CheckY, QuickReturnMeansBitwiseUntouched) {
  ops.args.alpha = 0.0f;
  ops.args.beta = 1.0f;
  ops.y[ops.y_begin()] = -0.0f;
  const expected quick = reference_gemv(ops);
  ASSERT_TRUE(quick.untouched);
  EXPECT_TRUE(check_y(ops, ops.y, quick));
  std::vector<float> after = ops.y;
  after[ops.y_begin()] = 0.0f;
  EXPECT_FALSE(check_y(ops, after, quick));
  after = ops.y;
  after[ops.y_begin() + position(1, 4, -2)] = kNaN;  // poison had another payload
  EXPECT_FALSE(check_y(ops, after, quick));
}

TEST(ExactlyRight, NaNInfAndSignedZero) {
  const double inf = HUGE_VAL;
  EXPECT_TRUE(exactly_right<float>(std::nan(""), std::nan("")));
  EXPECT_FALSE(exactly_right<float>(1.0, std::nan("")));
  EXPECT_FALSE(exactly_right<float>(std::nan(""), 1.0));
  EXPECT_TRUE(exactly_right<float>(-0.0, 0.0));
  EXPECT_TRUE(exactly_right<__half>(inf, 1e6));  // past half's range: Inf
  EXPECT_FALSE(exactly_right<__half>(-inf, 1e6));
  EXPECT_TRUE(exactly_right<float>(-inf, -0x3p127));
  EXPECT_TRUE(exactly_right<__nv_bfloat16>(0x1p-133, 0x1p-133));  // a subnormal, not flushed
  EXPECT_FALSE(exactly_right<__nv_bfloat16>(0.0, 0x1p-133));
  // A reference T cannot hold is a broken exact test, whatever was computed.
  EXPECT_FALSE(exactly_right<__nv_bfloat16>(257.0, 257.0));
}

// Exact problems: every output the reference gives is held exactly by T,
// for every exact case of every type, and every term is non-zero.
template <class T>
void expect_exact_problems() {
  for (reduction kind : {reduction::along_rows, reduction::across_rows}) {
    std::uint64_t seed = 1;
    for (const edge_case& ec : exact_cases(kind, dtype_of<T>::value, 5)) {
      const operands<T> ops = make_exact_operands<T>(ec.args, ec.shift, ++seed);
      const expected ref = reference_gemv(ops);
      for (std::size_t k = 0; k < ref.value.size(); ++k)
        ASSERT_TRUE(exactly_right<T>(ref.value[k], ref.value[k]))
            << to_string(ec.args) << " output " << k;
      if (ec.args.alpha == 0.0f) continue;
      for (std::int64_t r = 0; r < ops.args.x_len(); ++r)
        ASSERT_NE(to_double(ops.x_ptr()[position(r, ops.args.x_len(), ops.args.incx)]), 0.0);
    }
  }
}

TEST(ExactOperands, EveryOutputIsHeldExactlyByT) {
  expect_exact_problems<float>();
  expect_exact_problems<__half>();
  expect_exact_problems<__nv_bfloat16>();
}

TEST(ExactOperands, LongRowsAreRebalancedIntoBfloat16) {
  const call_args c = packed_call(layout::row_major, op::n, 4, 100003, 2.0f);
  const operands<__nv_bfloat16> ops = make_exact_operands<__nv_bfloat16>(c, 0, 9);
  const expected ref = reference_gemv(ops);
  for (double v : ref.value) EXPECT_LE(std::fabs(v), exact_dot_limit<__nv_bfloat16>() + 4.0);
  for (std::int64_t k = 0; k < c.n; ++k) EXPECT_NE(to_double(ops.a_ptr()[k]), 0.0);
}

TEST(ExactCases, CoverTheVectorWidthAndBothPaths) {
  for (dtype type : {dtype::f32, dtype::f16}) {
    const std::int64_t W = 16 / size_of(type);
    std::set<std::int64_t> lengths;
    bool aligned = false, misaligned = false;
    for (const edge_case& ec : exact_cases(reduction::along_rows, type)) {
      lengths.insert(ec.args.x_len());
      (ec.shift == 0 ? aligned : misaligned) = true;
    }
    for (std::int64_t len : {W - 1, W, W + 1, 2 * W - 1, 2 * W + 1, 32 * W - 1, 32 * W + 1})
      EXPECT_EQ(lengths.count(len), 1u) << "length " << len;
    EXPECT_TRUE(aligned && misaligned);
  }
}

TEST(Operands, PoisonEverythingACallMustNotRead) {
  call_args c;
  c.m = 3;
  c.n = 5;
  c.lda = 8;
  c.incx = -3;
  const operands<float> ops = make_operands<float>(c, /*shift=*/1, /*seed=*/7);
  ASSERT_EQ(ops.A.size(), 1u + 3 * 8 + kGuard);
  EXPECT_TRUE(std::isnan(ops.A[0]));  // the misaligning shift
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 8; ++k)
      EXPECT_EQ(std::isnan(ops.a_ptr()[r * 8 + k]), k >= 5) << r << "," << k;
  for (std::int64_t i = 0; i < kGuard; ++i) EXPECT_TRUE(std::isnan(ops.a_ptr()[3 * 8 + i]));
  ASSERT_EQ(ops.x.size(), 1u + span(5, -3) + kGuard);
  for (std::int64_t i = 0; i < span(5, -3) + kGuard; ++i)
    EXPECT_EQ(std::isnan(ops.x_ptr()[i]), !(i < span(5, -3) && i % 3 == 0)) << i;
  for (float v : ops.y) EXPECT_TRUE(std::isnan(v));  // beta == 0
}

TEST(Operands, LogicalAccessorsFollowLayoutAndIncrements) {
  for (layout lay : {layout::row_major, layout::col_major}) {
    for (op trans : {op::n, op::t}) {
      call_args c = packed_call(lay, trans, 2, 3);
      c.incx = -2;
      c.incy = 3;
      operands<float> ops = make_operands<float>(c, 1, 3);
      ops.a_at(1, 0) = 7.0f;
      ops.x_at(0) = 5.0f;
      const expected e = reference_gemv(ops);
      // op(A)(1, 0) * x_0 is the only term that changed: check it moved output 1 alone.
      ops.a_at(1, 0) = 0.0f;
      const expected without = reference_gemv(ops);
      EXPECT_EQ(e.value[1] - without.value[1], 35.0) << int(lay) << int(trans);
      EXPECT_EQ(e.value[0], without.value[0]) << int(lay) << int(trans);
    }
  }
}

}  // namespace
}  // namespace gemv::test
