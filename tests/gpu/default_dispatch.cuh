#pragma once
// The default dispatch (gemv::gemv<T> with the library's own scratch) on the
// benchmark's shapes, and on a problem past 2^31 elements.

#include "gpu/calls.cuh"

#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>
#include <vector>

namespace gemv::test {

struct benchmark_shape {
  layout lay;
  op trans;
  std::int64_t m, n;
};

/// The shapes of bench/shapes.hpp's default sweep, by element type.
template <class T>
std::vector<benchmark_shape> benchmark_shapes() {
  constexpr layout R = layout::row_major;
  constexpr op N = op::n, Tr = op::t;
  if constexpr (std::is_same_v<T, float>) {
    return {{R, N, 2048, 1048576}, {R, N, 256, 131072}, {R, N, 4096, 4096},  {R, N, 8192, 8192},
            {R, N, 16384, 16384},  {R, N, 1, 16777216}, {R, N, 16777216, 8}, {R, N, 1048576, 64},
            {R, N, 64, 1048576},   {R, N, 256, 256},    {R, N, 1024, 1024},  {R, Tr, 4096, 4096},
            {R, Tr, 16384, 4096}};
  } else if constexpr (std::is_same_v<T, __half>) {
    return {{R, N, 4096, 4096}, {R, N, 11008, 4096}, {R, N, 4096, 11008}};
  } else {
    return {{R, N, 14336, 4096}, {R, N, 4096, 14336}, {R, N, 128256, 4096}, {R, Tr, 4096, 14336}};
  }
}

/// The default plan of a packed problem on 16-byte aligned pointers.
template <class T>
plan packed_plan(const benchmark_shape& s, const device_info& dev) {
  problem prob = describe(s.lay, s.trans, s.m, s.n, dtype_of<T>::value,
                          s.lay == layout::row_major ? s.n : s.m);
  prob.vectorizable = prob.ld * static_cast<std::int64_t>(sizeof(T)) % 16 == 0;
  return make_plan(prob, dev);
}

/// `s` shrunk for GEMV_TEST_REDUCED=1 to at most kReducedBytes of A: m
/// halved, else n, as long as the default plan keeps its kernel and its
/// split or no split; as it is if neither can be halved so.
template <class T>
benchmark_shape reduced_shape(benchmark_shape s) {
  constexpr std::int64_t kReducedBytes = std::int64_t{64} << 20;
  int device = 0;
  device_info dev;
  if (current_device(device, dev) != status::success) return s;
  const plan full = packed_plan<T>(s, dev);
  const auto same_family = [&](const benchmark_shape& t) {
    const plan p = packed_plan<T>(t, dev);
    return p.pol.kernel == full.pol.kernel && (p.splits > 1) == (full.splits > 1);
  };
  while (s.m * s.n * static_cast<std::int64_t>(sizeof(T)) > kReducedBytes) {
    benchmark_shape fewer_m = s, fewer_n = s;
    fewer_m.m = s.m / 2;
    fewer_n.n = s.n / 2;
    if (fewer_m.m >= 1 && same_family(fewer_m)) {
      s = fewer_m;
    } else if (fewer_n.n >= 1 && same_family(fewer_n)) {
      s = fewer_n;
    } else {
      break;
    }
  }
  return s;
}

template <class T>
class DefaultDispatch : public gpu_test<T> {};

TYPED_TEST_SUITE_P(DefaultDispatch);

TYPED_TEST_P(DefaultDispatch, BenchmarkShapes) {
  using T = TypeParam;
  device_operands<T> dev;
  int index = 0;
  for (benchmark_shape s : benchmark_shapes<T>()) {
    if (reduced_size()) s = reduced_shape<T>(s);
    call_args c;
    c.lay = s.lay;
    c.trans = s.trans;
    c.m = s.m;
    c.n = s.n;
    c.lda = s.lay == layout::row_major ? s.n : s.m;
    // Alternately the benchmark's y = A x (NaN in y) and a full update.
    c.alpha = index % 2 == 0 ? 1.0f : -0.5f;
    c.beta = index++ % 2 == 0 ? 0.0f : 2.0f;
    SCOPED_TRACE(to_string(c));
    const std::size_t bytes = static_cast<std::size_t>(s.m * s.n) * sizeof(T);
    if (const std::string why = memory_shortfall(bytes, 2 * bytes); !why.empty()) {
      std::printf("not run, too large here: %s: %s\n", to_string(c).c_str(), why.c_str());
      continue;
    }
    const operands<T> ops = make_operands<T>(c, 0, this->next_seed());
    const expected ref = reference_gemv(ops);
    dev.upload(ops);
    plan chosen;
    ASSERT_EQ(call_choose_plan<T>(c, dev.A(), dev.x(), dev.y(), chosen), status::success);
    EXPECT_TRUE(chosen.vectorized) << to_string(chosen);
    EXPECT_TRUE(run_and_check(dev, ops, ref, [&](const T* A, const T* x, T* y) {
      return call_gemv(c, A, x, y);
    })) << to_string(chosen);
  }
}

// Rows of 257 bytes to 1 KB that do not start on 16-byte boundaries (odd
// lda): the default plan is the element-wise sub-warp (make_plan's
// short_row_sub_warp), and its results match the reference.
TYPED_TEST_P(DefaultDispatch, MisalignedShortRowsTakeASubWarp) {
  using T = TypeParam;
  const std::vector<std::int64_t> lengths =
      sizeof(T) == 4 ? std::vector<std::int64_t>{65, 77, 129, 255} : std::vector<std::int64_t>{129, 255, 511};
  device_operands<T> dev;
  int index = 0;
  for (const std::int64_t n : lengths) {
    call_args c = packed_call(layout::row_major, op::n, 3001 + 2 * index, n, index % 2 == 0 ? 0.0f : 2.0f);
    c.alpha = index++ % 2 == 0 ? 1.0f : -0.5f;
    SCOPED_TRACE(to_string(c));
    const operands<T> ops = make_operands<T>(c, 0, this->next_seed());
    const expected ref = reference_gemv(ops);
    dev.upload(ops);
    plan chosen;
    ASSERT_EQ(call_choose_plan<T>(c, dev.A(), dev.x(), dev.y(), chosen), status::success);
    EXPECT_EQ(chosen.pol.kernel, kernel_kind::row_subwarp) << to_string(chosen);
    EXPECT_FALSE(chosen.vectorized) << to_string(chosen);
    EXPECT_FALSE(chosen.staged) << to_string(chosen);
    EXPECT_TRUE(run_and_check(dev, ops, ref, [&](const T* A, const T* x, T* y) {
      return call_gemv(c, A, x, y);
    })) << to_string(chosen);
  }
}

// 2 x 1.1e9 elements, read as three problems that each need 64-bit offsets:
// two rows of 1.1e9 (split-K), 1.1e9 rows of two (sub-warp rows), and the
// transpose of the latter (the column kernel over 1.1e9 stored rows).
// GEMV_TEST_REDUCED=1 runs the same three views of 2 x 1.1e6 elements: the
// same kernels, without the 64-bit offsets.
TYPED_TEST_P(DefaultDispatch, MoreThan2To31Elements) {
  using T = TypeParam;
  const std::int64_t kLong = reduced_size() ? 1'100'000 : 1'100'000'000;
  const std::size_t a_bytes = 2 * kLong * sizeof(T), v_bytes = kLong * sizeof(T);
  // Host: A, one long vector and y before and after (when y is the long one).
  if (const std::string why = memory_shortfall(a_bytes + v_bytes, a_bytes + 3 * v_bytes);
      !why.empty())
    GTEST_SKIP() << why;

  const std::vector<T> A = random_matrix<T>(2, kLong, kLong, 0, this->next_seed(), {});
  device_buffer<T> dA;
  dA.assign(A);

  const call_args views[] = {packed_call(layout::row_major, op::n, 2, kLong, -0.5f),
                             packed_call(layout::row_major, op::n, kLong, 2, 0.0f),
                             packed_call(layout::row_major, op::t, kLong, 2, 2.0f)};
  for (const call_args& c : views) {
    SCOPED_TRACE(to_string(c));
    operands<T> ops;  // x and y only: A is shared, above
    ops.args = c;
    ops.x = random_vector<T>(c.x_len(), 1, 0, 0, this->next_seed(), {});
    ops.y = random_vector<T>(c.y_len(), 1, kGuard, kGuard, this->next_seed(), {}, c.beta != 0.0f);
    // Every output of the short results; a sample (every 1009th) of the long one.
    const std::int64_t stride = c.y_len() > 1000000 ? 1009 : 1;
    const expected ref = reference_gemv(c, A.data(), ops.x_ptr(), ops.y_ptr(), stride);

    device_buffer<T> dx, dy;
    dx.assign(ops.x);
    dy.assign(ops.y);
    ASSERT_EQ(call_gemv(c, dA.data(), dx.data(), dy.data() + ops.y_begin()), status::success);
    GEMV_CUDA_CHECK(cudaDeviceSynchronize());
    EXPECT_TRUE(check_y(ops, dy.to_host(), ref));
  }
}

REGISTER_TYPED_TEST_SUITE_P(DefaultDispatch, BenchmarkShapes, MisalignedShortRowsTakeASubWarp,
                            MoreThan2To31Elements);

}  // namespace gemv::test
