#pragma once
// Double-precision host reference for y = alpha * op(A) * x + beta * y,
// written from the BLAS definition and independent of the library's code.

#include "support/element.hpp"
#include "support/operands.hpp"
#include "support/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace gemv::test {

/// The reference for outputs 0, stride, 2 * stride, ... of y (logical
/// indices; stride 1 checks every output).
struct expected {
  /// BLAS quick return: the call must leave y bitwise as it was (value holds
  /// y's values, for messages).
  bool untouched = false;
  std::int64_t stride = 1;
  std::vector<double> value;  ///< alpha * op(A) x + beta * y, in double
  /// |alpha| * sum_j |op(A)_ij x_j| + |beta y_i|: the scale of every rounding
  /// error a float accumulation can make on output i.
  std::vector<double> bound;
  /// When not empty, the error each output may have, instead of tolerance<T>()
  /// (tests whose arithmetic that model does not describe: double products,
  /// fused epilogues).
  std::vector<double> allowed;
};

/// BLAS semantics:
///  - op(A) is m x n for op n, n x m for op t; x has length n for op n, m for
///    op t, and y the other one; A(i, j) is A[i * lda + j] row-major and
///    A[i + j * lda] column-major.
///  - a negative increment stores the vector backwards (see position()).
///  - quick return (reference BLAS, cuBLAS): m == 0 or n == 0, or alpha == 0
///    and beta == 1, reads and writes nothing: y stays bitwise as it was,
///    -0.0 and NaN payloads included (expected::untouched).
///  - beta == 0: y is not read (NaN in y does not show through). alpha == 0:
///    A and x are not read, y = beta * y.
///  - IEEE arithmetic in double: an Inf or NaN in A or x shows in the value
///    as the exact sum would give it (Inf + -Inf and 0 * Inf are NaN).
/// `x` and `y` point at the lowest address of their storage, as in BLAS.
/// Each operand has its own element type; every element is widened to double.
template <class TA, class TX, class TY>
expected reference_gemv(const call_args& c, const TA* A, const TX* x, const TY* y,
                        std::int64_t stride = 1) {
  const std::int64_t outputs = c.y_len();
  const std::int64_t length = c.x_len();
  const std::int64_t count = outputs == 0 ? 0 : (outputs - 1) / stride + 1;
  expected e;
  e.stride = stride;
  e.value.assign(count, 0.0);
  e.bound.assign(count, 0.0);

  if (c.m == 0 || c.n == 0 || (c.alpha == 0.0f && c.beta == 1.0f)) {
    e.untouched = true;
    for (std::int64_t k = 0; k < count && y != nullptr; ++k)
      e.value[k] = to_double(y[position(k * stride, outputs, c.incy)]);
    return e;
  }
  if (c.alpha != 0.0f) {
    // op(A)(o, r), the factor of x_r in output o, is A[o * lda + r] when r
    // walks a stored row (row-major op n, column-major op t) and
    // A[r * lda + o] otherwise. The loops follow memory in both cases.
    const bool contiguous = (c.lay == layout::row_major) == (c.trans == op::n);
    // Tasks: outputs in blocks, and for few outputs the reduction in blocks
    // too, so that every core has work; block sums are added in block order.
    const std::int64_t tasks_wanted = 4 * static_cast<std::int64_t>(worker_count());
    const std::int64_t red_blocks =
        count >= tasks_wanted ? 1
                              : std::clamp<std::int64_t>(tasks_wanted / count, 1,
                                                         std::max<std::int64_t>(1, length >> 16));
    const std::int64_t out_block = contiguous ? std::max<std::int64_t>(1, count / tasks_wanted)
                                              : std::max<std::int64_t>(64, count / tasks_wanted);
    const std::int64_t out_blocks = (count + out_block - 1) / out_block;
    const std::int64_t red_block = (length + red_blocks - 1) / red_blocks;
    std::vector<double> dot(red_blocks * count), mag(red_blocks * count);

    parallel_for(out_blocks * red_blocks, [&](std::int64_t task) {
      const std::int64_t o0 = (task % out_blocks) * out_block, o1 = std::min(count, o0 + out_block);
      const std::int64_t rb = task / out_blocks;
      const std::int64_t r0 = rb * red_block, r1 = std::min(length, r0 + red_block);
      double* d = dot.data() + rb * count;
      double* a = mag.data() + rb * count;
      if (contiguous) {
        for (std::int64_t k = o0; k < o1; ++k) {
          const TA* row = A + k * stride * c.lda;
          double s = 0.0, t = 0.0;
          for (std::int64_t r = r0; r < r1; ++r) {
            const double p = to_double(row[r]) * to_double(x[position(r, length, c.incx)]);
            s += p;
            t += std::fabs(p);
          }
          d[k] = s;
          a[k] = t;
        }
      } else {
        std::vector<double> s(o1 - o0), t(o1 - o0);  // local: no aliasing with d and a
        for (std::int64_t r = r0; r < r1; ++r) {
          const TA* row = A + r * c.lda + o0 * stride;
          const double xr = to_double(x[position(r, length, c.incx)]);
          for (std::int64_t k = 0; k < o1 - o0; ++k) {
            const double p = to_double(row[k * stride]) * xr;
            s[k] += p;
            t[k] += std::fabs(p);
          }
        }
        std::copy(s.begin(), s.end(), d + o0);
        std::copy(t.begin(), t.end(), a + o0);
      }
    });
    const double alpha = c.alpha;
    for (std::int64_t rb = 0; rb < red_blocks; ++rb) {
      for (std::int64_t k = 0; k < count; ++k) {
        e.value[k] += alpha * dot[rb * count + k];
        e.bound[k] += std::fabs(alpha) * mag[rb * count + k];
      }
    }
  }
  if (c.beta != 0.0f) {
    for (std::int64_t k = 0; k < count; ++k) {
      const double by = static_cast<double>(c.beta) * to_double(y[position(k * stride, outputs, c.incy)]);
      e.value[k] += by;
      e.bound[k] += std::fabs(by);
    }
  }
  return e;
}

/// One element type throughout; A, x or y may be null where the call reads
/// none of it (a quick return, alpha == 0, beta == 0).
template <class T>
expected reference_gemv(const call_args& c, const T* A, const T* x, const T* y,
                        std::int64_t stride = 1) {
  return reference_gemv<T, T, T>(c, A, x, y, stride);
}

template <class TA, class TX, class TY>
expected reference_gemv(const operands<TA, TX, TY>& ops, std::int64_t stride = 1) {
  return reference_gemv<TA, TX, TY>(ops.args, ops.a_ptr(), ops.x_ptr(), ops.y_ptr(), stride);
}

}  // namespace gemv::test
