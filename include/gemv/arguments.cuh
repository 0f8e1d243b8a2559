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
};

}  // namespace gemv
