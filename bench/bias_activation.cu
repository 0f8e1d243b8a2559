// The unfused epilogue kernel (see bias_activation.cuh).

#include "bias_activation.cuh"

#include "common.hpp"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <type_traits>

namespace gemv::bench {
namespace {

/// The library's activations (detail/epilogue.cuh), written out again so
/// that the comparison does not lean on the code it checks.
template <class S>
__device__ __forceinline__ S activate(activation act, S v) {
  switch (act) {
    case activation::none: return v;
    case activation::relu: return v < S(0) ? S(0) : v;
    case activation::gelu_tanh:
      return S(0.5) * v * (S(1) + tanh(S(0.7978845608028654) * (v + S(0.044715) * v * v * v)));
    case activation::gelu_erf: return S(0.5) * v * (S(1) + erf(v * S(0.7071067811865476)));
    case activation::silu: return v / (S(1) + exp(-v));
  }
  return v;
}

template <class T>
__device__ __forceinline__ auto to_compute(T v) {
  if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
    return v;
  } else {
    return static_cast<float>(v);
  }
}

template <class T>
__global__ void bias_activation_kernel(const T* z, const T* bias, activation act, double beta,
                                       T* y, std::int64_t count) {
  using S = std::conditional_t<std::is_same_v<T, double>, double, float>;
  const std::int64_t stride = std::int64_t{gridDim.x} * blockDim.x;
  for (std::int64_t i = std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x; i < count;
       i += stride) {
    S v = to_compute(z[i]);
    if (bias != nullptr) v += to_compute(bias[i]);
    v = activate(act, v);
    if (beta != 0.0) v += static_cast<S>(beta) * to_compute(y[i]);
    y[i] = T(v);
  }
}

template <class T>
void launch(const void* z, const void* bias, activation act, double beta, void* y,
            std::int64_t count, cudaStream_t stream) {
  constexpr int kThreads = 256;
  const std::int64_t blocks = std::min<std::int64_t>(ceil_div(count, kThreads), 65536);
  bias_activation_kernel<T><<<static_cast<unsigned>(blocks), kThreads, 0, stream>>>(
      static_cast<const T*>(z), static_cast<const T*>(bias), act, beta, static_cast<T*>(y), count);
}

}  // namespace

void bias_activation(const void* z, const void* bias, activation act, double beta, void* y,
                     dtype t, std::int64_t count, cudaStream_t stream) {
  if (count <= 0) return;
  switch (t) {
    case dtype::f32: launch<float>(z, bias, act, beta, y, count, stream); break;
    case dtype::f16: launch<__half>(z, bias, act, beta, y, count, stream); break;
    case dtype::bf16: launch<__nv_bfloat16>(z, bias, act, beta, y, count, stream); break;
    case dtype::f64: launch<double>(z, bias, act, beta, y, count, stream); break;
    default: throw failure(std::string("bias_activation: no kernel for y of type ") + to_string(t));
  }
  check_cuda(cudaGetLastError(), "bias_activation launch");
}

}  // namespace gemv::bench
