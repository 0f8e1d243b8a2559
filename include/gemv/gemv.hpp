#pragma once
// The public interface without kernel code: a C++ compiler (g++, clang) can
// include this header. It declares the entry points for every element type;
// their definitions are in api.cuh, which includes this header, and come
// compiled, for float, __half and __nv_bfloat16, in gemv::gemv_compiled. A
// .cpp file links that library; a .cu file may include <gemv/gemv.cuh> and
// instantiate the kernels itself instead.

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

/// y = alpha * op(A) * x + beta * y, CBLAS conventions: m x n is A as stored,
/// lda its leading dimension, negative increments walk x or y backwards.
/// Split plans take their scratch stream-ordered from a pool the library
/// keeps per device (device/scratch.cuh): safe from any number of host
/// threads and streams, per-thread default streams included, and inside
/// stream capture. Use the workspace overload to bring your own.
template <class T>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n, float alpha,
                          const T* A, std::int64_t lda, const T* x, std::int64_t incx, float beta,
                          T* y, std::int64_t incy, cudaStream_t stream = nullptr) noexcept;

/// As above, with caller-owned scratch: never allocates, safe to capture in
/// a CUDA graph. Returns insufficient_workspace if `ws` is smaller than
/// workspace_size() for this problem.
template <class T>
[[nodiscard]] status gemv(layout lay, op trans, std::int64_t m, std::int64_t n, float alpha,
                          const T* A, std::int64_t lda, const T* x, std::int64_t incx, float beta,
                          T* y, std::int64_t incy, workspace ws,
                          cudaStream_t stream = nullptr) noexcept;

/// Runs a forced policy instead of the dispatch's choice (tests, tuning,
/// benchmarks). Returns invalid_plan if the policy does not fit the problem.
/// `chosen`, if not null, receives the plan that ran.
template <class T>
[[nodiscard]] status gemv_with_policy(const policy& forced, layout lay, op trans, std::int64_t m,
                                      std::int64_t n, float alpha, const T* A, std::int64_t lda,
                                      const T* x, std::int64_t incx, float beta, T* y,
                                      std::int64_t incy, workspace ws,
                                      cudaStream_t stream = nullptr,
                                      plan* chosen = nullptr) noexcept;

/// The plan the dispatch picks for this call on the current device, without
/// running it. Same validation as gemv().
template <class T>
[[nodiscard]] status choose_plan(layout lay, op trans, std::int64_t m, std::int64_t n, float alpha,
                                 const T* A, std::int64_t lda, const T* x, std::int64_t incx,
                                 float beta, const T* y, std::int64_t incy, plan& out) noexcept;

}  // namespace gemv

/// Every entry point above for element type T, as explicit instantiations
/// introduced by `kind`: `template` (a definition, in gemv_compiled's
/// sources) or `extern template` (below). Use inside namespace gemv.
#define GEMV_API_INSTANTIATIONS(kind, T)                                                          \
  kind status gemv<T>(layout, op, std::int64_t, std::int64_t, float, const T*, std::int64_t,      \
                      const T*, std::int64_t, float, T*, std::int64_t, cudaStream_t) noexcept;    \
  kind status gemv<T>(layout, op, std::int64_t, std::int64_t, float, const T*, std::int64_t,      \
                      const T*, std::int64_t, float, T*, std::int64_t, workspace,                 \
                      cudaStream_t) noexcept;                                                     \
  kind status gemv_with_policy<T>(const policy&, layout, op, std::int64_t, std::int64_t, float,   \
                                  const T*, std::int64_t, const T*, std::int64_t, float, T*,      \
                                  std::int64_t, workspace, cudaStream_t, plan*) noexcept;         \
  kind status choose_plan<T>(layout, op, std::int64_t, std::int64_t, float, const T*,             \
                             std::int64_t, const T*, std::int64_t, float, const T*, std::int64_t, \
                             plan&) noexcept;

// Targets that link gemv::gemv_compiled get GEMV_COMPILED: their CUDA sources
// then take every supported type's kernels from the library instead of
// compiling them again.
#ifdef GEMV_COMPILED
namespace gemv {
GEMV_API_INSTANTIATIONS(extern template, float)
GEMV_API_INSTANTIATIONS(extern template, __half)
GEMV_API_INSTANTIATIONS(extern template, __nv_bfloat16)
}  // namespace gemv
#endif
