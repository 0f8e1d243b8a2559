// torch.ops.gemv: y = alpha * A @ x + beta * y on CUDA tensors through the
// gemv library. A is any 2-D tensor BLAS can describe (rows or columns
// contiguous, the other stride at least the run length); x and y are any
// 1-D strided tensors. Everything else raises ValueError before the device
// is touched.
//
// A host compiler's file: the library's entry points come compiled from
// entry_points.cu through <gemv/gemv.hpp>, so nvcc never sees torch's
// headers: built by nvcc 13.0 against torch 2.11, a failed check whose
// message held a number crashed the interpreter instead of raising.

#include <gemv/gemv.hpp>

#include <ATen/core/Tensor.h>
#include <ATen/cuda/CUDAContext.h>
#include <ATen/ops/empty.h>
#include <c10/cuda/CUDAGuard.h>
#include <torch/library.h>

#include <algorithm>
#include <string>
#include <cstdint>
#include <utility>

namespace gemv_torch {
namespace {

// Numbers and sizes in error messages are formatted here, without
// iostreams: with the torch 2.11 wheel on the GPU machine, a message that
// streamed an integer (c10::str) crashed the interpreter instead of
// raising, while messages of text alone raised as they should.
std::string text(std::int64_t v) { return std::to_string(v); }

std::string text(at::IntArrayRef values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + std::to_string(values[i]);
  return out + "]";
}

/// A as the library sees it. op is always n: a transposed view is simply
/// the other layout.
struct matrix_layout {
  gemv::layout layout;
  std::int64_t lda;
};

/// Rows contiguous and at least n apart, else columns contiguous and at
/// least m apart. torch gives a size-1 dimension an arbitrary stride; its
/// step is never taken, so only the contiguous dimension matters then.
matrix_layout blas_layout(const at::Tensor& A) {
  const std::int64_t m = A.size(0), n = A.size(1);
  const std::int64_t row_lda = m <= 1 ? std::max<std::int64_t>(n, 1) : A.stride(0);
  const bool row_major = (n <= 1 || A.stride(1) == 1) && row_lda >= std::max<std::int64_t>(n, 1);
  const std::int64_t col_lda = n <= 1 ? std::max<std::int64_t>(m, 1) : A.stride(1);
  const bool col_major = (m <= 1 || A.stride(0) == 1) && col_lda >= std::max<std::int64_t>(m, 1);
  TORCH_CHECK_VALUE(row_major || col_major, "gemv: A (sizes ", text(A.sizes()), ", strides ", text(A.strides()),
                    ") is neither row-major nor column-major without overlap; pass A.contiguous()");
  return row_major ? matrix_layout{gemv::layout::row_major, row_lda}
                   : matrix_layout{gemv::layout::col_major, col_lda};
}

/// The BLAS increment of a 1-D tensor. Stride 0 (an expanded tensor) has
/// no BLAS meaning; a single element's stride is never taken.
std::int64_t increment(const at::Tensor& v, const char* name) {
  if (v.size(0) <= 1) return 1;
  TORCH_CHECK_VALUE(v.stride(0) != 0, "gemv: ", name, " has stride 0 (an expanded tensor); pass ",
                    name, ".contiguous()");
  return v.stride(0);
}

/// Bytes [first, last) a tensor with non-negative strides can touch.
std::pair<std::uintptr_t, std::uintptr_t> byte_span(const at::Tensor& t) {
  std::int64_t last = 0;
  for (std::int64_t d = 0; d < t.dim(); ++d) last += (t.size(d) - 1) * t.stride(d);
  const auto first = reinterpret_cast<std::uintptr_t>(t.const_data_ptr());
  return {first, first + static_cast<std::uintptr_t>((last + 1) * t.element_size())};
}

/// The library reads `in` while it writes `out`: they must not share bytes.
void check_no_overlap(const at::Tensor& out, const char* out_name, const at::Tensor& in,
                      const char* in_name) {
  if (out.numel() == 0 || in.numel() == 0 || !out.is_alias_of(in)) return;
  const auto [out_first, out_last] = byte_span(out);
  const auto [in_first, in_last] = byte_span(in);
  TORCH_CHECK_VALUE(out_last <= in_first || in_last <= out_first, "gemv: ", out_name, " overlaps ",
                    in_name, " in memory");
}

bool is_supported(at::ScalarType t) {
  return t == at::kFloat || t == at::kHalf || t == at::kBFloat16;
}

gemv::dtype element_type(at::ScalarType t) {
  return t == at::kFloat ? gemv::dtype::f32 : t == at::kHalf ? gemv::dtype::f16 : gemv::dtype::bf16;
}

/// Dimensions, sizes and dtypes of A and x; each message names the operand.
void check_operands(const char* op, const at::Tensor& A, const at::Tensor& x) {
  TORCH_CHECK_VALUE(A.dim() == 2, op, ": A must be 2-D, got ", text(A.dim()), "-D");
  TORCH_CHECK_VALUE(x.dim() == 1, op, ": x must be 1-D, got ", text(x.dim()), "-D");
  TORCH_CHECK_VALUE(x.size(0) == A.size(1), op, ": A is ", text(A.size(0)), " x ",
                    text(A.size(1)), " but x has ", text(x.size(0)), " elements");
  TORCH_CHECK_VALUE(is_supported(A.scalar_type()), op, ": A is ", A.scalar_type(),
                    "; gemv runs on float32, float16 and bfloat16");
  TORCH_CHECK_VALUE(x.scalar_type() == A.scalar_type(), op, ": x is ", x.scalar_type(),
                    " but A is ", A.scalar_type());
}

void check_dtype_of_y(const char* op, const at::Tensor& y, const at::Tensor& A) {
  TORCH_CHECK_VALUE(y.scalar_type() == A.scalar_type(), op, ": y is ", y.scalar_type(),
                    " but A is ", A.scalar_type());
}

/// Last, so that the checks above answer the same on any device.
void check_devices(const char* op, const at::Tensor& A, const at::Tensor& x, const at::Tensor* y) {
  TORCH_CHECK_VALUE(A.is_cuda(), op, ": A is on ", A.device(), "; gemv runs on CUDA tensors");
  TORCH_CHECK_VALUE(x.device() == A.device(), op, ": x is on ", x.device(), " but A is on ",
                    A.device());
  if (y != nullptr)
    TORCH_CHECK_VALUE(y->device() == A.device(), op, ": y is on ", y->device(), " but A is on ",
                      A.device());
}

void check_status(gemv::status s) {
  if (s == gemv::status::success) return;
  const bool cuda_failure = s == gemv::status::device_error ||
                            s == gemv::status::allocation_failed ||
                            s == gemv::status::launch_failed;
  TORCH_CHECK(!cuda_failure, "gemv: ", gemv::to_string(s), ": ",
              cudaGetErrorString(gemv::last_cuda_error()));
  TORCH_CHECK(false, "gemv: ", gemv::to_string(s));
}

/// c10::Half and c10::BFloat16 have the bits of __half and __nv_bfloat16.
template <class Element, class Stored>
gemv::status call(const matrix_layout& view, float alpha, const at::Tensor& A, const at::Tensor& x,
                  std::int64_t incx, float beta, const at::Tensor& y, std::int64_t incy,
                  gemv::workspace ws, cudaStream_t stream) {
  return gemv::gemv<Element>(
      view.layout, gemv::op::n, A.size(0), A.size(1), alpha,
      reinterpret_cast<const Element*>(A.const_data_ptr<Stored>()), view.lda,
      reinterpret_cast<const Element*>(x.const_data_ptr<Stored>()), incx, beta,
      reinterpret_cast<Element*>(y.mutable_data_ptr<Stored>()), incy, ws, stream);
}

/// y = alpha * A @ x + beta * y in place, on A's device and its current
/// stream. The operands have passed check_operands; y has A.size(0) elements.
void run(const at::Tensor& A, const at::Tensor& x, double alpha, double beta, const at::Tensor& y) {
  const std::int64_t m = A.size(0), n = A.size(1);
  const matrix_layout view = blas_layout(A);
  const std::int64_t incx = increment(x, "x");
  const std::int64_t incy = increment(y, "y");
  if (m == 0) return;
  if (n == 0) {
    // An empty sum: BLAS's quick return would leave y as it was; torch gives beta * y.
    if (beta == 0.0) y.zero_(); else y.mul_(beta);
    return;
  }

  const c10::cuda::CUDAGuard guard(A.device());
  const cudaStream_t stream = at::cuda::getCurrentCUDAStream();
  std::size_t bytes = 0;
  check_status(gemv::workspace_size(view.layout, gemv::op::n, m, n, element_type(A.scalar_type()), bytes));
  // Scratch from torch's caching allocator, ordered on this stream: the
  // library allocates nothing, and under graph capture the scratch comes
  // from the graph's private pool.
  at::Tensor scratch;
  if (bytes > 0) scratch = at::empty({static_cast<std::int64_t>(bytes)}, A.options().dtype(at::kByte));
  const gemv::workspace ws{bytes > 0 ? scratch.data_ptr() : nullptr, bytes};

  const auto a = static_cast<float>(alpha), b = static_cast<float>(beta);
  switch (A.scalar_type()) {
    case at::kFloat:
      check_status(call<float, float>(view, a, A, x, incx, b, y, incy, ws, stream));
      break;
    case at::kHalf:
      check_status(call<__half, at::Half>(view, a, A, x, incx, b, y, incy, ws, stream));
      break;
    default:
      check_status(call<__nv_bfloat16, at::BFloat16>(view, a, A, x, incx, b, y, incy, ws, stream));
      break;
  }
}

at::Tensor mv(const at::Tensor& A, const at::Tensor& x, double alpha) {
  check_operands("gemv.mv", A, x);
  check_devices("gemv.mv", A, x, nullptr);
  at::Tensor y = at::empty({A.size(0)}, A.options());
  run(A, x, alpha, 0.0, y);
  return y;
}

/// Like torch.addmv: a new tensor, y broadcast to A.size(0) elements.
at::Tensor addmv(const at::Tensor& y, const at::Tensor& A, const at::Tensor& x, double alpha,
                 double beta) {
  check_operands("gemv.addmv", A, x);
  TORCH_CHECK_VALUE(y.dim() <= 1 && (y.numel() == 1 || (y.dim() == 1 && y.size(0) == A.size(0))),
                    "gemv.addmv: y of sizes ", text(y.sizes()), " does not broadcast to ", text(A.size(0)),
                    " elements");
  check_dtype_of_y("gemv.addmv", y, A);
  check_devices("gemv.addmv", A, x, &y);
  at::Tensor out = at::empty({A.size(0)}, A.options());
  if (beta != 0.0) out.copy_(y);  // beta == 0 never reads y, as in torch.addmv
  run(A, x, alpha, beta, out);
  return out;
}

void addmv_(const at::Tensor& y, const at::Tensor& A, const at::Tensor& x, double alpha,
            double beta) {
  check_operands("gemv.addmv_", A, x);
  TORCH_CHECK_VALUE(y.dim() == 1 && y.size(0) == A.size(0), "gemv.addmv_: y must have sizes [",
                    text(A.size(0)), "], got ", text(y.sizes()));
  check_dtype_of_y("gemv.addmv_", y, A);
  check_devices("gemv.addmv_", A, x, &y);
  check_no_overlap(y, "y", A, "A");
  check_no_overlap(y, "y", x, "x");
  run(A, x, alpha, beta, y);
}

}  // namespace
}  // namespace gemv_torch

TORCH_LIBRARY(gemv, m) {
  const std::vector<at::Tag> tags{at::Tag::pt2_compliant_tag};
  m.def("mv(Tensor A, Tensor x, float alpha=1.0) -> Tensor", tags);
  m.def("addmv(Tensor y, Tensor A, Tensor x, float alpha=1.0, float beta=1.0) -> Tensor", tags);
  m.def("addmv_(Tensor(a!) y, Tensor A, Tensor x, float alpha=1.0, float beta=1.0) -> ()", tags);
}

TORCH_LIBRARY_IMPL(gemv, CUDA, m) {
  m.impl("mv", &gemv_torch::mv);
  m.impl("addmv", &gemv_torch::addmv);
  m.impl("addmv_", &gemv_torch::addmv_);
}

// CPU tensors reach the same functions, whose checks reject them with a
// ValueError instead of the dispatcher's NotImplementedError.
TORCH_LIBRARY_IMPL(gemv, CPU, m) {
  m.impl("mv", &gemv_torch::mv);
  m.impl("addmv", &gemv_torch::addmv);
  m.impl("addmv_", &gemv_torch::addmv_);
}
