#pragma once
// Base fixture of every GPU test: skips (with the reason) when no device is
// present, gives each test its own random seeds, and owns the workspace that
// forced and graph-safe calls use.
//
// Environment:
//   GEMV_TEST_REQUIRE_GPU=1  no device is a failure, not a skip: a run meant
//                            for a GPU cannot pass with every test skipped.
//   GEMV_TEST_REDUCED=1      the big-shape tests run at a reduced size (fewer
//                            rows, same kernel families where possible), for
//                            compute-sanitizer.

#include "support/cuda_check.hpp"
#include "support/device_buffer.hpp"
#include "support/random.hpp"

#include <gemv/gemv.cuh>

#include <gtest/gtest.h>

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

namespace gemv::test {

/// Whether environment variable `name` is set to 1.
inline bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && std::string(v) == "1";
}

/// GEMV_TEST_REDUCED=1: big-shape tests shrink to a size compute-sanitizer
/// gets through.
inline bool reduced_size() { return env_flag("GEMV_TEST_REDUCED"); }

/// Why GPU tests cannot run here; empty when a device is present.
inline std::string missing_device_reason() {
  int count = 0;
  const cudaError_t error = cudaGetDeviceCount(&count);
  if (error != cudaSuccess) {
    cudaGetLastError();
    return std::string(cudaGetErrorName(error)) + ": " + cudaGetErrorString(error);
  }
  return count == 0 ? "cudaGetDeviceCount found no device" : "";
}

/// Bytes of device memory free now.
inline std::size_t device_free_bytes() {
  std::size_t free = 0, total = 0;
  GEMV_CUDA_CHECK(cudaMemGetInfo(&free, &total));
  return free;
}

/// MemAvailable from /proc/meminfo (what can be allocated without swapping).
inline std::size_t host_available_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::size_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  return 0;
}

/// Empty when `device` and `host` bytes fit with a margin; else why not.
inline std::string memory_shortfall(std::size_t device, std::size_t host) {
  constexpr std::size_t kMargin = std::size_t{512} << 20;
  const std::size_t device_free = device_free_bytes(), host_free = host_available_bytes();
  if (device + kMargin > device_free)
    return "needs " + std::to_string(device >> 20) + " MiB of device memory, " +
           std::to_string(device_free >> 20) + " MiB free";
  if (host + kMargin > host_free)
    return "needs " + std::to_string(host >> 20) + " MiB of host memory, " +
           std::to_string(host_free >> 20) + " MiB available";
  return "";
}

class gpu_test_base : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string why = missing_device_reason();
    if (why.empty()) return;
    if (env_flag("GEMV_TEST_REQUIRE_GPU"))
      GTEST_FAIL() << "no CUDA device, and GEMV_TEST_REQUIRE_GPU=1: " << why;
    GTEST_SKIP() << "no CUDA device: " << why;
  }

  /// A fresh seed on every call, from the full test name (type included) and
  /// the call count: different for every test, the same on every run, so a
  /// failure reproduces.
  std::uint64_t next_seed() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return mix(seed_from(std::string(info->test_suite_name()) + "." + info->name()) + draws_++);
  }

  /// kMaxWorkspaceBytes of device scratch, allocated once per process.
  static workspace full_workspace() {
    static device_buffer<std::byte> scratch(kMaxWorkspaceBytes);
    return workspace{scratch.data(), scratch.bytes()};
  }

 private:
  std::uint64_t draws_ = 0;
};

/// Typed GPU tests derive from this; T is float, __half or __nv_bfloat16.
template <class T>
class gpu_test : public gpu_test_base {};

}  // namespace gemv::test
