#pragma once
// Caller-owned scratch for split plans, and how much of it a problem needs.
// Host code only (no kernels), so C++ compilers can include it too (gemv.hpp).

#include <gemv/device.cuh>
#include <gemv/dispatch/make_plan.cuh>
#include <gemv/problem.cuh>

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace gemv {

/// Caller-owned scratch for split plans. With it, a call never allocates and
/// can be captured in a CUDA graph. kMaxWorkspaceBytes always suffices.
struct workspace {
  void* data = nullptr;
  std::size_t bytes = 0;
};

namespace detail {

/// The most scratch any call on an m x n problem of `type` can need on
/// `dev`: the plan reads, besides the shape, whether 16-byte loads are legal
/// and whether x is contiguous (the pointers and increments), so every
/// combination of the two is planned. alpha == 0 plans need none.
inline std::size_t workspace_bound(layout lay, op trans, std::int64_t m, std::int64_t n,
                                   dtype type, const device_info& dev) noexcept {
  const problem shape = describe(lay, trans, m, n, type, lay == layout::row_major ? n : m);
  std::size_t bytes = 0;
  for (bool vectorizable : {false, true}) {
    for (bool x_contiguous : {false, true}) {
      problem prob = shape;
      prob.vectorizable = vectorizable;
      prob.x_contiguous = x_contiguous;
      bytes = std::max(bytes, make_plan(prob, dev).workspace_bytes());
    }
  }
  return bytes;
}

}  // namespace detail

/// Scratch bytes that the workspace overload of gemv() needs for an m x n
/// problem of element type `type` on the current device: an upper bound over
/// every alpha, beta, pointer alignment and increment the call may be given
/// (the plan depends on them). Never more than kMaxWorkspaceBytes.
[[nodiscard]] inline status workspace_size(layout lay, op trans, std::int64_t m, std::int64_t n,
                                           dtype type, std::size_t& bytes) noexcept {
  bytes = 0;
  const std::int64_t run = lay == layout::row_major ? n : m;
  if (const status s = validate_shape(lay, trans, m, n, run > 1 ? run : 1, 1, 1, type);
      s != status::success)
    return s;
  int device = 0;
  device_info dev;
  if (const status s = current_device(device, dev); s != status::success) return s;
  bytes = detail::workspace_bound(lay, trans, m, n, type, dev);
  return status::success;
}

}  // namespace gemv
