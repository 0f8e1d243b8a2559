#pragma once
// BLAS corner cases on the device: what is read and written when alpha is 0,
// when the reduction or the output is empty.

#include "gpu/calls.cuh"

#include <vector>

namespace gemv::test {

template <class T>
class Semantics : public gpu_test<T> {
 protected:
  /// A 5 x 7 call in each layout and op, with the given coefficients and a
  /// strided, reversed y.
  static std::vector<call_args> small_calls(float alpha, float beta) {
    std::vector<call_args> v;
    for (layout lay : {layout::row_major, layout::col_major}) {
      for (op trans : {op::n, op::t}) {
        call_args c = packed_call(lay, trans, 5, 7, beta);
        c.incy = -3;
        c.alpha = alpha;
        v.push_back(c);
      }
    }
    return v;
  }
};

TYPED_TEST_SUITE_P(Semantics);

// alpha == 0: y = beta * y without reading A or x, which may be null.
TYPED_TEST_P(Semantics, AlphaZeroReadsNeitherAnorX) {
  using T = TypeParam;
  device_operands<T> dev;
  for (float beta : {0.0f, 1.0f, -0.5f, 2.0f}) {
    for (const call_args& c : this->small_calls(0.0f, beta)) {
      const operands<T> ops = make_operands<T>(c, 0, this->next_seed());
      dev.upload(ops);
      EXPECT_TRUE(run_and_check(dev, ops, reference_gemv(ops), [&](const T*, const T*, T* y) {
        return call_gemv<T>(c, nullptr, nullptr, y);
      })) << to_string(c);
      EXPECT_TRUE(run_and_check(dev, ops, reference_gemv(ops), [&](const T*, const T*, T* y) {
        return call_forced<T>(policy{kernel_kind::row_warp, 256, 1, 0, 4, 0}, c, nullptr, nullptr,
                              y, this->full_workspace());
      })) << "forced, " << to_string(c);
    }
  }
}

// An empty reduction (n == 0 for op n, m == 0 for op t) leaves
// y = beta * y: the library's documented choice (README), where reference
// BLAS would return without touching y.
TYPED_TEST_P(Semantics, EmptyReductionScalesY) {
  using T = TypeParam;
  device_operands<T> dev;
  for (float beta : {0.0f, 1.0f, -0.5f, 2.0f}) {
    for (call_args c : this->small_calls(1.0f, beta)) {
      (c.trans == op::n ? c.n : c.m) = 0;
      c.lda = std::max<std::int64_t>(1, c.row_length());
      const operands<T> ops = make_operands<T>(c, 1, this->next_seed());
      dev.upload(ops);
      EXPECT_TRUE(run_and_check(dev, ops, reference_gemv(ops), [&](const T*, const T*, T* y) {
        return call_gemv<T>(c, nullptr, nullptr, y);
      })) << to_string(c);
    }
  }
}

// No outputs (m == 0 for op n, n == 0 for op t): nothing is read or written,
// every pointer may be null.
TYPED_TEST_P(Semantics, NoOutputsTouchesNothing) {
  using T = TypeParam;
  device_operands<T> dev;
  for (call_args c : this->small_calls(1.0f, 2.0f)) {
    (c.trans == op::n ? c.m : c.n) = 0;
    c.lda = std::max<std::int64_t>(1, c.row_length());
    EXPECT_EQ(call_gemv<T>(c, nullptr, nullptr, nullptr), status::success);
    const operands<T> ops = make_operands<T>(c, 0, this->next_seed());
    dev.upload(ops);
    EXPECT_TRUE(run_and_check(dev, ops, reference_gemv(ops), [&](const T* A, const T* x, T* y) {
      return call_gemv(c, A, x, y, workspace{});
    })) << to_string(c);
  }
}

REGISTER_TYPED_TEST_SUITE_P(Semantics, AlphaZeroReadsNeitherAnorX, EmptyReductionScalesY,
                            NoOutputsTouchesNothing);

}  // namespace gemv::test
