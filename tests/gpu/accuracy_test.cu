// Accuracy of float gemv over long reductions, on inputs built so that each
// test fails without the feature it is named after:
//  - CompensatedSum*: each thread's running sum of its step partials is a
//    compensated (Kahan) sum. Removed, these fail.
//  - Combines*InDouble: thread partials (the compensated sum's value) are
//    combined in double, across lanes, warps, column slices and split
//    pieces. Combined in float at any level, these fail.
//  - The default dispatch on the big shapes, with the CompensatedSum inputs.
// Every test checks each output's error relative to the double reference
// against 2^-22: what the library gets right costs one rounding of the
// output to float (2^-24). GEMV_TEST_REDUCED=1 runs fewer rows: the forced
// tests keep their reductions, so their steps per thread and their proofs.
//
// The inputs follow the walk of the kernels on 16-byte aligned operands
// (kernels/row_dot.cuh, kernels/column.cuh): a split plan cuts an output's
// reduction into pieces of plan::split_length; in a piece, `threads` threads
// share the output; in one step each thread adds `per_step` products in a
// float partial (a 16-byte vector times the unroll for row kernels, the
// unroll for the column kernel) and the step of all threads covers `step`
// elements. Each test asserts the plan it models.

#include "gpu/calls.cuh"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace gemv::test {
namespace {

constexpr std::int64_t kW = 4;             // floats in a 16-byte vector
constexpr double kMaxRelative = 0x1p-22;   // per output

/// How a plan's threads walk one output's reduction (see the top comment).
struct walk {
  std::int64_t piece = 0;     ///< elements of a split piece (the whole reduction unsplit)
  std::int64_t step = 0;      ///< elements all threads of one output read in one step
  std::int64_t threads = 0;   ///< threads that share one output in a piece
  std::int64_t chunk = 0;     ///< adjacent elements a thread reads at once: a vector, or 1
  std::int64_t per_step = 0;  ///< products a thread adds to one output in one step
  std::int64_t pieces = 1;

  std::int64_t steps() const { return (piece + step - 1) / step; }
  /// Thread of element e of a piece (e counted from the piece's start).
  std::int64_t thread_of(std::int64_t e) const { return (e % step) / chunk % threads; }
  /// Whether reduction element k is in the first step of its piece.
  bool first_step(std::int64_t k) const { return k % piece < step; }
};

/// The walk of `pl`, or one with threads == 0 for a plan this file does not
/// model (element-wise paths, sub-warp rows).
walk walk_of(const plan& pl) {
  walk w;
  const policy& p = pl.pol;
  if (!pl.vectorized || pl.staged || pl.joined) return w;
  w.piece = pl.split_length;
  w.pieces = pl.splits;
  switch (p.kernel) {
    case kernel_kind::row_warp:
    case kernel_kind::row_block:
    case kernel_kind::row_split_k:
      w.threads = p.kernel == kernel_kind::row_warp ? 32 : p.threads;
      w.chunk = kW;
      w.per_step = p.unroll * kW;
      break;
    case kernel_kind::column:
      w.threads = p.threads / p.lanes;  // slices
      w.chunk = 1;
      w.per_step = p.unroll;
      break;
    default:
      return w;
  }
  w.step = w.threads * w.per_step;
  return w;
}

/// The plan the library makes for a packed, 16-byte aligned float problem on
/// the current device: `forced` when given, else the default dispatch's.
plan plan_for(const call_args& c, const policy* forced) {
  int device = 0;
  device_info dev;
  EXPECT_EQ(current_device(device, dev), status::success);
  problem prob = describe(c.lay, c.trans, c.m, c.n, dtype::f32, c.lda);
  prob.vectorizable = true;
  prob.x_contiguous = c.incx == 1;
  return forced != nullptr ? make_plan(prob, dev, *forced) : make_plan(prob, dev);
}

/// Applies a(k, v) to every element of A (k its reduction index, v its
/// uniform [0, 1) value) and x_k = xv(k, v) to x.
template <class AFill, class XFill>
void shape_values(operands<float>& ops, const AFill& a, const XFill& xv) {
  const call_args& c = ops.args;
  const bool along = (c.lay == layout::row_major) == (c.trans == op::n);
  parallel_for(c.stored_rows(), [&](std::int64_t r) {
    float* row = ops.A.data() + ops.shift + r * c.lda;
    for (std::int64_t i = 0; i < c.row_length(); ++i) row[i] = a(along ? i : r, row[i]);
  });
  for (std::int64_t k = 0; k < c.x_len(); ++k) ops.x_at(k) = xv(k, ops.x_at(k));
}

/// Inputs on which a plain float running sum provably loses more than the
/// check allows. Per piece, the first step is big: x = 1, A in [1, 2) (on a
/// grid of 2^-8, so a step's partial is exact); every later step is small:
/// x = 2^-25. A thread's running sum after its first step is S in
/// [per_step, 2 per_step); each later partial is below per_step * 2^-24,
/// half an ulp of S, so S + partial rounds back to S: a plain float sum
/// drops every later step, at least (steps - 1) * 2^-26 of each thread's
/// total (products >= 2^-25, S < 32 for 16 products a step), 1.9e-6 at 128
/// steps against the 2^-22 = 2.4e-7 allowed. The compensated sum carries
/// them exactly (every quantity is on a grid of 2^-33 below 2^5), so the
/// library's only error is the output's rounding to float.
operands<float> compensated_sum_inputs(const call_args& c, const walk& w, std::uint64_t seed) {
  operands<float> ops = make_operands<float>(c, 0, seed, value_range{0.0, 1.0});
  shape_values(
      ops, [](std::int64_t, float v) { return 1.0f + std::floor(v * 256.0f) / 256.0f; },
      [&](std::int64_t k, float) { return w.first_step(k) ? 1.0f : 0x1p-25f; });
  return ops;
}

/// Which combination of thread partials the big terms cancel at: the last
/// one a plan has, so that a float combination anywhere below it shows.
enum class level { lanes, warps, slices, pieces };

/// Inputs whose thread partials need more than float to combine. The first
/// step of each piece is big: products +-2^30 (A = 2^15, x = +-2^15), so each
/// thread's partial starts at +-P, P = per_step * 2^30, the sign following
/// `at`: alternate lanes (the warp sum), warps (the block sum), column
/// slices (the block's slice sum) or pieces (the split pass). Later steps
/// add small positive products: A and x / g integers in [1, 15], g a power
/// of two small enough that a thread's residue R < P * 2^-25. So:
///  - the compensated sum is exact: S stays +-P (R is below half an ulp of
///    P either side), the carry holds -R exactly, value() = +-P + R;
///  - in double the P cancel exactly and the output is the sum of the
///    residues;
///  - in float, +-P + R rounds to +-P (the same half ulp): every residue is
///    lost where thread partials meet, the P cancel, the output is 0, a
///    relative error of 1.
/// A plain float running sum loses the residues too (S + partial == S).
operands<float> cancelling_inputs(const call_args& c, const walk& w, level at, std::uint64_t seed,
                                  std::string& why_not) {
  const std::int64_t residue_terms = (w.steps() - 1) * w.per_step;  // per thread and output
  const double P = static_cast<double>(w.per_step) * 0x1p30;
  int g_exp = 0;  // g = 2^-g_exp: 225 * g * residue_terms < P * 2^-25
  while (225.0 * static_cast<double>(residue_terms) * std::ldexp(1.0, -g_exp) >= P * 0x1p-25) ++g_exp;
  // Block sums of up to 512 partials of magnitude P on a grid of g stay
  // exact in double; a thread's residues stay exact in float.
  if (std::log2(P) + 9 + g_exp > 52 || 225 * residue_terms >= (1 << 24))
    why_not = "reduction too long for exact cancellation";
  if (w.steps() < 2) why_not = "one step per piece: no residue after the big step";
  if (at == level::warps && (w.threads / 32) % 2 != 0) why_not = "odd number of warps";
  if ((at == level::lanes || at == level::slices) && w.threads % 2 != 0) why_not = "odd threads";
  if (at == level::pieces && w.pieces % 2 != 0) why_not = "odd number of pieces";
  const float g = std::ldexp(1.0f, -g_exp);

  const auto sign = [&](std::int64_t k) {
    const std::int64_t t = w.thread_of(k % w.piece);
    switch (at) {
      case level::lanes:
      case level::slices: return t % 2 == 0 ? 1.0f : -1.0f;
      case level::warps: return (t / 32) % 2 == 0 ? 1.0f : -1.0f;
      case level::pieces: return (k / w.piece) % 2 == 0 ? 1.0f : -1.0f;
    }
    return 1.0f;
  };
  operands<float> ops = make_operands<float>(c, 0, seed, value_range{0.0, 1.0});
  shape_values(
      ops,
      [&](std::int64_t k, float v) { return w.first_step(k) ? 0x1p15f : 1.0f + std::floor(v * 15.0f); },
      [&](std::int64_t k, float v) {
        return w.first_step(k) ? sign(k) * 0x1p15f : (1.0f + std::floor(v * 15.0f)) * g;
      });
  return ops;
}

class Accuracy : public gpu_test<float> {
 protected:
  /// Runs `c` (forced through `forced` when not null) on inputs made by
  /// make(c, walk) for the plan it gets, and checks every output's relative
  /// error. `min_steps`: the steps per thread the inputs need to prove
  /// their point.
  template <class Make>
  void expect_accurate(const call_args& c, const policy* forced, std::int64_t min_steps,
                       const Make& make) {
    const std::size_t bytes = static_cast<std::size_t>(c.m * c.n) * sizeof(float);
    if (const std::string why = memory_shortfall(bytes, bytes); !why.empty()) GTEST_SKIP() << why;
    const plan planned = plan_for(c, forced);
    const walk w = walk_of(planned);
    ASSERT_GT(w.threads, 0) << "no model of this plan's walk: " << to_string(planned);
    ASSERT_GE(w.steps(), min_steps) << to_string(planned);
    RecordProperty("plan", to_string(planned));
    RecordProperty("steps_per_thread", std::to_string(w.steps()));

    const operands<float> ops = make(c, w);
    if (HasFailure()) return;
    const expected ref = reference_gemv(ops);
    device_operands<float> dev;
    dev.upload(ops);
    plan ran;
    std::vector<float> y;
    ASSERT_TRUE(run_and_check(dev, ops, ref, [&](const float* A, const float* x, float* out) {
      if (forced != nullptr) return call_forced(*forced, c, A, x, out, full_workspace(), &ran);
      const status s = call_choose_plan(c, A, x, out, ran);
      return s != status::success ? s : call_gemv(c, A, x, out);
    }, &y)) << to_string(ran);
    ASSERT_EQ(ran.pol, planned.pol) << "ran " << to_string(ran) << ", modelled " << to_string(planned);
    ASSERT_EQ(ran.split_length, planned.split_length) << to_string(ran);
    ASSERT_TRUE(ran.vectorized) << to_string(ran);

    double err2 = 0.0, ref2 = 0.0, worst = 0.0;
    std::int64_t worst_at = 0;
    for (std::int64_t o = 0; o < c.y_len(); ++o) {
      const double d = std::fabs(y[ops.y_begin() + o] - ref.value[o]);
      err2 += d * d;
      ref2 += ref.value[o] * ref.value[o];
      const double relative = d / std::fabs(ref.value[o]);
      if (!(relative <= worst)) {  // NaN counts as worst
        worst = relative;
        worst_at = o;
      }
    }
    RecordProperty("relative_error_2norm", std::to_string(std::sqrt(err2 / ref2)));
    RecordProperty("relative_error_max", std::to_string(worst));
    EXPECT_LE(worst, kMaxRelative) << "y[" << worst_at << "] = " << y[ops.y_begin() + worst_at]
                                   << ", reference " << ref.value[worst_at] << "\n  "
                                   << to_string(c) << "\n  " << to_string(ran);
  }

  /// Rows in full, or under GEMV_TEST_REDUCED=1.
  static std::int64_t rows(std::int64_t full, std::int64_t reduced) {
    return reduced_size() ? reduced : full;
  }

  void expect_compensated(const call_args& c, const policy* forced, std::int64_t min_steps) {
    expect_accurate(c, forced, min_steps, [&](const call_args& a, const walk& w) {
      return compensated_sum_inputs(a, w, next_seed());
    });
  }

  void expect_cancelling(const call_args& c, const policy& forced, level at) {
    expect_accurate(c, &forced, 2, [&](const call_args& a, const walk& w) {
      std::string why_not;
      operands<float> ops = cancelling_inputs(a, w, at, next_seed(), why_not);
      EXPECT_TRUE(why_not.empty()) << why_not << ": " << to_string(a);
      return ops;
    });
  }
};

using k = kernel_kind;
constexpr layout R = layout::row_major;

// 256 steps per thread: a plain float running sum loses >= 255 * 2^-26 =
// 3.8e-6 of each output (compensated_sum_inputs), 16 times what is allowed.
constexpr std::int64_t kLongWalk = 256;

TEST_F(Accuracy, CompensatedSumRowWarp) {  // 32 lanes x 16 floats a step
  const policy pol{k::row_warp, 128, 1, 0, 4, 0};
  expect_compensated(packed_call(R, op::n, rows(256, 8), kLongWalk * 512), &pol, kLongWalk);
}

TEST_F(Accuracy, CompensatedSumRowBlock) {  // 128 threads x 16 floats a step
  const policy pol{k::row_block, 128, 1, 0, 4, 0};
  expect_compensated(packed_call(R, op::n, rows(64, 2), kLongWalk * 2048), &pol, kLongWalk);
}

TEST_F(Accuracy, CompensatedSumRowSplitK) {  // four pieces, each of 256 block steps
  const policy pol{k::row_split_k, 128, 1, 0, 4, 4};
  expect_compensated(packed_call(R, op::n, rows(16, 1), 4 * kLongWalk * 2048), &pol, kLongWalk);
}

TEST_F(Accuracy, CompensatedSumColumn) {  // 8 slices x 4 rows a step, unsplit
  const policy pol{k::column, 256, 0, 32, 4, 1};
  expect_compensated(packed_call(R, op::t, kLongWalk * 32, rows(1024, 128)), &pol, kLongWalk);
}

TEST_F(Accuracy, CompensatedSumSplitColumn) {  // four pieces of 256 steps
  const policy pol{k::column, 256, 0, 32, 4, 4};
  expect_compensated(packed_call(R, op::t, 4 * kLongWalk * 32, rows(256, 128)), &pol, kLongWalk);
}

// 32 steps per thread: residues of up to 31 * 16 products of < 225 g each.

TEST_F(Accuracy, CombinesLanesInDouble) {  // a warp's 32 lanes, alternate signs
  const policy pol{k::row_warp, 128, 1, 0, 4, 0};
  expect_cancelling(packed_call(R, op::n, rows(256, 8), 32 * 512), pol, level::lanes);
}

TEST_F(Accuracy, CombinesWarpsInDouble) {  // a block's 4 warps, alternate signs
  const policy pol{k::row_block, 128, 1, 0, 4, 0};
  expect_cancelling(packed_call(R, op::n, rows(256, 8), 32 * 2048), pol, level::warps);
}

TEST_F(Accuracy, CombinesSplitPiecesInDouble) {  // 4 pieces of a row, alternate signs
  const policy pol{k::row_split_k, 128, 1, 0, 4, 4};
  expect_cancelling(packed_call(R, op::n, rows(64, 4), 4 * 32 * 2048), pol, level::pieces);
}

TEST_F(Accuracy, CombinesColumnSlicesInDouble) {  // a block's 8 slices, alternate signs
  const policy pol{k::column, 256, 0, 32, 4, 1};
  expect_cancelling(packed_call(R, op::t, 32 * 32, rows(1024, 128)), pol, level::slices);
}

TEST_F(Accuracy, CombinesColumnPiecesInDouble) {  // 4 pieces of the rows, alternate signs
  const policy pol{k::column, 256, 0, 32, 4, 4};
  expect_cancelling(packed_call(R, op::t, 4 * 32 * 32, rows(1024, 128)), pol, level::pieces);
}

// The default dispatch on the big shapes, on the compensated-sum inputs laid
// out for the plan it makes. They prove the compensated sum where that plan
// gives each thread 18 steps or more ((steps - 1) * 2^-26 > 2^-22); the
// property steps_per_thread says how many it got.

// The reference problem: 2048 x 2^20 floats, 8 GiB.
TEST_F(Accuracy, ReferenceProblem2048x1048576) {
  expect_compensated(packed_call(R, op::n, rows(2048, 16), 1048576), nullptr, 1);
}

// The same row length at 1 GiB, for cards that cannot hold the reference problem.
TEST_F(Accuracy, LongRows256x1048576) {
  expect_compensated(packed_call(R, op::n, rows(256, 32), 1048576), nullptr, 1);
}

// One row of 2^24 (2^22 reduced): split-K into thousands of pieces.
TEST_F(Accuracy, SplitKOneRowOf2To24) {
  expect_compensated(packed_call(R, op::n, 1, reduced_size() ? 1 << 22 : 1 << 24), nullptr, 1);
}

// 2^20 stored rows (2^16 reduced) gathered into 256 outputs: the column
// kernel with split rows.
TEST_F(Accuracy, ColumnKernelOver2To20Rows) {
  expect_compensated(packed_call(R, op::t, reduced_size() ? 1 << 16 : 1 << 20, 256), nullptr, 1);
}

}  // namespace
}  // namespace gemv::test
