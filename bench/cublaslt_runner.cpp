// The cuBLASLt fp8 yardstick (see cublaslt_runner.hpp).

#include "cublaslt_runner.hpp"

#include "cublas_runner.hpp"

#include <cublas_api.h>

namespace gemv::bench {
namespace {

constexpr std::size_t kWorkspaceBytes = std::size_t{32} << 20;

cudaDataType lt_type(dtype t) {
  switch (t) {
    case dtype::e4m3: return CUDA_R_8F_E4M3;
    case dtype::e5m2: return CUDA_R_8F_E5M2;
    case dtype::f16: return CUDA_R_16F;
    case dtype::bf16: return CUDA_R_16BF;
    case dtype::f64: return CUDA_R_64F;
    case dtype::i8: return CUDA_R_8I;
    default: return CUDA_R_32F;
  }
}

template <class T>
void set_attribute(cublasLtMatmulDesc_t desc, cublasLtMatmulDescAttributes_t what, const T& value,
                   const char* name) {
  check_cublas(cublasLtMatmulDescSetAttribute(desc, what, &value, sizeof value), name);
}

}  // namespace

/// Everything one accepted call needs, destroyed in one place.
struct cublaslt_fp8_reference::descriptors {
  cublasLtMatmulDesc_t op = nullptr;
  cublasLtMatrixLayout_t a = nullptr, b = nullptr, y = nullptr;
  cublasLtMatmulPreference_t pref = nullptr;
  cublasLtMatmulAlgo_t algo{};

  ~descriptors() {
    if (pref) cublasLtMatmulPreferenceDestroy(pref);
    if (y) cublasLtMatrixLayoutDestroy(y);
    if (b) cublasLtMatrixLayoutDestroy(b);
    if (a) cublasLtMatrixLayoutDestroy(a);
    if (op) cublasLtMatmulDescDestroy(op);
  }
};

cublaslt_fp8_reference::cublaslt_fp8_reference(cublasLtHandle_t handle, const shape& s,
                                               double alpha, double beta, const void* A,
                                               float a_scale,
                                               const std::vector<typed_operand>& b_choices,
                                               void* y)
    : handle_(handle),
      a_type_(s.types.a),
      y_type_(s.types.y),
      alpha_(static_cast<float>(alpha)),
      beta_(static_cast<float>(beta)),
      A_(A),
      y_(y),
      a_scale_(sizeof(float)),
      workspace_(kWorkspaceBytes) {
  check_cuda(cudaMemcpy(a_scale_.get(), &a_scale, sizeof a_scale, cudaMemcpyHostToDevice),
             "cudaMemcpy scale");
  // cuBLASLt's fp8 kernels take A transposed and B not ("TN"): a row-major
  // op n (or column-major op t) problem, whose stored rows are the
  // reductions, is exactly that with k = x_len, m = y_len, n = 1.
  if ((s.lay == layout::row_major) != (s.trans == op::n)) {
    refusal_ = "fp8 needs A transposed (TN): not this layout";
    return;
  }
  const std::uint64_t k = s.x_len(), m = s.y_len();
  const auto sep = [this] { return refusal_.empty() ? "" : "; "; };
  for (const typed_operand& b : b_choices) {
    auto d = std::make_unique<descriptors>();
    check_cublas(cublasLtMatmulDescCreate(&d->op, CUBLAS_COMPUTE_32F, CUDA_R_32F),
                 "cublasLtMatmulDescCreate");
    set_attribute(d->op, CUBLASLT_MATMUL_DESC_TRANSA, CUBLAS_OP_T, "TRANSA");
    set_attribute(d->op, CUBLASLT_MATMUL_DESC_TRANSB, CUBLAS_OP_N, "TRANSB");
    const void* scale_ptr = a_scale_.get();
    set_attribute(d->op, CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, scale_ptr, "A_SCALE_POINTER");
    check_cublas(cublasLtMatrixLayoutCreate(&d->a, lt_type(a_type_), k, m, s.lda()), "layout A");
    check_cublas(cublasLtMatrixLayoutCreate(&d->b, lt_type(b.type), k, 1, k), "layout B");
    check_cublas(cublasLtMatrixLayoutCreate(&d->y, lt_type(y_type_), m, 1, m), "layout C/D");
    check_cublas(cublasLtMatmulPreferenceCreate(&d->pref), "cublasLtMatmulPreferenceCreate");
    const std::size_t ws = kWorkspaceBytes;
    check_cublas(cublasLtMatmulPreferenceSetAttribute(
                     d->pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof ws),
                 "MAX_WORKSPACE_BYTES");
    cublasLtMatmulHeuristicResult_t result{};
    int found = 0;
    // C and D are the same buffer with the same layout (in place, as cuBLAS
    // updates y).
    const cublasStatus_t st = cublasLtMatmulAlgoGetHeuristic(handle_, d->op, d->a, d->b, d->y,
                                                             d->y, d->pref, 1, &result, &found);
    const std::string what = std::string("B ") + to_string(b.type) + " ";
    if (st != CUBLAS_STATUS_SUCCESS) {
      refusal_ += sep() + what + cublasGetStatusName(st);
    } else if (found == 0 || result.state != CUBLAS_STATUS_SUCCESS) {
      refusal_ += sep() + what + "no algorithm" +
                  (found == 0 ? std::string() : std::string(" (") +
                                                    cublasGetStatusName(result.state) + ")");
    } else {
      d->algo = result.algo;
      desc_ = std::move(d);
      b_ = b;
      accepted_ = true;
      refusal_.clear();
      return;
    }
  }
  refusal_ = "n=1 refused: " + refusal_;
}

cublaslt_fp8_reference::~cublaslt_fp8_reference() = default;

std::string cublaslt_fp8_reference::name() const {
  return std::string("cublasLtMatmul(") + to_string(a_type_) + " x " + to_string(b_.type) +
         " -> " + to_string(y_type_) + ", n=1, per-tensor A scale)";
}

void cublaslt_fp8_reference::run(cudaStream_t stream) const {
  if (!accepted_) throw failure("cuBLASLt: " + refusal_);
  check_cublas(cublasLtMatmul(handle_, desc_->op, &alpha_, A_, desc_->a, b_.data, desc_->b, &beta_,
                              y_, desc_->y, y_, desc_->y, &desc_->algo, workspace_.get(),
                              workspace_.bytes(), stream),
               "cublasLtMatmul");
}

}  // namespace gemv::bench
