#pragma once
// The cuBLAS baseline for one shape: cublasSgemv for float, cublasDgemv for
// double; for __half and bfloat16 whichever of the half-precision entry
// points is fastest on the shape, picked by timing at warm-up; for 16-bit A
// and x with float y, cublas{HSS,TSS}gemvStridedBatched. A strided batch
// runs the strided batched gemv of its types: cublas{S,D}gemvStridedBatched,
// cublas{HSH,TST}gemvStridedBatched, cublas{HSS,TSS}gemvStridedBatched.
// Several vectors run cuBLAS's GEMM with n = the vectors, in the types and
// compute type of the one-vector calls: cublasGemmEx with A and B in A's
// type, C in y's, CUBLAS_COMPUTE_32F (CUBLAS_COMPUTE_64F for double).

#include "shapes.hpp"

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <string>
#include <vector>

namespace gemv::bench {

void check_cublas(cublasStatus_t s, const char* what);

/// Runs y = alpha * op(A) * x + beta * y through cuBLAS, with the same
/// storage as the library call (cuBLAS sees a row-major matrix as the
/// column-major transpose).
class cublas_reference {
 public:
  enum class entry {
    sgemv,             ///< cublasSgemv (float)
    dgemv,             ///< cublasDgemv (double)
    gemm_ex,           ///< cublasGemmEx, n = the shape's vectors (1 for one), C in y's
                       ///< type, CUBLAS_COMPUTE_32F (64F for double)
    gemv_batched,      ///< cublasHSHgemvStridedBatched / cublasTSTgemvStridedBatched, the
                       ///< shape's batch (1 for one call)
    gemv_batched_f32,  ///< cublasHSSgemvStridedBatched / cublasTSSgemvStridedBatched, the
                       ///< shape's batch, float y
    sgemv_batched,     ///< cublasSgemvStridedBatched (a batch of float)
    dgemv_batched,     ///< cublasDgemvStridedBatched (a batch of double)
  };

  /// `y` must hold y_elements() floats whatever the element type: one entry point
  /// writes float outputs. The shape's types are one of f32, f64, f16 or
  /// bf16 throughout, or f16 / bf16 A and x with f32 y. For a batch, A, x
  /// and y hold every member at the shape's strides (shapes.hpp); the
  /// gemv_batched entries then run the whole batch. For several vectors,
  /// x and y hold them at the shape's ldx and ldy, and gemm_ex runs them all.
  cublas_reference(cublasHandle_t handle, const shape& s, double alpha, double beta,
                   const void* A, const void* x, void* y);

  /// Whether cuBLAS has an entry point for these element types.
  static bool covers(const operand_types& t) { return has_cublas_gemv(t); }

  /// The entry points this shape's element types can use.
  const std::vector<entry>& candidates() const { return candidates_; }
  void run(entry e, cudaStream_t stream) const;
  /// Element type that `e` writes y in.
  dtype output_type(entry e) const;
  /// The entry point's name for shape `s`'s types, with the batch or the
  /// vectors it runs: "cublasTSTgemvStridedBatched(batch=1)",
  /// "cublasSgemvStridedBatched(batch=8,stride_a=0)", "cublasGemmEx(n=4,COMPUTE_32F)".
  static std::string name(entry e, const shape& s);

  entry chosen() const { return chosen_; }
  void choose(entry e) { chosen_ = e; }
  void run(cudaStream_t stream) const { run(chosen_, stream); }

 private:
  cublasHandle_t handle_;
  shape shape_;
  double alpha_, beta_;
  const void* A_;
  const void* x_;
  void* y_;
  std::vector<entry> candidates_;
  entry chosen_;
};

}  // namespace gemv::bench
