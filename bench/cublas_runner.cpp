// The cuBLAS baseline (see cublas_runner.hpp).

#include "cublas_runner.hpp"

#include "common.hpp"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <library_types.h>

#include <algorithm>

namespace gemv::bench {

void check_cublas(cublasStatus_t s, const char* what) {
  if (s != CUBLAS_STATUS_SUCCESS) {
    throw failure(std::string(what) + ": " + cublasGetStatusName(s) + " (" +
                  cublasGetStatusString(s) + ")");
  }
}

namespace {

/// The library call in cuBLAS's column-major terms. A row-major m x n matrix
/// with leading dimension lda is, to cuBLAS, the n x m matrix A^T, so op n
/// becomes CUBLAS_OP_T on it and op t becomes CUBLAS_OP_N.
struct column_major_call {
  cublasOperation_t trans;
  std::int64_t rows;  ///< rows of the matrix cuBLAS sees
  std::int64_t cols;
};

column_major_call to_column_major(const shape& s) {
  if (s.lay == layout::row_major) return {s.trans == op::n ? CUBLAS_OP_T : CUBLAS_OP_N, s.n, s.m};
  return {s.trans == op::n ? CUBLAS_OP_N : CUBLAS_OP_T, s.m, s.n};
}

/// The cuBLAS type of the element types it has a gemv for (has_cublas_gemv).
cudaDataType cuda_type(dtype t) {
  switch (t) {
    case dtype::f32: return CUDA_R_32F;
    case dtype::f64: return CUDA_R_64F;
    case dtype::f16: return CUDA_R_16F;
    default: return CUDA_R_16BF;
  }
}

}  // namespace

cublas_reference::cublas_reference(cublasHandle_t handle, const shape& s, double alpha,
                                   double beta, const void* A, const void* x, void* y)
    : handle_(handle), shape_(s), alpha_(alpha), beta_(beta), A_(A), x_(x), y_(y) {
  if (!covers(s.types)) throw failure("cuBLAS has no gemv for " + s.types.name());
  if (s.multi()) {
    // Several vectors are a GEMM with n = k, the yardstick a caller would
    // reach for.
    candidates_ = {entry::gemm_ex};
  } else if (s.batch.batched()) {
    // A batch is one call of the strided batched gemv of its types.
    const dtype a = s.types.a;
    candidates_ = {a == dtype::f32   ? entry::sgemv_batched
                   : a == dtype::f64 ? entry::dgemv_batched
                   : s.types.y == dtype::f32 ? entry::gemv_batched_f32
                                             : entry::gemv_batched};
  } else if (s.types.a == dtype::f32) {
    candidates_ = {entry::sgemv};
  } else if (s.types.a == dtype::f64) {
    candidates_ = {entry::dgemv};
  } else if (s.types.y == dtype::f32) {
    candidates_ = {entry::gemv_batched_f32};
  } else {
    candidates_ = {entry::gemm_ex, entry::gemv_batched, entry::gemv_batched_f32};
  }
  chosen_ = candidates_.front();
}

dtype cublas_reference::output_type(entry e) const {
  if (e == entry::gemm_ex) return shape_.types.y;
  return e == entry::gemv_batched_f32 ? dtype::f32 : shape_.types.a;
}

std::string cublas_reference::name(entry e, const shape& s) {
  const dtype t = s.types.a;
  const batch_spec& batch = s.batch;
  const std::string members = "(batch=" + std::to_string(batch.count) +
                              (batch.shared_a ? ",stride_a=0" : "") +
                              (batch.shared_x ? ",stride_x=0" : "") + ")";
  switch (e) {
    case entry::sgemv:
      return "cublasSgemv";
    case entry::dgemv:
      return "cublasDgemv";
    case entry::gemm_ex:
      return "cublasGemmEx(n=" + std::to_string(std::max(s.vectors, 1)) +
             (s.types.y == t ? "" : std::string(",C=") + to_string(s.types.y)) +
             (t == dtype::f64 ? ",COMPUTE_64F)" : ",COMPUTE_32F)");
    case entry::gemv_batched:
      return (t == dtype::f16 ? "cublasHSHgemvStridedBatched" : "cublasTSTgemvStridedBatched") +
             members;
    case entry::gemv_batched_f32:
      return (t == dtype::f16 ? "cublasHSSgemvStridedBatched" : "cublasTSSgemvStridedBatched") +
             members;
    case entry::sgemv_batched:
      return "cublasSgemvStridedBatched" + members;
    case entry::dgemv_batched:
      return "cublasDgemvStridedBatched" + members;
  }
  return "unknown";
}

void cublas_reference::run(entry e, cudaStream_t stream) const {
  check_cublas(cublasSetStream(handle_, stream), "cublasSetStream");
  const column_major_call c = to_column_major(shape_);
  const std::int64_t lda = shape_.lda();
  const std::int64_t x_len = shape_.x_len(), y_len = shape_.y_len();
  // Elements between members (0 for a shared A or x); one member unless batched.
  const long long stride_a = shape_.stride_a(), stride_x = shape_.stride_x(),
                  stride_y = shape_.stride_y();
  const std::int64_t batch = shape_.batch.count;
  const dtype type = shape_.types.a;
  // Every entry point but the double ones takes float scalars.
  const float alpha = static_cast<float>(alpha_), beta = static_cast<float>(beta_);
  switch (e) {
    case entry::sgemv:
      check_cublas(
          cublasSgemv_64(handle_, c.trans, c.rows, c.cols, &alpha, static_cast<const float*>(A_),
                         lda, static_cast<const float*>(x_), 1, &beta, static_cast<float*>(y_), 1),
          "cublasSgemv_64");
      break;
    case entry::dgemv:
      check_cublas(cublasDgemv_64(handle_, c.trans, c.rows, c.cols, &alpha_,
                                  static_cast<const double*>(A_), lda,
                                  static_cast<const double*>(x_), 1, &beta_,
                                  static_cast<double*>(y_), 1),
                   "cublasDgemv_64");
      break;
    case entry::gemm_ex: {
      // Y (y_len x k, ldy) = op(A) (y_len x x_len) * X (x_len x k, ldx): the
      // vectors are the columns of X and Y; k = 1 for one vector.
      const bool f64 = type == dtype::f64;
      check_cublas(cublasGemmEx_64(handle_, c.trans, CUBLAS_OP_N, y_len,
                                   std::max(shape_.vectors, 1), x_len,
                                   f64 ? static_cast<const void*>(&alpha_) : &alpha, A_,
                                   cuda_type(type), lda, x_, cuda_type(shape_.types.x),
                                   shape_.ldx(), f64 ? static_cast<const void*>(&beta_) : &beta,
                                   y_, cuda_type(shape_.types.y), shape_.ldy(),
                                   f64 ? CUBLAS_COMPUTE_64F : CUBLAS_COMPUTE_32F,
                                   CUBLAS_GEMM_DEFAULT),
                   "cublasGemmEx_64");
      break;
    }
    case entry::gemv_batched:
      if (type == dtype::f16) {
        check_cublas(cublasHSHgemvStridedBatched_64(handle_, c.trans, c.rows, c.cols, &alpha,
                                                    static_cast<const __half*>(A_), lda, stride_a,
                                                    static_cast<const __half*>(x_), 1, stride_x,
                                                    &beta, static_cast<__half*>(y_), 1, stride_y,
                                                    batch),
                     "cublasHSHgemvStridedBatched_64");
      } else {
        check_cublas(
            cublasTSTgemvStridedBatched_64(handle_, c.trans, c.rows, c.cols, &alpha,
                                           static_cast<const __nv_bfloat16*>(A_), lda, stride_a,
                                           static_cast<const __nv_bfloat16*>(x_), 1, stride_x,
                                           &beta, static_cast<__nv_bfloat16*>(y_), 1, stride_y,
                                           batch),
            "cublasTSTgemvStridedBatched_64");
      }
      break;
    case entry::gemv_batched_f32:
      if (type == dtype::f16) {
        check_cublas(cublasHSSgemvStridedBatched_64(handle_, c.trans, c.rows, c.cols, &alpha,
                                                    static_cast<const __half*>(A_), lda, stride_a,
                                                    static_cast<const __half*>(x_), 1, stride_x,
                                                    &beta, static_cast<float*>(y_), 1, stride_y,
                                                    batch),
                     "cublasHSSgemvStridedBatched_64");
      } else {
        check_cublas(
            cublasTSSgemvStridedBatched_64(handle_, c.trans, c.rows, c.cols, &alpha,
                                           static_cast<const __nv_bfloat16*>(A_), lda, stride_a,
                                           static_cast<const __nv_bfloat16*>(x_), 1, stride_x,
                                           &beta, static_cast<float*>(y_), 1, stride_y, batch),
            "cublasTSSgemvStridedBatched_64");
      }
      break;
    case entry::sgemv_batched:
      check_cublas(cublasSgemvStridedBatched_64(
                       handle_, c.trans, c.rows, c.cols, &alpha, static_cast<const float*>(A_),
                       lda, stride_a, static_cast<const float*>(x_), 1, stride_x, &beta,
                       static_cast<float*>(y_), 1, stride_y, batch),
                   "cublasSgemvStridedBatched_64");
      break;
    case entry::dgemv_batched:
      check_cublas(cublasDgemvStridedBatched_64(
                       handle_, c.trans, c.rows, c.cols, &alpha_, static_cast<const double*>(A_),
                       lda, stride_a, static_cast<const double*>(x_), 1, stride_x, &beta_,
                       static_cast<double*>(y_), 1, stride_y, batch),
                   "cublasDgemvStridedBatched_64");
      break;
  }
}

}  // namespace gemv::bench
