#pragma once
// The same call gives the same bits every time, split plans included: the
// pieces of a split reduction are added in a fixed order, never by atomics.

#include "gpu/calls.cuh"
#include "gpu/policies.hpp"

#include <cstring>
#include <string>
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

// Each case names the family the dispatch gives it on any card, and the
// test asserts that family (and the split) from the plan chosen.
TYPED_TEST_P(Determinism, DefaultPlans) {
  using T = TypeParam;
  using k = kernel_kind;
  // Rows of 640 bytes: past the sub-warp rows (256 bytes), within the warp
  // rows (1024 bytes) of every tuning table.
  const std::int64_t warp_row = 640 / static_cast<std::int64_t>(sizeof(T));
  const struct {
    call_args c;
    kernel_kind kernel;
    bool split;
  } cases[] = {
      {packed_call(layout::row_major, op::n, 1, 1 << 22, 0.0f), k::row_split_k, true},   // many pieces
      {packed_call(layout::row_major, op::n, 96, 1 << 18, 1.0f), k::row_split_k, true},  // few pieces
      {packed_call(layout::row_major, op::t, 8192, 64, 2.0f), k::column, true},          // split rows
      {packed_call(layout::col_major, op::n, 1000, 20000, 0.0f), k::column, true},       // few outputs
      {packed_call(layout::row_major, op::n, 4096, 4096, -0.5f), k::row_block, false},
      {packed_call(layout::row_major, op::n, 8192, warp_row, -0.5f), k::row_warp, false},
      {packed_call(layout::row_major, op::n, 100000, 64, 0.0f), k::row_subwarp, false},
  };
  for (const auto& expect : cases) {
    const call_args& c = expect.c;
    const operands<T> ops = make_operands<T>(c, 0, this->next_seed());
    device_operands<T> dev;
    dev.upload(ops);
    plan chosen;
    ASSERT_EQ(call_choose_plan<T>(c, dev.A(), dev.x(), dev.y(), chosen), status::success);
    EXPECT_EQ(chosen.pol.kernel, expect.kernel) << to_string(c) << ": " << to_string(chosen);
    EXPECT_EQ(chosen.splits > 1, expect.split) << to_string(c) << ": " << to_string(chosen);
    this->expect_repeatable(
        ops, [&](const T* A, const T* x, T* y) { return call_gemv(c, A, x, y); },
        to_string(c).c_str());
    // The graph-safe overload runs the same plan: the same bits again.
    std::vector<T> library, caller;
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
      const std::string what = to_string(forced.c) + " " + to_string(forced.pol);
      plan ran;
      this->expect_repeatable(
          ops,
          [&](const T* A, const T* x, T* y) {
            return call_forced(forced.pol, forced.c, A, x, y, this->full_workspace(), &ran);
          },
          what.c_str());
      EXPECT_TRUE(runs_policy(ran, forced.pol)) << what << "\n  ran " << to_string(ran);
      EXPECT_GT(ran.splits, 1) << what << "\n  ran " << to_string(ran);
    }
  }
}

REGISTER_TYPED_TEST_SUITE_P(Determinism, DefaultPlans, ForcedSplitPlans);

}  // namespace gemv::test
