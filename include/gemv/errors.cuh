#pragma once
// The CUDA error behind a failed call. A status names the kind of failure;
// the CUDA error it came from is kept per host thread, so that a server's
// threads never read each other's errors.

#include <gemv/types.cuh>

#include <cuda_runtime.h>

namespace gemv {
namespace detail {

/// The calling thread's CUDA error of its latest call (cudaSuccess when that
/// call failed validation or succeeded).
inline thread_local cudaError_t thread_cuda_error = cudaSuccess;

/// Records `error` as the cause of `s` and returns `s`.
inline status fail(status s, cudaError_t error) noexcept {
  thread_cuda_error = error;
  return s;
}

}  // namespace detail

/// The CUDA error behind the calling thread's latest gemv call: set when that
/// call returned device_error, allocation_failed or launch_failed, cudaSuccess
/// after any other outcome. The library reads it from the failing CUDA call
/// itself, never from cudaGetLastError(), so an error the caller left pending
/// is neither reported as the library's nor cleared.
[[nodiscard]] inline cudaError_t last_cuda_error() noexcept { return detail::thread_cuda_error; }

}  // namespace gemv
