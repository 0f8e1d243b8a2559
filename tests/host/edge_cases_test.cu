// The GPU edge cases cover what they promise: every size as m and as n,
// every increment, alpha and beta, both layouts and ops, aligned and
// misaligned operands, padded leading dimensions.

#include "support/edge_cases.hpp"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

namespace gemv::test {
namespace {

TEST(EdgeCases, CoverEveryRequiredValue) {
  for (reduction kind : {reduction::along_rows, reduction::across_rows}) {
    for (dtype type : {dtype::f32, dtype::f16, dtype::bf16}) {
      SCOPED_TRACE(std::string(to_string(kind)) + " " + to_string(type));
      std::set<std::int64_t> ms, ns, incx, incy, shifts;
      std::set<float> alphas, betas;
      std::set<std::tuple<layout, op>> forms;
      bool padded = false, vector_eligible = false, nan_y_with_beta_zero = false;
      for (const edge_case& ec : edge_cases(kind, type)) {
        const call_args& c = ec.args;
        EXPECT_EQ(describe(c.lay, c.trans, c.m, c.n, type, c.lda).kind, kind);
        EXPECT_GE(c.lda, c.row_length());
        ms.insert(c.m);
        ns.insert(c.n);
        incx.insert(c.incx);
        incy.insert(c.incy);
        shifts.insert(ec.shift);
        alphas.insert(c.alpha);
        betas.insert(c.beta);
        forms.insert({c.lay, c.trans});
        padded |= c.lda > c.row_length();
        vector_eligible |= ec.shift == 0 && c.lda * size_of(type) % 16 == 0 &&
                           (kind == reduction::across_rows || c.incx == 1);
        nan_y_with_beta_zero |= c.beta == 0.0f && c.alpha != 0.0f;
      }
      for (std::int64_t s : kEdgeSizes) {
        EXPECT_EQ(ms.count(s), 1u) << "m = " << s;
        EXPECT_EQ(ns.count(s), 1u) << "n = " << s;
      }
      EXPECT_EQ(incx, (std::set<std::int64_t>{1, 2, -1, -3}));
      EXPECT_EQ(incy, (std::set<std::int64_t>{1, 2, -1, -3}));
      EXPECT_EQ(alphas, (std::set<float>{0.0f, 1.0f, -0.5f, 2.0f}));
      EXPECT_EQ(betas, (std::set<float>{0.0f, 1.0f, -0.5f, 2.0f}));
      EXPECT_EQ(shifts, (std::set<std::int64_t>{0, 1}));
      EXPECT_EQ(forms.size(), 2u);
      EXPECT_TRUE(padded);
      EXPECT_TRUE(vector_eligible);
      EXPECT_TRUE(nan_y_with_beta_zero);
    }
  }
}

TEST(EdgeCases, SubsamplingKeepsEveryNth) {
  const auto all = edge_cases(reduction::along_rows, dtype::f32);
  const auto some = edge_cases(reduction::along_rows, dtype::f32, 9);
  EXPECT_EQ(some.size(), (all.size() + 8) / 9);
}

}  // namespace
}  // namespace gemv::test
