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
  prob.batch = c.batch;
  prob.vectors = c.vectors;
  if (c.batch_of_vectors()) {
    prob.batch = 1;
    prob.vectors = static_cast<int>(c.batch);
  }
  // Members of a pointer array may sit anywhere: read element by element.
  if (c.pointer_arrays()) prob.vectorizable = false;
  if (c.vectors > 1) {  // every vector of x on a 16-byte boundary when read in vectors
    prob.vectorizable = prob.vectorizable &&
                        (prob.kind == reduction::across_rows || c.ldx % vector_width(c.x_type) == 0);
  }
  if (c.batch > 1) {  // every member's A (and x, when read in vectors) on a 16-byte boundary
    prob.vectorizable = prob.vectorizable && c.stride_a % vector_width(c.a_type) == 0 &&
                        (prob.kind == reduction::across_rows || c.stride_x % vector_width(c.x_type) == 0);
  }
  if (c.quick_return()) {
    pl = plan{};
    pl.prob = prob;
    pl.pol.kernel = kernel_kind::none;
    return status::success;
  }
  // alpha == 0: A and x are not read, y = beta * y (plus the epilogue's bias).
  if (c.alpha_is_zero()) (prob.kind == reduction::along_rows ? prob.cols : prob.rows) = 0;

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

/// The type-erased view of a call, for validation and the dispatch.
template <class TA, class TX, class TY, class Act>
call_arguments erase(const arguments<TA, TX, TY, Act>& a) noexcept {
  static_assert(is_supported_types_v<TA, TX, TY>,
                "a type combination gemv does not run (types.cuh: is_supported_types_v)");
  call_arguments c;
  c.lay = a.lay;
  c.trans = a.trans;
  c.m = a.m;
  c.n = a.n;
  c.alpha = a.alpha;
  c.A = a.A;
  c.lda = a.lda;
  c.x = a.x;
  c.incx = a.incx;
  c.beta = a.beta;
  c.y = a.y;
  c.incy = a.incy;
  c.a_type = dtype_of<TA>::value;
  c.x_type = dtype_of<TX>::value;
  c.y_type = dtype_of<TY>::value;
  c.scale = a.ep.scale;
  c.bias = a.ep.bias;
  c.alpha_on_device = a.alpha_on_device;
  c.beta_on_device = a.beta_on_device;
  c.batch = a.batch;
  c.stride_a = a.stride_a;
  c.stride_x = a.stride_x;
  c.stride_y = a.stride_y;
  c.A_array = a.A_array;
  c.x_array = a.x_array;
  c.y_array = a.y_array;
  c.vectors = a.vectors;
  c.ldx = a.ldx;
  c.ldy = a.ldy;
  return c;
}

/// The arguments of a short-form call.
template <class TA, class TX, class TY, class Act, class S>
arguments<TA, TX, TY, Act> arguments_of(layout lay, op trans, std::int64_t m, std::int64_t n,
                                        S alpha, const TA* A, std::int64_t lda, const TX* x,
                                        std::int64_t incx, S beta, TY* y, std::int64_t incy,
                                        const epilogue<TY, Act>& ep) noexcept {
  arguments<TA, TX, TY, Act> a;
  a.lay = lay;
  a.trans = trans;
  a.m = m;
  a.n = n;
  a.alpha = alpha;
  a.A = A;
  a.lda = lda;
  a.x = x;
  a.incx = incx;
  a.beta = beta;
  a.y = y;
  a.incy = incy;
  a.ep = ep;
  return a;
}

template <class TA, class TX, class TY, class Act>
status run(const policy* forced, scratch_source source, workspace ws,
           const arguments<TA, TX, TY, Act>& a, cudaStream_t stream, plan* chosen) noexcept {
  using E = element_types<TA, TX, TY, Act>;
  int device = 0;
  plan pl;
  const status prepared = prepare(forced, erase(a), resident_blocks_of<E>, device, pl);
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
  const std::int64_t x_len = a.trans == op::n ? a.n : a.m;
  kernel_args<E> args{};
  args.A = a.A;
  args.ld = a.lda;
  args.rows = prob.rows;
  args.cols = prob.cols;
  args.x = a.incx < 0 ? a.x + (1 - x_len) * a.incx : a.x;
  args.incx = a.incx;
  args.y = a.incy < 0 ? a.y + (1 - prob.outputs()) * a.incy : a.y;
  args.incy = a.incy;
  args.epilogue.alpha = a.alpha;
  args.epilogue.beta = a.beta;
  args.epilogue.scale = a.ep.scale;
  args.epilogue.bias = a.ep.bias;
  args.epilogue.act = a.ep.act;
  args.epilogue.alpha_on_device = a.alpha_on_device;
  args.epilogue.beta_on_device = a.beta_on_device;
  args.epilogue.extended = args.epilogue.needs_general_path();
  args.partials = static_cast<double*>(scratch);
  args.split_length = pl.split_length;
  args.splits = pl.splits;
  args.stride_a = a.batch > 1 ? a.stride_a : 0;
  args.stride_x = a.batch > 1 ? a.stride_x : 0;
  args.stride_y = a.batch > 1 ? a.stride_y : 0;
  args.first_member = 0;
  args.partials_per_member = pl.splits * prob.outputs();
  args.a_array = a.A_array;
  args.x_array = a.x_array;
  args.y_array = a.y_array;
  args.x_offset = a.incx < 0 ? (1 - x_len) * a.incx : 0;
  args.y_offset = a.incy < 0 ? (1 - prob.outputs()) * a.incy : 0;
  args.vectors = 1;
  if (pl.prob.vectors > 1) {  // several vectors, or a batch of them (batch_of_vectors)
    args.ldx = a.vectors > 1 ? a.ldx : a.stride_x;
    args.ldy = a.vectors > 1 ? a.ldy : a.stride_y;
    if (pl.pol.vectors <= 1) {  // run as a batch of vectors sharing A
      args.stride_a = 0;
      args.stride_x = args.ldx;
      args.stride_y = args.ldy;
    }
  }
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
// in gemv.hpp. Each short form fills an `arguments` and runs it.

template <class TA, class TX, class TY, class Act>
[[nodiscard]] status can_implement(const arguments<TA, TX, TY, Act>& a) noexcept {
  detail::thread_cuda_error = cudaSuccess;
  return validate(detail::erase(a));
}

template <class TA, class TX, class TY, class Act>
[[nodiscard]] status workspace_size(const arguments<TA, TX, TY, Act>& a, std::size_t& bytes) noexcept {
  bytes = 0;
  int device = 0;
  plan pl;
  const status s = detail::prepare(nullptr, detail::erase(a),
                                   detail::resident_blocks_of<detail::element_types<TA, TX, TY, Act>>,
                                   device, pl);
  if (s == status::success && pl.pol.kernel != kernel_kind::none) bytes = pl.workspace_bytes();
  return s;
}

template <class TA, class TX, class TY, class Act>
[[nodiscard]] status choose_plan(const arguments<TA, TX, TY, Act>& a, plan& out) noexcept {
  int device = 0;
  return detail::prepare(nullptr, detail::erase(a),
                         detail::resident_blocks_of<detail::element_types<TA, TX, TY, Act>>, device,
                         out);
}

template <class TA, class TX, class TY, class Act>
[[nodiscard]] status run(const arguments<TA, TX, TY, Act>& a, cudaStream_t stream) noexcept {
  return detail::run(nullptr, detail::scratch_source::library, {}, a, stream, nullptr);
}

template <class TA, class TX, class TY, class Act>
[[nodiscard]] status run(const arguments<TA, TX, TY, Act>& a, workspace ws, cudaStream_t stream) noexcept {
  return detail::run(nullptr, detail::scratch_source::caller, ws, a, stream, nullptr);
}

template <class TA, class TX, class TY>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n,
                          scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* x,
                          std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                          cudaStream_t stream) noexcept {
  return run(detail::arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy,
                                  epilogue<TY>{}),
             stream);
}

template <class TA, class TX, class TY>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n,
                          scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* x,
                          std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                          workspace ws, cudaStream_t stream) noexcept {
  return run(detail::arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy,
                                  epilogue<TY>{}),
             ws, stream);
}

template <class TA, class TX, class TY, class Act>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n,
                          scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* x,
                          std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                          const epilogue<TY, Act>& ep, cudaStream_t stream) noexcept {
  return run(detail::arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, ep),
             stream);
}

template <class TA, class TX, class TY, class Act>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n,
                          scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* x,
                          std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                          const epilogue<TY, Act>& ep, workspace ws, cudaStream_t stream) noexcept {
  return run(detail::arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, ep), ws,
             stream);
}

template <class TA, class TX, class TY>
[[nodiscard]] status gemv_with_policy(const policy& forced, layout lay, op trans, std::int64_t m,
                                      std::int64_t n, scalar_t<TA, TX, TY> alpha, const TA* A,
                                      std::int64_t lda, const TX* x, std::int64_t incx,
                                      scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                                      workspace ws, cudaStream_t stream, plan* chosen) noexcept {
  return detail::run(&forced, detail::scratch_source::caller, ws,
                     detail::arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy,
                                          epilogue<TY>{}),
                     stream, chosen);
}

template <class TA, class TX, class TY, class Act>
[[nodiscard]] status gemv_with_policy(const policy& forced, layout lay, op trans, std::int64_t m,
                                      std::int64_t n, scalar_t<TA, TX, TY> alpha, const TA* A,
                                      std::int64_t lda, const TX* x, std::int64_t incx,
                                      scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                                      const epilogue<TY, Act>& ep, workspace ws, cudaStream_t stream,
                                      plan* chosen) noexcept {
  return detail::run(&forced, detail::scratch_source::caller, ws,
                     detail::arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, ep),
                     stream, chosen);
}

namespace detail {

/// The arguments of a strided batched short form.
template <class TA, class TX, class TY, class Act>
arguments<TA, TX, TY, Act> strided_arguments(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, std::int64_t stride_a, const TX* x,
    std::int64_t incx, std::int64_t stride_x, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
    std::int64_t stride_y, std::int64_t batch,
    const epilogue<TY, Act>& ep) noexcept {
  arguments<TA, TX, TY, Act> a =
      arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, ep);
  a.batch = batch;
  a.stride_a = stride_a;
  a.stride_x = stride_x;
  a.stride_y = stride_y;
  return a;
}

}  // namespace detail

template <class TA, class TX, class TY>
[[nodiscard]] status gemv_strided_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, std::int64_t stride_a, const TX* x,
    std::int64_t incx, std::int64_t stride_x, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
    std::int64_t stride_y, std::int64_t batch,
    cudaStream_t stream) noexcept {
  return run(detail::strided_arguments(lay, trans, m, n, alpha, A, lda, stride_a, x, incx, stride_x, beta, y, incy, stride_y, batch, epilogue<TY>{}), stream);
}

template <class TA, class TX, class TY>
[[nodiscard]] status gemv_strided_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, std::int64_t stride_a, const TX* x,
    std::int64_t incx, std::int64_t stride_x, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
    std::int64_t stride_y, std::int64_t batch,
    workspace ws, cudaStream_t stream) noexcept {
  return run(detail::strided_arguments(lay, trans, m, n, alpha, A, lda, stride_a, x, incx, stride_x, beta, y, incy, stride_y, batch, epilogue<TY>{}), ws, stream);
}

template <class TA, class TX, class TY, class Act>
[[nodiscard]] status gemv_strided_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, std::int64_t stride_a, const TX* x,
    std::int64_t incx, std::int64_t stride_x, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
    std::int64_t stride_y, std::int64_t batch,
    const epilogue<TY, Act>& ep, cudaStream_t stream) noexcept {
  return run(detail::strided_arguments(lay, trans, m, n, alpha, A, lda, stride_a, x, incx, stride_x, beta, y, incy, stride_y, batch, ep), stream);
}

template <class TA, class TX, class TY, class Act>
[[nodiscard]] status gemv_strided_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, std::int64_t stride_a, const TX* x,
    std::int64_t incx, std::int64_t stride_x, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
    std::int64_t stride_y, std::int64_t batch,
    const epilogue<TY, Act>& ep, workspace ws, cudaStream_t stream) noexcept {
  return run(detail::strided_arguments(lay, trans, m, n, alpha, A, lda, stride_a, x, incx, stride_x, beta, y, incy, stride_y, batch, ep), ws, stream);
}

namespace detail {

/// The arguments of a pointer-array batched short form.
template <class TA, class TX, class TY, class Act>
arguments<TA, TX, TY, Act> array_arguments(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* const* A, std::int64_t lda, const TX* const* x,
    std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* const* y, std::int64_t incy, std::int64_t batch,
    const epilogue<TY, Act>& ep) noexcept {
  arguments<TA, TX, TY, Act> a = arguments_of<TA, TX, TY, Act, scalar_t<TA, TX, TY>>(
      lay, trans, m, n, alpha, nullptr, lda, nullptr, incx, beta, nullptr, incy, ep);
  a.batch = batch;
  a.A_array = A;
  a.x_array = x;
  a.y_array = y;
  return a;
}

}  // namespace detail

template <class TA, class TX, class TY>
[[nodiscard]] status gemv_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* const* A, std::int64_t lda, const TX* const* x,
    std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* const* y, std::int64_t incy, std::int64_t batch,
    cudaStream_t stream) noexcept {
  return run(detail::array_arguments(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, batch, epilogue<TY>{}), stream);
}

template <class TA, class TX, class TY>
[[nodiscard]] status gemv_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* const* A, std::int64_t lda, const TX* const* x,
    std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* const* y, std::int64_t incy, std::int64_t batch,
    workspace ws, cudaStream_t stream) noexcept {
  return run(detail::array_arguments(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, batch, epilogue<TY>{}), ws, stream);
}

template <class TA, class TX, class TY, class Act>
[[nodiscard]] status gemv_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* const* A, std::int64_t lda, const TX* const* x,
    std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* const* y, std::int64_t incy, std::int64_t batch,
    const epilogue<TY, Act>& ep, cudaStream_t stream) noexcept {
  return run(detail::array_arguments(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, batch, ep), stream);
}

template <class TA, class TX, class TY, class Act>
[[nodiscard]] status gemv_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* const* A, std::int64_t lda, const TX* const* x,
    std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* const* y, std::int64_t incy, std::int64_t batch,
    const epilogue<TY, Act>& ep, workspace ws, cudaStream_t stream) noexcept {
  return run(detail::array_arguments(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, batch, ep), ws, stream);
}

template <class TA, class TX, class TY>
[[nodiscard]] status choose_plan(layout lay, op trans, std::int64_t m, std::int64_t n,
                                 scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda,
                                 const TX* x, std::int64_t incx, scalar_t<TA, TX, TY> beta,
                                 const TY* y, std::int64_t incy, plan& out) noexcept {
  int device = 0;
  return detail::prepare(
      nullptr,
      detail::erase(detail::arguments_of(lay, trans, m, n, alpha, A, lda, x, incx, beta,
                                         const_cast<TY*>(y), incy, epilogue<TY>{})),
      detail::resident_blocks_of<detail::element_types<TA, TX, TY>>, device, out);
}

namespace detail {

/// The arguments of a several-vector short form.
template <class TA, class TX, class TY, class Act>
arguments<TA, TX, TY, Act> multi_arguments(layout lay, op trans, std::int64_t m, std::int64_t n, int k,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* X, std::int64_t ldx,
    scalar_t<TA, TX, TY> beta, TY* Y, std::int64_t ldy, const epilogue<TY, Act>& ep) noexcept {
  arguments<TA, TX, TY, Act> a = arguments_of(lay, trans, m, n, alpha, A, lda, X, 1, beta, Y, 1, ep);
  a.vectors = k;
  a.ldx = ldx;
  a.ldy = ldy;
  return a;
}

}  // namespace detail

template <class TA, class TX, class TY>
[[nodiscard]] status gemv_multi(layout lay, op trans, std::int64_t m, std::int64_t n, int k,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* X, std::int64_t ldx,
    scalar_t<TA, TX, TY> beta, TY* Y, std::int64_t ldy, cudaStream_t stream) noexcept {
  return run(detail::multi_arguments(lay, trans, m, n, k, alpha, A, lda, X, ldx, beta, Y, ldy, epilogue<TY>{}),
             stream);
}

template <class TA, class TX, class TY>
[[nodiscard]] status gemv_multi(layout lay, op trans, std::int64_t m, std::int64_t n, int k,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* X, std::int64_t ldx,
    scalar_t<TA, TX, TY> beta, TY* Y, std::int64_t ldy, workspace ws, cudaStream_t stream) noexcept {
  return run(detail::multi_arguments(lay, trans, m, n, k, alpha, A, lda, X, ldx, beta, Y, ldy, epilogue<TY>{}),
             ws, stream);
}

template <class TA, class TX, class TY, class Act>
[[nodiscard]] status gemv_multi(layout lay, op trans, std::int64_t m, std::int64_t n, int k,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* X, std::int64_t ldx,
    scalar_t<TA, TX, TY> beta, TY* Y, std::int64_t ldy, const epilogue<TY, Act>& ep,
    cudaStream_t stream) noexcept {
  return run(detail::multi_arguments(lay, trans, m, n, k, alpha, A, lda, X, ldx, beta, Y, ldy, ep), stream);
}

template <class TA, class TX, class TY, class Act>
[[nodiscard]] status gemv_multi(layout lay, op trans, std::int64_t m, std::int64_t n, int k,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* X, std::int64_t ldx,
    scalar_t<TA, TX, TY> beta, TY* Y, std::int64_t ldy, const epilogue<TY, Act>& ep, workspace ws,
    cudaStream_t stream) noexcept {
  return run(detail::multi_arguments(lay, trans, m, n, k, alpha, A, lda, X, ldx, beta, Y, ldy, ep), ws, stream);
}

}  // namespace gemv
