// One fp8 layer of a decoder at batch 1: y = silu(s * scale[i] * (W x)[i] + bias[i])
// with W in e4m3 (a per-tensor scale s and a scale per output channel), x, y
// and the bias in bfloat16, in one pass over W. Checked against a host
// computation from the same fp8 weights.

#include <gemv/gemv.cuh>

#include <cmath>
#include <cstdio>
#include <vector>

#define CHECK_CUDA(call)                                                      \
  do {                                                                        \
    const cudaError_t err_ = (call);                                          \
    if (err_ != cudaSuccess) {                                                \
      std::fprintf(stderr, "%s: %s\n", #call, cudaGetErrorString(err_));      \
      return 1;                                                               \
    }                                                                         \
  } while (0)

int main() {
  int devices = 0;
  const cudaError_t probe = cudaGetDeviceCount(&devices);
  if (probe != cudaSuccess || devices == 0) {
    std::printf("fp8_layer: no CUDA device: %s\n",
                probe != cudaSuccess ? cudaGetErrorString(probe) : "none found");
    return 0;
  }

  const std::int64_t m = 4096, n = 2048;  // outputs x inputs
  const float tensor_scale = 0.02f;
  std::vector<__nv_fp8_e4m3> W(m * n);
  std::vector<__nv_bfloat16> x(n), bias(m), y(m);
  std::vector<float> channel_scale(m);
  for (std::int64_t i = 0; i < m * n; ++i) W[i] = __nv_fp8_e4m3(static_cast<float>(i % 29) - 14.0f);
  for (std::int64_t j = 0; j < n; ++j) x[j] = __float2bfloat16(std::sin(0.01f * j));
  for (std::int64_t i = 0; i < m; ++i) {
    channel_scale[i] = 0.5f + 0.001f * (i % 100);
    bias[i] = __float2bfloat16(0.1f * (i % 11) - 0.5f);
  }

  __nv_fp8_e4m3* dW = nullptr;
  __nv_bfloat16 *dx = nullptr, *dbias = nullptr, *dy = nullptr;
  float* dscale = nullptr;
  CHECK_CUDA(cudaMalloc(&dW, W.size()));
  CHECK_CUDA(cudaMalloc(&dx, n * sizeof(__nv_bfloat16)));
  CHECK_CUDA(cudaMalloc(&dbias, m * sizeof(__nv_bfloat16)));
  CHECK_CUDA(cudaMalloc(&dy, m * sizeof(__nv_bfloat16)));
  CHECK_CUDA(cudaMalloc(&dscale, m * sizeof(float)));
  CHECK_CUDA(cudaMemcpy(dW, W.data(), W.size(), cudaMemcpyHostToDevice));
  CHECK_CUDA(cudaMemcpy(dx, x.data(), n * sizeof(__nv_bfloat16), cudaMemcpyHostToDevice));
  CHECK_CUDA(cudaMemcpy(dbias, bias.data(), m * sizeof(__nv_bfloat16), cudaMemcpyHostToDevice));
  CHECK_CUDA(cudaMemcpy(dscale, channel_scale.data(), m * sizeof(float), cudaMemcpyHostToDevice));

  const gemv::epilogue<__nv_bfloat16> ep{dscale, dbias, gemv::activation::silu};
  const gemv::status s = gemv::gemv<__nv_fp8_e4m3, __nv_bfloat16, __nv_bfloat16>(
      gemv::layout::row_major, gemv::op::n, m, n, tensor_scale, dW, n, dx, 1, 0.0f, dy, 1, ep);
  if (s != gemv::status::success) {
    std::printf("gemv: %s\n", gemv::to_string(s));
    return 1;
  }
  CHECK_CUDA(cudaMemcpy(y.data(), dy, m * sizeof(__nv_bfloat16), cudaMemcpyDeviceToHost));

  // bfloat16 keeps 8 significant bits: a few units of 2^-8 relative is the
  // output's own rounding, plus that of the float evaluation of SiLU.
  double worst = 0.0;
  for (std::int64_t i = 0; i < m; ++i) {
    double dot = 0.0;
    for (std::int64_t j = 0; j < n; ++j)
      dot += static_cast<double>(static_cast<float>(W[i * n + j])) * __bfloat162float(x[j]);
    const double v = tensor_scale * channel_scale[i] * dot + __bfloat162float(bias[i]);
    const double expected = v / (1.0 + std::exp(-v));
    const double error = std::fabs(__bfloat162float(y[i]) - expected) / std::fmax(std::fabs(expected), 1e-3);
    worst = std::fmax(worst, error);
  }
  std::printf("fp8_layer: %lld outputs, largest relative error %.2e\n", static_cast<long long>(m), worst);
  cudaFree(dW);
  cudaFree(dx);
  cudaFree(dbias);
  cudaFree(dy);
  cudaFree(dscale);
  return worst < 2e-2 ? 0 : 1;
}
