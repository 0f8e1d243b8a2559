#pragma once
// The cuBLASLt yardstick of fp8 weights: cublasLtMatmul with one column,
// A in e4m3 or e5m2 with a per-tensor scale, B the vector x (an e4m3 copy,
// or x itself where cuBLASLt takes a 16-bit B beside fp8 A), C and D in y's
// type. Whether cuBLASLt runs this with n = 1 is its heuristic's answer,
// asked once per shape; a refusal is kept with its reason.

#include "common.hpp"
#include "shapes.hpp"

#include <cublasLt.h>
#include <cuda_runtime.h>

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace gemv::bench {

/// A device operand and its element type.
struct typed_operand {
  const void* data = nullptr;
  dtype type = dtype::f32;
};

class cublaslt_fp8_reference {
 public:
  /// y = alpha * (a_scale * op(A)) * x + beta * y on the shape's storage:
  /// A of the shape's fp8 type, `b_choices` tried as B in order (each holds
  /// x's values), y of the shape's y type. Never throws for a refusal: see
  /// accepted() and refusal().
  cublaslt_fp8_reference(cublasLtHandle_t handle, const shape& s, double alpha, double beta,
                         const void* A, float a_scale, const std::vector<typed_operand>& b_choices,
                         void* y);
  ~cublaslt_fp8_reference();
  cublaslt_fp8_reference(const cublaslt_fp8_reference&) = delete;
  cublaslt_fp8_reference& operator=(const cublaslt_fp8_reference&) = delete;

  bool accepted() const { return accepted_; }
  /// Why no B was accepted, e.g. "n=1 refused: B e4m3 CUBLAS_STATUS_NOT_SUPPORTED".
  const std::string& refusal() const { return refusal_; }
  /// "cublasLtMatmul(e4m3 x e4m3 -> bf16, n=1, per-tensor A scale)".
  std::string name() const;
  /// The element types the accepted call reads (A, B) and writes (D).
  operand_types types_read() const { return {a_type_, b_.type, y_type_}; }

  /// Runs the accepted call; throws if none was accepted or it fails.
  void run(cudaStream_t stream) const;

 private:
  struct descriptors;

  cublasLtHandle_t handle_;
  dtype a_type_, y_type_;
  float alpha_, beta_;
  const void* A_;
  void* y_;
  device_buffer a_scale_;   ///< the per-tensor scale, one float on the device
  device_buffer workspace_;
  bool accepted_ = false;
  std::string refusal_;
  typed_operand b_{};
  std::unique_ptr<descriptors> desc_;
};

}  // namespace gemv::bench
