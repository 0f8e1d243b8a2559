#pragma once
// The same call gives the same bits every time, split plans included: the
// pieces of a split reduction are added in a fixed order, never by atomics.

#include "gpu/calls.cuh"

#include <cstring>
#include <vector>

namespace gemv::test {

template <class T>
class Determinism : public gpu_test<T> {
 protected:
  /// Runs `launch` three times on the same operands (y reset before each)
  /// and expects bitwise identical y buffers, and the first one correct.
  template <class Launch>
  void expect_repeatable(const operands<T>& ops, Launch&& launch, const char* what) {
    device_operands<T> dev;
    dev.upload(ops);
    const expected ref = reference_gemv(ops);
    std::vector<T> first, again;
    ASSERT_TRUE(run_and_check(dev, ops, ref, launch, &first)) << what;
    for (int run = 0; run < 2; ++run) {
      ASSERT_TRUE(run_and_check(dev, ops, ref, launch, &again)) << what;
      ASSERT_EQ(std::memcmp(first.data(), again.data(), first.size() * sizeof(T)), 0)
          << what << ": run " << run + 2 << " differs from run 1";
    }
  }
};

TYPED_TEST_SUITE_P(Determinism);

TYPED_TEST_P(Determinism, DefaultPlans) {
  using T = TypeParam;
  const call_args cases[] = {
      packed_call(layout::row_major, op::n, 1, 1 << 22, 0.0f),   // split-K, many pieces
      packed_call(layout::row_major, op::n, 96, 1 << 18, 1.0f),  // split-K, few pieces
      packed_call(layout::row_major, op::t, 8192, 64, 2.0f),     // column, split rows
      packed_call(layout::col_major, op::n, 3000, 20000, 0.0f),  // column
      packed_call(layout::row_major, op::n, 4096, 4096, -0.5f),  // row_warp
      packed_call(layout::row_major, op::n, 100000, 64, 0.0f),   // row_subwarp
  };
  for (const call_args& c : cases) {
    const operands<T> ops = make_operands<T>(c, 0, this->next_seed());
    this->expect_repeatable(
        ops, [&](const T* A, const T* x, T* y) { return call_gemv(c, A, x, y); },
        to_string(c).c_str());
    // The graph-safe overload runs the same plan: the same bits again.
    std::vector<T> library, caller;
    device_operands<T> dev;
    dev.upload(ops);
    const expected ref = reference_gemv(ops);
    ASSERT_TRUE(run_and_check(dev, ops, ref, [&](const T* A, const T* x, T* y) {
      return call_gemv(c, A, x, y);
    }, &library));
    ASSERT_TRUE(run_and_check(dev, ops, ref, [&](const T* A, const T* x, T* y) {
      return call_gemv(c, A, x, y, this->full_workspace());
    }, &caller));
    EXPECT_EQ(std::memcmp(library.data(), caller.data(), library.size() * sizeof(T)), 0)
        << to_string(c);
  }
}

TYPED_TEST_P(Determinism, ForcedSplitPlans) {
  using T = TypeParam;
  call_args along = packed_call(layout::row_major, op::n, 33, 100003, 2.0f);
  along.lda = 100010;
  along.incx = -3;
  call_args across = packed_call(layout::col_major, op::n, 129, 40000, -0.5f);
  across.incy = 2;
  const struct {
    call_args c;
    policy pol;
  } cases[] = {
      {along, {kernel_kind::row_split_k, 256, 2, 0, 4, 7}},
      {along, {kernel_kind::row_split_k, 512, 1, 0, 2, 0}},
      {across, {kernel_kind::column, 128, 0, 8, 4, 3}},
      {across, {kernel_kind::column, 256, 0, 32, 4, 0}},
  };
  for (const auto& forced : cases) {
    for (std::int64_t shift : {0, 1}) {
      const operands<T> ops = make_operands<T>(forced.c, shift, this->next_seed());
      this->expect_repeatable(
          ops,
          [&](const T* A, const T* x, T* y) {
            return call_forced(forced.pol, forced.c, A, x, y, this->full_workspace());
          },
          (to_string(forced.c) + " " + to_string(forced.pol)).c_str());
    }
  }
}

REGISTER_TYPED_TEST_SUITE_P(Determinism, DefaultPlans, ForcedSplitPlans);

}  // namespace gemv::test
