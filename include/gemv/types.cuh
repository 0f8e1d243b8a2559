#pragma once
// Public vocabulary of the library: layouts, operations, status codes and the
// element types a gemv can run on.

#include <cuda_bf16.h>
#include <cuda_fp16.h>

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
};

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
  }
  return "unknown_status";
}

/// Element types of A, x and y.
enum class dtype : std::uint8_t { f32, f16, bf16 };

constexpr const char* to_string(dtype t) noexcept {
  switch (t) {
    case dtype::f32: return "f32";
    case dtype::f16: return "f16";
    case dtype::bf16: return "bf16";
  }
  return "unknown_dtype";
}

/// Bytes of one element (the kernels' element_traits agree: detail/element.cuh).
constexpr int size_of(dtype t) noexcept {
  switch (t) {
    case dtype::f32: return 4;
    case dtype::f16: return 2;
    case dtype::bf16: return 2;
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

template <class T>
inline constexpr bool is_supported_element_v =
    std::is_same_v<T, float> || std::is_same_v<T, __half> || std::is_same_v<T, __nv_bfloat16>;

}  // namespace gemv
