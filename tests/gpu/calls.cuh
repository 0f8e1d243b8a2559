#pragma once
// Device copies of a problem's operands, the gemv entry points called with a
// call_args, and the run-then-check step every GPU test is made of.

#include "gpu/fixture.cuh"
#include "support/compare.hpp"
#include "support/operands.hpp"
#include "support/reference.hpp"

#include <gemv/gemv.cuh>

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace gemv::test {

/// Device buffers mirroring an operands<T> element for element, so pointer
/// offsets (the misaligning shift, the guards) carry over unchanged. Each
/// buffer is exactly as large as its host copy: a read past A, x or y leaves
/// its allocation (compute-sanitizer), or, within the guards, reads poison.
template <class T>
class device_operands {
 public:
  void upload(const operands<T>& ops) {
    A_.assign(ops.A);
    x_.assign(ops.x);
    y_.assign(ops.y);
    shift_ = ops.shift;
    x_shift_ = ops.x_shift;
    y_begin_ = ops.y_begin();
  }
  /// Puts y (with its poison) back as it was uploaded.
  void reset_y(const operands<T>& ops) { y_.assign(ops.y); }
  std::vector<T> y_buffer() const { return y_.to_host(); }
  /// The whole y buffer on the device, guards included.
  const device_buffer<T>& y_storage() const { return y_; }

  /// A and x, guards and padding included, bitwise as `ops` uploaded them:
  /// gemv only reads them (reference BLAS test programs check the same).
  testing::AssertionResult inputs_unchanged(const operands<T>& ops) const {
    const std::int64_t a = A_.first_difference(ops.A), x = x_.first_difference(ops.x);
    if (a < 0 && x < 0) return testing::AssertionSuccess();
    testing::AssertionResult failure = testing::AssertionFailure();
    if (a >= 0) failure << "A's buffer changed at element " << a << " (A starts at " << shift_ << "). ";
    if (x >= 0) failure << "x's buffer changed at element " << x << " (x starts at " << x_shift_ << ").";
    return failure;
  }

  const T* A() const { return A_.data() + shift_; }
  const T* x() const { return x_.data() + x_shift_; }
  T* y() const { return y_.data() + y_begin_; }

 private:
  device_buffer<T> A_, x_, y_;
  std::int64_t shift_ = 0, x_shift_ = 0, y_begin_ = 0;
};

/// gemv::choose_plan<T>(): the plan the dispatch makes for call `c` on these operands.
template <class T>
status call_choose_plan(const call_args& c, const T* A, const T* x, const T* y, plan& out) {
  return choose_plan<T>(c.lay, c.trans, c.m, c.n, c.alpha, A, c.lda, x, c.incx, c.beta, y, c.incy,
                        out);
}

/// gemv::gemv<T>() with the library's scratch.
template <class T>
status call_gemv(const call_args& c, const T* A, const T* x, T* y, cudaStream_t stream = nullptr) {
  return gemv::gemv<T>(c.lay, c.trans, c.m, c.n, c.alpha, A, c.lda, x, c.incx, c.beta, y, c.incy,
                       stream);
}

/// gemv::gemv<T>() with caller-owned scratch (the graph-safe overload).
template <class T>
status call_gemv(const call_args& c, const T* A, const T* x, T* y, workspace ws,
                 cudaStream_t stream = nullptr) {
  return gemv::gemv<T>(c.lay, c.trans, c.m, c.n, c.alpha, A, c.lda, x, c.incx, c.beta, y, c.incy,
                       ws, stream);
}

template <class T>
status call_forced(const policy& pol, const call_args& c, const T* A, const T* x, T* y,
                   workspace ws, plan* ran = nullptr) {
  return gemv_with_policy<T>(pol, c.lay, c.trans, c.m, c.n, c.alpha, A, c.lda, x, c.incx, c.beta,
                             y, c.incy, ws, nullptr, ran);
}

/// Resets y on the device, runs launch(A, x, y) (a gemv call returning its
/// status), waits for it and checks y against `ref` as `how` says, and A and
/// x unchanged. `after` receives the y buffer. A CUDA error (a faulting
/// kernel) throws and fails the test.
template <class T, class Launch>
testing::AssertionResult run_and_check(device_operands<T>& dev, const operands<T>& ops,
                                       const expected& ref, Launch&& launch,
                                       std::vector<T>* after = nullptr,
                                       comparison how = comparison::tolerance) {
  dev.reset_y(ops);
  const status s = launch(dev.A(), dev.x(), dev.y());
  if (s != status::success) return testing::AssertionFailure() << "returned " << to_string(s);
  GEMV_CUDA_CHECK(cudaGetLastError());
  GEMV_CUDA_CHECK(cudaDeviceSynchronize());
  std::vector<T> y = dev.y_buffer();
  testing::AssertionResult result = check_y(ops, y, ref, how);
  if (after != nullptr) *after = std::move(y);
  if (!result) return result;
  return dev.inputs_unchanged(ops);
}

/// run_and_check with exact comparison (comparison::exact).
template <class T, class Launch>
testing::AssertionResult run_and_check_exact(device_operands<T>& dev, const operands<T>& ops,
                                             const expected& ref, Launch&& launch,
                                             std::vector<T>* after = nullptr) {
  return run_and_check(dev, ops, ref, std::forward<Launch>(launch), after, comparison::exact);
}

/// Stops a test that keeps failing the same way from printing thousands of
/// lines: the first few failures say everything.
class failure_budget {
 public:
  explicit failure_budget(int allowed = 12) : left_(allowed) {}
  /// Records a failure; false once the budget is spent.
  bool spend() { return --left_ > 0; }

 private:
  int left_;
};

}  // namespace gemv::test
