#pragma once
// Definitions of the public entry points declared in gemv.hpp. Every call
// validates its arguments, asks the dispatch for a plan and launches it on
// the caller's stream: no host synchronisation, no exceptions, and nothing
// read or written unless the status is success.

#include <gemv/device.cuh>
#include <gemv/device/scratch.cuh>
#include <gemv/errors.cuh>
#include <gemv/dispatch/launch.cuh>
#include <gemv/dispatch/occupancy.cuh>
#include <gemv/gemv.hpp>

namespace gemv {
namespace detail {

/// Where the scratch of a split plan comes from.
enum class scratch_source { library, caller };

/// Validates a call and makes its plan on the current device. A quick
/// return (is_quick_return) makes a plan of kernel_kind::none and no CUDA
/// call.
inline status prepare(const policy* forced, layout lay, op trans, std::int64_t m, std::int64_t n,
                      float alpha, const void* A, std::int64_t lda, const void* x,
                      std::int64_t incx, float beta, const void* y, std::int64_t incy, dtype type,
                      occupancy_query occupancy, int& device, plan& pl) noexcept {
  thread_cuda_error = cudaSuccess;
  const status valid = validate(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, type);
  if (valid != status::success) return valid;
  problem prob = describe(lay, trans, m, n, type, A, lda, x, incx);
  if (is_quick_return(m, n, alpha, beta)) {
    pl = plan{};
    pl.prob = prob;
    pl.pol.kernel = kernel_kind::none;
    return status::success;
  }
  // alpha == 0: A and x are not read, y = beta * y.
  if (alpha == 0.0f) (prob.kind == reduction::along_rows ? prob.cols : prob.rows) = 0;

  device_info dev;
  if (const status s = current_device(device, dev); s != status::success) return s;
  dev.occupancy = occupancy;
  dev.device = device;
  if (forced != nullptr && prob.reduction_length() > 0) {
    if (!is_supported(*forced, prob.kind) || forced->kernel == kernel_kind::scale_only)
      return status::invalid_plan;
    pl = make_plan(prob, dev, *forced);
  } else {
    pl = make_plan(prob, dev);
  }
  return status::success;
}

template <class T>
status run(const policy* forced, scratch_source source, workspace ws, layout lay, op trans,
           std::int64_t m, std::int64_t n, float alpha, const T* A, std::int64_t lda, const T* x,
           std::int64_t incx, float beta, T* y, std::int64_t incy, cudaStream_t stream,
           plan* chosen) noexcept {
  static_assert(is_supported_element_v<T>, "gemv runs on float, __half and __nv_bfloat16");
  int device = 0;
  plan pl;
  const status prepared = prepare(forced, lay, trans, m, n, alpha, A, lda, x, incx, beta, y,
                                  incy, dtype_of<T>::value, resident_blocks_of<T>, device, pl);
  if (prepared != status::success) return prepared;
  if (chosen != nullptr) *chosen = pl;
  if (pl.pol.kernel == kernel_kind::none) return status::success;

  void* scratch = nullptr;
  const std::size_t need = pl.workspace_bytes();
  if (need > 0 && source == scratch_source::caller) {
    if (ws.data == nullptr || ws.bytes < need) return status::insufficient_workspace;
    scratch = ws.data;
  } else if (need > 0) {
    if (const status s = acquire_scratch(device, stream, need, scratch); s != status::success) return s;
  }

  const problem& prob = pl.prob;
  const std::int64_t x_len = trans == op::n ? n : m;
  kernel_args<T> args{};
  args.A = A;
  args.ld = lda;
  args.rows = prob.rows;
  args.cols = prob.cols;
  args.x = incx < 0 ? x + (1 - x_len) * incx : x;
  args.incx = incx;
  args.y = incy < 0 ? y + (1 - prob.outputs()) * incy : y;
  args.incy = incy;
  args.epilogue = {alpha, beta};
  args.partials = static_cast<double*>(scratch);
  args.split_length = pl.split_length;
  args.splits = pl.splits;
  const status launched = launch(pl, args, device, stream);
  if (source == scratch_source::library && scratch != nullptr) {
    // Freed on the stream after the kernels that use it, even when a launch
    // failed (the allocation itself was made).
    if (const cudaError_t e = release_scratch(scratch, stream);
        e != cudaSuccess && launched == status::success)
      return fail(status::allocation_failed, e);
  }
  return launched;
}

}  // namespace detail

// The entry points declared, with their default arguments and documentation,
// in gemv.hpp.

template <class T>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n, float alpha,
                          const T* A, std::int64_t lda, const T* x, std::int64_t incx, float beta,
                          T* y, std::int64_t incy, cudaStream_t stream) noexcept {
  return detail::run<T>(nullptr, detail::scratch_source::library, {}, lay, trans, m, n, alpha, A,
                        lda, x, incx, beta, y, incy, stream, nullptr);
}

template <class T>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n, float alpha,
                          const T* A, std::int64_t lda, const T* x, std::int64_t incx, float beta,
                          T* y, std::int64_t incy, workspace ws, cudaStream_t stream) noexcept {
  return detail::run<T>(nullptr, detail::scratch_source::caller, ws, lay, trans, m, n, alpha, A,
                        lda, x, incx, beta, y, incy, stream, nullptr);
}

template <class T>
[[nodiscard]] status gemv_with_policy(const policy& forced, layout lay, op trans, std::int64_t m,
                                      std::int64_t n, float alpha, const T* A, std::int64_t lda,
                                      const T* x, std::int64_t incx, float beta, T* y,
                                      std::int64_t incy, workspace ws, cudaStream_t stream,
                                      plan* chosen) noexcept {
  return detail::run<T>(&forced, detail::scratch_source::caller, ws, lay, trans, m, n, alpha, A,
                        lda, x, incx, beta, y, incy, stream, chosen);
}

template <class T>
[[nodiscard]] status choose_plan(layout lay, op trans, std::int64_t m, std::int64_t n, float alpha,
                                 const T* A, std::int64_t lda, const T* x, std::int64_t incx,
                                 float beta, const T* y, std::int64_t incy, plan& out) noexcept {
  int device = 0;
  return detail::prepare(nullptr, lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy,
                         dtype_of<T>::value, detail::resident_blocks_of<T>, device, out);
}

}  // namespace gemv
