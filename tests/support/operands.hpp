#pragma once
// The arguments of one gemv call and host copies of its operands, laid out in
// memory exactly as the device copies will be.

#include "support/element.hpp"
#include "support/parallel.hpp"
#include "support/random.hpp"

#include <gemv/types.cuh>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace gemv::test {

/// Everything a gemv call takes except the pointers and the stream.
struct call_args {
  layout lay = layout::row_major;
  op trans = op::n;
  std::int64_t m = 0;  ///< A is m x n as stored (CBLAS)
  std::int64_t n = 0;
  std::int64_t lda = 1;
  std::int64_t incx = 1;
  std::int64_t incy = 1;
  float alpha = 1.0f;
  float beta = 0.0f;

  std::int64_t x_len() const { return trans == op::n ? n : m; }
  std::int64_t y_len() const { return trans == op::n ? m : n; }
  /// Runs of contiguous elements of A in memory, and their length.
  std::int64_t stored_rows() const { return lay == layout::row_major ? m : n; }
  std::int64_t row_length() const { return lay == layout::row_major ? n : m; }
  /// Offset from A's first element of op(A)(o, r), the factor of x_r in output o.
  std::int64_t a_offset(std::int64_t o, std::int64_t r) const {
    return (lay == layout::row_major) == (trans == op::n) ? o * lda + r : r * lda + o;
  }
};

/// A call on a packed m x n matrix (lda = stored row length), unit strides,
/// alpha 1, the given beta.
inline call_args packed_call(layout lay, op trans, std::int64_t m, std::int64_t n,
                             float beta = 0.0f) {
  call_args c;
  c.lay = lay;
  c.trans = trans;
  c.m = m;
  c.n = n;
  c.lda = c.row_length();
  c.beta = beta;
  return c;
}

inline std::string to_string(const call_args& c) {
  return std::string(c.lay == layout::row_major ? "row-major" : "col-major") +
         (c.trans == op::n ? " op n " : " op t ") + std::to_string(c.m) + "x" +
         std::to_string(c.n) + " lda=" + std::to_string(c.lda) +
         " incx=" + std::to_string(c.incx) + " incy=" + std::to_string(c.incy) +
         " alpha=" + std::to_string(c.alpha) + " beta=" + std::to_string(c.beta);
}

/// Elements a strided vector of `len` logical elements spans.
constexpr std::int64_t span(std::int64_t len, std::int64_t inc) {
  return len == 0 ? 0 : 1 + (len - 1) * (inc < 0 ? -inc : inc);
}

/// Where logical element i of a strided vector lives, counted from the lowest
/// address of its storage. BLAS: a negative increment stores the vector
/// backwards, element i at (len - 1 - i) * |inc|.
constexpr std::int64_t position(std::int64_t i, std::int64_t len, std::int64_t inc) {
  return inc > 0 ? i * inc : (len - 1 - i) * -inc;
}

/// Guard elements no call may touch: before and after y, and after A and x.
inline constexpr std::int64_t kGuard = 32;

/// Host copies of A, x and y as whole buffers, of element types TA, TX and TY
/// (one type throughout unless given). Each operand starts `shift`
/// elements into its buffer (1 misaligns every 16-byte access on the device,
/// where buffers start 256-byte aligned), x `x_shift` when a test sets it
/// apart; A and x end with kGuard elements (x with `x_trail` when a test wants
/// it to end at its buffer's end), y has kGuard elements each side.
/// Everything a correct call never reads (the padding of A past each row, the
/// gaps of strided x, the leading shift, the guards) holds poison, a NaN: a
/// stray read shows in the result. Everything it never writes holds poison
/// too, checked bitwise.
template <class TA, class TX = TA, class TY = TX>
struct operands {
  call_args args;
  std::int64_t shift = 0;
  std::int64_t x_shift = 0;  ///< where x starts in its buffer: `shift` unless set apart
  std::vector<TA> A;
  std::vector<TX> x;
  std::vector<TY> y;

  const TA* a_ptr() const { return A.data() + shift; }
  const TX* x_ptr() const { return x.data() + x_shift; }
  const TY* y_ptr() const { return y.data() + y_begin(); }
  std::int64_t y_begin() const { return kGuard + shift; }

  /// op(A)(o, r), x_r and y_o by logical index, wherever they are stored.
  TA& a_at(std::int64_t o, std::int64_t r) { return A[shift + args.a_offset(o, r)]; }
  TX& x_at(std::int64_t r) { return x[x_shift + position(r, args.x_len(), args.incx)]; }
  TY& y_at(std::int64_t o) { return y[y_begin() + position(o, args.y_len(), args.incy)]; }
};

/// A buffer of `shift` poison elements, then `rows` runs of `row_length`
/// random values, `ld` elements apart, with poison in between, then `trail`
/// poison elements.
template <class T>
std::vector<T> random_matrix(std::int64_t rows, std::int64_t row_length, std::int64_t ld,
                             std::int64_t shift, std::uint64_t seed, value_range range,
                             std::int64_t trail = 0) {
  std::vector<T> buf(static_cast<std::size_t>(shift + rows * ld + trail));
  fill_uniform(buf.data(), shift + rows * ld, seed, range);
  const T nan = poison<T>();
  std::fill(buf.begin(), buf.begin() + shift, nan);
  std::fill(buf.end() - trail, buf.end(), nan);
  if (ld > row_length) {
    parallel_for(rows, [&](std::int64_t r) {
      T* row = buf.data() + shift + r * ld;
      std::fill(row + row_length, row + ld, nan);
    });
  }
  return buf;
}

/// A strided vector: `lead` poison elements, the span of `len` elements with
/// random values at the element positions (poison instead when `values` is
/// false) and poison in the gaps, then `trail` poison elements.
template <class T>
std::vector<T> random_vector(std::int64_t len, std::int64_t inc, std::int64_t lead,
                             std::int64_t trail, std::uint64_t seed, value_range range,
                             bool values = true) {
  const std::int64_t n = span(len, inc);
  std::vector<T> buf(static_cast<std::size_t>(lead + n + trail), poison<T>());
  const std::int64_t step = inc < 0 ? -inc : inc;
  if (values && step == 1) {
    fill_uniform(buf.data() + lead, len, seed, range);
  } else if (values) {
    std::vector<T> v(static_cast<std::size_t>(len));
    fill_uniform(v.data(), len, seed, range);
    for (std::int64_t i = 0; i < len; ++i) buf[lead + i * step] = v[i];
  }
  return buf;
}

/// Fresh random operands for `args`: A and x uniform in `range`; y uniform in
/// `range` when beta != 0, else poison (a NaN that must not show through).
/// x starts `x_shift` elements into its buffer, or `shift` when negative, and
/// ends `x_trail` elements before the buffer's end.
template <class T>
operands<T> make_operands(const call_args& args, std::int64_t shift, std::uint64_t seed,
                          value_range range = {}, std::int64_t x_shift = -1,
                          std::int64_t x_trail = kGuard) {
  operands<T> ops;
  ops.args = args;
  ops.shift = shift;
  ops.x_shift = x_shift < 0 ? shift : x_shift;
  ops.A = random_matrix<T>(args.stored_rows(), args.row_length(), args.lda, shift, seed, range,
                           kGuard);
  ops.x = random_vector<T>(args.x_len(), args.incx, ops.x_shift, x_trail, mix(seed + 1), range);
  ops.y = random_vector<T>(args.y_len(), args.incy, kGuard + shift, kGuard, mix(seed + 2), range,
                           args.beta != 0.0f);
  return ops;
}

}  // namespace gemv::test
