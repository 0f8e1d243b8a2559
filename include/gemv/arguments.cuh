#pragma once
// The long form of a call: every argument of gemv(), and the features the
// short forms leave out (a caller's activation functor, alpha and beta read
// from device memory), in one struct. can_implement(), workspace_size() and
// run() take it (declared in gemv.hpp). Host code: a C++ compiler can
// include this header.

#include <gemv/types.cuh>

#include <cstdint>

namespace gemv {

/// y = act(alpha * scale * op(A) * x + bias) + beta * y for one call: A is
/// `TA`, x `TX`, y `TY` (is_supported_types_v), the epilogue's activation
/// `Act` (gemv::activation or a caller's functor: see epilogue). The fields
/// mean what gemv()'s parameters of the same names mean.
template <class TA, class TX = TA, class TY = TX, class Act = activation>
struct arguments {
  using scalar = scalar_t<TA, TX, TY>;

  layout lay = layout::row_major;
  op trans = op::n;
  std::int64_t m = 0;
  std::int64_t n = 0;
  scalar alpha = scalar(1);
  const TA* A = nullptr;
  std::int64_t lda = 1;
  const TX* x = nullptr;
  std::int64_t incx = 1;
  scalar beta = scalar(0);
  TY* y = nullptr;
  std::int64_t incy = 1;
  epilogue<TY, Act> ep{};
  /// Device pointers to alpha and beta (cuBLAS's device pointer mode): when
  /// set, the kernels read the value there as they store each output, and
  /// `alpha` or `beta` is ignored, so a captured graph picks up new values
  /// at every replay. The host then cannot see them: a call with alpha on
  /// the device always reads A and x (an alpha of 0 read there still drops
  /// the product), and only an empty problem returns early.
  const scalar* alpha_on_device = nullptr;
  const scalar* beta_on_device = nullptr;
  /// A strided batch of `batch` independent calls of this shape: member b
  /// multiplies A + b * stride_a by x + b * stride_x into y + b * stride_y
  /// (strides in elements, cuBLAS's strided batched call). A stride of 0
  /// shares the operand (not y's, unless there is one member). One launch
  /// serves the whole batch; the plan sees all of it. batch 0 does nothing.
  std::int64_t batch = 1;
  std::int64_t stride_a = 0;
  std::int64_t stride_x = 0;
  std::int64_t stride_y = 0;
  /// A batch given as arrays of `batch` device pointers in device memory
  /// (cuBLAS's batched call): when A_array is set, member b is A_array[b],
  /// x_array[b] and y_array[b], and A, x, y and the strides are ignored.
  /// The members' pointers live on the device, so the host checks only the
  /// arrays: each member must be aligned to its element type, and members'
  /// y must not overlap. Members are read element by element today (the
  /// host cannot see whether they are 16-byte aligned).
  const TA* const* A_array = nullptr;
  const TX* const* x_array = nullptr;
  TY* const* y_array = nullptr;
  /// Several vectors against this one A (gemv_multi): vector j of x starts
  /// at x + j * ldx and its y at y + j * ldy, for j < vectors (1 to
  /// kMaxVectors); ldx and ldy at least one vector's span. Where the rows
  /// of A are contiguous (row-major op n, column-major op t) each load of A
  /// serves up to four vectors; otherwise the vectors run as a batch that
  /// shares A. Not with a batch.
  int vectors = 1;
  std::int64_t ldx = 0;
  std::int64_t ldy = 0;
};

}  // namespace gemv
