#pragma once
// The library behind one non-template interface: a gemv call with its
// element types as values. gemv_runner.cpp turns them into template
// arguments and calls the entry points that gemv::gemv_compiled holds, so no
// file of the benchmark compiles the library's kernels.

#include "shapes.hpp"

#include <gemv/plan.cuh>
#include <gemv/types.cuh>

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

namespace gemv::bench {

/// The arguments of one gemv call. alpha and beta are converted to the
/// call's scalar type (double for double, float otherwise). The library's
/// own type-erased view (gemv::call_arguments) is read-only, for
/// validation: its y is const and it has no activation. This one is what
/// the benchmark builds and edits calls in (a batch member's pointers, a
/// twin call's types), so it keeps its own fields; gemv_runner.cpp's
/// long_form is the one place that maps them onto gemv::arguments.
struct gemv_call {
  operand_types types;
  layout lay = layout::row_major;
  op trans = op::n;
  std::int64_t m = 0;
  std::int64_t n = 0;
  double alpha = 1.0;
  const void* A = nullptr;
  std::int64_t lda = 0;
  const void* x = nullptr;
  std::int64_t incx = 1;
  double beta = 0.0;
  void* y = nullptr;
  std::int64_t incy = 1;
  /// The fused epilogue (gemv::epilogue<TY>): a float per output, an
  /// element of y's type per output, an activation. All null / none: the
  /// call without an epilogue.
  const float* scale = nullptr;
  const void* bias = nullptr;
  activation act = activation::none;
  /// A strided batch (gemv::gemv_strided_batched): members, and elements
  /// between them (0 shares A or x). A batch of 1 is the plain call.
  std::int64_t batch = 1;
  std::int64_t stride_a = 0;
  std::int64_t stride_x = 0;
  std::int64_t stride_y = 0;
  /// A batch given as device arrays of `batch` member pointers (TA*, TX*,
  /// TY* each, gemv::gemv_batched): when A_array is set, A, x, y and the
  /// strides are ignored.
  const void* A_array = nullptr;
  const void* x_array = nullptr;
  const void* y_array = nullptr;
  /// Several vectors against A (gemv::gemv_multi): k, and elements from one
  /// vector of x (of y) to the next. 0 vectors: a call of one vector.
  int vectors = 0;
  std::int64_t ldx = 0;
  std::int64_t ldy = 0;

  bool has_epilogue() const { return scale != nullptr || bias != nullptr || act != activation::none; }
  bool batched() const { return batch != 1; }
  bool arrays() const { return A_array != nullptr; }
  bool multi() const { return vectors > 0; }
};

/// Caller-owned split scratch (gemv::workspace, without including api.cuh).
struct scratch {
  void* data = nullptr;
  std::size_t bytes = 0;
};

/// gemv::gemv with the library's own scratch: the default dispatch;
/// gemv::gemv_strided_batched for a batch, gemv::gemv_batched for one given
/// as pointer arrays; for several vectors, the long
/// form of gemv::gemv_multi (arguments with vectors, ldx and ldy, through
/// gemv::run), the form gemv_compiled holds.
status run_default(const gemv_call& c, cudaStream_t stream);

/// gemv::gemv_with_policy: a forced policy and caller scratch. The library
/// has no forced-policy batch or several-vector call: invalid_plan for one.
status run_forced(const gemv_call& c, const policy& pol, scratch ws, cudaStream_t stream,
                  plan* chosen = nullptr);

/// gemv::choose_plan(arguments): what the default dispatch runs for this
/// call, a batch (planned as one problem of all its members' outputs),
/// several vectors and an epilogue included.
status plan_of(const gemv_call& c, plan& out);

}  // namespace gemv::bench
