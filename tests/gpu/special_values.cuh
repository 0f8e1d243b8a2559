#pragma once
// IEEE special values as BLAS (and cuBLAS) give them: an infinite product
// stays infinite, Inf - Inf and NaN give NaN, a finite sum past T's range is
// infinite, subnormals count, zeros stay zero. Each test plants the values
// in an exact problem (support/exact.hpp), so every other output is exact
// too, and runs it through every kernel family (split plans included) and
// the default dispatch, in both layouts and ops, aligned and misaligned.
// The reference is IEEE arithmetic in double, rounded once to T.

#include "gpu/calls.cuh"
#include "support/exact.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace gemv::test {

/// One way of running a problem: a forced policy, or the default dispatch.
struct special_run {
  reduction kind;
  bool dispatch = false;
  policy forced{};
};

/// A policy of every family (two tile shapes each, one with the largest
/// rows per warp or block), explicit and automatic splits, and the default
/// dispatch for each reduction.
inline std::vector<special_run> special_runs() {
  using k = kernel_kind;
  const reduction along = reduction::along_rows, across = reduction::across_rows;
  return {{along, false, {k::row_warp, 128, 1, 0, 4, 0}},
          {along, false, {k::row_warp, 64, 4, 0, 2, 0}},
          {along, false, {k::row_block, 256, 1, 0, 4, 0}},
          {along, false, {k::row_block, 128, 4, 0, 2, 0}},
          {along, false, {k::row_split_k, 128, 1, 0, 4, 3}},
          {along, false, {k::row_split_k, 64, 2, 0, 2, 0}},
          {along, false, {k::row_subwarp, 128, 0, 4, 2, 0}},
          {along, false, {k::row_subwarp, 256, 0, 16, 4, 0}},
          {across, false, {k::column, 128, 0, 16, 4, 0}},
          {across, false, {k::column, 256, 0, 8, 4, 3}},
          {along, true, {}},
          {across, true, {}}};
}

/// Reduction lengths of the special problems: long rows, and rows short
/// enough for the staged sub-warp kernel when misaligned.
inline constexpr std::int64_t kSpecialLengths[] = {1003, 40};
inline constexpr std::int64_t kSpecialOutputs = 12;

/// Where output o's planted values go along its reduction of `length`:
/// the ends, both sides of a 16-byte vector, the middle.
inline std::int64_t spot(std::int64_t o, std::int64_t length, std::int64_t vector) {
  const std::int64_t spots[] = {0, length - 1, vector - 1, vector, length / 2, 1, length - 2};
  return spots[o % 7];
}

template <class T>
class SpecialValues : public gpu_test<T> {
 protected:
  static constexpr std::int64_t kVector = 16 / sizeof(T);

  static T value(double v) { return from_double<T>(v); }
  static double sign(T v) { return std::signbit(to_double(v)) ? -1.0 : 1.0; }

  /// Runs every special run on every case, with `plant(ops)` changing the
  /// exact operands first, and checks every output exactly (NaN as NaN).
  template <class Plant>
  void run_special(float alpha, float beta, Plant&& plant) {
    failure_budget budget;
    for (const special_run& run : special_runs()) {
      const bool along = run.kind == reduction::along_rows;
      const std::pair<layout, op> forms[] = {{layout::row_major, along ? op::n : op::t},
                                             {layout::col_major, along ? op::t : op::n}};
      for (auto [lay, trans] : forms) {
        for (std::int64_t length : kSpecialLengths) {
          for (std::int64_t shift : {0, 1}) {
            call_args c;
            c.lay = lay;
            c.trans = trans;
            (trans == op::n ? c.m : c.n) = kSpecialOutputs;
            (trans == op::n ? c.n : c.m) = length;
            const std::int64_t row = c.row_length();
            c.lda = shift == 0 ? (row + kVector - 1) / kVector * kVector : row + 1;
            c.incx = shift == 0 ? 1 : -2;
            c.incy = shift == 0 ? 1 : -3;
            c.alpha = alpha;
            c.beta = beta;
            operands<T> ops = make_exact_operands<T>(c, shift, this->next_seed());
            plant(ops);
            const expected ref = reference_gemv(ops);
            device_operands<T> dev;
            dev.upload(ops);
            plan ran;
            const auto result = run_and_check_exact(dev, ops, ref, [&](const T* A, const T* x, T* y) {
              if (run.dispatch) return call_gemv(c, A, x, y);
              return call_forced(run.forced, c, A, x, y, this->full_workspace(), &ran);
            });
            if (result) continue;
            ADD_FAILURE() << to_string(c) << " shift=" << shift << "\n  "
                          << (run.dispatch ? std::string("default dispatch")
                                           : "forced " + to_string(run.forced) + "\n  ran " +
                                                 to_string(ran))
                          << "\n  " << result.message();
            if (!budget.spend()) return;
          }
        }
      }
    }
  }
};

TYPED_TEST_SUITE_P(SpecialValues);

// One +Inf or -Inf in A, every other element finite: the output is +-Inf
// (the sign of that product and of alpha), beta * y or not.
TYPED_TEST_P(SpecialValues, InfInAGivesSignedInf) {
  using T = TypeParam;
  const auto plant = [](operands<T>& ops) {
    const std::int64_t length = ops.args.x_len();
    for (std::int64_t o = 0; o < ops.args.y_len(); ++o) {
      if (o % 3 == 0) continue;  // stays finite
      const double inf = o % 3 == 1 ? HUGE_VAL : -HUGE_VAL;
      ops.a_at(o, spot(o, length, TestFixture::kVector)) = TestFixture::value(inf);
    }
  };
  this->run_special(1.0f, 0.0f, plant);
  this->run_special(-0.5f, 2.0f, plant);
}

// One +Inf or -Inf in x: every output (A has no zeros) is +-Inf.
TYPED_TEST_P(SpecialValues, InfInXGivesSignedInf) {
  using T = TypeParam;
  for (double inf : {HUGE_VAL, -HUGE_VAL}) {
    for (float beta : {0.0f, 2.0f}) {
      this->run_special(1.0f, beta, [&](operands<T>& ops) {
        ops.x_at(spot(3, ops.args.x_len(), TestFixture::kVector)) = TestFixture::value(inf);
      });
    }
  }
}

// An Inf and a -Inf product in one output give NaN. beta != 0 with finite
// y, so an output never written (poison, a NaN when beta == 0) cannot pass.
TYPED_TEST_P(SpecialValues, OppositeInfinitiesGiveNaN) {
  using T = TypeParam;
  this->run_special(1.0f, 2.0f, [](operands<T>& ops) {
    const std::int64_t length = ops.args.x_len();
    for (std::int64_t o = 1; o < ops.args.y_len(); o += 2) {
      const std::int64_t r1 = spot(o, length, TestFixture::kVector);
      const std::int64_t r2 = spot(o + 3, length, TestFixture::kVector);
      ops.a_at(o, r1) = TestFixture::value(HUGE_VAL * TestFixture::sign(ops.x_at(r1)));
      ops.a_at(o, r2) = TestFixture::value(-HUGE_VAL * TestFixture::sign(ops.x_at(r2)));
    }
  });
}

// A NaN in a row of A, in x, or in y (beta != 0) makes its outputs NaN.
TYPED_TEST_P(SpecialValues, NaNPropagates) {
  using T = TypeParam;
  const T nan = TestFixture::value(std::numeric_limits<double>::quiet_NaN());
  this->run_special(1.0f, 2.0f, [&](operands<T>& ops) {
    const std::int64_t length = ops.args.x_len();
    for (std::int64_t o = 1; o < ops.args.y_len(); o += 3) ops.a_at(o, spot(o, length, TestFixture::kVector)) = nan;
    ops.y_at(2) = nan;
  });
  this->run_special(-0.5f, 2.0f, [&](operands<T>& ops) {
    ops.x_at(spot(5, ops.args.x_len(), TestFixture::kVector)) = nan;
  });
}

// Finite inputs whose exact result is past T's largest finite value give
// +-Inf, as converting the exact value to T does: a row of same-signed
// products that adds up past it (for float and bfloat16 the float sum
// overflows on the way), and one product that alpha = 4 scales past it.
TYPED_TEST_P(SpecialValues, OverflowGivesInf) {
  using T = TypeParam;
  // 2^e_max: the largest power of two T holds (2^15 for half, 2^127 else).
  const int e_max = std::ilogb(element<T>::max);
  this->run_special(1.0f, 0.0f, [&](operands<T>& ops) {
    const std::int64_t length = ops.args.x_len();
    // Products of M to 2M, M = 2^(e_max + 1) / 2^floor(log2 length): the
    // row adds up to at least 2^(e_max + 1), past the largest finite value.
    const double M = std::ldexp(1.0, e_max + 1 - std::ilogb(static_cast<double>(length)));
    for (std::int64_t o = 1; o < ops.args.y_len(); o += 2) {
      const double s = o % 4 == 1 ? 1.0 : -1.0;
      for (std::int64_t r = 0; r < length; ++r)
        ops.a_at(o, r) = TestFixture::value(s * M * TestFixture::sign(ops.x_at(r)));
    }
  });
  this->run_special(4.0f, 0.0f, [&](operands<T>& ops) {
    // One product of 2^(e_max - 1) to 2^e_max, finite; times alpha = 4 it is
    // past T's range. The rest of the row is zero. Every other output stays
    // within 4 * exact_dot_limit<T>() = 2^p, which T holds.
    const std::int64_t length = ops.args.x_len();
    for (std::int64_t o = 1; o < ops.args.y_len(); o += 2) {
      for (std::int64_t r = 0; r < length; ++r) ops.a_at(o, r) = TestFixture::value(0.0);
      const std::int64_t r = spot(o, length, TestFixture::kVector);
      const double s = o % 4 == 1 ? 1.0 : -1.0;
      ops.a_at(o, r) = TestFixture::value(s * std::ldexp(1.0, e_max - 1) * TestFixture::sign(ops.x_at(r)));
    }
  });
}

// Subnormal inputs count, they are not flushed to zero: subnormal elements
// of A (products subnormal in float for float and bfloat16), and subnormal
// elements of x with the rest of x zero. The sums are small multiples of
// T's smallest subnormal, exact in float and in T.
TYPED_TEST_P(SpecialValues, SubnormalsAreKept) {
  using T = TypeParam;
  const double tiny = element<T>::denorm_min;
  this->run_special(1.0f, 0.0f, [&](operands<T>& ops) {
    const std::int64_t length = ops.args.x_len();
    for (std::int64_t o = 1; o < ops.args.y_len(); o += 2) {
      for (std::int64_t r = 0; r < length; ++r) ops.a_at(o, r) = TestFixture::value(0.0);
      ops.a_at(o, spot(o, length, TestFixture::kVector)) = TestFixture::value(3 * tiny);
      ops.a_at(o, spot(o + 2, length, TestFixture::kVector)) = TestFixture::value(-5 * tiny);
    }
  });
  this->run_special(2.0f, 0.0f, [&](operands<T>& ops) {
    const std::int64_t length = ops.args.x_len();
    for (std::int64_t r = 0; r < length; ++r) ops.x_at(r) = TestFixture::value(0.0);
    ops.x_at(spot(2, length, TestFixture::kVector)) = TestFixture::value(3 * tiny);
    ops.x_at(spot(4, length, TestFixture::kVector)) = TestFixture::value(5 * tiny);
  });
}

// Zero rows of A, and a zero x, give exact zeros (0 * finite is 0), plus
// beta * y. The sign of a zero result is not checked: BLAS fixes none.
TYPED_TEST_P(SpecialValues, ZerosStayZero) {
  using T = TypeParam;
  for (float beta : {0.0f, 2.0f}) {
    this->run_special(-0.5f, beta, [](operands<T>& ops) {
      for (std::int64_t o = 0; o < ops.args.y_len(); o += 2)
        for (std::int64_t r = 0; r < ops.args.x_len(); ++r) ops.a_at(o, r) = TestFixture::value(0.0);
    });
    this->run_special(2.0f, beta, [](operands<T>& ops) {
      for (std::int64_t r = 0; r < ops.args.x_len(); ++r) ops.x_at(r) = TestFixture::value(0.0);
    });
  }
}

REGISTER_TYPED_TEST_SUITE_P(SpecialValues, InfInAGivesSignedInf, InfInXGivesSignedInf,
                            OppositeInfinitiesGiveNaN, NaNPropagates, OverflowGivesInf,
                            SubnormalsAreKept, ZerosStayZero);

}  // namespace gemv::test
