#pragma once
// The public interface without kernel code: a C++ compiler (g++, clang) can
// include this header. It declares the entry points for every element type;
// their definitions are in api.cuh, which includes this header, and come
// compiled, for every combination of is_supported_types_v, in gemv::gemv_compiled. A
// .cpp file links that library; a .cu file may include <gemv/gemv.cuh> and
// instantiate the kernels itself instead.

#include <gemv/arguments.cuh>
#include <gemv/dispatch/make_plan.cuh>  // kMaxWorkspaceBytes
#include <gemv/errors.cuh>               // last_cuda_error
#include <gemv/plan.cuh>
#include <gemv/problem.cuh>
#include <gemv/types.cuh>
#include <gemv/version.cuh>
#include <gemv/workspace.cuh>            // workspace, workspace_size

#include <cuda_runtime_api.h>

#include <cstdint>

namespace gemv {

// Element types: A is `TA`, x `TX`, y `TY` (types.cuh: is_supported_types_v
// lists the combinations); alpha and beta are scalar_t<TA, TX, TY>: double
// for double, float otherwise. With one type, gemv<float>(...) as before.

/// y = alpha * op(A) * x + beta * y, CBLAS conventions: m x n is A as stored,
/// lda its leading dimension, negative increments walk x or y backwards.
/// Split plans take their scratch stream-ordered from a pool the library
/// keeps per device (device/scratch.cuh): safe from any number of host
/// threads and streams, per-thread default streams included, and inside
/// stream capture. Use the workspace overload to bring your own.
template <class TA, class TX = TA, class TY = TX>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n,
                          scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* x,
                          std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                          cudaStream_t stream = nullptr) noexcept;

/// As above, with caller-owned scratch: never allocates, safe to capture in
/// a CUDA graph. Returns insufficient_workspace if `ws` is smaller than
/// workspace_size() for this problem.
template <class TA, class TX = TA, class TY = TX>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n,
                          scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* x,
                          std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                          workspace ws, cudaStream_t stream = nullptr) noexcept;

/// With a fused epilogue (types.cuh): y[i] = act(alpha * scale[i] * dot[i] +
/// bias[i]) + beta * y[i]. With a bias every output is written, even when
/// alpha is 0 or the product is empty (no BLAS quick return). `Act` is
/// gemv::activation or a caller's functor (types.cuh, epilogue).
template <class TA, class TX = TA, class TY = TX, class Act = activation>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n,
                          scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* x,
                          std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                          const epilogue<TY, Act>& ep, cudaStream_t stream = nullptr) noexcept;

/// The epilogue form with caller-owned scratch.
template <class TA, class TX = TA, class TY = TX, class Act = activation>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n,
                          scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* x,
                          std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                          const epilogue<TY, Act>& ep, workspace ws,
                          cudaStream_t stream = nullptr) noexcept;

/// The long form (arguments.cuh): whether the call is valid (no CUDA call;
/// the status gemv() would return before touching the device), ...
template <class TA, class TX, class TY, class Act>
[[nodiscard]] status can_implement(const arguments<TA, TX, TY, Act>& a) noexcept;

/// ... the scratch its plan needs on the current device (0 when it needs
/// none; never more than kMaxWorkspaceBytes) ...
template <class TA, class TX, class TY, class Act>
[[nodiscard]] status workspace_size(const arguments<TA, TX, TY, Act>& a, std::size_t& bytes) noexcept;

/// ... the plan it runs on the current device (kernel_kind::none for a
/// quick return; with an epilogue's bias, the plan that writes y) ...
template <class TA, class TX, class TY, class Act>
[[nodiscard]] status choose_plan(const arguments<TA, TX, TY, Act>& a, plan& out) noexcept;

/// ... and the call itself, with scratch from the library's pool or the
/// caller's workspace.
template <class TA, class TX, class TY, class Act>
[[nodiscard]] status run(const arguments<TA, TX, TY, Act>& a, cudaStream_t stream = nullptr) noexcept;
template <class TA, class TX, class TY, class Act>
[[nodiscard]] status run(const arguments<TA, TX, TY, Act>& a, workspace ws,
                         cudaStream_t stream = nullptr) noexcept;

/// Runs a forced policy instead of the dispatch's choice (tests, tuning,
/// benchmarks). Returns invalid_plan if the policy does not fit the problem.
/// `chosen`, if not null, receives the plan that ran.
template <class TA, class TX = TA, class TY = TX>
[[nodiscard]] status gemv_with_policy(const policy& forced, layout lay, op trans, std::int64_t m,
                                      std::int64_t n, scalar_t<TA, TX, TY> alpha, const TA* A,
                                      std::int64_t lda, const TX* x, std::int64_t incx,
                                      scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                                      workspace ws, cudaStream_t stream = nullptr,
                                      plan* chosen = nullptr) noexcept;

/// A forced policy with a fused epilogue.
template <class TA, class TX = TA, class TY = TX, class Act = activation>
[[nodiscard]] status gemv_with_policy(const policy& forced, layout lay, op trans, std::int64_t m,
                                      std::int64_t n, scalar_t<TA, TX, TY> alpha, const TA* A,
                                      std::int64_t lda, const TX* x, std::int64_t incx,
                                      scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
                                      const epilogue<TY, Act>& ep, workspace ws,
                                      cudaStream_t stream = nullptr,
                                      plan* chosen = nullptr) noexcept;

/// `batch` independent calls of one shape in one launch, cuBLAS's strided
/// batched call: member b multiplies A + b * stride_a by x + b * stride_x
/// into y + b * stride_y (strides in elements; 0 shares A or x across the
/// batch). The plan sees the whole batch. invalid_batch for batch < 0,
/// overlapping_outputs when members' y would meet; batch 0 does nothing.
template <class TA, class TX = TA, class TY = TX>
[[nodiscard]] status gemv_strided_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, std::int64_t stride_a, const TX* x,
    std::int64_t incx, std::int64_t stride_x, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
    std::int64_t stride_y, std::int64_t batch,
    cudaStream_t stream = nullptr) noexcept;
template <class TA, class TX = TA, class TY = TX>
[[nodiscard]] status gemv_strided_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, std::int64_t stride_a, const TX* x,
    std::int64_t incx, std::int64_t stride_x, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
    std::int64_t stride_y, std::int64_t batch,
    workspace ws, cudaStream_t stream = nullptr) noexcept;
template <class TA, class TX = TA, class TY = TX, class Act = activation>
[[nodiscard]] status gemv_strided_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, std::int64_t stride_a, const TX* x,
    std::int64_t incx, std::int64_t stride_x, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
    std::int64_t stride_y, std::int64_t batch,
    const epilogue<TY, Act>& ep, cudaStream_t stream = nullptr) noexcept;
template <class TA, class TX = TA, class TY = TX, class Act = activation>
[[nodiscard]] status gemv_strided_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, std::int64_t stride_a, const TX* x,
    std::int64_t incx, std::int64_t stride_x, scalar_t<TA, TX, TY> beta, TY* y, std::int64_t incy,
    std::int64_t stride_y, std::int64_t batch,
    const epilogue<TY, Act>& ep, workspace ws, cudaStream_t stream = nullptr) noexcept;

/// `batch` independent calls given as arrays of device pointers in device
/// memory (cuBLAS's batched call): member b multiplies A[b] by x[b] into
/// y[b]. One launch for the whole batch. The host sees only the arrays:
/// each member must be aligned to its element type and members' y must not
/// overlap. Members are read element by element (their alignment is not
/// known to the host); prefer gemv_strided_batched when the members are
/// evenly spaced.
template <class TA, class TX = TA, class TY = TX>
[[nodiscard]] status gemv_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* const* A, std::int64_t lda, const TX* const* x,
    std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* const* y, std::int64_t incy, std::int64_t batch,
    cudaStream_t stream = nullptr) noexcept;
template <class TA, class TX = TA, class TY = TX>
[[nodiscard]] status gemv_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* const* A, std::int64_t lda, const TX* const* x,
    std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* const* y, std::int64_t incy, std::int64_t batch,
    workspace ws, cudaStream_t stream = nullptr) noexcept;
template <class TA, class TX = TA, class TY = TX, class Act = activation>
[[nodiscard]] status gemv_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* const* A, std::int64_t lda, const TX* const* x,
    std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* const* y, std::int64_t incy, std::int64_t batch,
    const epilogue<TY, Act>& ep, cudaStream_t stream = nullptr) noexcept;
template <class TA, class TX = TA, class TY = TX, class Act = activation>
[[nodiscard]] status gemv_batched(layout lay, op trans, std::int64_t m, std::int64_t n,
    scalar_t<TA, TX, TY> alpha, const TA* const* A, std::int64_t lda, const TX* const* x,
    std::int64_t incx, scalar_t<TA, TX, TY> beta, TY* const* y, std::int64_t incy, std::int64_t batch,
    const epilogue<TY, Act>& ep, workspace ws, cudaStream_t stream = nullptr) noexcept;

/// Several vectors against one matrix: Y[:, j] = alpha * op(A) * X[:, j] +
/// beta * Y[:, j] for j < k, vector j of x contiguous from X + j * ldx and
/// its y from Y + j * ldy (ldx and ldy at least the vectors' lengths), k
/// from 1 to kMaxVectors (else invalid_vector_count). Where A's rows are
/// contiguous (row-major op n, column-major op t) and longer than a few
/// vectors, each load of A serves up to four vectors, so k vectors cost far
/// less than k calls; otherwise the vectors run as one batch sharing A.
template <class TA, class TX = TA, class TY = TX>
[[nodiscard]] status gemv_multi(layout lay, op trans, std::int64_t m, std::int64_t n, int k,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* X, std::int64_t ldx,
    scalar_t<TA, TX, TY> beta, TY* Y, std::int64_t ldy, cudaStream_t stream = nullptr) noexcept;
template <class TA, class TX = TA, class TY = TX>
[[nodiscard]] status gemv_multi(layout lay, op trans, std::int64_t m, std::int64_t n, int k,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* X, std::int64_t ldx,
    scalar_t<TA, TX, TY> beta, TY* Y, std::int64_t ldy, workspace ws, cudaStream_t stream = nullptr) noexcept;
template <class TA, class TX = TA, class TY = TX, class Act = activation>
[[nodiscard]] status gemv_multi(layout lay, op trans, std::int64_t m, std::int64_t n, int k,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* X, std::int64_t ldx,
    scalar_t<TA, TX, TY> beta, TY* Y, std::int64_t ldy, const epilogue<TY, Act>& ep,
    cudaStream_t stream = nullptr) noexcept;
template <class TA, class TX = TA, class TY = TX, class Act = activation>
[[nodiscard]] status gemv_multi(layout lay, op trans, std::int64_t m, std::int64_t n, int k,
    scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda, const TX* X, std::int64_t ldx,
    scalar_t<TA, TX, TY> beta, TY* Y, std::int64_t ldy, const epilogue<TY, Act>& ep, workspace ws,
    cudaStream_t stream = nullptr) noexcept;

/// The plan the dispatch picks for this call on the current device, without
/// running it. Same validation as gemv(). It plans the call without an
/// epilogue: a call with a bias runs where this reports a quick return
/// (empty reduction, or alpha 0 and beta 1) the scale-only pass instead;
/// choose_plan(arguments) plans any call.
template <class TA, class TX = TA, class TY = TX>
[[nodiscard]] status choose_plan(layout lay, op trans, std::int64_t m, std::int64_t n,
                                 scalar_t<TA, TX, TY> alpha, const TA* A, std::int64_t lda,
                                 const TX* x, std::int64_t incx, scalar_t<TA, TX, TY> beta,
                                 const TY* y, std::int64_t incy, plan& out) noexcept;

}  // namespace gemv

/// Every entry point above for element types TA, TX, TY, as explicit
/// instantiations introduced by `kind`: `template` (a definition, in
/// gemv_compiled's sources) or `extern template` (below). Use inside
/// namespace gemv.
#define GEMV_API_INSTANTIATIONS_OF(kind, TA, TX, TY)                                               \
  kind status gemv<TA, TX, TY>(layout, op, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>,      \
                               const TA*, std::int64_t, const TX*, std::int64_t,                  \
                               scalar_t<TA, TX, TY>, TY*, std::int64_t, cudaStream_t) noexcept;   \
  kind status gemv<TA, TX, TY>(layout, op, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>,      \
                               const TA*, std::int64_t, const TX*, std::int64_t,                  \
                               scalar_t<TA, TX, TY>, TY*, std::int64_t, workspace,                \
                               cudaStream_t) noexcept;                                            \
  kind status gemv<TA, TX, TY>(layout, op, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>,      \
                               const TA*, std::int64_t, const TX*, std::int64_t,                  \
                               scalar_t<TA, TX, TY>, TY*, std::int64_t,                           \
                               const epilogue<TY, activation>&, cudaStream_t) noexcept;           \
  kind status gemv<TA, TX, TY>(layout, op, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>,      \
                               const TA*, std::int64_t, const TX*, std::int64_t,                  \
                               scalar_t<TA, TX, TY>, TY*, std::int64_t,                           \
                               const epilogue<TY, activation>&, workspace, cudaStream_t) noexcept;\
  kind status gemv_with_policy<TA, TX, TY>(const policy&, layout, op, std::int64_t, std::int64_t, \
                                           scalar_t<TA, TX, TY>, const TA*, std::int64_t,         \
                                           const TX*, std::int64_t, scalar_t<TA, TX, TY>, TY*,    \
                                           std::int64_t, workspace, cudaStream_t, plan*) noexcept; \
  kind status gemv_with_policy<TA, TX, TY>(const policy&, layout, op, std::int64_t, std::int64_t, \
                                           scalar_t<TA, TX, TY>, const TA*, std::int64_t,         \
                                           const TX*, std::int64_t, scalar_t<TA, TX, TY>, TY*,    \
                                           std::int64_t, const epilogue<TY, activation>&,         \
                                           workspace, cudaStream_t, plan*) noexcept;              \
  kind status gemv_strided_batched<TA, TX, TY>(layout, op, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>, const TA*, std::int64_t, std::int64_t, const TX*, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>, TY*, std::int64_t, std::int64_t, std::int64_t, cudaStream_t) noexcept; \
  kind status gemv_strided_batched<TA, TX, TY>(layout, op, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>, const TA*, std::int64_t, std::int64_t, const TX*, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>, TY*, std::int64_t, std::int64_t, std::int64_t, workspace, cudaStream_t) noexcept; \
  kind status gemv_strided_batched<TA, TX, TY, activation>(layout, op, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>, const TA*, std::int64_t, std::int64_t, const TX*, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>, TY*, std::int64_t, std::int64_t, std::int64_t, const epilogue<TY, activation>&, cudaStream_t) noexcept; \
  kind status gemv_strided_batched<TA, TX, TY, activation>(layout, op, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>, const TA*, std::int64_t, std::int64_t, const TX*, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>, TY*, std::int64_t, std::int64_t, std::int64_t, const epilogue<TY, activation>&, workspace, cudaStream_t) noexcept; \
  kind status gemv_batched<TA, TX, TY>(layout, op, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>, const TA* const*, std::int64_t, const TX* const*, std::int64_t, scalar_t<TA, TX, TY>, TY* const*, std::int64_t, std::int64_t, cudaStream_t) noexcept; \
  kind status gemv_batched<TA, TX, TY>(layout, op, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>, const TA* const*, std::int64_t, const TX* const*, std::int64_t, scalar_t<TA, TX, TY>, TY* const*, std::int64_t, std::int64_t, workspace, cudaStream_t) noexcept; \
  kind status gemv_batched<TA, TX, TY, activation>(layout, op, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>, const TA* const*, std::int64_t, const TX* const*, std::int64_t, scalar_t<TA, TX, TY>, TY* const*, std::int64_t, std::int64_t, const epilogue<TY, activation>&, cudaStream_t) noexcept; \
  kind status gemv_batched<TA, TX, TY, activation>(layout, op, std::int64_t, std::int64_t, scalar_t<TA, TX, TY>, const TA* const*, std::int64_t, const TX* const*, std::int64_t, scalar_t<TA, TX, TY>, TY* const*, std::int64_t, std::int64_t, const epilogue<TY, activation>&, workspace, cudaStream_t) noexcept; \
  kind status can_implement<TA, TX, TY, activation>(const arguments<TA, TX, TY, activation>&) noexcept; \
  kind status choose_plan<TA, TX, TY, activation>(const arguments<TA, TX, TY, activation>&,       \
                                                  plan&) noexcept;                                \
  kind status workspace_size<TA, TX, TY, activation>(const arguments<TA, TX, TY, activation>&,    \
                                                     std::size_t&) noexcept;                      \
  kind status run<TA, TX, TY, activation>(const arguments<TA, TX, TY, activation>&,               \
                                          cudaStream_t) noexcept;                                 \
  kind status run<TA, TX, TY, activation>(const arguments<TA, TX, TY, activation>&, workspace,    \
                                          cudaStream_t) noexcept;                                 \
  kind status choose_plan<TA, TX, TY>(layout, op, std::int64_t, std::int64_t,                     \
                                      scalar_t<TA, TX, TY>, const TA*, std::int64_t, const TX*,   \
                                      std::int64_t, scalar_t<TA, TX, TY>, const TY*,              \
                                      std::int64_t, plan&) noexcept;

/// GEMV_API_INSTANTIATIONS_OF for one element type throughout.
#define GEMV_API_INSTANTIATIONS(kind, T) GEMV_API_INSTANTIATIONS_OF(kind, T, T, T)

/// Every type combination gemv_compiled holds (is_supported_types_v), as
/// GEMV_API_INSTANTIATIONS_OF(kind, ...) lines.
#define GEMV_FOR_EACH_COMPILED_COMBINATION(kind)                                   \
  GEMV_API_INSTANTIATIONS_OF(kind, float, float, float)                           \
  GEMV_API_INSTANTIATIONS_OF(kind, __half, __half, __half)                        \
  GEMV_API_INSTANTIATIONS_OF(kind, __nv_bfloat16, __nv_bfloat16, __nv_bfloat16)   \
  GEMV_API_INSTANTIATIONS_OF(kind, double, double, double)                        \
  GEMV_API_INSTANTIATIONS_OF(kind, __half, float, float)                          \
  GEMV_API_INSTANTIATIONS_OF(kind, __nv_bfloat16, float, float)                   \
  GEMV_API_INSTANTIATIONS_OF(kind, __half, __half, float)                         \
  GEMV_API_INSTANTIATIONS_OF(kind, __nv_bfloat16, __nv_bfloat16, float)           \
  GEMV_API_INSTANTIATIONS_OF(kind, __nv_fp8_e4m3, __half, __half)                 \
  GEMV_API_INSTANTIATIONS_OF(kind, __nv_fp8_e4m3, __nv_bfloat16, __nv_bfloat16)   \
  GEMV_API_INSTANTIATIONS_OF(kind, __nv_fp8_e4m3, float, float)                   \
  GEMV_API_INSTANTIATIONS_OF(kind, __nv_fp8_e5m2, __half, __half)                 \
  GEMV_API_INSTANTIATIONS_OF(kind, __nv_fp8_e5m2, __nv_bfloat16, __nv_bfloat16)   \
  GEMV_API_INSTANTIATIONS_OF(kind, __nv_fp8_e5m2, float, float)                   \
  GEMV_API_INSTANTIATIONS_OF(kind, std::int8_t, __half, __half)                   \
  GEMV_API_INSTANTIATIONS_OF(kind, std::int8_t, __nv_bfloat16, __nv_bfloat16)     \
  GEMV_API_INSTANTIATIONS_OF(kind, std::int8_t, float, float)

// Targets that link gemv::gemv_compiled get GEMV_COMPILED: their CUDA sources
// then take every supported combination's kernels from the library instead
// of compiling them again.
#ifdef GEMV_COMPILED
namespace gemv {
GEMV_FOR_EACH_COMPILED_COMBINATION(extern template)
}  // namespace gemv
#endif
