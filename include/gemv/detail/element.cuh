#pragma once
// Element types as the kernels see them (element_traits, element_types), and
// how a kernel reads A and x: conversions, raw vectors, cache hints.

#include <gemv/types.cuh>

#include <cstdint>
#include <type_traits>

namespace gemv::detail {

/// What a kernel needs to know of an element type: its id, the type its
/// products are computed in, how it widens to that type, how a finished
/// output (a double) narrows back, and how raw 32-bit words of it widen.
/// One specialization per supported type, here and nowhere else; the primary
/// template has no definition, so a kernel instantiated for any other type
/// does not compile.
template <class T>
struct element_traits;

/// Words of 16-bit elements as floats: each 32-bit word holds a `Pair` of
/// two elements, which `widen` turns into a float2.
template <class Pair, int Words, class Widen>
__device__ __forceinline__ void unpack_pairs(const unsigned (&words)[Words],
                                             float (&out)[2 * Words], Widen widen) {
#pragma unroll
  for (int i = 0; i < Words; ++i) {
    const float2 pair = widen(*reinterpret_cast<const Pair*>(&words[i]));
    out[2 * i] = pair.x;
    out[2 * i + 1] = pair.y;
  }
}

template <>
struct element_traits<float> {
  static constexpr dtype type = dtype::f32;
  using compute = float;
  __device__ static float widen(float v) { return v; }
  __device__ static float narrow(double v) { return static_cast<float>(v); }
  template <int Words>
  __device__ static void unpack(const unsigned (&w)[Words], float (&out)[Words]) {
#pragma unroll
    for (int i = 0; i < Words; ++i) out[i] = __uint_as_float(w[i]);
  }
};

template <>
struct element_traits<double> {
  static constexpr dtype type = dtype::f64;
  using compute = double;
  __device__ static double widen(double v) { return v; }
  __device__ static double narrow(double v) { return v; }
  template <int Words>
  __device__ static void unpack(const unsigned (&w)[Words], double (&out)[Words / 2]) {
#pragma unroll
    for (int i = 0; i < Words / 2; ++i) {
      out[i] = __hiloint2double(static_cast<int>(w[2 * i + 1]), static_cast<int>(w[2 * i]));
    }
  }
};

// 16-bit outputs round the double to float first, then to the 16-bit type,
// as they always have (the difference from one rounding is below half an
// ulp of the 16-bit type in all but contrived cases).
template <>
struct element_traits<__half> {
  static constexpr dtype type = dtype::f16;
  using compute = float;
  __device__ static float widen(__half v) { return __half2float(v); }
  __device__ static __half narrow(double v) { return __float2half_rn(static_cast<float>(v)); }
  template <int Words>
  __device__ static void unpack(const unsigned (&w)[Words], float (&out)[2 * Words]) {
    unpack_pairs<__half2>(w, out, [](__half2 pair) { return __half22float2(pair); });
  }
};

template <>
struct element_traits<__nv_bfloat16> {
  static constexpr dtype type = dtype::bf16;
  using compute = float;
  __device__ static float widen(__nv_bfloat16 v) { return __bfloat162float(v); }
  __device__ static __nv_bfloat16 narrow(double v) { return __float2bfloat16_rn(static_cast<float>(v)); }
  template <int Words>
  __device__ static void unpack(const unsigned (&w)[Words], float (&out)[2 * Words]) {
    unpack_pairs<__nv_bfloat162>(w, out, [](__nv_bfloat162 pair) { return __bfloat1622float2(pair); });
  }
};

/// fp8 weights: two values convert to a half2 in one instruction on sm_89
/// and later (cvt.rn.f16x2.e4m3x2; the intrinsic emulates it elsewhere),
/// and every fp8 value is exact in half.
template <class Fp8, __nv_fp8_interpretation_t Kind, dtype Id>
struct fp8_traits {
  static constexpr dtype type = Id;
  using compute = float;
  __device__ static float widen(Fp8 v) { return static_cast<float>(v); }
  template <int Words>
  __device__ static void unpack(const unsigned (&w)[Words], float (&out)[4 * Words]) {
#pragma unroll
    for (int i = 0; i < Words; ++i) {
#pragma unroll
      for (int h = 0; h < 2; ++h) {
        const auto pair = static_cast<__nv_fp8x2_storage_t>(w[i] >> (16 * h));
        const __half2 halves(__nv_cvt_fp8x2_to_halfraw2(pair, Kind));
        const float2 f = __half22float2(halves);
        out[4 * i + 2 * h] = f.x;
        out[4 * i + 2 * h + 1] = f.y;
      }
    }
  }
};

template <>
struct element_traits<__nv_fp8_e4m3> : fp8_traits<__nv_fp8_e4m3, __NV_E4M3, dtype::e4m3> {};
template <>
struct element_traits<__nv_fp8_e5m2> : fp8_traits<__nv_fp8_e5m2, __NV_E5M2, dtype::e5m2> {};

/// int8 weights widen without the integer-to-float conversion unit, which
/// runs at a fraction of the FP32 rate: byte b, offset to b + 128, becomes the
/// low byte of the float 2^23 + b + 128 (one byte permute), and one
/// subtraction leaves b, exactly.
template <>
struct element_traits<std::int8_t> {
  static constexpr dtype type = dtype::i8;
  using compute = float;
  __device__ static float widen(std::int8_t v) { return static_cast<float>(v); }
  template <int Words>
  __device__ static void unpack(const unsigned (&w)[Words], float (&out)[4 * Words]) {
    constexpr unsigned kExponent = 0x4b000000u;      // the float 2^23
    constexpr float kOffset = 8388608.0f + 128.0f;   // 2^23 + 128
#pragma unroll
    for (int i = 0; i < Words; ++i) {
      const unsigned biased = w[i] ^ 0x80808080u;    // each byte b + 128, unsigned
#pragma unroll
      for (int b = 0; b < 4; ++b) {
        // Result bytes: biased's byte b, then 0x00, 0x00, 0x4b.
        const unsigned bits = __byte_perm(biased, kExponent, 0x7440u | static_cast<unsigned>(b));
        out[4 * i + b] = __uint_as_float(bits) - kOffset;
      }
    }
  }
};

// The host side's view of each type (types.cuh) agrees with the kernels'.
template <class T>
inline constexpr bool traits_agree_v =
    element_traits<T>::type == dtype_of<T>::value && size_of(dtype_of<T>::value) == sizeof(T);
static_assert(traits_agree_v<float> && traits_agree_v<__half> && traits_agree_v<__nv_bfloat16> &&
              traits_agree_v<double> && traits_agree_v<__nv_fp8_e4m3> &&
              traits_agree_v<__nv_fp8_e5m2> && traits_agree_v<std::int8_t>);

template <class T>
using compute_t = typename element_traits<T>::compute;

template <class T>
__device__ __forceinline__ compute_t<T> widen(T v) {
  return element_traits<T>::widen(v);
}

/// Elements of T in one 16-byte vector.
template <class T>
inline constexpr int kVectorWidth = 16 / static_cast<int>(sizeof(T));

/// `N` consecutive elements of A or x, widened to the compute type C.
template <int N, class C = float>
struct fragment {
  C v[N];
};

/// Unpacks raw bytes (uint4 or uint2) into widened elements of T.
template <class T, class Raw>
__device__ __forceinline__ auto unpack(Raw raw) {
  constexpr int kWords = sizeof(Raw) / 4;
  fragment<kWords * 4 / static_cast<int>(sizeof(T)), compute_t<T>> f;
  unsigned words[kWords];
  __builtin_memcpy(words, &raw, sizeof raw);
  element_traits<T>::unpack(words, f.v);
  return f;
}

/// What a kernel is compiled for: the element types of A, x and y, the
/// compute type of the products (double for double, else float), how x is
/// read beside one 16-byte vector of A, and the epilogue's activation
/// (gemv::activation, chosen at run time, or a caller's functor).
template <class TA, class TX, class TY, class Act = activation>
struct element_types {
  static_assert(is_supported_types_v<TA, TX, TY>, "a type combination gemv does not run");
  using a = TA;
  using x = TX;
  using y = TY;
  using activation = Act;
  using compute = compute_t<TA>;
  using scalar = scalar_t<TA, TX, TY>;
  /// Elements of A in one 16-byte vector.
  static constexpr int width = kVectorWidth<TA>;
  /// 16-byte vectors of x that hold the elements of one vector of A.
  static constexpr int x_vectors = width * static_cast<int>(sizeof(TX)) / 16;
  /// x is read in the same windows as A (the joined path shifts A's
  /// vectors onto x's, which needs their elements to be the same size).
  static constexpr bool same_size = sizeof(TA) == sizeof(TX);
  static_assert(x_vectors >= 1, "x narrower than A");
};

/// element_types of one type throughout.
template <class T>
using same_types = element_types<T, T, T>;

/// 16 bytes of A: read once, so keep them out of L1 and mark them first to
/// leave L2 (`.cs`), which protects the reused x in L2.
__device__ __forceinline__ uint4 stream_vector(const void* p) {
  return __ldcs(static_cast<const uint4*>(p));
}

/// 16 bytes of A through L1, for a lane that reads only part of each 32-byte
/// sector a step: the rest of the sector waits in L1 for its next step
/// (docs/performance-notes.md, entry 48).
__device__ __forceinline__ uint4 l1_vector(const void* p) {
  return __ldg(static_cast<const uint4*>(p));
}

/// 8 bytes of A, for the 8-element chunks of 1-byte types in the column
/// kernel.
__device__ __forceinline__ uint2 stream_half_vector(const void* p) {
  return __ldcs(static_cast<const uint2*>(p));
}

/// 16 bytes of x: reused by every row, so the ordinary read-only cached path.
__device__ __forceinline__ uint4 cached_vector(const void* p) {
  return __ldg(static_cast<const uint4*>(p));
}

/// The elements of x beside one 16-byte vector of A (E::x_vectors 16-byte
/// loads from `p`, 16-byte aligned).
template <class E>
struct x_chunk {
  uint4 raw[E::x_vectors];
};

template <class E>
__device__ __forceinline__ x_chunk<E> cached_x_chunk(const typename E::x* p) {
  x_chunk<E> c;
#pragma unroll
  for (int i = 0; i < E::x_vectors; ++i) c.raw[i] = cached_vector(p + i * (16 / sizeof(typename E::x)));
  return c;
}

template <class E>
__device__ __forceinline__ x_chunk<E> zero_x_chunk() {
  x_chunk<E> c;
#pragma unroll
  for (int i = 0; i < E::x_vectors; ++i) c.raw[i] = uint4{0, 0, 0, 0};
  return c;
}

/// An x_chunk widened to E's compute type.
template <class E>
__device__ __forceinline__ fragment<E::width, typename E::compute> unpack_x(const x_chunk<E>& c) {
  using TX = typename E::x;
  constexpr int kPer = kVectorWidth<TX>;
  fragment<E::width, typename E::compute> f;
#pragma unroll
  for (int i = 0; i < E::x_vectors; ++i) {
    const auto part = unpack<TX>(c.raw[i]);
#pragma unroll
    for (int j = 0; j < kPer; ++j) f.v[i * kPer + j] = static_cast<typename E::compute>(part.v[j]);
  }
  return f;
}

/// One element through `load` (a cache-hint load). fp8 types have no
/// cache-hint load of their own: their byte is loaded and taken as the
/// value's bits.
template <class T, class Load>
__device__ __forceinline__ compute_t<T> load_element(const T* p, Load load) {
  if constexpr (std::is_same_v<T, __nv_fp8_e4m3> || std::is_same_v<T, __nv_fp8_e5m2>) {
    T v;
    v.__x = load(reinterpret_cast<const unsigned char*>(p));
    return widen(v);
  } else {
    return widen(load(p));
  }
}

/// One element of A, for the element-wise path: streamed (`.cs`).
template <class T>
__device__ __forceinline__ compute_t<T> stream_element(const T* p) {
  return load_element(p, [](const auto* q) { return __ldcs(q); });
}

/// One element of x, or of A through L1: the read-only cached path.
template <class T>
__device__ __forceinline__ compute_t<T> cached_element(const T* p) {
  return load_element(p, [](const auto* q) { return __ldg(q); });
}

/// A's 16-byte vector or element, streamed or through L1 (l1_vector).
template <bool ThroughL1>
__device__ __forceinline__ uint4 a_vector(const void* p) {
  if constexpr (ThroughL1) {
    return l1_vector(p);
  } else {
    return stream_vector(p);
  }
}

template <bool ThroughL1, class T>
__device__ __forceinline__ compute_t<T> a_element(const T* p) {
  if constexpr (ThroughL1) {
    return cached_element(p);
  } else {
    return stream_element(p);
  }
}

/// a * b + c with one rounding, in float or double.
__device__ __forceinline__ float multiply_add(float a, float b, float c) { return fmaf(a, b, c); }
__device__ __forceinline__ double multiply_add(double a, double b, double c) { return fma(a, b, c); }

}  // namespace gemv::detail
