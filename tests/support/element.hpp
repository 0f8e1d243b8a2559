#pragma once
// Host-side facts about the element types: conversions, precision and the
// poison value tests write where nothing may be read or written.

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace gemv::test {

template <class T>
struct element;

template <>
struct element<float> {
  static constexpr int mantissa_bits = 23;
  static constexpr double denorm_min = 0x1p-149;
  static constexpr double max = 0x1.fffffep127;
  static float poison() {
    constexpr std::uint32_t bits = 0x7fda5a5au;
    float v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  static float from_float(float v) { return v; }
  static double to_double(float v) { return v; }
};

template <>
struct element<__half> {
  static constexpr int mantissa_bits = 10;
  static constexpr double denorm_min = 0x1p-24;
  static constexpr double max = 65504.0;
  static __half poison() { return __half(__half_raw{0x7e5a}); }
  static __half from_float(float v) { return __float2half_rn(v); }
  static double to_double(__half v) { return __half2float(v); }
};

template <>
struct element<__nv_bfloat16> {
  static constexpr int mantissa_bits = 7;
  static constexpr double denorm_min = 0x1p-133;
  static constexpr double max = 0x1.fep127;
  static __nv_bfloat16 poison() { return __nv_bfloat16(__nv_bfloat16_raw{0x7fda}); }
  static __nv_bfloat16 from_float(float v) { return __float2bfloat16_rn(v); }
  static double to_double(__nv_bfloat16 v) { return __bfloat162float(v); }
};

template <>
struct element<double> {
  static constexpr int mantissa_bits = 52;
  static constexpr double denorm_min = 0x1p-1074;
  static constexpr double max = DBL_MAX;
  static double poison() {
    constexpr std::uint64_t bits = 0x7ffa5a5a5a5a5a5aull;
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  static double from_float(float v) { return v; }
  static double to_double(double v) { return v; }
};

/// fp8 weights. Conversions round to nearest and saturate to the largest
/// finite value (cuda_fp8.h's host code); every fp8 value is exact in float.
/// Their NaNs carry no payload to choose: poison is the NaN encoding.
template <>
struct element<__nv_fp8_e4m3> {
  static constexpr int mantissa_bits = 3;
  static constexpr double denorm_min = 0x1p-9;
  static constexpr double max = 448.0;
  static __nv_fp8_e4m3 poison() {
    __nv_fp8_e4m3 v;
    v.__x = 0x7f;
    return v;
  }
  static __nv_fp8_e4m3 from_float(float v) { return __nv_fp8_e4m3(v); }
  static double to_double(__nv_fp8_e4m3 v) { return static_cast<float>(v); }
};

template <>
struct element<__nv_fp8_e5m2> {
  static constexpr int mantissa_bits = 2;
  static constexpr double denorm_min = 0x1p-16;
  static constexpr double max = 57344.0;
  static __nv_fp8_e5m2 poison() {
    __nv_fp8_e5m2 v;
    v.__x = 0x7d;
    return v;
  }
  static __nv_fp8_e5m2 from_float(float v) { return __nv_fp8_e5m2(v); }
  static double to_double(__nv_fp8_e5m2 v) { return static_cast<float>(v); }
};

/// int8 weights: values round to the nearest integer and saturate. int8 has
/// no NaN, so poison is -128, which no test range draws: a stray read of it
/// is a large error instead.
template <>
struct element<std::int8_t> {
  static constexpr double max = 127.0;
  static std::int8_t poison() { return -128; }
  static std::int8_t from_float(float v) {
    return static_cast<std::int8_t>(std::clamp(std::nearbyint(v), -127.0f, 127.0f));
  }
  static double to_double(std::int8_t v) { return v; }
};

/// Distance from 1 to the next representable value of T.
template <class T>
constexpr double epsilon_of() {
  return 1.0 / static_cast<double>(std::uint64_t{1} << element<T>::mantissa_bits);
}

template <class T>
double to_double(T v) {
  return element<T>::to_double(v);
}

/// v rounded to T through float, as the library's store does: exact for
/// every value T holds, +-Inf far past T's range. A double stays as it is.
template <class T>
T from_double(double v) {
  if constexpr (std::is_same_v<T, double>) {
    return v;
  } else {
    return element<T>::from_float(static_cast<float>(v));
  }
}

/// A quiet NaN with a payload no arithmetic produces (CUDA's canonical NaNs
/// are all ones): where a test finds it unchanged, nothing was written.
template <class T>
T poison() {
  return element<T>::poison();
}

template <class T>
bool same_bits(const T& a, const T& b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

}  // namespace gemv::test
