#pragma once
// Exact arithmetic: integer-valued problems (support/exact.hpp) whose every
// correct evaluation gives the reference exactly, run through every kernel
// family and the default dispatch on the edge shapes, and compared exactly.
// The tolerance of the other suites grows with the reduction length (a lost
// term can hide in it at 2^20 terms); here a dropped, doubled or misplaced
// term is a wrong bit at any length.

#include "gpu/calls.cuh"
#include "gpu/policies.hpp"
#include "support/exact.hpp"

#include <vector>

namespace gemv::test {

template <class T>
class ExactArithmetic : public gpu_test<T> {
 protected:
  /// Runs each policy (or, with none, the default dispatch) on every exact
  /// case of `kind` and compares every output exactly. As in the forced
  /// suite, each call that computes must run its forced policy, every policy
  /// must run, and both the 16-byte and the element-wise path (and a split,
  /// when expected) must be taken.
  void run_exact(const std::vector<policy>& policies, reduction kind, bool expect_split = false) {
    device_operands<T> dev;
    failure_budget budget;
    int vectorized = 0, scalar = 0, split = 0;
    const bool dispatch = policies.empty();
    const std::size_t runs = dispatch ? 1 : policies.size();
    std::vector<int> ran_forced(runs, 0);
    for (const edge_case& ec : exact_cases(kind, dtype_of<T>::value)) {
      const operands<T> ops = make_exact_operands<T>(ec.args, ec.shift, this->next_seed());
      const expected ref = reference_gemv(ops);
      const bool computes = ec.args.alpha != 0.0f;
      dev.upload(ops);
      for (std::size_t p = 0; p < runs; ++p) {
        plan ran;
        auto result = run_and_check_exact(dev, ops, ref, [&](const T* A, const T* x, T* y) {
          if (dispatch) {
            const call_args& c = ops.args;
            const status s = call_choose_plan(c, A, x, y, ran);
            return s != status::success ? s : call_gemv(c, A, x, y);
          }
          return call_forced(policies[p], ops.args, A, x, y, this->full_workspace(), &ran);
        });
        if (result && computes && !dispatch && !runs_policy(ran, policies[p]))
          result = testing::AssertionFailure() << "the plan that ran is not the forced policy";
        if (result && computes) {
          ++ran_forced[p];
          (ran.vectorized ? vectorized : scalar)++;
          split += ran.splits > 1;
        }
        if (result) continue;
        ADD_FAILURE() << to_string(ops.args) << " shift=" << ops.shift << "\n  "
                      << (dispatch ? "default dispatch" : "forced " + to_string(policies[p]))
                      << "\n  ran " << to_string(ran) << "\n  " << result.message();
        if (!budget.spend()) return;
      }
    }
    for (std::size_t p = 0; p < runs; ++p)
      EXPECT_GT(ran_forced[p], 0) << (dispatch ? "the dispatch" : to_string(policies[p]))
                                  << " never computed";
    EXPECT_GT(vectorized, 0) << "no case took the 16-byte path";
    EXPECT_GT(scalar, 0) << "no case took the element-wise path";
    if (expect_split) EXPECT_GT(split, 0) << "no case split the reduction";
  }
};

TYPED_TEST_SUITE_P(ExactArithmetic);

TYPED_TEST_P(ExactArithmetic, ExactRowWarp) {
  this->run_exact(row_warp_policies(), reduction::along_rows);
}

TYPED_TEST_P(ExactArithmetic, ExactRowBlock) {
  this->run_exact(row_block_policies(), reduction::along_rows);
}

TYPED_TEST_P(ExactArithmetic, ExactRowSplitK) {
  this->run_exact(row_split_k_policies(), reduction::along_rows, /*expect_split=*/true);
}

TYPED_TEST_P(ExactArithmetic, ExactRowSubwarp) {
  this->run_exact(row_subwarp_policies(), reduction::along_rows);
}

TYPED_TEST_P(ExactArithmetic, ExactColumn) {
  this->run_exact(column_policies(), reduction::across_rows, /*expect_split=*/true);
}

TYPED_TEST_P(ExactArithmetic, ExactDefaultDispatch) {
  this->run_exact({}, reduction::along_rows);
  this->run_exact({}, reduction::across_rows, /*expect_split=*/true);
}

REGISTER_TYPED_TEST_SUITE_P(ExactArithmetic, ExactRowWarp, ExactRowBlock, ExactRowSplitK,
                            ExactRowSubwarp, ExactColumn, ExactDefaultDispatch);

}  // namespace gemv::test
