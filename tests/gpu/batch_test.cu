// Strided batches: every member checked against its own double reference,
// with operands shared across the batch (stride 0) or not, negative
// increments, members off their 16-byte boundary, and the same bits from run
// to run; a single call's row block kernel against a batch member's.

#include "gpu/typed_calls.cuh"

#include <gtest/gtest.h>

#include <cstring>
#include <utility>
#include <vector>

namespace gemv::test {
namespace {

/// How a batch lays its members out.
struct batch_case {
  call_args args;          ///< one member's call
  std::int64_t batch;
  bool shared_a = false;   ///< stride_a 0
  bool shared_x = false;   ///< stride_x 0
  std::int64_t pad = 0;    ///< elements between members' A (odd: off the 16-byte boundary)
};

std::vector<batch_case> batch_cases() {
  std::vector<batch_case> out;
  for (std::int64_t batch : {1, 2, 3, 17}) {
    out.push_back({packed_call(layout::row_major, op::n, 16, 16, 0.5f), batch});
    out.push_back({packed_call(layout::row_major, op::n, 300, 1000), batch});
    out.push_back({packed_call(layout::row_major, op::t, 700, 90, -1.0f), batch});
    out.push_back({packed_call(layout::col_major, op::n, 64, 30000), batch});  // split columns
    out.push_back({packed_call(layout::row_major, op::n, 4, 70000), batch});   // split rows
  }
  out.push_back({packed_call(layout::row_major, op::n, 16, 16), 4096});  // many small members
  call_args backwards = packed_call(layout::row_major, op::n, 200, 333, 0.25f);
  backwards.incx = -2;
  backwards.incy = -3;
  out.push_back({backwards, 5});
  out.push_back({packed_call(layout::row_major, op::n, 128, 512), 6, /*shared_a=*/true});
  // One A, members stepping forward through x and y: run as several vectors.
  out.push_back({packed_call(layout::row_major, op::n, 600, 1000, 0.5f), 5, /*shared_a=*/true});
  out.push_back({packed_call(layout::row_major, op::t, 512, 128), 6, false, /*shared_x=*/true});
  out.push_back({packed_call(layout::row_major, op::n, 96, 1000), 7, false, false, /*pad=*/1});
  return out;
}

template <class C>
class StridedBatch : public gpu_test_base {
 protected:
  using TA = typename C::a;
  using TX = typename C::x;
  using TY = typename C::y;

  void run_case(const batch_case& bc) {
    const call_args& c = bc.args;
    std::vector<operands_of<C>> members;
    for (std::int64_t b = 0; b < bc.batch; ++b) {
      members.push_back(make_typed_operands<C>(c, 0, 0, next_seed()));
      if (bc.shared_a) members.back().A = members.front().A;
      if (bc.shared_x) members.back().x = members.front().x;
      members.back().A.resize(members.back().A.size() + static_cast<std::size_t>(bc.pad),
                              element<TA>::poison());
    }
    const auto stride_of = [](std::size_t size) { return static_cast<std::int64_t>(size); };
    const std::int64_t stride_a = bc.shared_a ? 0 : stride_of(members[0].A.size());
    const std::int64_t stride_x = bc.shared_x ? 0 : stride_of(members[0].x.size());
    const std::int64_t stride_y = stride_of(members[0].y.size());
    std::vector<std::vector<TA>> a_parts;
    std::vector<std::vector<TX>> x_parts;
    std::vector<std::vector<TY>> y_parts;
    for (const auto& m : members) {
      if (!bc.shared_a || a_parts.empty()) a_parts.push_back(m.A);
      if (!bc.shared_x || x_parts.empty()) x_parts.push_back(m.x);
      y_parts.push_back(m.y);
    }
    device_buffer<TA> A;
    device_buffer<TX> x;
    device_buffer<TY> y;
    A.assign(end_to_end(a_parts));
    x.assign(end_to_end(x_parts));
    const std::vector<TY> y_before = end_to_end(y_parts);

    const auto run_batch = [&] {
      y.assign(y_before);
      const status s = gemv_strided_batched<TA, TX, TY>(
          c.lay, c.trans, c.m, c.n, scalar_of<C>(c.alpha), A.data() + members[0].shift, c.lda,
          stride_a, x.data() + members[0].x_shift, c.incx, stride_x, scalar_of<C>(c.beta),
          y.data() + members[0].y_begin(), c.incy, stride_y, bc.batch);
      EXPECT_EQ(s, status::success) << to_string(c) << " batch " << bc.batch;
      GEMV_CUDA_CHECK(cudaDeviceSynchronize());
      return y.to_host();
    };
    const std::vector<TY> first = run_batch();
    for (std::int64_t b = 0; b < bc.batch; ++b) {
      const auto begin = first.begin() + b * stride_y;
      const std::vector<TY> after(begin, begin + stride_y);
      const operands_of<C>& m = members[static_cast<std::size_t>(b)];
      EXPECT_TRUE(check_y(c, m.y_begin(), m.y, after, typed_reference<C>(m)))
          << to_string(c) << " batch " << bc.batch << " member " << b;
    }
    const std::vector<TY> second = run_batch();
    EXPECT_EQ(std::memcmp(first.data(), second.data(), first.size() * sizeof(TY)), 0)
        << to_string(c) << " batch " << bc.batch << ": not the same bits from run to run";

    // The same members through arrays of device pointers.
    std::vector<const TA*> a_ptrs;
    std::vector<const TX*> x_ptrs;
    std::vector<TY*> y_ptrs;
    for (std::int64_t b = 0; b < bc.batch; ++b) {
      a_ptrs.push_back(A.data() + members[0].shift + b * stride_a);
      x_ptrs.push_back(x.data() + members[0].x_shift + b * stride_x);
      y_ptrs.push_back(y.data() + members[0].y_begin() + b * stride_y);
    }
    device_buffer<const TA*> a_array;
    device_buffer<const TX*> x_array;
    device_buffer<TY*> y_array;
    a_array.assign(a_ptrs);
    x_array.assign(x_ptrs);
    y_array.assign(y_ptrs);
    y.assign(y_before);
    ASSERT_EQ((gemv_batched<TA, TX, TY>(c.lay, c.trans, c.m, c.n, scalar_of<C>(c.alpha), a_array.data(),
                                        c.lda, x_array.data(), c.incx, scalar_of<C>(c.beta),
                                        y_array.data(), c.incy, bc.batch)),
              status::success);
    GEMV_CUDA_CHECK(cudaDeviceSynchronize());
    const std::vector<TY> arrays = y.to_host();
    for (std::int64_t b = 0; b < bc.batch; ++b) {
      const auto begin = arrays.begin() + b * stride_y;
      const std::vector<TY> after(begin, begin + stride_y);
      const operands_of<C>& m = members[static_cast<std::size_t>(b)];
      EXPECT_TRUE(check_y(c, m.y_begin(), m.y, after, typed_reference<C>(m)))
          << to_string(c) << " pointer arrays, batch " << bc.batch << " member " << b;
    }
  }
};

using batch_combinations =
    ::testing::Types<combination<float, float, float>, combination<__nv_bfloat16, __nv_bfloat16, __nv_bfloat16>,
                     combination<double, double, double>, combination<__nv_fp8_e4m3, __nv_bfloat16, __nv_bfloat16>>;
TYPED_TEST_SUITE(StridedBatch, batch_combinations, combination_names);

TYPED_TEST(StridedBatch, EveryMemberMatchesItsReference) {
  for (const batch_case& bc : batch_cases()) {
    this->run_case(bc);
    if (this->HasFailure()) return;
  }
}

class StridedBatchStatus : public gpu_test_base {};

// Bad batches are refused before anything runs, and y is left as it was.
TEST_F(StridedBatchStatus, BadBatchesWriteNothing) {
  device_buffer<float> A(64 * 64 * 2), x(128), y(128);
  const std::vector<float> poison(128, element<float>::poison());
  y.assign(poison);
  EXPECT_EQ(gemv_strided_batched<float>(layout::row_major, op::n, 64, 64, 1.0f, A.data(), 64, 4096,
                                        x.data(), 1, 64, 0.0f, y.data(), 1, 64, -1),
            status::invalid_batch);
  EXPECT_EQ(gemv_strided_batched<float>(layout::row_major, op::n, 64, 64, 1.0f, A.data(), 64, 4096,
                                        x.data(), 1, 64, 0.0f, y.data(), 1, 32, 2),
            status::overlapping_outputs);
  GEMV_CUDA_CHECK(cudaDeviceSynchronize());
  const std::vector<float> after = y.to_host();
  EXPECT_EQ(std::memcmp(after.data(), poison.data(), poison.size() * sizeof(float)), 0);
}

class RowBlockSingleCall : public gpu_test_base {};

// A single call of 16-byte rows runs row_block_call_kernel, a member of a
// batch row_block_kernel: on the same plan they walk and sum alike, so they
// give the same bits. Shapes whose plan here is not an unsplit row block
// are passed over (the test skips if none is one).
TEST_F(RowBlockSingleCall, SameBitsAsABatchMember) {
  using C = combination<float, float, float>;
  int compared = 0;
  for (const auto& [m, n] : {std::pair<std::int64_t, std::int64_t>{4096, 4096}, {256, 131072}, {1000, 8200}}) {
    call_args c = packed_call(layout::row_major, op::n, m, n, -1.5f);
    c.alpha = 0.5f;
    const operands_of<C> ops = make_typed_operands<C>(c, 0, 0, next_seed());
    // Two members with the same operands, each stored on its own (a shared A
    // or x would run as several vectors).
    device_buffer<float> A, X, y_single, y_batch;
    A.assign(end_to_end<float>({ops.A, ops.A}));
    X.assign(end_to_end<float>({ops.x, ops.x}));
    y_single.assign(ops.y);
    y_batch.assign(end_to_end<float>({ops.y, ops.y}));

    arguments<float> single;
    single.m = m;
    single.n = n;
    single.A = A.data() + ops.shift;
    single.lda = c.lda;
    single.x = X.data() + ops.x_shift;
    single.y = y_single.data() + ops.y_begin();
    single.alpha = c.alpha;
    single.beta = c.beta;
    arguments<float> batch = single;
    batch.y = y_batch.data() + ops.y_begin();
    batch.batch = 2;
    batch.stride_a = static_cast<std::int64_t>(ops.A.size());
    batch.stride_x = static_cast<std::int64_t>(ops.x.size());
    batch.stride_y = static_cast<std::int64_t>(ops.y.size());
    plan single_plan, batch_plan;
    ASSERT_EQ(choose_plan(single, single_plan), status::success);
    ASSERT_EQ(choose_plan(batch, batch_plan), status::success);
    if (single_plan.pol.kernel != kernel_kind::row_block || single_plan.splits != 1 ||
        !single_plan.vectorized || single_plan.pol != batch_plan.pol)
      continue;
    ++compared;
    ASSERT_EQ(run(single, nullptr), status::success);
    ASSERT_EQ(run(batch, nullptr), status::success);
    GEMV_CUDA_CHECK(cudaDeviceSynchronize());
    const std::vector<float> got = y_single.to_host();
    const std::vector<float> members = y_batch.to_host();
    const std::string shape = to_string(c) + " " + to_string(single_plan.pol);
    EXPECT_EQ(std::memcmp(got.data(), members.data(), got.size() * sizeof(float)), 0) << shape << ", member 0";
    EXPECT_EQ(std::memcmp(got.data(), members.data() + got.size(), got.size() * sizeof(float)), 0)
        << shape << ", member 1";
    EXPECT_TRUE(check_y(ops, got, typed_reference<C>(ops))) << shape;
  }
  if (compared == 0) GTEST_SKIP() << "no shape gets an unsplit row_block plan on this device";
}

}  // namespace
}  // namespace gemv::test
