// gemv_bench: gemv against cuBLAS and a streaming-read ceiling over a sweep
// of shapes (Google Benchmark), or the policy sweep with --tune.

#include "benchmarks.hpp"
#include "options.hpp"
#include "rows.hpp"
#include "tune.hpp"
#include "workload.hpp"

#include <gemv/version.cuh>

#include <benchmark/benchmark.h>
#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

namespace gemv::bench {
namespace {

/// Empty when a device is usable, else why not.
std::string no_device_reason(int device) {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess)
    return std::string(cudaGetErrorName(e)) + " (" + cudaGetErrorString(e) + ")";
  if (count == 0) return "the CUDA runtime reports no devices";
  if (device >= count)
    return "--device=" + std::to_string(device) + " but only " + std::to_string(count) +
           " device(s)";
  return {};
}

/// What the JSON and console context record about this run. Google
/// Benchmark already writes "date" (local time); run_date_utc is explicit.
void add_context(const environment& env) {
  const device_facts& f = env.facts;
  benchmark::AddCustomContext("gpu", f.name);
  benchmark::AddCustomContext("gpu_compute_capability",
                              std::to_string(f.cc_major) + "." + std::to_string(f.cc_minor));
  benchmark::AddCustomContext("gpu_sm_count", std::to_string(f.sm_count));
  benchmark::AddCustomContext("gpu_l2_bytes", std::to_string(f.l2_bytes));
  benchmark::AddCustomContext("gpu_memory_bytes", std::to_string(f.global_bytes));
  if (f.peak_dram_gbps > 0)
    benchmark::AddCustomContext("gpu_peak_dram_GBps_theoretical", std::to_string(f.peak_dram_gbps));
  benchmark::AddCustomContext("cuda_driver_version", cuda_version_string(f.driver_version));
  benchmark::AddCustomContext("cuda_runtime_version", cuda_version_string(f.runtime_version));
  int cublas_version = 0;
  if (cublasGetVersion(env.cublas, &cublas_version) == CUBLAS_STATUS_SUCCESS)
    benchmark::AddCustomContext("cublas_version", std::to_string(cublas_version));
  benchmark::AddCustomContext("cublaslt_version", std::to_string(cublasLtGetVersion()));
  benchmark::AddCustomContext("gemv_version", std::to_string(GEMV_VERSION_MAJOR) + "." +
                                                  std::to_string(GEMV_VERSION_MINOR) + "." +
                                                  std::to_string(GEMV_VERSION_PATCH));
  const char* flush = env.opts.flush == flush_mode::full     ? "full (memset + clean read, 2x L2)"
                      : env.opts.flush == flush_mode::memset ? "memset (2x L2)"
                                                             : "none";
  benchmark::AddCustomContext("l2_flush", flush);
  benchmark::AddCustomContext("timing", "median of event-timed samples per row (Iterations(1))");
  benchmark::AddCustomContext("alpha", std::to_string(env.opts.alpha));
  benchmark::AddCustomContext("beta", std::to_string(env.opts.beta));
  char date[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  benchmark::AddCustomContext("run_date_utc", date);
}

}  // namespace
}  // namespace gemv::bench

int main(int argc, char** argv) {
  using namespace gemv::bench;
  options opts;
  std::string error;
  if (!parse_options(argc, argv, opts, error)) {
    std::fprintf(stderr, "gemv_bench: %s\n", error.c_str());
    return 2;
  }
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0)
      std::fputs(options_help(), stdout);
  benchmark::Initialize(&argc, argv);  // exits after printing its own --help
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;

  if (opts.list) {
    for (const shape& s : opts.shapes())
      for (row_kind k : rows_of(s)) std::printf("%s\n", row_full_name(s, k).c_str());
    return 0;
  }
  if (const std::string reason = no_device_reason(opts.device); !reason.empty()) {
    std::fprintf(stderr, "gemv_bench: no CUDA device found: %s\n", reason.c_str());
    return 1;
  }
  try {
    environment env(opts);
    if (opts.tune) return run_tuner(env, opts.shapes());
    add_context(env);
    register_rows(env, opts.shapes());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gemv_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
