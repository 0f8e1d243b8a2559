#pragma once
// Shared pieces of the benchmark: CUDA error handling, owning device buffers
// and the facts about the card that every report records.

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace gemv::bench {

/// Setup and launch failures are exceptions: a benchmark row catches them and
/// reports them with SkipWithError, so one bad shape never stops the sweep.
struct failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline void check_cuda(cudaError_t e, const char* what) {
  if (e != cudaSuccess) {
    throw failure(std::string(what) + ": " + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) +
                  ")");
  }
}

inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

/// cudaMalloc'd bytes, freed on destruction.
class device_buffer {
 public:
  device_buffer() = default;
  explicit device_buffer(std::size_t bytes) : bytes_(bytes) {
    void* p = nullptr;
    if (bytes > 0) check_cuda(cudaMalloc(&p, bytes), "cudaMalloc");
    ptr_.reset(p);
  }
  void* get() const { return ptr_.get(); }
  template <class T>
  T* as() const {
    return static_cast<T*>(ptr_.get());
  }
  std::size_t bytes() const { return bytes_; }

 private:
  struct deleter {
    void operator()(void* p) const { cudaFree(p); }
  };
  std::unique_ptr<void, deleter> ptr_;
  std::size_t bytes_ = 0;
};

/// What the report says about the card.
struct device_facts {
  int device = 0;
  std::string name;
  int cc_major = 0;
  int cc_minor = 0;
  int sm_count = 0;
  int max_threads_per_sm = 0;
  std::size_t l2_bytes = 0;
  std::size_t global_bytes = 0;
  int driver_version = 0;     ///< CUDA driver API version, e.g. 13000
  int runtime_version = 0;    ///< CUDA runtime version the binary was built with
  double peak_dram_gbps = 0;  ///< from memory clock and bus width; 0 when unknown
};

inline std::string cuda_version_string(int v) {
  return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

inline device_facts query_device_facts(int device) {
  device_facts f;
  f.device = device;
  cudaDeviceProp prop{};
  check_cuda(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
  f.name = prop.name;
  f.cc_major = prop.major;
  f.cc_minor = prop.minor;
  f.global_bytes = prop.totalGlobalMem;
  int v = 0;
  check_cuda(cudaDeviceGetAttribute(&v, cudaDevAttrMultiProcessorCount, device), "SM count");
  f.sm_count = v;
  check_cuda(cudaDeviceGetAttribute(&v, cudaDevAttrMaxThreadsPerMultiProcessor, device),
             "threads per SM");
  f.max_threads_per_sm = v;
  check_cuda(cudaDeviceGetAttribute(&v, cudaDevAttrL2CacheSize, device), "L2 size");
  f.l2_bytes = static_cast<std::size_t>(v);
  check_cuda(cudaDriverGetVersion(&f.driver_version), "cudaDriverGetVersion");
  check_cuda(cudaRuntimeGetVersion(&f.runtime_version), "cudaRuntimeGetVersion");
  // Theoretical DRAM bandwidth (double data rate); informative only.
  int clock_khz = 0, bus_bits = 0;
  if (cudaDeviceGetAttribute(&clock_khz, cudaDevAttrMemoryClockRate, device) == cudaSuccess &&
      cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, device) == cudaSuccess) {
    f.peak_dram_gbps = 2.0 * clock_khz * 1e3 * (bus_bits / 8.0) / 1e9;
  }
  cudaGetLastError();
  return f;
}

}  // namespace gemv::bench
