#pragma once
// Host-side facts about the element types: conversions, precision and the
// poison value tests write where nothing may be read or written.

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cstdint>
#include <cstring>

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
/// every value T holds, +-Inf far past T's range.
template <class T>
T from_double(double v) {
  return element<T>::from_float(static_cast<float>(v));
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
