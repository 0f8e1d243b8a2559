#pragma once
// A gemv call reduced to what the kernels care about, and the checks that
// decide whether a call may touch memory at all. Host only.

#include <gemv/types.cuh>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

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
  dtype type = dtype::f32;    ///< A's element type
  dtype x_type = dtype::f32;  ///< x's element type (describe: A's unless given)
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t ld = 0;
  /// 16-byte vector loads are legal: A and every stored row start on a 16-byte
  /// boundary and, when x is read in vectors (along_rows), x is contiguous and
  /// 16-byte aligned too.
  bool vectorizable = false;
  /// x's elements are adjacent (incx == 1).
  bool x_contiguous = true;
  /// Independent members of this shape run by one launch (a strided batch).
  std::int64_t batch = 1;
  /// Vectors of x against this one A (gemv_multi), each with its own y.
  int vectors = 1;

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
  p.x_type = type;
  const bool row_major = lay == layout::row_major;
  p.rows = row_major ? m : n;
  p.cols = row_major ? n : m;
  p.ld = lda;
  p.kind = (row_major == (trans == op::n)) ? reduction::along_rows : reduction::across_rows;
  return p;
}

/// describe() plus x's type and the alignment facts read off the pointers.
inline problem describe(layout lay, op trans, std::int64_t m, std::int64_t n, dtype type,
                        const void* A, std::int64_t lda, dtype x_type, const void* x,
                        std::int64_t incx) noexcept {
  problem p = describe(lay, trans, m, n, type, lda);
  p.x_type = x_type;
  // Rows start on 16-byte boundaries when lda is a whole number of 16-byte
  // vectors (lda * size would overflow for the huge lda of a single row).
  bool ok = detail::is_aligned(A, 16) && lda % (16 / size_of(type)) == 0;
  if (p.kind == reduction::along_rows) ok = ok && incx == 1 && detail::is_aligned(x, 16);
  p.vectorizable = ok;
  p.x_contiguous = incx == 1;
  return p;
}

/// describe() with x of A's type.
inline problem describe(layout lay, op trans, std::int64_t m, std::int64_t n, dtype type,
                        const void* A, std::int64_t lda, const void* x,
                        std::int64_t incx) noexcept {
  return describe(lay, trans, m, n, type, A, lda, type, x, incx);
}

/// BLAS quick return: with no outputs, an empty reduction, or alpha == 0 and
/// beta == 1, a call reads and writes nothing (reference BLAS and cuBLAS
/// leave y as it was, -0.0 and NaN payloads included). Checked after the
/// arguments: a quick return still needs valid ones. An epilogue with a bias
/// writes every output whatever the product (`biased_outputs`: the outputs
/// of a call whose epilogue has a bias, else 0), so it has none.
constexpr bool is_quick_return(std::int64_t m, std::int64_t n, double alpha, double beta,
                               std::int64_t biased_outputs = 0) noexcept {
  if (biased_outputs > 0) return false;
  return m == 0 || n == 0 || (alpha == 0.0 && beta == 1.0);
}

/// The checks of a gemv call that do not look at pointers or coefficients:
/// enumerations, sizes, leading dimension, increments, and every element
/// offset, in bytes, fitting in int64. `type`, `x_type` and `y_type` are the
/// element types of A, x and y.
constexpr status validate_shape(layout lay, op trans, std::int64_t m, std::int64_t n,
                                std::int64_t lda, std::int64_t incx, std::int64_t incy,
                                dtype type, dtype x_type, dtype y_type) noexcept {
  if (lay != layout::row_major && lay != layout::col_major) return status::invalid_enum;
  if (trans != op::n && trans != op::t) return status::invalid_enum;
  if (size_of(type) == 0 || size_of(x_type) == 0 || size_of(y_type) == 0) return status::invalid_enum;
  if (m < 0 || n < 0) return status::invalid_size;
  const std::int64_t run = lay == layout::row_major ? n : m;    // stored row length
  const std::int64_t runs = lay == layout::row_major ? m : n;   // stored rows
  if (lda < (run > 1 ? run : 1)) return status::invalid_leading_dimension;
  if (incx == 0 || incy == 0) return status::invalid_increment;

  const std::int64_t esize = size_of(type);
  if (runs > 0 && !detail::fits_int64(runs - 1, lda, run)) return status::invalid_size;
  if (runs > 0 && !detail::fits_int64((runs - 1) * lda + run, esize, 0)) return status::invalid_size;
  if (!detail::vector_fits_int64(trans == op::n ? n : m, incx, size_of(x_type))) return status::invalid_size;
  if (!detail::vector_fits_int64(trans == op::n ? m : n, incy, size_of(y_type))) return status::invalid_size;
  return status::success;
}

/// validate_shape() with one element type throughout.
constexpr status validate_shape(layout lay, op trans, std::int64_t m, std::int64_t n,
                                std::int64_t lda, std::int64_t incx, std::int64_t incy,
                                dtype type) noexcept {
  return validate_shape(lay, trans, m, n, lda, incx, incy, type, type, type);
}

/// Every argument of one gemv call, its element types as dtype values: what
/// validate() checks and the dispatch plans from. The entry points fill it.
struct call_arguments {
  layout lay = layout::row_major;
  op trans = op::n;
  std::int64_t m = 0;
  std::int64_t n = 0;
  double alpha = 1.0;
  const void* A = nullptr;
  std::int64_t lda = 1;
  const void* x = nullptr;
  std::int64_t incx = 1;
  double beta = 0.0;
  const void* y = nullptr;
  std::int64_t incy = 1;
  dtype a_type = dtype::f32;
  dtype x_type = dtype::f32;
  dtype y_type = dtype::f32;
  const float* scale = nullptr;  ///< epilogue: one per output, or null
  const void* bias = nullptr;    ///< epilogue: one of y's type per output, or null
  /// alpha or beta read from device memory when the kernels run (the value
  /// fields are then unknown to the host); their pointers, for validation.
  const void* alpha_on_device = nullptr;
  const void* beta_on_device = nullptr;
  /// A strided batch (arguments.cuh): members, and elements between them.
  std::int64_t batch = 1;
  std::int64_t stride_a = 0;
  std::int64_t stride_x = 0;
  std::int64_t stride_y = 0;
  /// A pointer-array batch (arguments.cuh): the arrays, for validation.
  const void* A_array = nullptr;
  const void* x_array = nullptr;
  const void* y_array = nullptr;
  /// Several vectors against one A (arguments.cuh): how many, and elements
  /// from one vector of x (of y) to the next.
  int vectors = 1;
  std::int64_t ldx = 0;
  std::int64_t ldy = 0;

  constexpr bool pointer_arrays() const noexcept {
    return A_array != nullptr || x_array != nullptr || y_array != nullptr;
  }
  /// A strided batch of up to kMaxVectors members that share A and step
  /// forward through x and y: several vectors against one A, planned (and
  /// read) as such.
  constexpr bool batch_of_vectors() const noexcept {
    return batch > 1 && batch <= kMaxVectors && vectors == 1 && !pointer_arrays() && stride_a == 0 &&
           stride_x > 0 && stride_y > 0;
  }

  constexpr std::int64_t outputs() const noexcept { return trans == op::n ? m : n; }
  constexpr std::int64_t biased_outputs() const noexcept { return bias != nullptr ? outputs() : 0; }
  /// Elements from the first to one past the last of y in one member.
  constexpr std::int64_t y_span() const noexcept {
    const std::int64_t step = incy < 0 ? -incy : incy;
    return outputs() == 0 ? 0 : (outputs() - 1) * step + 1;
  }
  /// The same of x.
  constexpr std::int64_t x_span() const noexcept {
    const std::int64_t len = trans == op::n ? n : m;
    const std::int64_t step = incx < 0 ? -incx : incx;
    return len == 0 ? 0 : (len - 1) * step + 1;
  }
  /// The host knows alpha == 0: A and x need not be read.
  constexpr bool alpha_is_zero() const noexcept { return alpha_on_device == nullptr && alpha == 0.0; }
  /// BLAS quick return (is_quick_return), decided on the host: alpha == 0
  /// and beta == 1 count only when both are the host's values.
  constexpr bool quick_return() const noexcept {
    if (batch == 0) return true;
    const bool on_host = alpha_on_device == nullptr && beta_on_device == nullptr;
    return is_quick_return(m, n, on_host ? alpha : 1.0, on_host ? beta : 0.0, biased_outputs());
  }
};

/// Checks every argument of a gemv call. `success` means the call may run;
/// any other value means nothing will be read or written.
inline status validate(const call_arguments& c) noexcept {
  if (const status s = validate_shape(c.lay, c.trans, c.m, c.n, c.lda, c.incx, c.incy, c.a_type,
                                      c.x_type, c.y_type);
      s != status::success)
    return s;
  if (c.batch < 0) return status::invalid_batch;
  if (c.vectors < 1 || c.vectors > kMaxVectors) return status::invalid_vector_count;
  if (c.vectors > 1) {
    // One A, several vectors: no batch besides, and each vector's elements
    // apart from the next one's (y's must not meet: each is written).
    if (c.batch != 1 || c.pointer_arrays()) return status::invalid_batch;
    if (c.ldx < std::max<std::int64_t>(c.x_span(), 1) || c.ldy < std::max<std::int64_t>(c.y_span(), 1))
      return status::invalid_leading_dimension;
    const std::int64_t last = c.vectors - 1;
    if (!detail::fits_int64(last, c.ldx, c.x_span()) || !detail::fits_int64(last * c.ldx + c.x_span(), size_of(c.x_type), 0) ||
        !detail::fits_int64(last, c.ldy, c.y_span()) || !detail::fits_int64(last * c.ldy + c.y_span(), size_of(c.y_type), 0))
      return status::invalid_size;
  }
  if (c.batch > 1 && !c.pointer_arrays()) {
    // Every member's elements, from the first member's, fit in int64 bytes.
    const auto magnitude = [](std::int64_t v) {
      return v == std::numeric_limits<std::int64_t>::min() ? std::numeric_limits<std::int64_t>::max()
                                                           : (v < 0 ? -v : v);
    };
    const std::int64_t last = c.batch - 1;
    for (const auto& [stride, type] : {std::pair{c.stride_a, c.a_type}, std::pair{c.stride_x, c.x_type},
                                       std::pair{c.stride_y, c.y_type}}) {
      if (!detail::fits_int64(last, magnitude(stride), 0) ||
          !detail::fits_int64(last * magnitude(stride), size_of(type), 0))
        return status::invalid_size;
    }
    // Members write disjoint elements of y: their spans do not meet (a
    // conservative test: members interleaved by incy are refused too).
    if (c.outputs() > 0 && magnitude(c.stride_y) < c.y_span()) return status::overlapping_outputs;
  }
  if (c.quick_return()) return status::success;
  // A and x are read only for a non-empty product (with a bias, a call
  // with an empty reduction still runs, on y alone).
  const bool reads_a_and_x = !c.alpha_is_zero() && c.m > 0 && c.n > 0;
  if (c.pointer_arrays()) {
    // The members' pointers are in device memory: only the arrays are seen.
    if (c.y_array == nullptr) return status::null_pointer;
    if (reads_a_and_x && (c.A_array == nullptr || c.x_array == nullptr)) return status::null_pointer;
    const auto pointer_aligned = [](const void* p) { return detail::is_aligned(p, alignof(void*)); };
    if (!pointer_aligned(c.A_array) || !pointer_aligned(c.x_array) || !pointer_aligned(c.y_array))
      return status::misaligned_pointer;
  } else {
    if (c.y == nullptr) return status::null_pointer;
    if (reads_a_and_x && (c.A == nullptr || c.x == nullptr)) return status::null_pointer;
    const auto aligned = [](const void* p, dtype t) {
      return detail::is_aligned(p, static_cast<std::uintptr_t>(size_of(t)));
    };
    if (!aligned(c.y, c.y_type)) return status::misaligned_pointer;
    if (reads_a_and_x && (!aligned(c.A, c.a_type) || !aligned(c.x, c.x_type)))
      return status::misaligned_pointer;
  }
  if (!detail::is_aligned(c.bias, static_cast<std::uintptr_t>(size_of(c.y_type))) ||
      !detail::is_aligned(c.scale, alignof(float)))
    return status::misaligned_pointer;
  const auto scalar_bytes = static_cast<std::uintptr_t>(c.a_type == dtype::f64 ? 8 : 4);
  if (!detail::is_aligned(c.alpha_on_device, scalar_bytes) || !detail::is_aligned(c.beta_on_device, scalar_bytes))
    return status::misaligned_pointer;
  return status::success;
}

/// validate() of a call with one element type throughout and no epilogue.
inline status validate(layout lay, op trans, std::int64_t m, std::int64_t n, double alpha,
                       const void* A, std::int64_t lda, const void* x, std::int64_t incx,
                       double beta, const void* y, std::int64_t incy, dtype type) noexcept {
  call_arguments c;
  c.lay = lay;
  c.trans = trans;
  c.m = m;
  c.n = n;
  c.alpha = alpha;
  c.A = A;
  c.lda = lda;
  c.x = x;
  c.incx = incx;
  c.beta = beta;
  c.y = y;
  c.incy = incy;
  c.a_type = c.x_type = c.y_type = type;
  return validate(c);
}

}  // namespace gemv
