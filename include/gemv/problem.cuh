#pragma once
// A gemv call reduced to what the kernels care about, and the checks that
// decide whether a call may touch memory at all. Host only.

#include <gemv/types.cuh>

#include <cstdint>
#include <limits>

namespace gemv {

/// Direction of the reduction relative to memory.
///  - along_rows:  each output is the dot product of one contiguous stored row
///                 with x (row-major op n, column-major op t).
///  - across_rows: each output gathers one element from every stored row
///                 (row-major op t, column-major op n).
enum class reduction : std::uint8_t { along_rows, across_rows };

constexpr const char* to_string(reduction r) noexcept {
  return r == reduction::along_rows ? "along_rows" : "across_rows";
}

/// The stored matrix seen as row-major: `rows` contiguous runs of `cols`
/// elements, `ld` elements apart. For column-major storage a "row" here is
/// a stored column.
struct problem {
  reduction kind = reduction::along_rows;
  dtype type = dtype::f32;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t ld = 0;
  /// 16-byte vector loads are legal: A and every stored row start on a 16-byte
  /// boundary and, when x is read in vectors (along_rows), x is contiguous and
  /// 16-byte aligned too.
  bool vectorizable = false;
  /// x's elements are adjacent (incx == 1).
  bool x_contiguous = true;

  constexpr std::int64_t outputs() const noexcept {
    return kind == reduction::along_rows ? rows : cols;
  }
  constexpr std::int64_t reduction_length() const noexcept {
    return kind == reduction::along_rows ? cols : rows;
  }
  constexpr std::int64_t matrix_bytes() const noexcept { return rows * cols * size_of(type); }
};

namespace detail {

inline bool is_aligned(const void* p, std::uintptr_t bytes) noexcept {
  return reinterpret_cast<std::uintptr_t>(p) % bytes == 0;
}

/// a * b + c fits in int64 for non-negative a, b, c.
constexpr bool fits_int64(std::int64_t a, std::int64_t b, std::int64_t c) noexcept {
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  if (a != 0 && b > (max - c) / a) return false;
  return true;
}

/// The byte offsets of a strided vector of `len` elements of `esize` bytes
/// fit in int64. The increment's magnitude is taken unsigned: -INT64_MIN
/// does not exist as an int64.
constexpr bool vector_fits_int64(std::int64_t len, std::int64_t inc, std::int64_t esize) noexcept {
  if (len == 0) return true;
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  const std::uint64_t steps = static_cast<std::uint64_t>(len - 1);
  const std::uint64_t stride = inc < 0 ? 0 - static_cast<std::uint64_t>(inc) : static_cast<std::uint64_t>(inc);
  if (steps != 0 && stride > (max - 1) / steps) return false;
  return steps * stride + 1 <= max / static_cast<std::uint64_t>(esize);
}

}  // namespace detail

/// Stored rows, row length and reduction kind for a CBLAS-style call.
constexpr problem describe(layout lay, op trans, std::int64_t m, std::int64_t n, dtype type,
                           std::int64_t lda) noexcept {
  problem p;
  p.type = type;
  const bool row_major = lay == layout::row_major;
  p.rows = row_major ? m : n;
  p.cols = row_major ? n : m;
  p.ld = lda;
  p.kind = (row_major == (trans == op::n)) ? reduction::along_rows : reduction::across_rows;
  return p;
}

/// describe() plus the alignment facts read off the pointers.
inline problem describe(layout lay, op trans, std::int64_t m, std::int64_t n, dtype type,
                        const void* A, std::int64_t lda, const void* x,
                        std::int64_t incx) noexcept {
  problem p = describe(lay, trans, m, n, type, lda);
  // Rows start on 16-byte boundaries when lda is a whole number of 16-byte
  // vectors (lda * size would overflow for the huge lda of a single row).
  bool ok = detail::is_aligned(A, 16) && lda % (16 / size_of(type)) == 0;
  if (p.kind == reduction::along_rows) ok = ok && incx == 1 && detail::is_aligned(x, 16);
  p.vectorizable = ok;
  p.x_contiguous = incx == 1;
  return p;
}

/// BLAS quick return: with no outputs, an empty reduction, or alpha == 0 and
/// beta == 1, a call reads and writes nothing (reference BLAS and cuBLAS
/// leave y as it was, -0.0 and NaN payloads included). Checked after the
/// arguments: a quick return still needs valid ones.
constexpr bool is_quick_return(std::int64_t m, std::int64_t n, float alpha, float beta) noexcept {
  return m == 0 || n == 0 || (alpha == 0.0f && beta == 1.0f);
}

/// The checks of a gemv call that do not look at pointers or coefficients:
/// enumerations, sizes, leading dimension, increments, and every element
/// offset, in bytes, fitting in int64.
constexpr status validate_shape(layout lay, op trans, std::int64_t m, std::int64_t n,
                                std::int64_t lda, std::int64_t incx, std::int64_t incy,
                                dtype type) noexcept {
  if (lay != layout::row_major && lay != layout::col_major) return status::invalid_enum;
  if (trans != op::n && trans != op::t) return status::invalid_enum;
  if (type != dtype::f32 && type != dtype::f16 && type != dtype::bf16) return status::invalid_enum;
  if (m < 0 || n < 0) return status::invalid_size;
  const std::int64_t run = lay == layout::row_major ? n : m;    // stored row length
  const std::int64_t runs = lay == layout::row_major ? m : n;   // stored rows
  if (lda < (run > 1 ? run : 1)) return status::invalid_leading_dimension;
  if (incx == 0 || incy == 0) return status::invalid_increment;

  const std::int64_t esize = size_of(type);
  if (runs > 0 && !detail::fits_int64(runs - 1, lda, run)) return status::invalid_size;
  if (runs > 0 && !detail::fits_int64((runs - 1) * lda + run, esize, 0)) return status::invalid_size;
  if (!detail::vector_fits_int64(trans == op::n ? n : m, incx, esize)) return status::invalid_size;
  if (!detail::vector_fits_int64(trans == op::n ? m : n, incy, esize)) return status::invalid_size;
  return status::success;
}

/// Checks every argument of a gemv call. `success` means the call may run;
/// any other value means nothing will be read or written.
inline status validate(layout lay, op trans, std::int64_t m, std::int64_t n, float alpha,
                       const void* A, std::int64_t lda, const void* x, std::int64_t incx,
                       float beta, const void* y, std::int64_t incy, dtype type) noexcept {
  if (const status s = validate_shape(lay, trans, m, n, lda, incx, incy, type); s != status::success)
    return s;
  const std::int64_t esize = size_of(type);
  if (is_quick_return(m, n, alpha, beta)) return status::success;  // nothing is touched
  const bool reads_a_and_x = alpha != 0.0f;
  if (y == nullptr) return status::null_pointer;
  if (reads_a_and_x && (A == nullptr || x == nullptr)) return status::null_pointer;
  const auto align = static_cast<std::uintptr_t>(esize);
  if (!detail::is_aligned(y, align)) return status::misaligned_pointer;
  if (reads_a_and_x && (!detail::is_aligned(A, align) || !detail::is_aligned(x, align)))
    return status::misaligned_pointer;
  return status::success;
}

}  // namespace gemv
