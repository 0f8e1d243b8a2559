#pragma once
// How a finished output leaves a kernel. Every output site (the row
// kernels, unsplit column tiles, the split second pass and the beta-only
// scale kernel) stores through output_epilogue, so a new epilogue changes
// this file and the argument that carries it, not the kernels.

#include <gemv/detail/element.cuh>

#include <cstdint>
#include <type_traits>

namespace gemv::detail {

/// The activation of a fused epilogue, in the call's scalar type (float, or
/// double for double): once per output, so its cost does not depend on the
/// reduction's length, and float keeps it cheap on cards with slow double
/// units. Every activation maps 0 to 0 (an empty product with no bias stays
/// 0), NaN to NaN, +Inf to +Inf and -Inf to its limit, 0 (the formulas
/// alone would give -Inf * 0 = NaN).
template <class S>
__device__ __forceinline__ S activate(activation act, S v) {
  constexpr S half = S(0.5);
  if (act != activation::none && isinf(v)) return v > S(0) ? v : S(0);
  switch (act) {
    case activation::none: return v;
    case activation::relu: return v < S(0) ? S(0) : v;
    case activation::gelu_tanh: {
      constexpr S kSqrt2OverPi = S(0.7978845608028654);
      return half * v * (S(1) + tanh(kSqrt2OverPi * (v + S(0.044715) * v * v * v)));
    }
    case activation::gelu_erf: return half * v * (S(1) + erf(v * S(0.7071067811865476)));
    case activation::silu: return v / (S(1) + exp(-v));
  }
  return v;
}

/// y[i] = act(alpha * scale[i] * dot + bias[i]) + beta * y[i]: the product's
/// part in double, rounded once to y's type. With no scale, no bias and no
/// activation this is BLAS's alpha * dot + beta * y. y is not read when beta
/// is 0, so NaN or garbage in it never shows through, as BLAS specifies.
///
/// `Act` is gemv::activation (one of the built-in activations, chosen at run
/// time) or a caller's functor, `S operator()(S v, std::int64_t i) const` on
/// the device, compiled into the kernels. alpha and beta come from the
/// device when their pointers are set (read once per output, when it is
/// stored: a graph replay sees the values of that moment); an alpha of 0
/// read there drops the product, so A and x do not show through, as BLAS
/// specifies for alpha == 0.
template <class TY, class S, class Act = activation>
struct output_epilogue {
  using scalar = S;
  scalar alpha;
  scalar beta;
  const float* scale = nullptr;  ///< one per output, or null
  const TY* bias = nullptr;      ///< one per output, or null
  Act act{};
  const scalar* alpha_on_device = nullptr;
  const scalar* beta_on_device = nullptr;
  /// Set by the host when any of scale, bias, an activation or a device
  /// scalar is in use; otherwise store() is BLAS's update alone, kept to its
  /// few instructions (docs/performance.md, "Element types on an H200").
  bool extended = false;

  /// Whether these fields need the general path (for `extended`).
  __host__ __device__ constexpr bool needs_general_path() const noexcept {
    if constexpr (!std::is_same_v<Act, activation>) return true;
    else
      return scale != nullptr || bias != nullptr || act != activation::none ||
             alpha_on_device != nullptr || beta_on_device != nullptr;
  }

  /// The same epilogue on an empty product: y = act(bias) + beta * y.
  __host__ __device__ constexpr output_epilogue without_product() const noexcept {
    output_epilogue e = *this;
    e.alpha = scalar(0);
    e.alpha_on_device = nullptr;
    e.scale = nullptr;
    return e;
  }

  /// Stores output `out` (y already points at it) with product `dot`.
  __device__ __forceinline__ void store(TY* y, std::int64_t out, double dot) const {
    if (!extended) {
      double v = static_cast<double>(alpha) * dot;
      if (beta != scalar(0)) v += static_cast<double>(beta) * static_cast<double>(widen(*y));
      *y = element_traits<TY>::narrow(v);
      return;
    }
    // Read-only loads (__ldg): the values do not change while the kernel
    // runs, and the compiler need not order them after the stores to y.
    const scalar b = beta_on_device != nullptr ? __ldg(beta_on_device) : beta;
    double v;
    if (alpha_on_device != nullptr) {
      const scalar a = __ldg(alpha_on_device);
      v = a == scalar(0) ? 0.0 : static_cast<double>(a) * dot;
    } else {
      v = static_cast<double>(alpha) * dot;
    }
    if (scale != nullptr) v *= static_cast<double>(scale[out]);
    if (bias != nullptr) v += static_cast<double>(widen(bias[out]));
    if constexpr (std::is_same_v<Act, activation>) {
      if (act != activation::none) v = static_cast<double>(activate(act, static_cast<scalar>(v)));
    } else {
      v = static_cast<double>(act(static_cast<scalar>(v), out));
    }
    if (b != scalar(0)) v += static_cast<double>(b) * static_cast<double>(widen(*y));
    *y = element_traits<TY>::narrow(v);
  }
};

}  // namespace gemv::detail
