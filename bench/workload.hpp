#pragma once
// What the benchmark rows and the tuner share: the device, stream, cuBLAS
// handle and L2 flusher (one `environment` per process), and the buffers of
// the shape being measured (one `workload` at a time, kept while
// consecutive rows use the same shape).

#include "ceiling.cuh"
#include "common.hpp"
#include "cublas_runner.hpp"
#include "gemv_runner.hpp"
#include "options.hpp"
#include "shapes.hpp"
#include "timer.hpp"

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <memory>
#include <optional>
#include <string>

namespace gemv::bench {

class workload;

class environment {
 public:
  explicit environment(const options& opts);
  ~environment();
  environment(const environment&) = delete;
  environment& operator=(const environment&) = delete;

  /// The workload of `s`; allocates and fills it unless it is the current one.
  /// The previous workload is freed first, so only one shape's buffers live.
  workload& acquire(const shape& s);

  /// Warm-up and sample counts for a row that moves `bytes` bytes: fewer
  /// samples for big shapes, whose launches are long and steady.
  sampling sampling_for(std::int64_t bytes) const;

  const options opts;
  const device_facts facts;
  cudaStream_t stream = nullptr;
  cublasHandle_t cublas = nullptr;
  const stream_reader reader;
  l2_flusher flush;

 private:
  std::unique_ptr<workload> current_;
};

/// One shape's inputs and outputs, generated once, plus the per-shape choices
/// made at warm-up: the fastest cuBLAS entry point and the fastest
/// streaming-read variant.
class workload {
 public:
  workload(environment& env, const shape& s);

  const shape& problem_shape() const { return shape_; }
  /// The library call on this workload's buffers (y is the gemv output).
  gemv_call call() const;

  /// cuBLAS writing into its own output buffer, its entry point chosen by
  /// timing each candidate on this shape the first time it is asked for.
  cublas_reference& cublas();
  /// Index of the fastest stream_reader variant over A, chosen on first use.
  int ceiling_variant();
  /// Streams through A with the chosen variant.
  void read_ceiling(cudaStream_t stream);
  /// The default gemv call on `stream`; throws if it does not succeed.
  void run_gemv(cudaStream_t stream);

  /// Runs cuBLAS from the initial y into the reference buffer.
  void compute_reference();
  /// Refills y with its initial values (with beta != 0 every run changes y).
  void reset_y();
  /// Relative 2-norm difference between y and the reference buffer.
  double error_against_reference();
  /// The correctness guard: the default gemv against cuBLAS, both from the
  /// initial y. Computed once per workload.
  double default_error();

 private:
  environment& env_;
  shape shape_;
  device_buffer A_, x_, y_, y_ref_;
  cublas_reference ref_;
  bool ref_chosen_ = false;
  int ceiling_ = -1;
  std::optional<double> default_error_;
};

}  // namespace gemv::bench
