#pragma once
// Calls with an element type per operand and a fused epilogue: operands and
// their device copies, the entry points called with a call_args, and the
// reference with the error each output may have.

#include "gpu/calls.cuh"
#include "support/type_combinations.hpp"

#include <gemv/gemv.cuh>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace gemv::test {

/// The combinations as GoogleTest types, named by name_of().
template <class L>
struct gtest_types;
template <class... C>
struct gtest_types<combination_list<C...>> {
  using type = ::testing::Types<C...>;
};

struct combination_names {
  template <class C>
  static std::string GetName(int) {
    return name_of<C>();
  }
};

/// Where test values come from: [-1, 1) for 16- to 64-bit types; [-2, 2)
/// for fp8, which reaches its subnormals (below 2^-6 for e4m3, 2^-14 for
/// e5m2); integers in [-32, 32] for int8, so that dot products of 10^5
/// terms stay well inside half's range.
template <class T>
value_range range_of() {
  if constexpr (std::is_same_v<T, __nv_fp8_e4m3> || std::is_same_v<T, __nv_fp8_e5m2>) {
    return {-2.0, 2.0};
  } else if constexpr (std::is_same_v<T, std::int8_t>) {
    return {-32.0, 32.0};
  } else {
    return {-1.0, 1.0};
  }
}

template <class C>
using operands_of = operands<typename C::a, typename C::x, typename C::y>;

/// Fresh operands for `args`, laid out as make_operands() lays them out
/// (poison wherever a call must not look), A from `shift` and x from
/// `x_shift` elements into their buffers.
template <class C>
operands_of<C> make_typed_operands(const call_args& args, std::int64_t shift, std::int64_t x_shift,
                                   std::uint64_t seed) {
  using TA = typename C::a;
  using TX = typename C::x;
  using TY = typename C::y;
  operands_of<C> ops;
  ops.args = args;
  ops.shift = shift;
  ops.x_shift = x_shift;
  ops.A = random_matrix<TA>(args.stored_rows(), args.row_length(), args.lda, shift, seed,
                            range_of<TA>(), kGuard);
  ops.x =
      random_vector<TX>(args.x_len(), args.incx, x_shift, kGuard, mix(seed + 1), range_of<TX>());
  ops.y = random_vector<TY>(args.y_len(), args.incy, kGuard + shift, kGuard, mix(seed + 2),
                            range_of<TY>(), args.beta != 0.0f);
  return ops;
}

/// The host side of an epilogue: one scale and one bias per output, or
/// none (empty).
template <class TY>
struct epilogue_values {
  activation act = activation::none;
  std::vector<float> scale;
  std::vector<TY> bias;
};

/// An epilogue for call `c` of combination C. Scales around 1 over the
/// typical size of a dot product (sqrt(length) times the root mean squares
/// of A's and x's ranges), so that alpha * scale * dot is of order one and
/// the activations are tested where they bend, not only where they are 0 or
/// the identity; biases from y's range.
template <class C>
epilogue_values<typename C::y> make_epilogue(const call_args& c, bool scale, bool bias,
                                             activation act, std::uint64_t seed) {
  using TY = typename C::y;
  epilogue_values<TY> ep;
  ep.act = act;
  const std::int64_t outputs = c.y_len();
  const auto rms = [](value_range r) { return (r.hi - r.lo) / std::sqrt(12.0); };
  const double typical = std::sqrt(static_cast<double>(std::max<std::int64_t>(1, c.x_len()))) *
                         rms(range_of<typename C::a>()) * rms(range_of<typename C::x>());
  if (scale) {
    ep.scale.resize(outputs);
    fill_uniform(ep.scale.data(), outputs, mix(seed + 3), {0.25 / typical, 2.0 / typical});
  }
  if (bias) {
    ep.bias.resize(outputs);
    fill_uniform(ep.bias.data(), outputs, mix(seed + 4), range_of<TY>());
  }
  return ep;
}

/// Device copies of operands_of<C> (and of an epilogue's scale and bias),
/// element for element, each buffer exactly as large as its host copy.
template <class C>
class typed_device_operands {
  using TA = typename C::a;
  using TX = typename C::x;
  using TY = typename C::y;

 public:
  void upload(const operands_of<C>& ops, const epilogue_values<TY>& ep = {}) {
    A_.assign(ops.A);
    x_.assign(ops.x);
    y_.assign(ops.y);
    scale_.assign(ep.scale);  // none: no buffer, a null pointer
    bias_.assign(ep.bias);
    act_ = ep.act;
    shift_ = ops.shift;
    x_shift_ = ops.x_shift;
    y_begin_ = ops.y_begin();
  }
  void reset_y(const operands_of<C>& ops) { y_.assign(ops.y); }
  std::vector<TY> y_buffer() const { return y_.to_host(); }
  /// The whole y buffer on the device, guards included.
  const device_buffer<TY>& y_storage() const { return y_; }

  testing::AssertionResult inputs_unchanged(const operands_of<C>& ops) const {
    const std::int64_t a = A_.first_difference(ops.A), x = x_.first_difference(ops.x);
    if (a < 0 && x < 0) return testing::AssertionSuccess();
    return testing::AssertionFailure()
           << "A's buffer changed at " << a << ", x's at " << x << " (-1: unchanged)";
  }

  const TA* A() const { return A_.data() + shift_; }
  const TX* x() const { return x_.data() + x_shift_; }
  TY* y() const { return y_.data() + y_begin_; }
  /// The uploaded epilogue; null scale or bias where it had none.
  epilogue<TY> fused() const { return {scale_.data(), bias_.data(), act_}; }

 private:
  device_buffer<TA> A_;
  device_buffer<TX> x_;
  device_buffer<TY> y_;
  device_buffer<float> scale_;
  device_buffer<TY> bias_;
  activation act_ = activation::none;
  std::int64_t shift_ = 0, x_shift_ = 0, y_begin_ = 0;
};

template <class C>
using scalar_of = scalar_t<typename C::a, typename C::x, typename C::y>;

/// gemv::gemv<TA, TX, TY>() of call `c`, with the library's scratch.
template <class C>
status typed_gemv(const call_args& c, const typename C::a* A, const typename C::x* x,
                  typename C::y* y) {
  return gemv::gemv<typename C::a, typename C::x, typename C::y>(
      c.lay, c.trans, c.m, c.n, scalar_of<C>(c.alpha), A, c.lda, x, c.incx, scalar_of<C>(c.beta), y,
      c.incy);
}

/// With a fused epilogue.
template <class C>
status typed_gemv(const call_args& c, const typename C::a* A, const typename C::x* x,
                  typename C::y* y, const epilogue<typename C::y>& ep) {
  return gemv::gemv<typename C::a, typename C::x, typename C::y>(
      c.lay, c.trans, c.m, c.n, scalar_of<C>(c.alpha), A, c.lda, x, c.incx, scalar_of<C>(c.beta), y,
      c.incy, ep);
}

/// gemv_with_policy with a fused epilogue (an empty one is BLAS's update).
template <class C>
status typed_forced(const policy& pol, const call_args& c, const typename C::a* A,
                    const typename C::x* x, typename C::y* y, const epilogue<typename C::y>& ep,
                    workspace ws, plan* ran = nullptr) {
  return gemv_with_policy<typename C::a, typename C::x, typename C::y>(
      pol, c.lay, c.trans, c.m, c.n, scalar_of<C>(c.alpha), A, c.lda, x, c.incx,
      scalar_of<C>(c.beta), y, c.incy, ep, ws, nullptr, ran);
}

template <class C>
status typed_choose_plan(const call_args& c, const typed_device_operands<C>& dev, plan& out) {
  return choose_plan<typename C::a, typename C::x, typename C::y>(
      c.lay, c.trans, c.m, c.n, scalar_of<C>(c.alpha), dev.A(), c.lda, dev.x(), c.incx,
      scalar_of<C>(c.beta), dev.y(), c.incy, out);
}

/// act(v) in double, from types.cuh's definitions.
inline double activate(activation act, double v) {
  switch (act) {
    case activation::none: return v;
    case activation::relu: return v < 0.0 ? 0.0 : v;
    case activation::gelu_tanh:
      return 0.5 * v *
             (1.0 + std::tanh(std::sqrt(2.0 / std::acos(-1.0)) * (v + 0.044715 * v * v * v)));
    case activation::gelu_erf: return 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0)));
    case activation::silu: return v / (1.0 + std::exp(-v));
  }
  return v;
}

/// The error a correct reduction of combination C may make on a dot product
/// of `length` terms whose magnitudes sum to `bound` (sum |a_ij x_j|; A and x
/// are read exactly, every value of them is exact in the compute type).
///
/// double (double products, plain double sums per thread, combined in a
/// double tree): each term passes through at most `length` roundings of
/// relative size 2^-53 (an fma chain, the thread's running sum, the tree;
/// one more for a product rounded on its own), and alpha and the scale
/// multiply once each, so (length + 2) 2^-53 bound holds in the worst
/// case. Products or sums in float would be off by about 2^-24 /
/// sqrt(length) of the bound on random data: 10^7 to 10^8 times more for
/// short reductions, still about 17 times more at length 10^5.
///
/// float: compare.hpp's argument for float accumulation (chains of products
/// in float, then compensated float sums, combined in double), with chains
/// of up to 64 products for 1-byte A (one 16-byte vector, times four loads):
/// 4 eps_float bound, never reached on random signs. The inputs of 16-bit
/// and 8-bit types widen exactly, so this is also what a wrong conversion
/// (another type's bits, a lost sign) must get past.
template <class C>
double accumulation_error(double bound, std::int64_t length) {
  if constexpr (std::is_same_v<typename C::a, double>) {
    return static_cast<double>(length + 2) * 0x1p-53 * bound;
  } else {
    return 4.0 * epsilon_of<float>() * bound;
  }
}

/// The reference of a call of combination C with epilogue `ep` (empty: y =
/// alpha op(A) x + beta y), every output with the error it may have
/// (expected::allowed):
///
///   v = alpha scale dot + bias, in double: off by |alpha scale| times the
///       accumulation error;
///   act(v): the library rounds v to the scalar type S (float, or double for
///       double) and evaluates act there. act's slope is at most 1.2 (gelu's
///       is 1.13, silu's 1.10), so v's error and that rounding (u_S |v|)
///       move it by at most 1.2 times their sum; the evaluation itself
///       (tanhf, erff, expf within 2 ulp, a few operations around them) by
///       at most 8 u_S (|v| + |act(v)|), absolute rather than relative
///       because 1 + tanh and 1 + erf cancel for negative v;
///   + beta y and the other sums in double: 2^-50 of the magnitudes;
///   the store: one rounding to y's type (through float for 16-bit y, at
///       most one unit in the last place), denorm_min for y's subnormals.
///
/// Without a bias BLAS's quick returns hold (expected::untouched); with one
/// every output is written, even for an empty reduction or alpha == 0.
template <class C>
expected typed_reference(const operands_of<C>& ops, const epilogue_values<typename C::y>& ep = {}) {
  using TY = typename C::y;
  const call_args& c = ops.args;
  if (ep.bias.empty() && (c.m == 0 || c.n == 0 || (c.alpha == 0.0f && c.beta == 1.0f)))
    return reference_gemv(ops);  // untouched

  const std::int64_t outputs = c.y_len(), length = c.x_len();
  expected dot;  // the product alone
  if (c.alpha != 0.0f && length > 0) {
    call_args product = c;
    product.alpha = 1.0f;
    product.beta = 0.0f;
    dot = reference_gemv(product, ops.a_ptr(), ops.x_ptr(), ops.y_ptr());
  } else {
    dot.value.assign(outputs, 0.0);
    dot.bound.assign(outputs, 0.0);
  }
  const double u_scalar = std::is_same_v<scalar_of<C>, double> ? 0x1p-53 : 0x1p-24;
  expected e;
  e.value.resize(outputs);
  e.bound.resize(outputs);
  e.allowed.resize(outputs);
  for (std::int64_t o = 0; o < outputs; ++o) {
    const double factor = static_cast<double>(c.alpha) * (ep.scale.empty() ? 1.0 : ep.scale[o]);
    const double bias = ep.bias.empty() ? 0.0 : to_double(ep.bias[o]);
    const double v = factor * dot.value[o] + bias;
    double err = std::fabs(factor) * accumulation_error<C>(dot.bound[o], length);
    const double a = activate(ep.act, v);
    if (ep.act != activation::none)
      err = 1.2 * (err + u_scalar * std::fabs(v)) + 8.0 * u_scalar * (std::fabs(v) + std::fabs(a));
    const double by = c.beta != 0.0f
                          ? static_cast<double>(c.beta) *
                                to_double(ops.y[ops.y_begin() + position(o, outputs, c.incy)])
                          : 0.0;
    e.value[o] = a + by;
    err += 0x1p-50 * (std::fabs(a) + std::fabs(by));
    e.bound[o] = std::fabs(factor) * dot.bound[o] + std::fabs(bias) + std::fabs(by);
    e.allowed[o] = err + epsilon_of<TY>() * (std::fabs(e.value[o]) + err) + element<TY>::denorm_min;
  }
  return e;
}

/// Resets y, runs launch(A, x, y) (a call returning its status), waits, and
/// checks y against `ref` and A and x unchanged. A CUDA error throws.
template <class C, class Launch>
testing::AssertionResult typed_run_and_check(typed_device_operands<C>& dev,
                                             const operands_of<C>& ops, const expected& ref,
                                             Launch&& launch) {
  dev.reset_y(ops);
  const status s = launch(dev.A(), dev.x(), dev.y());
  if (s != status::success) return testing::AssertionFailure() << "returned " << to_string(s);
  GEMV_CUDA_CHECK(cudaGetLastError());
  GEMV_CUDA_CHECK(cudaDeviceSynchronize());
  const testing::AssertionResult result =
      check_y(ops.args, ops.y_begin(), ops.y, dev.y_buffer(), ref);
  if (!result) return result;
  return dev.inputs_unchanged(ops);
}

/// The members of a batch (or the vectors of a several-vector call) laid
/// one after another, with `pad` elements of `fill` after each.
template <class T>
std::vector<T> end_to_end(const std::vector<std::vector<T>>& parts, std::int64_t pad = 0, T fill = T{}) {
  std::vector<T> all;
  for (const auto& p : parts) {
    all.insert(all.end(), p.begin(), p.end());
    all.insert(all.end(), static_cast<std::size_t>(pad), fill);
  }
  return all;
}

}  // namespace gemv::test
