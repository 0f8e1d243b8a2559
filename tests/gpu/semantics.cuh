#pragma once
// BLAS corner cases on the device: what is read and written when alpha is 0,
// when the reduction or the output is empty, and the quick returns that
// leave y bitwise as it was.

#include "gpu/calls.cuh"
#include "gpu/captured_stream.cuh"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace gemv::test {

/// y values that any arithmetic on them would change bitwise: -0.0 (0 * 0 +
/// 1 * -0.0 is +0.0), a signalling NaN (quieted by any operation), a quiet
/// NaN with a payload, the smallest subnormal (flushed by FTZ arithmetic),
/// +-Inf and an ordinary value.
template <class T>
std::vector<T> fragile_values() {
  std::vector<T> v;
  const auto add = [&](auto bits) {
    static_assert(sizeof(bits) == sizeof(T));
    T t;
    std::memcpy(&t, &bits, sizeof t);
    v.push_back(t);
  };
  if constexpr (std::is_same_v<T, float>) {
    for (std::uint32_t b : {0x80000000u, 0x7f800001u, 0x7fc01234u, 0x00000001u, 0x7f800000u,
                            0xff800000u, 0x3fc00000u})
      add(b);
  } else if constexpr (std::is_same_v<T, __half>) {
    for (std::uint16_t b : {0x8000, 0x7c01, 0x7e33, 0x0001, 0x7c00, 0xfc00, 0x3e00}) add(b);
  } else {
    for (std::uint16_t b : {0x8000, 0x7f81, 0x7fc5, 0x0001, 0x7f80, 0xff80, 0x3fc0}) add(b);
  }
  return v;
}

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

  /// Operands for `c` whose outputs hold fragile_values() in turn, whatever
  /// beta is.
  operands<T> fragile_operands(const call_args& c, std::int64_t shift) {
    call_args with_y = c;
    with_y.beta = 1.0f;  // make_operands fills y only when beta != 0
    operands<T> ops = make_operands<T>(with_y, shift, this->next_seed());
    ops.args = c;
    const std::vector<T> values = fragile_values<T>();
    for (std::int64_t o = 0; o < c.y_len(); ++o) ops.y_at(o) = values[o % values.size()];
    return ops;
  }

  /// Runs a quick-return call every way it can be made (null A and x; the
  /// workspace overload; forced) and expects y bitwise untouched.
  void expect_untouched(const call_args& c, const operands<T>& ops) {
    const expected ref = reference_gemv(ops);
    EXPECT_TRUE(ref.untouched) << "the reference does not see a quick return: " << to_string(c);
    device_operands<T> dev;
    dev.upload(ops);
    EXPECT_TRUE(run_and_check(dev, ops, ref, [&](const T*, const T*, T* y) {
      return call_gemv<T>(c, nullptr, nullptr, y);
    })) << to_string(c);
    EXPECT_TRUE(run_and_check(dev, ops, ref, [&](const T* A, const T* x, T* y) {
      return call_gemv(c, A, x, y, workspace{});
    })) << "workspace overload, " << to_string(c);
    const reduction kind = describe(c.lay, c.trans, c.m, c.n, dtype_of<T>::value, c.lda).kind;
    const policy forced = kind == reduction::along_rows ? policy{kernel_kind::row_warp, 256, 1, 0, 4, 0}
                                                        : policy{kernel_kind::column, 256, 0, 32, 4, 0};
    EXPECT_TRUE(run_and_check(dev, ops, ref, [&](const T* A, const T* x, T* y) {
      return call_forced(forced, c, A, x, y, workspace{});
    })) << "forced, " << to_string(c);
    // Nothing is read or written: every pointer may be null.
    EXPECT_EQ(call_gemv<T>(c, nullptr, nullptr, nullptr), status::success) << to_string(c);
  }
};

TYPED_TEST_SUITE_P(Semantics);

// alpha == 0 and beta != 1: y = beta * y without reading A or x, which may
// be null (y not read when beta == 0). beta == 1 is a quick return.
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

// An empty reduction (n == 0 for op n, m == 0 for op t) is a BLAS quick
// return: y is left bitwise as it was, whatever alpha and beta, and A, x
// and y may be null.
TYPED_TEST_P(Semantics, EmptyReductionLeavesYUntouched) {
  for (float beta : {0.0f, 1.0f, -0.5f, 2.0f}) {
    for (call_args c : this->small_calls(1.0f, beta)) {
      (c.trans == op::n ? c.n : c.m) = 0;
      c.lda = std::max<std::int64_t>(1, c.row_length());
      this->expect_untouched(c, this->fragile_operands(c, 1));
    }
  }
}

// alpha == 0 and beta == 1: a quick return, y bitwise as it was (-0.0 stays
// -0.0, NaN payloads and subnormals stay), A, x and y may be null.
TYPED_TEST_P(Semantics, AlphaZeroBetaOneLeavesYBitwiseUntouched) {
  for (const call_args& c : this->small_calls(0.0f, 1.0f)) {
    this->expect_untouched(c, this->fragile_operands(c, 0));
    this->expect_untouched(c, this->fragile_operands(c, 1));
  }
}

// A quick return makes no CUDA call: captured on a stream, it enqueues
// nothing. A call that computes enqueues its kernels.
TYPED_TEST_P(Semantics, QuickReturnsEnqueueNothing) {
  using T = TypeParam;
  captured_stream stream;
  std::vector<call_args> quick = this->small_calls(0.0f, 1.0f);
  for (call_args c : this->small_calls(2.0f, 0.5f)) {
    (c.trans == op::n ? c.n : c.m) = 0;
    quick.push_back(c);
  }
  for (call_args c : this->small_calls(2.0f, 0.5f)) {
    (c.trans == op::n ? c.m : c.n) = 0;
    quick.push_back(c);
  }
  for (const call_args& c : quick) {
    status s = status::invalid_plan;
    const std::size_t nodes = stream.count_enqueued(
        [&](cudaStream_t st) { return call_gemv<T>(c, nullptr, nullptr, nullptr, st); }, s);
    EXPECT_EQ(s, status::success) << to_string(c);
    EXPECT_EQ(nodes, 0u) << to_string(c);
  }
  const call_args computes = this->small_calls(2.0f, 0.5f).front();
  const operands<T> ops = make_operands<T>(computes, 0, this->next_seed());
  device_operands<T> dev;
  dev.upload(ops);
  // Run once outside the capture: the first call of a process queries the device.
  ASSERT_TRUE(run_and_check(dev, ops, reference_gemv(ops), [&](const T* A, const T* x, T* y) {
    return call_gemv(computes, A, x, y, workspace{});
  }));
  status s = status::invalid_plan;
  const std::size_t nodes = stream.count_enqueued(
      [&](cudaStream_t st) { return call_gemv(computes, dev.A(), dev.x(), dev.y(), workspace{}, st); },
      s);
  EXPECT_EQ(s, status::success);
  EXPECT_GE(nodes, 1u) << "a call that computes enqueued nothing: the capture sees no kernels";
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

REGISTER_TYPED_TEST_SUITE_P(Semantics, AlphaZeroReadsNeitherAnorX, EmptyReductionLeavesYUntouched,
                            AlphaZeroBetaOneLeavesYBitwiseUntouched, QuickReturnsEnqueueNothing,
                            NoOutputsTouchesNothing);

}  // namespace gemv::test
