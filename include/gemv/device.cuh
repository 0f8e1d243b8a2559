#pragma once
// What the library learns from the CUDA runtime: the current device's
// properties (read once per device) and the library-owned split scratch.

#include <gemv/dispatch/make_plan.cuh>

#include <cuda_runtime.h>

#include <map>
#include <mutex>
#include <utility>

namespace gemv {

/// Properties of `device` that the dispatch uses. Cached after the first
/// query per device; later calls make no CUDA call.
inline status query_device(int device, device_info& out) noexcept {
  constexpr int kMaxDevices = 64;
  struct entry {
    std::once_flag once;
    device_info info;
    cudaError_t error = cudaSuccess;
  };
  static entry cache[kMaxDevices];
  if (device < 0 || device >= kMaxDevices) return status::device_error;
  entry& e = cache[device];
  std::call_once(e.once, [&] {
    int major = 0, minor = 0, sms = 0, threads = 0;
    e.error = cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device);
    if (e.error == cudaSuccess) e.error = cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device);
    if (e.error == cudaSuccess) e.error = cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device);
    if (e.error == cudaSuccess)
      e.error = cudaDeviceGetAttribute(&threads, cudaDevAttrMaxThreadsPerMultiProcessor, device);
    e.info = device_info{major * 10 + minor, sms, threads};
  });
  if (e.error != cudaSuccess) return status::device_error;
  out = e.info;
  return status::success;
}

/// The current device and its properties.
inline status current_device(int& device, device_info& info) noexcept {
  if (cudaGetDevice(&device) != cudaSuccess) {
    cudaGetLastError();  // do not leave a sticky error for the caller
    return status::device_error;
  }
  return query_device(device, info);
}

namespace detail {

/// Scratch for split plans run through the free function: kMaxWorkspaceBytes
/// per (device, stream) pair, allocated on the first split plan that pair
/// runs and kept for the life of the process. Keyed by stream so that calls
/// on different streams never share scratch.
inline status library_scratch(int device, cudaStream_t stream, void*& out) noexcept {
  static std::mutex mutex;
  static std::map<std::pair<int, cudaStream_t>, void*> scratch;
  const std::lock_guard<std::mutex> lock(mutex);
  try {
    auto& slot = scratch[{device, stream}];
    if (slot == nullptr && cudaMalloc(&slot, kMaxWorkspaceBytes) != cudaSuccess) {
      slot = nullptr;
      cudaGetLastError();
      return status::allocation_failed;
    }
    out = slot;
    return status::success;
  } catch (...) {
    return status::allocation_failed;
  }
}

}  // namespace detail
}  // namespace gemv
