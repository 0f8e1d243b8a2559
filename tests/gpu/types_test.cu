// GPU tests of the element type combinations (types.cuh) and the fused
// epilogue: the default dispatch of all 17 combinations over a grid of
// shapes, layouts and placements; every forced policy on four of them; the
// epilogue on every kernel family; and bad input, which must write nothing.
// The entry points come compiled from gemv_compiled.

#include "gpu/policies.hpp"
#include "gpu/typed_calls.cuh"
#include "support/edge_cases.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace gemv::test {
namespace {

constexpr activation kActivations[] = {activation::none, activation::relu, activation::gelu_tanh,
                                       activation::gelu_erf, activation::silu};

/// A problem by the reduction it is and its outputs and reduction length.
struct shape {
  reduction kind;
  std::int64_t outputs, length;
  bool aligned_only = false;  ///< large: the 16-byte aligned placement only
};

/// The default-dispatch grid for A of `s` bytes an element: row lengths in
/// bytes, so that every type meets the same thresholds (tuning tables:
/// sub-warp rows up to 256 bytes, warp rows up to 1 KB, blocks for 1.5 rows
/// an SM or more, the model from 4 x bytes in flight x SMs, 26 MB on the
/// H200; whole-column tiles for 0.6 waves of tiles or more).
/// GEMV_TEST_REDUCED=1 leaves out the 32 MiB shape (compute-sanitizer).
inline std::vector<shape> dispatch_shapes(std::int64_t s) {
  const reduction along = reduction::along_rows, across = reduction::across_rows;
  std::vector<shape> shapes = {
      {along, 200000, 8},           // many rows of 8: sub-warp, or staged
      {along, 3001, 24},            // short rows: sub-warp
      {along, 2000, 768 / s + 3},   // rows under 1 KB: a warp each
      {along, 400, 16384 / s + 5},  // 16 KB rows: a block each
      {along, 3, 100003},           // a few long rows: split-K
      {along, (std::int64_t{32} << 20) / (4096 * s), 4096, true},  // 32 MiB: the model's tiles
      {along, 1, 1},
      {along, 33, 129},
      {along, 129, 33},
      {along, 1, 4097},
      {along, 4097, 1},
      {across, 1000, 2049},  // too few outputs for whole columns: split
      {across, 5, 100003},   // a long reduction: split
      {across, 20483, 64},   // outputs for more than a wave of whole-column tiles
      {across, 1, 1},
      {across, 33, 129},
      {across, 129, 33},
      {across, 1, 1000},
      {across, 1000, 1},
  };
  if (reduced_size())
    shapes.erase(
        std::remove_if(shapes.begin(), shapes.end(), [](const shape& v) { return v.aligned_only; }),
        shapes.end());
  return shapes;
}

/// One call of the grid: its arguments and where A and x start in their
/// buffers (y starts `shift` past its guard).
struct typed_case {
  call_args args;
  std::int64_t shift = 0;
  std::int64_t x_shift = 0;
};

/// Each shape in both (layout, op) pairs of its reduction, each placed three
/// ways: aligned (16-byte loads legal: lda a whole number of vectors, x
/// contiguous for along_rows), A, x and y one element past alignment (lda
/// padded by 3 or not at all, any increments), and x alone one element off. Increments, padding,
/// alpha and beta cycle with co-prime periods; alpha is never 0 here (the
/// epilogue tests cover it), beta is 0 (NaN in y must not show), 1 or other.
template <class TA>
std::vector<typed_case> dispatch_cases() {
  constexpr std::int64_t W = 16 / sizeof(TA);
  constexpr float kAlphas[] = {1.0f, -0.5f, 2.0f, 1.5f};
  constexpr float kBetas[] = {0.0f, -0.5f, 2.0f, 0.0f, 1.0f};
  std::vector<typed_case> cases;
  std::int64_t k = 0;
  for (const shape& s : dispatch_shapes(sizeof(TA))) {
    const bool along = s.kind == reduction::along_rows;
    const std::pair<layout, op> forms[] = {{layout::row_major, along ? op::n : op::t},
                                           {layout::col_major, along ? op::t : op::n}};
    for (const auto& [lay, trans] : forms) {
      for (int place = 0; place < (s.aligned_only ? 1 : 3); ++place) {
        typed_case tc;
        call_args& c = tc.args;
        c.lay = lay;
        c.trans = trans;
        c.m = trans == op::n ? s.outputs : s.length;
        c.n = trans == op::n ? s.length : s.outputs;
        const std::int64_t row = c.row_length();
        const bool padded = k % 3 == 0;
        if (place == 1) {  // everything one element off
          tc.shift = tc.x_shift = 1;
          c.lda = row + (padded ? 3 : 0);
          c.incx = kIncrements[(k / 2) % 4];
        } else {  // aligned, or x alone one element off
          tc.x_shift = place;
          c.lda = (row + W - 1) / W * W + (padded ? W : 0);
          c.incx = along ? 1 : kIncrements[(k / 2) % 4];
        }
        c.incy = kIncrements[(k / 4 + k) % 4];
        c.alpha = kAlphas[k % 4];
        c.beta = kBetas[k % 5];
        ++k;
        cases.push_back(tc);
      }
    }
  }
  return cases;
}

/// The kinds of plan a set of calls ran.
struct plan_coverage {
  std::set<kernel_kind> kernels;
  bool staged = false, split_rows = false, split_columns = false, whole_columns = false;
  bool vectorized = false, element_wise = false;

  void add(const plan& p) {
    kernels.insert(p.pol.kernel);
    staged |= p.staged;
    split_rows |= p.pol.kernel == kernel_kind::row_split_k && p.splits > 1;
    split_columns |= p.pol.kernel == kernel_kind::column && p.splits > 1;
    whole_columns |= p.pol.kernel == kernel_kind::column && p.splits == 1;
    (p.vectorized ? vectorized : element_wise) = true;
  }

  /// Every family ran, whole and split; the staged kernel where A's type has
  /// one (2- or 4-byte A with float products, row_staged.cuh).
  void expect_every_family(bool stages) const {
    for (kernel_kind k : {kernel_kind::row_warp, kernel_kind::row_block, kernel_kind::row_split_k,
                          kernel_kind::row_subwarp, kernel_kind::column})
      EXPECT_EQ(kernels.count(k), 1u) << to_string(k) << " never ran";
    EXPECT_TRUE(split_rows) << "no row plan split its rows";
    EXPECT_TRUE(split_columns) << "no column plan split its reduction";
    EXPECT_TRUE(whole_columns) << "no column plan walked whole columns";
    EXPECT_TRUE(vectorized) << "no plan took the 16-byte path";
    EXPECT_TRUE(element_wise) << "no plan took the element-wise path";
    EXPECT_EQ(staged, stages) << "the staged kernel "
                              << (stages ? "never ran" : "ran for a type it does not serve");
  }
};

template <class C>
constexpr bool kStagesRows = !std::is_same_v<typename C::a, double> &&
                             (sizeof(typename C::a) == 2 || sizeof(typename C::a) == 4);

std::string describe_case(const call_args& c, std::int64_t shift, std::int64_t x_shift) {
  return to_string(c) + " shift=" + std::to_string(shift) + " x_shift=" + std::to_string(x_shift);
}

// ---------------------------------------------------------------------------
// Default dispatch, every combination.

template <class C>
class TypesDefaultDispatch : public gpu_test_base {
 protected:
  /// Runs every `every`-th case of the grid through gemv<TA, TX, TY>, with
  /// the epilogue make_ep(case index, args) gives (empty: BLAS's update),
  /// and checks that the plans chosen cover every family.
  template <class MakeEpilogue>
  void run_grid(int every, MakeEpilogue&& make_ep) {
    typed_device_operands<C> dev;
    failure_budget budget;
    plan_coverage seen;
    const std::vector<typed_case> cases = dispatch_cases<typename C::a>();
    for (std::size_t i = 0; i < cases.size(); i += every) {
      const typed_case& tc = cases[i];
      const std::uint64_t seed = next_seed();
      const operands_of<C> ops = make_typed_operands<C>(tc.args, tc.shift, tc.x_shift, seed);
      const epilogue_values<typename C::y> ep = make_ep(i, tc.args, seed);
      const expected ref = typed_reference<C>(ops, ep);
      dev.upload(ops, ep);
      plan chosen;
      ASSERT_EQ(typed_choose_plan<C>(tc.args, dev, chosen), status::success);
      seen.add(chosen);
      const auto result = typed_run_and_check(dev, ops, ref, [&](auto A, auto x, auto y) {
        return ep.scale.empty() && ep.bias.empty() && ep.act == activation::none
                   ? typed_gemv<C>(tc.args, A, x, y)
                   : typed_gemv<C>(tc.args, A, x, y, dev.fused());
      });
      if (result) continue;
      ADD_FAILURE() << describe_case(tc.args, tc.shift, tc.x_shift) << " " << to_string(ep.act)
                    << (ep.scale.empty() ? "" : " scale") << (ep.bias.empty() ? "" : " bias")
                    << "\n  plan " << to_string(chosen) << "\n  " << result.message();
      if (!budget.spend()) return;
    }
    seen.expect_every_family(kStagesRows<C>);
  }
};

TYPED_TEST_SUITE(TypesDefaultDispatch, gtest_types<supported_combinations>::type,
                 combination_names);

TYPED_TEST(TypesDefaultDispatch, GridOfShapesLayoutsAndPlacements) {
  this->run_grid(1, [](std::size_t, const call_args&, std::uint64_t) {
    return epilogue_values<typename TypeParam::y>{};
  });
}

// A bias and silu on every other case of the grid (every family still
// runs), with a per-output scale on every other one of those.
TYPED_TEST(TypesDefaultDispatch, BiasAndSilu) {
  this->run_grid(2, [](std::size_t i, const call_args& c, std::uint64_t seed) {
    return make_epilogue<TypeParam>(c, /*scale=*/i % 4 == 0, /*bias=*/true, activation::silu, seed);
  });
}

// A bias writes every output even where BLAS would return early: an empty
// reduction (y = act(bias) + beta y, A and x not read: they hold only
// poison), alpha == 0 (beta == 1 included). Without a bias the quick
// returns hold, a scale and an activation notwithstanding, and alpha == 0
// is y = beta y.
TYPED_TEST(TypesDefaultDispatch, EpilogueWithoutAProduct) {
  using C = TypeParam;
  struct variant {
    std::int64_t length;
    float alpha, beta;
    bool scale, bias;
  };
  const variant variants[] = {
      {0, 1.0f, 0.0f, true, true},     {0, 1.0f, -0.5f, false, true},
      {0, 2.0f, 1.0f, true, true},     {50, 0.0f, 0.0f, true, true},
      {50, 0.0f, 1.0f, false, true},   {50, 0.0f, 2.0f, true, true},
      {0, 1.0f, 0.5f, true, false},    {50, 0.0f, 1.0f, true, false},
      {50, 0.0f, -2.0f, false, false}, {50, 0.5f, 0.0f, true, false},
      {50, 0.5f, 1.0f, false, false},
  };
  typed_device_operands<C> dev;
  int k = 0;
  for (const variant& v : variants) {
    for (layout lay : {layout::row_major, layout::col_major}) {
      for (op trans : {op::n, op::t}) {
        call_args c;
        c.lay = lay;
        c.trans = trans;
        (trans == op::n ? c.m : c.n) = 37;
        (trans == op::n ? c.n : c.m) = v.length;
        c.lda = std::max<std::int64_t>(1, c.row_length());
        c.incy = k % 2 == 0 ? 1 : -2;
        c.alpha = v.alpha;
        c.beta = v.beta;
        const activation act = kActivations[k++ % 5];
        const std::uint64_t seed = this->next_seed();
        const operands_of<C> ops = make_typed_operands<C>(c, 0, 0, seed);
        const auto ep = make_epilogue<C>(c, v.scale, v.bias, act, seed);
        const expected ref = typed_reference<C>(ops, ep);
        EXPECT_EQ(ref.untouched, !v.bias && (v.length == 0 || (v.alpha == 0.0f && v.beta == 1.0f)));
        dev.upload(ops, ep);
        EXPECT_TRUE(typed_run_and_check(
            dev, ops, ref,
            [&](auto A, auto x, auto y) { return typed_gemv<C>(c, A, x, y, dev.fused()); }))
            << to_string(c) << " " << to_string(act) << (v.scale ? " scale" : "")
            << (v.bias ? " bias" : "");
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Every forced policy, on four combinations: double, 16-bit A with float x
// and y, fp8 and int8 weights.

using forced_combinations =
    ::testing::Types<combination<double, double, double>, combination<__nv_bfloat16, float, float>,
                     combination<__nv_fp8_e4m3, __half, __half>,
                     combination<std::int8_t, float, float>>;

template <class C>
class TypesForcedPolicies : public gpu_test_base {
 protected:
  /// Runs each policy on each edge case (fresh operands per case, y reset
  /// before each run, A and x checked unchanged). Every call that computes a
  /// product runs the forced policy, every policy runs at least once, and
  /// both the 16-byte and the element-wise path run, a split and the
  /// staged kernel when expected (never the staged kernel where A's type
  /// has none). With `fused`, every call has a scale and a bias and the
  /// activations take turns; each family then runs with each activation.
  void run_all(const std::vector<policy>& policies, const std::vector<edge_case>& cases,
               bool expect_split, bool expect_staged, bool fused = false) {
    using TY = typename C::y;
    typed_device_operands<C> dev;
    failure_budget budget;
    plan_coverage seen;
    std::vector<int> ran_forced(policies.size(), 0);
    std::set<std::pair<kernel_kind, activation>> fused_runs;
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const edge_case& ec = cases[i];
      const std::uint64_t seed = next_seed();
      const operands_of<C> ops = make_typed_operands<C>(ec.args, ec.shift, ec.shift, seed);
      epilogue_values<TY> ep = fused ? make_epilogue<C>(ec.args, true, true, activation::none, seed)
                                     : epilogue_values<TY>{};
      dev.upload(ops, ep);
      std::optional<expected>
          refs[std::size(kActivations)];  // by activation, made when first needed
      const bool computes = ec.args.alpha != 0.0f && ec.args.m > 0 && ec.args.n > 0;
      for (std::size_t p = 0; p < policies.size(); ++p) {
        const policy& pol = policies[p];
        const std::size_t a = fused ? (i + p) % std::size(kActivations) : 0;
        ep.act = kActivations[a];
        if (!refs[a]) refs[a] = typed_reference<C>(ops, ep);
        epilogue<TY> on_device = dev.fused();
        on_device.act = ep.act;
        plan ran;
        auto result = typed_run_and_check(dev, ops, *refs[a], [&](auto A, auto x, auto y) {
          return typed_forced<C>(pol, ec.args, A, x, y, on_device, full_workspace(), &ran);
        });
        if (result && computes && !runs_policy(ran, pol))
          result = testing::AssertionFailure() << "the plan that ran is not the forced policy";
        if (result && computes) {
          ++ran_forced[p];
          seen.add(ran);
          fused_runs.insert({pol.kernel, ep.act});
        }
        if (result) continue;
        ADD_FAILURE() << describe_case(ec.args, ec.shift, ec.shift) << " " << to_string(ep.act)
                      << "\n  forced " << to_string(pol) << "\n  ran " << to_string(ran) << "\n  "
                      << result.message();
        if (!budget.spend()) return;
      }
    }
    for (std::size_t p = 0; p < policies.size(); ++p)
      EXPECT_GT(ran_forced[p], 0) << to_string(policies[p]) << " never ran";
    EXPECT_TRUE(seen.vectorized) << "no case took the 16-byte path";
    EXPECT_TRUE(seen.element_wise) << "no case took the element-wise path";
    if (expect_split)
      EXPECT_TRUE(seen.split_rows || seen.split_columns) << "no case split the reduction";
    if (expect_staged) EXPECT_TRUE(seen.staged) << "no case ran the staged kernel";
    if (!kStagesRows<C>)
      EXPECT_FALSE(seen.staged) << "the staged kernel ran for a type it does not serve";
    if (!fused) return;
    for (const policy& pol : policies)
      for (activation act : kActivations)
        EXPECT_EQ(fused_runs.count({pol.kernel, act}), 1u)
            << to_string(pol.kernel) << " never ran with " << to_string(act);
  }

  static std::vector<edge_case> cases(reduction kind, int every = 1) {
    return edge_cases(kind, dtype_of<typename C::a>::value, every);
  }
};

TYPED_TEST_SUITE(TypesForcedPolicies, forced_combinations, combination_names);

TYPED_TEST(TypesForcedPolicies, RowWarp) {
  this->run_all(row_warp_policies(), this->cases(reduction::along_rows), false, false);
}

TYPED_TEST(TypesForcedPolicies, RowBlock) {
  this->run_all(row_block_policies(), this->cases(reduction::along_rows), false, false);
}

TYPED_TEST(TypesForcedPolicies, RowSplitK) {
  this->run_all(row_split_k_policies(), this->cases(reduction::along_rows), true, false);
}

TYPED_TEST(TypesForcedPolicies, RowSubwarp) {
  // Misaligned short rows stored back to back run the staged kernel.
  this->run_all(row_subwarp_policies(), this->cases(reduction::along_rows), false,
                kStagesRows<TypeParam>);
}

TYPED_TEST(TypesForcedPolicies, Column) {
  this->run_all(column_policies(), this->cases(reduction::across_rows), true, false);
}

// The policies the dispatch itself uses, whatever card runs the test.
TYPED_TEST(TypesForcedPolicies, EveryTuningTablePolicy) {
  for (const tuning::table* t : tuning::all_tables) {
    SCOPED_TRACE(t->name);
    policy split = t->row_block;  // how make_plan runs split-K
    split.kernel = kernel_kind::row_split_k;
    this->run_all({t->row_warp, t->row_block, split, t->row_subwarp},
                  this->cases(reduction::along_rows, 7), false, false);
    this->run_all({t->column, t->column_whole}, this->cases(reduction::across_rows, 7), false,
                  false);
  }
}

// ---------------------------------------------------------------------------
// The epilogue on every family: a scale, a bias and each activation, forced
// through every policy, on 16-bit weights with float x and y (float y, so
// that the activations' float arithmetic, not y's rounding, sets the
// tolerance: gelu_tanh for gelu_erf would fail).

class EpilogueOnEveryFamily : public TypesForcedPolicies<combination<__nv_bfloat16, float, float>> {
};

TEST_F(EpilogueOnEveryFamily, ScaleBiasAndEachActivation) {
  // One case in five (odd, so both placements stay): each of the ~35 row and
  // ~19 column policies still meets each activation several times.
  std::vector<policy> along;
  for (const auto& list :
       {row_warp_policies(), row_block_policies(), row_split_k_policies(), row_subwarp_policies()})
    along.insert(along.end(), list.begin(), list.end());
  run_all(along, cases(reduction::along_rows, 5), true, false, /*fused=*/true);
  run_all(column_policies(), cases(reduction::across_rows, 5), true, false, /*fused=*/true);
}

// ---------------------------------------------------------------------------
// Bad input: the status says what is wrong, and nothing is written.

using bad_input_combinations = ::testing::Types<
    combination<__half, float, float>, combination<__nv_bfloat16, __nv_bfloat16, float>,
    combination<__nv_fp8_e5m2, __nv_bfloat16, __nv_bfloat16>, combination<double, double, double>>;

template <class C>
class TypesBadInput : public gpu_test_base {};

TYPED_TEST_SUITE(TypesBadInput, bad_input_combinations, combination_names);

/// `p` moved by `bytes`: a pointer misaligned for its element type.
template <class T>
T* moved(T* p, std::ptrdiff_t bytes) {
  using byte = std::conditional_t<std::is_const_v<T>, const char, char>;
  return reinterpret_cast<T*>(reinterpret_cast<byte*>(p) + bytes);
}

TYPED_TEST(TypesBadInput, EveryErrorLeavesYAsItWas) {
  using C = TypeParam;
  using TA = typename C::a;
  using TX = typename C::x;
  using TY = typename C::y;
  // Three long rows: the default plan splits them, so a short workspace is
  // an error too.
  call_args c = packed_call(layout::row_major, op::n, 3, 100003, 0.5f);
  const std::uint64_t seed = this->next_seed();
  const operands_of<C> ops = make_typed_operands<C>(c, 0, 0, seed);
  const auto ep_values = make_epilogue<C>(c, true, true, activation::gelu_tanh, seed);
  typed_device_operands<C> dev;
  dev.upload(ops, ep_values);
  plan pl;
  ASSERT_EQ(typed_choose_plan<C>(c, dev, pl), status::success);
  ASSERT_GT(pl.workspace_bytes(), 8u) << to_string(pl);

  const auto expect_nothing_written = [&](status got, status want, const std::string& what) {
    EXPECT_EQ(got, want) << what << ": got " << to_string(got);
    GEMV_CUDA_CHECK(cudaDeviceSynchronize());
    EXPECT_EQ(dev.y_storage().first_difference(ops.y), -1) << what << ": y written";
  };
  const epilogue<TY> ep = dev.fused();
  const TA* A = dev.A();
  const TX* x = dev.x();
  TY* y = dev.y();
  const auto run = [&](const call_args& a, const TA* A_, const TX* x_, TY* y_,
                       const epilogue<TY>& e) { return typed_gemv<C>(a, A_, x_, y_, e); };

  // Half an element off; float x beside 16-bit A is the case that 16-bit
  // alignment alone would let through.
  expect_nothing_written(run(c, A, moved(x, sizeof(TX) / 2), y, ep), status::misaligned_pointer,
                         "x misaligned");
  expect_nothing_written(typed_gemv<C>(c, A, moved(x, sizeof(TX) / 2), y),
                         status::misaligned_pointer, "x misaligned, no epilogue");
  if (sizeof(TA) > 1)
    expect_nothing_written(run(c, moved(A, sizeof(TA) / 2), x, y, ep), status::misaligned_pointer,
                           "A misaligned");
  expect_nothing_written(run(c, A, x, moved(y, sizeof(TY) / 2), ep), status::misaligned_pointer,
                         "y misaligned");
  expect_nothing_written(run(c, A, x, y, {ep.scale, moved(ep.bias, sizeof(TY) / 2), ep.act}),
                         status::misaligned_pointer, "bias misaligned");
  expect_nothing_written(run(c, A, x, y, {moved(ep.scale, 2), ep.bias, ep.act}),
                         status::misaligned_pointer, "scale misaligned");
  // A misaligned bias is an error even where the product is not computed.
  call_args scale_only = c;
  scale_only.alpha = 0.0f;
  expect_nothing_written(
      run(scale_only, A, x, y, {ep.scale, moved(ep.bias, sizeof(TY) / 2), ep.act}),
      status::misaligned_pointer, "bias misaligned, alpha 0");

  call_args bad = c;
  bad.lda = c.n - 1;
  expect_nothing_written(run(bad, A, x, y, ep), status::invalid_leading_dimension, "lda < n");
  bad = c;
  bad.incx = 0;
  expect_nothing_written(run(bad, A, x, y, ep), status::invalid_increment, "incx 0");
  bad = c;
  bad.m = -1;
  expect_nothing_written(run(bad, A, x, y, ep), status::invalid_size, "m < 0");
  expect_nothing_written(run(c, nullptr, x, y, ep), status::null_pointer, "A null");

  // Errors found after planning: a forced policy of the wrong family, and
  // scratch smaller than the split plan needs.
  const policy column{kernel_kind::column, 256, 0, 16, 4, 0};
  expect_nothing_written(typed_forced<C>(column, c, A, x, y, ep, this->full_workspace()),
                         status::invalid_plan, "column policy on rows");
  const device_buffer<std::byte> small(8);
  const workspace too_small{small.data(), small.bytes()};
  expect_nothing_written(gemv::gemv<TA, TX, TY>(c.lay, c.trans, c.m, c.n, c.alpha, A, c.lda, x,
                                                c.incx, c.beta, y, c.incy, ep, too_small),
                         status::insufficient_workspace, "workspace too small");
  expect_nothing_written(
      typed_forced<C>({kernel_kind::row_split_k, 256, 1, 0, 4, 4}, c, A, x, y, ep, too_small),
      status::insufficient_workspace, "forced split, workspace too small");

  // And with all of that, the call itself is right.
  EXPECT_TRUE(
      typed_run_and_check(dev, ops, typed_reference<C>(ops, ep_values),
                          [&](auto A_, auto x_, auto y_) { return run(c, A_, x_, y_, ep); }));
}

}  // namespace
}  // namespace gemv::test
