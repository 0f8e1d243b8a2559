#pragma once
// What the benchmark rows and the tuner share: the device, stream, cuBLAS
// handles and L2 flusher (one `environment` per process), and the buffers of
// the shape being measured (one `workload` at a time, kept while
// consecutive rows use the same shape).

#include "ceiling.cuh"
#include "common.hpp"
#include "cublas_runner.hpp"
#include "cublaslt_runner.hpp"
#include "gemv_runner.hpp"
#include "options.hpp"
#include "rows.hpp"
#include "shapes.hpp"
#include "timer.hpp"

#include <cublasLt.h>
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

  /// Warm-up and sample counts for a row that moves `bytes` bytes with
  /// `launches` launches per sample: fewer samples for big shapes, whose
  /// launches are long and steady, and for rows of thousands of launches.
  sampling sampling_for(std::int64_t bytes, std::int64_t launches = 1) const;

  const options opts;
  const device_facts facts;
  cudaStream_t stream = nullptr;
  cublasHandle_t cublas = nullptr;
  cublasLtHandle_t cublaslt = nullptr;
  const stream_reader reader;
  l2_flusher flush;

 private:
  std::unique_ptr<workload> current_;
};

/// One shape's inputs and outputs, generated once, the work of each of its
/// rows (rows.hpp), and the choices made at warm-up: the fastest cuBLAS entry
/// point and the fastest streaming-read variant.
///
/// Every comparison reads the same numbers as the gemv: 8-bit weights widen
/// exactly to the 16-bit copy that the 16-bit gemv and the cuBLAS fallback
/// read, and x and y of 8-bit and mixed shapes hold values of the 16-bit
/// type's grid (x beside fp8 weights: e4m3's, the type cuBLASLt reads it in).
class workload {
 public:
  workload(environment& env, const shape& s);
  ~workload();

  const shape& problem_shape() const { return shape_; }
  /// The library call of the `gemv` row on this workload's buffers (y is
  /// its output; alpha carries the per-tensor scale of 8-bit weights); for
  /// a batch, the strided batched call of all members; for several vectors,
  /// gemv_multi's call of all of them.
  gemv_call call() const;
  /// Member `b` of a batch as a call of its own (the `loop` row's calls).
  gemv_call member_call(std::int64_t b) const;
  /// The batch of call() given as device arrays of its members' pointers
  /// (the `arrays` row's gemv::gemv_batched call), into the same y.
  gemv_call arrays_call() const;
  /// The first of several vectors as a plain gemv::gemv on the same A (the
  /// `single` row's call).
  gemv_call single_call() const;

  /// One launch of the work of row `k` on `stream`; throws on failure.
  void run(row_kind k, cudaStream_t stream);
  /// The bytes that work must move at least (the ceiling: A's bytes; for a
  /// batch or several vectors, what the call moves).
  std::int64_t bytes(row_kind k) const;
  /// Launches one run of row `k` makes: a batch's size for `loop`, else 1.
  std::int64_t launches(row_kind k) const;
  /// The row's label: the plan, the cuBLAS entry point, the read variant.
  /// Makes the row's warm-up choice, so call it before timing.
  std::string label(row_kind k);

  /// The default gemv call on `stream`; throws if it does not succeed.
  void run_gemv(cudaStream_t stream) { run(row_kind::gemv, stream); }

  /// Computes the reference output from the initial y: the yardstick's, or
  /// for a fused epilogue the plain call followed by the separate kernel.
  void compute_reference();
  /// Refills y with its initial values (with beta != 0 every run changes y).
  void reset_y();
  /// Relative 2-norm difference between y and the reference output (for a
  /// batch or several vectors, the worst member's or vector's).
  double error_against_reference();
  /// The largest difference error_against_reference() may show.
  double tolerance();
  /// What the reference is, for messages: "cublasSgemv", "unfused", ...
  std::string reference_name();
  /// The correctness guard: the default gemv against the reference, both
  /// from the initial y. Computed once per workload.
  double default_error() { return error_of(row_kind::gemv); }
  /// The same guard for a row that writes the gemv row's y (gemv, arrays):
  /// its output against the same reference. Computed once per row and
  /// workload.
  double error_of(row_kind k);

 private:
  void fill_inputs();
  void fill_member_arrays();
  void choose_yardstick();
  /// The cuBLAS yardstick of a shape without an epilogue, its entry point
  /// chosen by timing each candidate on this shape the first time it is
  /// asked for. Null when cuBLASLt is the yardstick.
  cublas_reference* cublas();
  /// Index of the fastest stream_reader variant over A, chosen on first use.
  int ceiling_variant();
  gemv_call plain_call() const;
  gemv_call twin_call() const;
  void run_unfused(void* out, cudaStream_t stream);
  void run_loop(cudaStream_t stream);
  /// What the ceiling reads: A's bytes; for a batch or several vectors, all
  /// the call moves.
  std::int64_t ceiling_bytes() const;
  dtype reference_type();

  environment& env_;
  shape shape_;
  dtype twin_ = dtype::bf16;  ///< the type of the 16-bit gemv beside 8-bit and mixed shapes
  device_buffer A_, x_, y_, y_ref_;
  device_buffer A16_, x16_, y16_;  ///< the 16-bit twin's operands (A16_, x16_ when they differ)
  device_buffer x8_;               ///< x as e4m3, cuBLASLt's B beside fp8 weights
  device_buffer bias_, z_;         ///< the epilogue's bias; the plain call's output
  device_buffer arrays_;  ///< a batch's member pointers: A's, then x's, then y's
  std::unique_ptr<cublaslt_fp8_reference> lt_;  ///< set only while cuBLASLt is the yardstick
  std::optional<cublas_reference> ref_;
  shape ref_shape_;         ///< the problem the cuBLAS yardstick reads
  std::string ref_prefix_;  ///< why cuBLAS on a widened copy stands in for cuBLASLt
  bool ref_chosen_ = false;
  int ceiling_ = -1;
  std::optional<double> gemv_error_, arrays_error_;
};

}  // namespace gemv::bench
