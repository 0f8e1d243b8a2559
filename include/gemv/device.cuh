#pragma once
// What the library learns from the CUDA runtime: the current device's
// properties, read once per device.

#include <gemv/dispatch/make_plan.cuh>
#include <gemv/errors.cuh>

#include <cuda_runtime.h>

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
  if (device < 0 || device >= kMaxDevices) return detail::fail(status::device_error, cudaErrorInvalidDevice);
  entry& e = cache[device];
  std::call_once(e.once, [&] {
    int major = 0, minor = 0, sms = 0, threads = 0, registers = 0, shared = 0, l2 = 0;
    int memory_khz = 0, bus_bits = 0, blocks = 0;
    const std::pair<int*, cudaDeviceAttr> reads[] = {
        {&major, cudaDevAttrComputeCapabilityMajor},
        {&minor, cudaDevAttrComputeCapabilityMinor},
        {&sms, cudaDevAttrMultiProcessorCount},
        {&threads, cudaDevAttrMaxThreadsPerMultiProcessor},
        {&registers, cudaDevAttrMaxRegistersPerMultiprocessor},
        {&shared, cudaDevAttrMaxSharedMemoryPerMultiprocessor},
        {&l2, cudaDevAttrL2CacheSize},
        {&memory_khz, cudaDevAttrMemoryClockRate},
        {&bus_bits, cudaDevAttrGlobalMemoryBusWidth},
        {&blocks, cudaDevAttrMaxBlocksPerMultiprocessor},
    };
    for (const auto& [value, attribute] : reads) {
      e.error = cudaDeviceGetAttribute(value, attribute, device);
      if (e.error != cudaSuccess) return;
    }
    e.info.arch = major * 10 + minor;
    e.info.sm_count = sms;
    e.info.max_threads_per_sm = threads;
    e.info.registers_per_sm = registers;
    e.info.shared_bytes_per_sm = shared;
    e.info.l2_bytes = l2;
    e.info.max_blocks_per_sm = blocks;
    // Double data rate: two transfers per memory clock on every bus bit.
    e.info.dram_bytes_per_second = 2.0 * memory_khz * 1e3 * bus_bits / 8.0;
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
