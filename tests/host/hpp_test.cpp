// gemv.hpp from a C++ compiler: this file is compiled without nvcc and calls
// the entry points that gemv::gemv_compiled instantiated. The calls here end
// before any device is touched (quick returns, bad arguments), or, on a
// machine without a GPU, at the device query.

#if defined(__CUDACC__)
#error "hpp_test.cpp checks gemv.hpp under the host compiler; it must not be built by nvcc"
#endif

#include <gemv/gemv.hpp>

#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace gemv::test {
namespace {

/// A call's arguments; the pointers point into host memory that no path
/// tested here may read or write.
template <class T>
struct host_call {
  layout lay = layout::row_major;
  op trans = op::n;
  std::int64_t m = 3;
  std::int64_t n = 5;
  float alpha = 1.0f;
  std::int64_t lda = 5;
  std::int64_t incx = 1;
  float beta = 0.0f;
  std::int64_t incy = 1;
  alignas(16) T A[15];
  alignas(16) T x[5];
  alignas(16) T y[5];

  host_call() {
    // A byte pattern no gemv result would leave behind in every byte (set
    // through void*: __half and __nv_bfloat16 are classes).
    std::memset(static_cast<void*>(A), 0x5a, sizeof A);
    std::memset(static_cast<void*>(x), 0x5a, sizeof x);
    std::memset(static_cast<void*>(y), 0x5a, sizeof y);
  }

  bool y_untouched() const {
    for (std::size_t i = 0; i < sizeof y; ++i)
      if (reinterpret_cast<const unsigned char*>(y)[i] != 0x5a) return false;
    return true;
  }

  /// The statuses of every entry point, in declaration order.
  std::vector<status> run_all(plan& chosen) {
    const policy forced{kernel_kind::row_warp, 256, 1, 0, 4, 0};
    plan ran;
    return {
        gemv::gemv<T>(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy),
        gemv::gemv<T>(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, workspace{}),
        gemv::gemv_with_policy<T>(forced, lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy,
                                  workspace{}, nullptr, &ran),
        gemv::choose_plan<T>(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, chosen),
    };
  }
};

template <class T>
class CompiledEntryPoints : public ::testing::Test {};
using element_types = ::testing::Types<float, __half, __nv_bfloat16>;
TYPED_TEST_SUITE(CompiledEntryPoints, element_types);

TYPED_TEST(CompiledEntryPoints, QuickReturnSucceedsWithoutADevice) {
  struct empty_case {
    std::int64_t m, n;
    float alpha, beta;
    const char* what;
  };
  for (const empty_case& e : {empty_case{0, 5, 1.0f, 0.0f, "m == 0"},
                              empty_case{3, 0, 1.0f, 0.0f, "n == 0"},
                              empty_case{3, 5, 0.0f, 1.0f, "alpha == 0, beta == 1"}}) {
    host_call<TypeParam> c;
    c.m = e.m;
    c.n = e.n;
    c.lda = e.n > 0 ? e.n : 1;
    c.alpha = e.alpha;
    c.beta = e.beta;
    plan chosen;
    chosen.pol.kernel = kernel_kind::row_block;
    for (const status s : c.run_all(chosen))
      EXPECT_EQ(s, status::success) << e.what << ": " << to_string(s);
    EXPECT_EQ(chosen.pol.kernel, kernel_kind::none) << e.what;
    EXPECT_TRUE(c.y_untouched()) << e.what;
    EXPECT_EQ(last_cuda_error(), cudaSuccess) << e.what;
  }
}

TYPED_TEST(CompiledEntryPoints, InvalidArgumentsAreReported) {
  host_call<TypeParam> c;
  c.m = -1;
  plan chosen;
  for (const status s : c.run_all(chosen)) EXPECT_EQ(s, status::invalid_size) << to_string(s);

  c = host_call<TypeParam>{};
  c.incx = 0;
  for (const status s : c.run_all(chosen)) EXPECT_EQ(s, status::invalid_increment) << to_string(s);

  c = host_call<TypeParam>{};
  c.lda = c.n - 1;
  for (const status s : c.run_all(chosen))
    EXPECT_EQ(s, status::invalid_leading_dimension) << to_string(s);
  EXPECT_TRUE(c.y_untouched());
  EXPECT_EQ(last_cuda_error(), cudaSuccess);
}

TEST(CompiledApi, WorkspaceSizeValidatesBeforeTheDevice) {
  std::size_t bytes = 123;
  EXPECT_EQ(workspace_size(layout::row_major, op::n, -1, 5, dtype::f32, bytes),
            status::invalid_size);
  EXPECT_EQ(bytes, 0u);
  EXPECT_EQ(workspace_size(static_cast<layout>(7), op::n, 3, 5, dtype::f16, bytes),
            status::invalid_enum);
}

// The library and this file share one CUDA runtime and one per-thread error:
// the error behind a failed device query reaches last_cuda_error() here.
TEST(CompiledApi, DeviceErrorWithoutADeviceCarriesItsCudaError) {
  int device = 0;
  const cudaError_t no_device = cudaGetDevice(&device);
  if (no_device == cudaSuccess) GTEST_SKIP() << "a CUDA device is present";
  host_call<float> c;
  EXPECT_EQ(gemv::gemv<float>(c.lay, c.trans, c.m, c.n, c.alpha, c.A, c.lda, c.x, c.incx, c.beta,
                              c.y, c.incy),
            status::device_error);
  EXPECT_EQ(last_cuda_error(), no_device) << cudaGetErrorString(last_cuda_error());
  EXPECT_TRUE(c.y_untouched());
}

}  // namespace
}  // namespace gemv::test
