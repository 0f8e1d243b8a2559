// Device-side random fill (see init.cuh).

#include "common.hpp"
#include "init.cuh"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include <algorithm>
#include <type_traits>

namespace gemv::bench {
namespace {

/// splitmix64 finaliser: a good 64-bit mix of the index and the seed.
__device__ __forceinline__ std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// `v` rounded to the nearest value of `grid`; every result is exact in float.
__device__ __forceinline__ float rounded(float v, dtype grid) {
  switch (grid) {
    case dtype::f16: return __half2float(__float2half_rn(v));
    case dtype::bf16: return __bfloat162float(__float2bfloat16_rn(v));
    case dtype::e4m3: return static_cast<float>(__nv_fp8_e4m3(v));  // saturating
    case dtype::e5m2: return static_cast<float>(__nv_fp8_e5m2(v));
    case dtype::i8: return fminf(fmaxf(rintf(v), -127.0f), 127.0f);
    default: return v;
  }
}

template <class T>
__device__ __forceinline__ T stored_as(float v) {
  if constexpr (std::is_same_v<T, std::int8_t>) {
    return static_cast<std::int8_t>(v);  // already an integer in range
  } else {
    return T(v);
  }
}

template <class T>
__global__ void fill_kernel(T* data, std::int64_t count, std::uint64_t seed, value_set values) {
  const std::int64_t stride = std::int64_t{gridDim.x} * blockDim.x;
  for (std::int64_t i = std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x; i < count;
       i += stride) {
    const std::uint64_t h = mix(static_cast<std::uint64_t>(i) + seed * 0x9E3779B97F4A7C15ull);
    const float unit = static_cast<float>(h >> 40) * 0x1p-24f;  // [0, 1)
    data[i] = stored_as<T>(rounded((2.0f * unit - 1.0f) * values.range, values.grid));
  }
}

template <class T>
void launch_fill(void* data, std::int64_t count, std::uint64_t seed, value_set values,
                 cudaStream_t stream) {
  constexpr int kThreads = 256;
  const std::int64_t blocks = std::min<std::int64_t>(ceil_div(count, kThreads), 65536);
  fill_kernel<T><<<static_cast<unsigned>(blocks), kThreads, 0, stream>>>(static_cast<T*>(data),
                                                                         count, seed, values);
}

}  // namespace

void fill_random(void* data, dtype stored, value_set values, std::int64_t count,
                 std::uint64_t seed, cudaStream_t stream) {
  if (count <= 0) return;
  switch (stored) {
    case dtype::f32: launch_fill<float>(data, count, seed, values, stream); break;
    case dtype::f16: launch_fill<__half>(data, count, seed, values, stream); break;
    case dtype::bf16: launch_fill<__nv_bfloat16>(data, count, seed, values, stream); break;
    case dtype::f64: launch_fill<double>(data, count, seed, values, stream); break;
    case dtype::e4m3: launch_fill<__nv_fp8_e4m3>(data, count, seed, values, stream); break;
    case dtype::e5m2: launch_fill<__nv_fp8_e5m2>(data, count, seed, values, stream); break;
    case dtype::i8: launch_fill<std::int8_t>(data, count, seed, values, stream); break;
  }
  check_cuda(cudaGetLastError(), "fill_random launch");
}

}  // namespace gemv::bench
