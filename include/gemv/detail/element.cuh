#pragma once
// Element types as the kernels see them (element_traits), and how a kernel
// reads A and x: conversions, 16-byte fragments, cache hints.

#include <gemv/types.cuh>

#include <cstdint>

namespace gemv::detail {

/// What a kernel needs to know of an element type: its size, its id, and
/// how it widens to float (the compute type) and narrows back. One
/// specialization per supported type, here and nowhere else; the primary
/// template has no definition, so a kernel instantiated for any other type
/// does not compile.
template <class T>
struct element_traits;

/// 16 raw bytes of 16-bit elements as eight floats: each 32-bit word holds
/// a `Pair` of two elements, which `widen` turns into a float2.
template <class Pair, class Widen>
__device__ __forceinline__ void unpack_pairs(uint4 raw, float (&out)[8], Widen widen) {
  const unsigned words[4] = {raw.x, raw.y, raw.z, raw.w};
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const float2 pair = widen(*reinterpret_cast<const Pair*>(&words[i]));
    out[2 * i] = pair.x;
    out[2 * i + 1] = pair.y;
  }
}

template <>
struct element_traits<float> {
  static constexpr dtype type = dtype::f32;
  __device__ static float to_float(float v) { return v; }
  __device__ static float from_float(float v) { return v; }
  /// 16 raw bytes as four floats.
  __device__ static void unpack(uint4 raw, float (&out)[4]) {
    out[0] = __uint_as_float(raw.x);
    out[1] = __uint_as_float(raw.y);
    out[2] = __uint_as_float(raw.z);
    out[3] = __uint_as_float(raw.w);
  }
};

template <>
struct element_traits<__half> {
  static constexpr dtype type = dtype::f16;
  __device__ static float to_float(__half v) { return __half2float(v); }
  __device__ static __half from_float(float v) { return __float2half_rn(v); }
  __device__ static void unpack(uint4 raw, float (&out)[8]) {
    unpack_pairs<__half2>(raw, out, [](__half2 pair) { return __half22float2(pair); });
  }
};

template <>
struct element_traits<__nv_bfloat16> {
  static constexpr dtype type = dtype::bf16;
  __device__ static float to_float(__nv_bfloat16 v) { return __bfloat162float(v); }
  __device__ static __nv_bfloat16 from_float(float v) { return __float2bfloat16_rn(v); }
  __device__ static void unpack(uint4 raw, float (&out)[8]) {
    unpack_pairs<__nv_bfloat162>(raw, out, [](__nv_bfloat162 pair) { return __bfloat1622float2(pair); });
  }
};

// The host side's view of each type (types.cuh) agrees with the kernels'.
static_assert(element_traits<float>::type == dtype_of<float>::value &&
              element_traits<__half>::type == dtype_of<__half>::value &&
              element_traits<__nv_bfloat16>::type == dtype_of<__nv_bfloat16>::value);
static_assert(size_of(dtype::f32) == sizeof(float) && size_of(dtype::f16) == sizeof(__half) &&
              size_of(dtype::bf16) == sizeof(__nv_bfloat16));

template <class T>
__device__ __forceinline__ float to_float(T v) {
  return element_traits<T>::to_float(v);
}

template <class T>
__device__ __forceinline__ T from_float(float v) {
  return element_traits<T>::from_float(v);
}

/// Elements of T in one 16-byte vector.
template <class T>
inline constexpr int kVectorWidth = 16 / static_cast<int>(sizeof(T));

/// `N` consecutive elements of A or x, widened to float.
template <int N>
struct fragment {
  float v[N];
};

/// Unpacks 16 raw bytes into kVectorWidth<T> floats.
template <class T>
__device__ __forceinline__ fragment<kVectorWidth<T>> unpack(uint4 raw) {
  fragment<kVectorWidth<T>> f;
  element_traits<T>::unpack(raw, f.v);
  return f;
}

/// 16 bytes of A: read once, so keep them out of L1 and mark them first to
/// leave L2 (`.cs`), which protects the reused x in L2.
__device__ __forceinline__ uint4 stream_vector(const void* p) {
  return __ldcs(static_cast<const uint4*>(p));
}

/// 16 bytes of x: reused by every row, so the ordinary read-only cached path.
__device__ __forceinline__ uint4 cached_vector(const void* p) {
  return __ldg(static_cast<const uint4*>(p));
}

/// One element of A, for the element-wise path.
template <class T>
__device__ __forceinline__ float stream_element(const T* p) {
  return to_float(__ldcs(p));
}

template <class T>
__device__ __forceinline__ float cached_element(const T* p) {
  return to_float(__ldg(p));
}

}  // namespace gemv::detail
