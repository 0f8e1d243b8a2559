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
inline status prepare(const policy* forced, const call_arguments& c, occupancy_query occupancy,
                      int& device, plan& pl) noexcept {
  thread_cuda_error = cudaSuccess;
  if (const status valid = validate(c); valid != status::success) return valid;
  problem prob = describe(c.lay, c.trans, c.m, c.n, c.a_type, c.A, c.lda, c.x_type, c.x, c.incx);
  if (is_quick_return(c.m, c.n, c.alpha, c.beta, c.biased_outputs())) {
    pl = plan{};
    pl.prob = prob;
    pl.pol.kernel = kernel_kind::none;
    return status::success;
  }
  // alpha == 0: A and x are not read, y = beta * y (plus the epilogue's bias).
  if (c.alpha == 0.0) (prob.kind == reduction::along_rows ? prob.cols : prob.rows) = 0;

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

/// The call_arguments of a typed call.
template <class TA, class TX, class TY, class S>
call_arguments arguments_of(layout lay, op trans, std::int64_t m, std::int64_t n, S alpha,
                            const TA* A, std::int64_t lda, const TX* x, std::int64_t incx, S beta,
                            const TY* y, std::int64_t incy, const epilogue<TY>& ep) noexcept {
  static_assert(is_supported_types_v<TA, TX, TY>,
                "a type combination gemv does not run (types.cuh: is_supported_types_v)");
  call_arguments c;
  c.lay = lay;
  c.trans = trans;
  c.m = m;
  c.n = n;
  c.alpha = alpha;
  c.A = A;
  c.lda = lda;
  c.x = x;
  c.incx = incx;
  c.beta = beta;
  c.y = y;
  c.incy = incy;
  c.a_type = dtype_of<TA>::value;
  c.x_type = dtype_of<TX>::value;
  c.y_type = dtype_of<TY>::value;
  c.scale = ep.scale;
  c.bias = ep.bias;
  return c;
}

template <class TA, class TX, class TY>
status run(const policy* forced, scratch_source source, workspace ws, const call_arguments& c,
           const epilogue<TY>& ep, cudaStream_t stream, plan* chosen) noexcept {
  using E = element_types<TA, TX, TY>;
  using S = typename E::scalar;
  int device = 0;
  plan pl;
  const status prepared = prepare(forced, c, resident_blocks_of<E>, device, pl);
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
  const std::int64_t x_len = c.trans == op::n ? c.n : c.m;
  const auto* x = static_cast<const TX*>(c.x);
  auto* y = const_cast<TY*>(static_cast<const TY*>(c.y));
  kernel_args<E> args{};
  args.A = static_cast<const TA*>(c.A);
  args.ld = c.lda;
  args.rows = prob.rows;
  args.cols = prob.cols;
  args.x = c.incx < 0 ? x + (1 - x_len) * c.incx : x;
  args.incx = c.incx;
  args.y = c.incy < 0 ? y + (1 - prob.outputs()) * c.incy : y;
  args.incy = c.incy;
  args.epilogue = {static_cast<S>(c.alpha), static_cast<S>(c.beta), ep.scale, ep.bias, ep.act};
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

template <class TA, class TX, class TY>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n,
                          scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* x,
                          std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                          cudaStream_t stream) noexcept {
  const epilogue<TY> none{};
  return detail::run<TA, TX, TY>(
      nullptr, detail::scratch_source::library, {},
      detail::arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, none), none,
      stream, nullptr);
}

template <class TA, class TX, class TY>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n,
                          scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* x,
                          std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                          workspace ws, cudaStream_t stream) noexcept {
  const epilogue<TY> none{};
  return detail::run<TA, TX, TY>(
      nullptr, detail::scratch_source::caller, ws,
      detail::arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, none), none,
      stream, nullptr);
}

template <class TA, class TX, class TY>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n,
                          scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* x,
                          std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                          const epilogue<TY>& ep, cudaStream_t stream) noexcept {
  return detail::run<TA, TX, TY>(
      nullptr, detail::scratch_source::library, {},
      detail::arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, ep), ep,
      stream, nullptr);
}

template <class TA, class TX, class TY>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n,
                          scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* x,
                          std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                          const epilogue<TY>& ep, workspace ws, cudaStream_t stream) noexcept {
  return detail::run<TA, TX, TY>(
      nullptr, detail::scratch_source::caller, ws,
      detail::arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, ep), ep,
      stream, nullptr);
}

template <class TA, class TX, class TY>
[[nodiscard]] status gemv_with_policy(const policy& forced, layout lay, op trans, std::int64_t m,
                                      std::int64_t n, scalar_t<TA, TX, TY> alpha, const TA* A,
                                      std::int64_t lda, const TX* x, std::int64_t incx,
                                      scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                                      workspace ws, cudaStream_t stream, plan* chosen) noexcept {
  const epilogue<TY> none{};
  return detail::run<TA, TX, TY>(
      &forced, detail::scratch_source::caller, ws,
      detail::arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, none), none,
      stream, chosen);
}

template <class TA, class TX, class TY>
[[nodiscard]] status gemv_with_policy(const policy& forced, layout lay, op trans, std::int64_t m,
                                      std::int64_t n, scalar_t<TA, TX, TY> alpha, const TA* A,
                                      std::int64_t lda, const TX* x, std::int64_t incx,
                                      scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                                      const epilogue<TY>& ep, workspace ws, cudaStream_t stream,
                                      plan* chosen) noexcept {
  return detail::run<TA, TX, TY>(
      &forced, detail::scratch_source::caller, ws,
      detail::arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, ep), ep,
      stream, chosen);
}

template <class TA, class TX, class TY>
[[nodiscard]] status choose_plan(layout lay, op trans, std::int64_t m, std::int64_t n,
                                 scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda,
                                 const TX* x, std::int64_t incx, scalar_t<TA, TX, TY> beta,
                                 const TY* y, std::int64_t incy, plan& out) noexcept {
  int device = 0;
  return detail::prepare(
      nullptr, detail::arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, epilogue<TY>{}),
      detail::resident_blocks_of<detail::element_types<TA, TX, TY>>, device, out);
}

}  // namespace gemv
