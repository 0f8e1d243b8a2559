// Several vectors against one matrix (gemv_multi): every vector checked
// against its own double reference, for k from 1 to 16, rows read once and
// vectors run as a batch sharing A, vectors off their 16-byte boundary,
// every family forced, the same bits from run to run, and bad calls that
// write nothing.

#include "gpu/typed_calls.cuh"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace gemv::test {
namespace {

/// One call of k vectors: A's shape and the vectors' spacing.
struct multi_case {
  call_args args;         ///< the call of one vector (incx = incy = 1)
  int k;
  std::int64_t pad = 0;   ///< elements between vectors beyond their own (odd: off the 16-byte boundary)
};

std::vector<multi_case> multi_cases() {
  std::vector<multi_case> out;
  for (int k : {1, 2, 3, 8, 16}) {
    out.push_back({packed_call(layout::row_major, op::n, 300, 1000, 0.5f), k});   // rows read once
    out.push_back({packed_call(layout::col_major, op::t, 1000, 77), k});          // the same, column-major
    out.push_back({packed_call(layout::row_major, op::t, 700, 90, -1.0f), k});   // a batch sharing A
    out.push_back({packed_call(layout::row_major, op::n, 5000, 24), k});          // short rows: a batch
  }
  out.push_back({packed_call(layout::row_major, op::n, 2048, 4096), 4});  // the model's warps
  out.push_back({packed_call(layout::row_major, op::n, 64, 30000), 5});   // the model's blocks, two passes
  out.push_back({packed_call(layout::row_major, op::n, 129, 999, 0.25f), 3, /*pad=*/1});
  out.push_back({packed_call(layout::row_major, op::t, 333, 257), 6, /*pad=*/3});
  return out;
}

template <class C>
class MultiVector : public gpu_test_base {
 protected:
  using TA = typename C::a;
  using TX = typename C::x;
  using TY = typename C::y;

  /// Runs `mc` (with `forced` when not null) and checks every vector; with
  /// `twice`, also that a second run gives the same bits.
  void run_case(const multi_case& mc, const policy* forced = nullptr, bool twice = false) {
    const call_args& c = mc.args;
    std::vector<operands_of<C>> vectors;
    for (int j = 0; j < mc.k; ++j) {
      vectors.push_back(make_typed_operands<C>(c, 0, 0, next_seed()));
      vectors.back().A = vectors.front().A;
    }
    std::vector<std::vector<TX>> x_parts;
    std::vector<std::vector<TY>> y_parts;
    for (const auto& v : vectors) {
      x_parts.push_back(v.x);
      y_parts.push_back(v.y);
    }
    const std::int64_t ldx = static_cast<std::int64_t>(vectors[0].x.size()) + mc.pad;
    const std::int64_t ldy = static_cast<std::int64_t>(vectors[0].y.size()) + mc.pad;
    device_buffer<TA> A;
    device_buffer<TX> X;
    device_buffer<TY> Y;
    device_buffer<unsigned char> scratch(4 << 20);
    A.assign(vectors[0].A);
    X.assign(end_to_end(x_parts, mc.pad, element<TX>::poison()));
    const std::vector<TY> y_before = end_to_end(y_parts, mc.pad, element<TY>::poison());
    Y.assign(y_before);  // allocated before its address is taken

    arguments<TA, TX, TY> a;
    a.lay = c.lay;
    a.trans = c.trans;
    a.m = c.m;
    a.n = c.n;
    a.alpha = scalar_of<C>(c.alpha);
    a.A = A.data() + vectors[0].shift;
    a.lda = c.lda;
    a.x = X.data() + vectors[0].x_shift;
    a.beta = scalar_of<C>(c.beta);
    a.y = Y.data() + vectors[0].y_begin();
    a.vectors = mc.k;
    a.ldx = ldx;
    a.ldy = ldy;
    const std::string what = to_string(c) + " k " + std::to_string(mc.k) + " pad " + std::to_string(mc.pad) +
                             (forced != nullptr ? " forced " + to_string(*forced) : std::string());

    const auto run_once = [&] {
      Y.assign(y_before);
      status s;
      if (forced != nullptr) {
        plan chosen;
        s = detail::run(forced, detail::scratch_source::caller, workspace{scratch.data(), scratch.size()}, a,
                        nullptr, &chosen);
      } else if (mc.pad == 0 && c.alpha != 0.0f) {
        s = gemv_multi<TA, TX, TY>(c.lay, c.trans, c.m, c.n, mc.k, a.alpha, a.A, c.lda, a.x, ldx, a.beta, a.y,
                                   ldy);
      } else {
        s = run(a);
      }
      EXPECT_EQ(s, status::success) << what;
      GEMV_CUDA_CHECK(cudaDeviceSynchronize());
      return Y.to_host();
    };
    const std::vector<TY> first = run_once();
    for (int j = 0; j < mc.k; ++j) {
      const auto begin = first.begin() + j * ldy;
      const std::vector<TY> after(begin, begin + static_cast<std::int64_t>(vectors[0].y.size()));
      const operands_of<C>& v = vectors[static_cast<std::size_t>(j)];
      EXPECT_TRUE(check_y(c, v.y_begin(), v.y, after, typed_reference<C>(v))) << what << " vector " << j;
      for (std::int64_t p = 0; p < mc.pad; ++p) {
        const TY got = first[static_cast<std::size_t>(j * ldy + ldy - mc.pad + p)];
        const TY poison = element<TY>::poison();
        EXPECT_EQ(std::memcmp(&got, &poison, sizeof(TY)), 0) << what << ": padding after vector " << j << " written";
      }
    }
    if (twice) {
      const std::vector<TY> second = run_once();
      EXPECT_EQ(std::memcmp(first.data(), second.data(), first.size() * sizeof(TY)), 0)
          << what << ": not the same bits from run to run";
    }
  }
};

using multi_combinations =
    ::testing::Types<combination<float, float, float>, combination<__nv_bfloat16, __nv_bfloat16, __nv_bfloat16>,
                     combination<double, double, double>, combination<__nv_fp8_e4m3, __nv_bfloat16, __nv_bfloat16>,
                     combination<__nv_bfloat16, float, float>>;
TYPED_TEST_SUITE(MultiVector, multi_combinations, combination_names);

TYPED_TEST(MultiVector, EveryVectorMatchesItsReference) {
  for (const multi_case& mc : multi_cases()) {
    this->run_case(mc, nullptr, /*twice=*/true);
    if (this->HasFailure()) return;
  }
}

// Every family runs a several-vector call: row_warp and row_block read the
// rows once (vectors 0 takes the problem's pass size), the others run the
// vectors as a batch sharing A.
TYPED_TEST(MultiVector, EveryFamilyForced) {
  const policy along[] = {
      {kernel_kind::row_warp, 128, 1, 0, 2, 0, 0},  {kernel_kind::row_warp, 256, 2, 0, 2, 0, 4},
      {kernel_kind::row_warp, 128, 4, 0, 4, 0, 0},  {kernel_kind::row_block, 256, 1, 0, 2, 0, 2},
      {kernel_kind::row_block, 128, 2, 0, 4, 0, 0}, {kernel_kind::row_split_k, 128, 1, 0, 2, 3, 0},
      {kernel_kind::row_subwarp, 128, 0, 8, 2, 0, 0},
  };
  for (const policy& p : along) {
    for (const multi_case& mc : {multi_case{packed_call(layout::row_major, op::n, 150, 1000), 3},
                                 multi_case{packed_call(layout::row_major, op::n, 70, 515), 5, 1}}) {
      this->run_case(mc, &p);
      if (this->HasFailure()) return;
    }
  }
  const policy across[] = {{kernel_kind::column, 256, 0, 32, 4, 0, 0}, {kernel_kind::column, 128, 0, 8, 2, 3, 0}};
  for (const policy& p : across) {
    this->run_case({packed_call(layout::row_major, op::t, 400, 300), 3}, &p);
    if (this->HasFailure()) return;
  }
}

TYPED_TEST(MultiVector, AlphaZeroScalesEveryVector) {
  call_args c = packed_call(layout::row_major, op::n, 300, 1000, 0.5f);
  c.alpha = 0.0f;
  this->run_case({c, 3});
}

class MultiVectorStatus : public gpu_test_base {};

// Bad calls are refused before anything runs, and y is left as it was.
TEST_F(MultiVectorStatus, BadCallsWriteNothing) {
  device_buffer<float> A(64 * 64), X(64 * 4), Y(64 * 4);
  const std::vector<float> poison(64 * 4, element<float>::poison());
  Y.assign(poison);
  const auto call = [&](int k, std::int64_t ldx, std::int64_t ldy) {
    return gemv_multi<float>(layout::row_major, op::n, 64, 64, k, 1.0f, A.data(), 64, X.data(), ldx, 0.0f,
                             Y.data(), ldy);
  };
  EXPECT_EQ(call(0, 64, 64), status::invalid_vector_count);
  EXPECT_EQ(call(kMaxVectors + 1, 64, 64), status::invalid_vector_count);
  EXPECT_EQ(call(2, 63, 64), status::invalid_leading_dimension);
  EXPECT_EQ(call(2, 64, 32), status::invalid_leading_dimension);  // vectors of y would overlap
  GEMV_CUDA_CHECK(cudaDeviceSynchronize());
  const std::vector<float> after = Y.to_host();
  EXPECT_EQ(std::memcmp(after.data(), poison.data(), poison.size() * sizeof(float)), 0);
}

}  // namespace
}  // namespace gemv::test
