#pragma once
// Public vocabulary of the library: layouts, operations, status codes and the
// element types a gemv can run on.

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include <cstdint>
#include <type_traits>

namespace gemv {

/// How A is stored (CBLAS meaning): rows contiguous or columns contiguous.
enum class layout : std::uint8_t { row_major, col_major };

/// op(A): A itself or its transpose.
enum class op : std::uint8_t { n, t };

/// Outcome of every host-side call. Nothing is read or written unless the
/// call returns `success` (a kernel that was launched and then failed on the
/// device reports through the stream, as every CUDA launch does).
enum class status : std::uint8_t {
  success,
  invalid_enum,             ///< layout or op outside its enumeration
  invalid_size,             ///< m or n negative, or the matrix does not fit in int64 offsets
  invalid_leading_dimension,///< lda below the stored row (row-major) or column (col-major) length
  invalid_increment,        ///< incx or incy is zero
  null_pointer,             ///< a pointer that would be dereferenced is null
  misaligned_pointer,       ///< a pointer is not aligned to its element type
  insufficient_workspace,   ///< the caller's workspace is smaller than workspace_size()
  invalid_plan,             ///< a forced plan does not fit the problem
  device_error,             ///< querying the current device failed
  allocation_failed,        ///< the library-owned scratch could not be allocated
  launch_failed,            ///< a kernel launch reported an error (gemv::last_cuda_error() says which)
  kernel_unavailable,       ///< the plan names a tile shape that no compiled kernel has
  invalid_batch,            ///< a batch count below 0
  overlapping_outputs,      ///< the members of a batch would write the same elements of y
  invalid_vector_count,     ///< gemv_multi's k outside 1..kMaxVectors
};

/// Most vectors one gemv_multi call takes.
inline constexpr int kMaxVectors = 16;

/// Name of a status, e.g. "invalid_increment". Never null.
constexpr const char* to_string(status s) noexcept {
  switch (s) {
    case status::success: return "success";
    case status::invalid_enum: return "invalid_enum";
    case status::invalid_size: return "invalid_size";
    case status::invalid_leading_dimension: return "invalid_leading_dimension";
    case status::invalid_increment: return "invalid_increment";
    case status::null_pointer: return "null_pointer";
    case status::misaligned_pointer: return "misaligned_pointer";
    case status::insufficient_workspace: return "insufficient_workspace";
    case status::invalid_plan: return "invalid_plan";
    case status::device_error: return "device_error";
    case status::allocation_failed: return "allocation_failed";
    case status::launch_failed: return "launch_failed";
    case status::kernel_unavailable: return "kernel_unavailable";
    case status::invalid_batch: return "invalid_batch";
    case status::overlapping_outputs: return "overlapping_outputs";
    case status::invalid_vector_count: return "invalid_vector_count";
  }
  return "unknown_status";
}

/// Element types of A, x and y.
enum class dtype : std::uint8_t { f32, f16, bf16, f64, e4m3, e5m2, i8 };

constexpr const char* to_string(dtype t) noexcept {
  switch (t) {
    case dtype::f32: return "f32";
    case dtype::f16: return "f16";
    case dtype::bf16: return "bf16";
    case dtype::f64: return "f64";
    case dtype::e4m3: return "e4m3";
    case dtype::e5m2: return "e5m2";
    case dtype::i8: return "i8";
  }
  return "unknown_dtype";
}

/// Bytes of one element (the kernels' element_traits agree: detail/element.cuh).
/// 0 for a value outside the enumeration.
constexpr int size_of(dtype t) noexcept {
  switch (t) {
    case dtype::f32: return 4;
    case dtype::f16: return 2;
    case dtype::bf16: return 2;
    case dtype::f64: return 8;
    case dtype::e4m3: return 1;
    case dtype::e5m2: return 1;
    case dtype::i8: return 1;
  }
  return 0;
}

template <class T>
struct dtype_of;
template <>
struct dtype_of<float> : std::integral_constant<dtype, dtype::f32> {};
template <>
struct dtype_of<__half> : std::integral_constant<dtype, dtype::f16> {};
template <>
struct dtype_of<__nv_bfloat16> : std::integral_constant<dtype, dtype::bf16> {};
template <>
struct dtype_of<double> : std::integral_constant<dtype, dtype::f64> {};
template <>
struct dtype_of<__nv_fp8_e4m3> : std::integral_constant<dtype, dtype::e4m3> {};
template <>
struct dtype_of<__nv_fp8_e5m2> : std::integral_constant<dtype, dtype::e5m2> {};
template <>
struct dtype_of<std::int8_t> : std::integral_constant<dtype, dtype::i8> {};

namespace detail {
template <class T, class... U>
inline constexpr bool is_one_of_v = (std::is_same_v<T, U> || ...);
}  // namespace detail

/// The element types of one call: A, x and y. The combinations gemv runs
/// (is_supported_types_v):
///  - one type throughout: float, __half, __nv_bfloat16 or double;
///  - 16-bit A with float x and y, or with x of A's type and float y;
///  - 8-bit weights (__nv_fp8_e4m3, __nv_fp8_e5m2, std::int8_t) with x and y
///    both __half, both __nv_bfloat16 or both float.
/// Products are summed in float (double for double), whatever the types.
template <class TA, class TX, class TY>
inline constexpr bool is_supported_types_v =
    (std::is_same_v<TA, TX> && std::is_same_v<TX, TY> &&
     detail::is_one_of_v<TA, float, __half, __nv_bfloat16, double>) ||
    (detail::is_one_of_v<TA, __half, __nv_bfloat16> && std::is_same_v<TY, float> &&
     (std::is_same_v<TX, float> || std::is_same_v<TX, TA>)) ||
    (detail::is_one_of_v<TA, __nv_fp8_e4m3, __nv_fp8_e5m2, std::int8_t> && std::is_same_v<TX, TY> &&
     detail::is_one_of_v<TX, __half, __nv_bfloat16, float>);

/// Type of alpha, beta and the accumulation of a call with these element
/// types: double for double, float otherwise.
template <class TA, class TX, class TY>
using scalar_t = std::conditional_t<std::is_same_v<TA, double>, double, float>;

/// What happens to each output after alpha scales it (gemv::epilogue).
enum class activation : std::uint8_t { none, relu, gelu_tanh, gelu_erf, silu };

constexpr const char* to_string(activation a) noexcept {
  switch (a) {
    case activation::none: return "none";
    case activation::relu: return "relu";
    case activation::gelu_tanh: return "gelu_tanh";
    case activation::gelu_erf: return "gelu_erf";
    case activation::silu: return "silu";
  }
  return "unknown_activation";
}

/// A fused epilogue: y[i] = act(alpha * scale[i] * dot[i] + bias[i]) + beta * y[i],
/// where dot = op(A) * x. `scale` (one float per output) and `bias` (one
/// element of y's type per output) may each be null (1 and 0). Applied once
/// per output, after the whole reduction (split plans included): the
/// product, scale and bias in double, the activation in scalar_t (float, or
/// double for double), rounded once to y's type.
///
/// `Act` is gemv::activation, or a caller's functor type whose
///     __device__ S operator()(S v, std::int64_t i) const
/// maps output i's value v (S = scalar_t of the call) to the activated one;
/// its kernels are compiled in the caller's CUDA source (gemv.cuh), since
/// gemv_compiled holds the built-in activations only.
template <class TY, class Act = activation>
struct epilogue {
  const float* scale = nullptr;
  const TY* bias = nullptr;
  Act act{};
};

}  // namespace gemv
