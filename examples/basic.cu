// y = A * x for a 1024 x 4096 row-major float matrix, then the same product
// through the graph-safe overload with caller-owned scratch.

#include <gemv/gemv.cuh>

#include <algorithm>
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
  // Without a GPU there is nothing to run: say why and succeed, so that the
  // example builds and runs on machines with the toolkit alone.
  int devices = 0;
  const cudaError_t probe = cudaGetDeviceCount(&devices);
  if (probe != cudaSuccess || devices == 0) {
    std::printf("basic: no CUDA device: %s\n",
                probe != cudaSuccess ? cudaGetErrorString(probe) : "none found");
    return 0;
  }

  const std::int64_t m = 1024, n = 4096;
  std::vector<float> A(m * n), x(n), y(m);
  for (std::int64_t i = 0; i < m * n; ++i) A[i] = static_cast<float>(i % 7) - 3.0f;
  for (std::int64_t j = 0; j < n; ++j) x[j] = 1.0f / static_cast<float>(1 + j % 5);

  float *dA = nullptr, *dx = nullptr, *dy = nullptr;
  CHECK_CUDA(cudaMalloc(&dA, A.size() * sizeof(float)));
  CHECK_CUDA(cudaMalloc(&dx, x.size() * sizeof(float)));
  CHECK_CUDA(cudaMalloc(&dy, y.size() * sizeof(float)));
  CHECK_CUDA(cudaMemcpy(dA, A.data(), A.size() * sizeof(float), cudaMemcpyHostToDevice));
  CHECK_CUDA(cudaMemcpy(dx, x.data(), x.size() * sizeof(float), cudaMemcpyHostToDevice));

  // The free function: the library picks the kernel for this card.
  gemv::status s = gemv::gemv<float>(gemv::layout::row_major, gemv::op::n, m, n, 1.0f, dA, n, dx, 1,
                                     0.0f, dy, 1);
  if (s != gemv::status::success) {
    std::fprintf(stderr, "gemv: %s\n", gemv::to_string(s));
    return 1;
  }

  gemv::plan plan;
  if (gemv::choose_plan<float>(gemv::layout::row_major, gemv::op::n, m, n, 1.0f, dA, n, dx, 1,
                               0.0f, dy, 1, plan) == gemv::status::success) {
    std::printf("plan: %s\n", gemv::to_string(plan).c_str());
  }

  // Caller-owned scratch: no allocation inside the call, safe in a CUDA graph.
  std::size_t bytes = 0;
  if (gemv::workspace_size(gemv::layout::row_major, gemv::op::n, m, n, gemv::dtype::f32, bytes) !=
      gemv::status::success) {
    return 1;
  }
  void* scratch = nullptr;
  if (bytes > 0) CHECK_CUDA(cudaMalloc(&scratch, bytes));
  s = gemv::gemv<float>(gemv::layout::row_major, gemv::op::n, m, n, 1.0f, dA, n, dx, 1, 0.0f, dy, 1,
                        gemv::workspace{scratch, bytes});
  if (s != gemv::status::success) {
    std::fprintf(stderr, "gemv: %s\n", gemv::to_string(s));
    return 1;
  }
  CHECK_CUDA(cudaMemcpy(y.data(), dy, y.size() * sizeof(float), cudaMemcpyDeviceToHost));

  double worst = 0.0;
  for (std::int64_t i = 0; i < m; ++i) {
    double ref = 0.0;
    for (std::int64_t j = 0; j < n; ++j) ref += double(A[i * n + j]) * double(x[j]);
    worst = std::max(worst, std::abs(ref - double(y[i])) / std::max(1.0, std::abs(ref)));
  }
  std::printf("y[0] = %g, worst relative error %.3g\n", y[0], worst);
  cudaFree(scratch);
  cudaFree(dA);
  cudaFree(dx);
  cudaFree(dy);
  return worst < 1e-5 ? 0 : 1;
}
