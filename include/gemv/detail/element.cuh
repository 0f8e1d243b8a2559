#pragma once
// Element conversions and 16-byte fragments: how a kernel reads A and x.

#include <gemv/types.cuh>

#include <cstdint>

namespace gemv::detail {

template <class T>
__device__ __forceinline__ float to_float(T v) {
  if constexpr (std::is_same_v<T, float>) {
    return v;
  } else if constexpr (std::is_same_v<T, __half>) {
    return __half2float(v);
  } else {
    return __bfloat162float(v);
  }
}

template <class T>
__device__ __forceinline__ T from_float(float v) {
  if constexpr (std::is_same_v<T, float>) {
    return v;
  } else if constexpr (std::is_same_v<T, __half>) {
    return __float2half_rn(v);
  } else {
    return __float2bfloat16_rn(v);
  }
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
  if constexpr (std::is_same_v<T, float>) {
    f.v[0] = __uint_as_float(raw.x);
    f.v[1] = __uint_as_float(raw.y);
    f.v[2] = __uint_as_float(raw.z);
    f.v[3] = __uint_as_float(raw.w);
  } else {
    const unsigned words[4] = {raw.x, raw.y, raw.z, raw.w};
#pragma unroll
    for (int i = 0; i < 4; ++i) {
      float2 pair;
      if constexpr (std::is_same_v<T, __half>) {
        pair = __half22float2(*reinterpret_cast<const __half2*>(&words[i]));
      } else {
        pair = __bfloat1622float2(*reinterpret_cast<const __nv_bfloat162*>(&words[i]));
      }
      f.v[2 * i] = pair.x;
      f.v[2 * i + 1] = pair.y;
    }
  }
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
