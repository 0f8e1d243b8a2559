// The public entry points report bad input before they touch the CUDA
// runtime, so these run (and must pass) on a machine without a GPU: a call
// that reached the device query there would return device_error instead.

#include "host/call_fixture.hpp"

#include <gemv/gemv.cuh>

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace gemv::test {
namespace {

/// Runs a raw_call through every public overload for element type T.
template <class T>
std::vector<status> all_overloads(const raw_call& c) {
  const auto* A = static_cast<const T*>(c.A);
  const auto* x = static_cast<const T*>(c.x);
  auto* y = static_cast<T*>(c.y);
  const policy forced{kernel_kind::row_warp, 256, 1, 0, 4, 0};
  plan chosen;
  return {
      gemv::gemv<T>(c.lay, c.trans, c.m, c.n, c.alpha, A, c.lda, x, c.incx, c.beta, y, c.incy),
      gemv::gemv<T>(c.lay, c.trans, c.m, c.n, c.alpha, A, c.lda, x, c.incx, c.beta, y, c.incy,
                    workspace{}),
      gemv::gemv_with_policy<T>(forced, c.lay, c.trans, c.m, c.n, c.alpha, A, c.lda, x, c.incx,
                                c.beta, y, c.incy, workspace{}),
      gemv::choose_plan<T>(c.lay, c.trans, c.m, c.n, c.alpha, A, c.lda, x, c.incx, c.beta, y,
                           c.incy, chosen),
  };
}

class PublicApi : public ::testing::Test {
 protected:
  fake_memory mem;

  /// Every overload returns `expected` for `c`, and so does validate().
  void expect_status(const raw_call& c, status expected, const char* what) {
    EXPECT_EQ(c.validate(), expected) << what;
    for (const status s : all_overloads<float>(c))
      EXPECT_EQ(s, expected) << what << ": got " << to_string(s);
  }
};

TEST_F(PublicApi, ReportsEachKindOfBadInput) {
  raw_call c = mem.valid_call();
  c.lay = static_cast<layout>(5);
  expect_status(c, status::invalid_enum, "layout out of range");

  c = mem.valid_call();
  c.m = -2;
  expect_status(c, status::invalid_size, "negative m");
  c = mem.valid_call();
  c.n = -1;
  expect_status(c, status::invalid_size, "negative n");

  c = mem.valid_call(layout::row_major);
  c.lda = c.n - 1;
  expect_status(c, status::invalid_leading_dimension, "row-major lda < n");
  c = mem.valid_call(layout::col_major);
  c.lda = c.m - 1;
  expect_status(c, status::invalid_leading_dimension, "col-major lda < m");

  c = mem.valid_call();
  c.incx = 0;
  expect_status(c, status::invalid_increment, "incx == 0");
  c = mem.valid_call();
  c.incy = 0;
  expect_status(c, status::invalid_increment, "incy == 0");

  c = mem.valid_call();
  c.A = nullptr;
  expect_status(c, status::null_pointer, "A null");
  c = mem.valid_call();
  c.x = nullptr;
  expect_status(c, status::null_pointer, "x null");
  c = mem.valid_call();
  c.y = nullptr;
  expect_status(c, status::null_pointer, "y null");

  c = mem.valid_call();
  c.A = mem.at(2);
  expect_status(c, status::misaligned_pointer, "A misaligned");
  c = mem.valid_call();
  c.y = mem.at(129);
  expect_status(c, status::misaligned_pointer, "y misaligned");
}

TEST_F(PublicApi, HalfAndBfloat16CheckTwoByteAlignment) {
  // choose_plan validates exactly like gemv() and instantiates no kernel.
  for (dtype type : {dtype::f16, dtype::bf16}) {
    raw_call c = mem.valid_call(layout::row_major, op::n, type);
    c.x = mem.at(65);
    plan chosen;
    const status s =
        type == dtype::f16
            ? choose_plan<__half>(c.lay, c.trans, c.m, c.n, c.alpha, static_cast<const __half*>(c.A),
                                  c.lda, static_cast<const __half*>(c.x), c.incx, c.beta,
                                  static_cast<const __half*>(c.y), c.incy, chosen)
            : choose_plan<__nv_bfloat16>(
                  c.lay, c.trans, c.m, c.n, c.alpha, static_cast<const __nv_bfloat16*>(c.A), c.lda,
                  static_cast<const __nv_bfloat16*>(c.x), c.incx, c.beta,
                  static_cast<const __nv_bfloat16*>(c.y), c.incy, chosen);
    EXPECT_EQ(s, status::misaligned_pointer) << to_string(type);
  }
}

TEST_F(PublicApi, QuickReturnWithoutOutputsNeedsNoDevice) {
  for (layout lay : {layout::row_major, layout::col_major}) {
    for (op trans : {op::n, op::t}) {
      raw_call c = mem.valid_call(lay, trans);
      (trans == op::n ? c.m : c.n) = 0;
      c.lda = std::max<std::int64_t>(1, lay == layout::row_major ? c.n : c.m);
      c.A = nullptr;
      c.x = nullptr;
      c.y = nullptr;
      expect_status(c, status::success, "no outputs");
    }
  }
}

TEST_F(PublicApi, WorkspaceSizeRejectsNegativeSizes) {
  std::size_t bytes = 123;
  EXPECT_EQ(workspace_size(layout::row_major, op::n, -1, 4, dtype::f32, bytes), status::invalid_size);
  EXPECT_EQ(bytes, 0u);
  EXPECT_EQ(workspace_size(layout::col_major, op::t, 4, -1, dtype::f16, bytes), status::invalid_size);
}

}  // namespace
}  // namespace gemv::test
