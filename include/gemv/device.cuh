#pragma once
// What the library learns from the CUDA runtime: the current device's
// properties, read once per device.

#include <gemv/dispatch/make_plan.cuh>
#include <gemv/errors.cuh>

#include <cuda_runtime.h>

#include <mutex>

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
  if (device < 0 || device >= kMaxDevices) return detail::fail(status::device_error, cudaErrorInvalidDevice);
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
  if (e.error != cudaSuccess) return detail::fail(status::device_error, e.error);
  out = e.info;
  return status::success;
}

/// The current device and its properties.
inline status current_device(int& device, device_info& info) noexcept {
  if (const cudaError_t e = cudaGetDevice(&device); e != cudaSuccess)
    return detail::fail(status::device_error, e);
  return query_device(device, info);
}

}  // namespace gemv
