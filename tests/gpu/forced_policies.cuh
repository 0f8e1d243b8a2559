#pragma once
// Every kernel family, forced through gemv_with_policy, on the edge cases:
// sizes around warp and vector boundaries, misaligned operands, padded lda,
// strided and reversed x and y, every alpha and beta, both layouts and ops.
// A type-parameterised suite: each element type instantiates it in its own
// translation unit (see f32_test.cu).

#include "gpu/calls.cuh"
#include "gpu/policies.hpp"
#include "support/edge_cases.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace gemv::test {

template <class T>
class ForcedPolicies : public gpu_test<T> {
 protected:
  /// Runs each policy on each case: fresh operands per case, y reset (poison
  /// included) before each run, A and x checked unchanged after it. Every
  /// call that computes a product must run the forced policy (runs_policy),
  /// and every policy must run at least once. Also checks that both the
  /// 16-byte and the element-wise path of the family ran, and a split (or
  /// the staged kernel) when one is expected.
  void run_all(const std::vector<policy>& policies, const std::vector<edge_case>& cases,
               bool expect_split = false, bool expect_staged = false) {
    device_operands<T> dev;
    failure_budget budget;
    int vectorized = 0, scalar = 0, split = 0, staged = 0;
    std::vector<int> ran_forced(policies.size(), 0);
    for (const edge_case& ec : cases) {
      const operands<T> ops = make_operands<T>(ec.args, ec.shift, this->next_seed());
      const expected ref = reference_gemv(ops);
      const bool computes = ec.args.alpha != 0.0f && ec.args.m > 0 && ec.args.n > 0;
      dev.upload(ops);
      for (std::size_t p = 0; p < policies.size(); ++p) {
        const policy& pol = policies[p];
        plan ran;
        auto result = run_and_check(dev, ops, ref, [&](const T* A, const T* x, T* y) {
          return call_forced(pol, ops.args, A, x, y, this->full_workspace(), &ran);
        });
        if (result && computes && !runs_policy(ran, pol))
          result = testing::AssertionFailure() << "the plan that ran is not the forced policy";
        if (result && computes) {
          ++ran_forced[p];
          (ran.vectorized ? vectorized : scalar)++;
          split += ran.splits > 1;
          staged += ran.staged;
        }
        if (result) continue;
        ADD_FAILURE() << to_string(ops.args) << " shift=" << ops.shift << "\n  forced "
                      << to_string(pol) << "\n  ran " << to_string(ran) << "\n  " << result.message();
        if (!budget.spend()) return;
      }
    }
    for (std::size_t p = 0; p < policies.size(); ++p)
      EXPECT_GT(ran_forced[p], 0) << to_string(policies[p]) << " never ran";
    EXPECT_GT(vectorized, 0) << "no case took the 16-byte path";
    EXPECT_GT(scalar, 0) << "no case took the element-wise path";
    if (expect_split) EXPECT_GT(split, 0) << "no case split the reduction";
    if (expect_staged) EXPECT_GT(staged, 0) << "no case ran the staged kernel";
  }

  /// Forcing `pol` on `args` is refused with invalid_plan, and y is untouched.
  void expect_invalid_plan(const policy& pol, const call_args& args) {
    const operands<T> ops = make_operands<T>(args, 0, this->next_seed());
    device_operands<T> dev;
    dev.upload(ops);
    EXPECT_EQ(call_forced(pol, args, dev.A(), dev.x(), dev.y(), this->full_workspace()),
              status::invalid_plan)
        << to_string(pol) << " on " << to_string(args);
    GEMV_CUDA_CHECK(cudaDeviceSynchronize());
    const std::vector<T> after = dev.y_buffer();
    for (std::size_t i = 0; i < after.size(); ++i)
      ASSERT_TRUE(same_bits(after[i], ops.y[i])) << "y written by a rejected call, at " << i;
  }

  static std::vector<edge_case> cases(reduction kind, int every = 1) {
    return edge_cases(kind, dtype_of<T>::value, every);
  }
};

TYPED_TEST_SUITE_P(ForcedPolicies);

TYPED_TEST_P(ForcedPolicies, RowWarp) {
  this->run_all(row_warp_policies(), this->cases(reduction::along_rows));
}

TYPED_TEST_P(ForcedPolicies, RowBlock) {
  this->run_all(row_block_policies(), this->cases(reduction::along_rows));
}

TYPED_TEST_P(ForcedPolicies, RowSplitK) {
  this->run_all(row_split_k_policies(), this->cases(reduction::along_rows), /*expect_split=*/true);
}

TYPED_TEST_P(ForcedPolicies, RowSubwarp) {
  // Misaligned short rows stored back to back run the staged kernel.
  this->run_all(row_subwarp_policies(), this->cases(reduction::along_rows), false,
                /*expect_staged=*/true);
}

TYPED_TEST_P(ForcedPolicies, Column) {
  this->run_all(column_policies(), this->cases(reduction::across_rows), /*expect_split=*/true);
}

// The policies the dispatch itself uses, whatever card runs the test.
TYPED_TEST_P(ForcedPolicies, EveryTuningTablePolicy) {
  for (const tuning::table* t : tuning::all_tables) {
    SCOPED_TRACE(t->name);
    policy split = t->row_block;  // how make_plan runs split-K
    split.kernel = kernel_kind::row_split_k;
    this->run_all({t->row_warp, t->row_block, split, t->row_subwarp},
                  this->cases(reduction::along_rows, 7));
    this->run_all({t->column, t->column_whole}, this->cases(reduction::across_rows, 7));
  }
}

// is_supported() is the contract of gemv_with_policy: a supported policy runs
// (and the plan that ran is that policy), anything else is invalid_plan.
// Blocks of 32 to 1024 threads and the largest each family accepts, for
// every compiled tile shape.
TYPED_TEST_P(ForcedPolicies, EverySupportedBlockSizeRuns) {
  using k = kernel_kind;
  std::vector<int> block_sizes = {32, 96, 256, 512, 768, 1024};
  const reduction along_rows = reduction::along_rows;
  for (policy largest : {with_largest_block({k::row_warp, 0, 1, 0, 2, 0}, along_rows),
                         with_largest_block({k::row_block, 0, 1, 0, 2, 0}, along_rows),
                         with_largest_block({k::row_split_k, 0, 1, 0, 2, 0}, along_rows),
                         with_largest_block({k::row_subwarp, 0, 0, 1, 2, 0}, along_rows),
                         with_largest_block({k::column, 0, 0, 1, 2, 0}, reduction::across_rows)}) {
    ASSERT_GE(largest.threads, 32) << to_string(largest.kernel) << " accepts no block size";
    block_sizes.push_back(largest.threads);
  }
  std::sort(block_sizes.begin(), block_sizes.end());
  block_sizes.erase(std::unique(block_sizes.begin(), block_sizes.end()), block_sizes.end());
  std::vector<policy> along, across;
  for (int threads : block_sizes) {
    for (int unroll : {2, 4}) {
      for (int rows : {1, 2, 4})
        for (k kind : {k::row_warp, k::row_block, k::row_split_k})
          along.push_back({kind, threads, rows, 0, unroll, 0});
      for (int lanes : {1, 2, 4, 8, 16}) along.push_back({k::row_subwarp, threads, 0, lanes, unroll, 0});
    }
    for (int unroll : {2, 4, 8})
      for (int lanes : {1, 2, 4, 8, 16, 32}) across.push_back({k::column, threads, 0, lanes, unroll, 0});
  }
  // One aligned (16-byte loads) and one misaligned case per reduction.
  const auto pick = [&](reduction kind) {
    std::vector<edge_case> v;
    for (const edge_case& ec : this->cases(kind))
      if (ec.args.m == 1000 && ec.args.n == 4097 && ec.args.alpha != 0.0f) v.push_back(ec);
    return v;
  };
  for (auto [kind, policies] : {std::pair{reduction::along_rows, along},
                                std::pair{reduction::across_rows, across}}) {
    std::vector<policy> supported;
    for (const policy& pol : policies) {
      if (is_supported(pol, kind)) {
        supported.push_back(pol);
        continue;
      }
      this->expect_invalid_plan(pol, pick(kind).front().args);
    }
    this->run_all(supported, pick(kind));
  }
}

// A 1-row block reads a misaligned row from its first 16-byte boundary and
// pairs each of A's vectors with x element by element, or joins them to meet
// x's own vectors (kernels/row_dot.cuh): x at every element offset from A's
// 16-byte grid, independently of A, on rows of every misalignment (lda =
// n + 1), long enough for full and guarded steps, whole and split. x ends at
// its buffer's end, so a read past it leaves the allocation
// (compute-sanitizer).
TYPED_TEST_P(ForcedPolicies, RowBlockPairsXAtEveryOffsetFromA) {
  using T = TypeParam;
  using k = kernel_kind;
  constexpr std::int64_t W = 16 / sizeof(T);
  // 32-thread blocks of four loads walk a row (or a half) in 16 steps or
  // more: joined for every type (joins_vectors).
  const std::vector<policy> policies = {{k::row_block, 64, 1, 0, 2, 0},
                                        {k::row_block, 256, 1, 0, 4, 0},
                                        {k::row_block, 32, 1, 0, 4, 0},
                                        {k::row_split_k, 128, 1, 0, 4, 3},
                                        {k::row_split_k, 32, 1, 0, 4, 2}};
  device_operands<T> dev;
  failure_budget budget;
  int joined = 0, from_boundary = 0;
  for (std::int64_t a_shift = 0; a_shift < W; ++a_shift) {
    for (std::int64_t x_shift = 0; x_shift < W; ++x_shift) {
      call_args c;
      c.m = W + 1;
      c.n = 4 * 256 * 4 * W + 5 * W + 3;  // 4 full steps of 256 x 4 vectors
      c.lda = c.n + 1;
      c.alpha = 1.5f;
      c.beta = 0.5f;
      const operands<T> ops = make_operands<T>(c, a_shift, this->next_seed(), {}, x_shift,
                                               /*x_trail=*/0);
      const expected ref = reference_gemv(ops);
      dev.upload(ops);
      for (const policy& pol : policies) {
        plan ran;
        const auto result = run_and_check(dev, ops, ref, [&](const T* A, const T* x, T* y) {
          return call_forced(pol, c, A, x, y, this->full_workspace(), &ran);
        });
        joined += ran.joined;
        from_boundary += !ran.vectorized && !ran.joined;
        if (result) continue;
        ADD_FAILURE() << to_string(c) << " A shift " << a_shift << ", x shift " << x_shift
                      << "\n  forced " << to_string(pol) << "\n  " << result.message();
        if (!budget.spend()) return;
      }
    }
  }
  // Both element-wise ways of a 1-row block ran: x joined in vectors (four
  // loads a thread) and x element by element (two).
  EXPECT_GT(joined, 0);
  EXPECT_GT(from_boundary, 0);
}

TYPED_TEST_P(ForcedPolicies, UnsupportedPoliciesAreInvalidPlans) {
  using k = kernel_kind;
  call_args along;
  along.m = 64;
  along.n = 256;
  along.lda = 256;
  along.beta = 1.0f;
  call_args across = along;
  across.trans = op::t;
  const policy bad_along[] = {
      {k::column, 256, 0, 32, 4, 0},       // a column policy for an along_rows problem
      {k::row_warp, 256, 3, 0, 4, 0},      // rows
      {k::row_block, 256, 1, 0, 3, 0},     // unroll
      {k::row_subwarp, 256, 0, 32, 2, 0},  // lanes
      {k::row_warp, 48, 1, 0, 4, 0},       // threads not a multiple of 32
      {k::row_warp, 2048, 1, 0, 4, 0},     // more threads than a block holds
      {k::row_split_k, 256, 1, 0, 4, -2},  // splits
      {k::scale_only, 256, 0, 0, 0, 0},    // computes no product
  };
  for (const policy& pol : bad_along) this->expect_invalid_plan(pol, along);
  this->expect_invalid_plan({k::row_warp, 256, 1, 0, 4, 0}, across);
  this->expect_invalid_plan({k::column, 256, 0, 24, 4, 0}, across);
  this->expect_invalid_plan({k::column, 96, 0, 64, 4, 0}, across);
}

REGISTER_TYPED_TEST_SUITE_P(ForcedPolicies, RowWarp, RowBlock, RowSplitK, RowSubwarp, Column,
                            EveryTuningTablePolicy, EverySupportedBlockSizeRuns,
                            RowBlockPairsXAtEveryOffsetFromA, UnsupportedPoliciesAreInvalidPlans);

}  // namespace gemv::test
