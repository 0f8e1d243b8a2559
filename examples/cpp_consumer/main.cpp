// A C++ program that calls gemv without nvcc: it includes the host-only
// header and links gemv::gemv_compiled, which holds the compiled kernels.
// y = A * x for a row-major 2 x 3 matrix.

#include <gemv/gemv.hpp>

#include <cuda_runtime.h>

#include <cstdio>

int main() {
  std::printf("cpp_consumer: built against gemv %d.%d.%d\n", GEMV_VERSION_MAJOR,
              GEMV_VERSION_MINOR, GEMV_VERSION_PATCH);
  int devices = 0;
  const cudaError_t probe = cudaGetDeviceCount(&devices);
  if (probe != cudaSuccess || devices == 0) {
    std::printf("cpp_consumer: no CUDA device: %s\n",
                probe != cudaSuccess ? cudaGetErrorString(probe) : "none found");
    return 0;
  }
  const float A[6] = {1, 2, 3, 4, 5, 6};  // rows (1 2 3) and (4 5 6)
  const float x[3] = {1, 0, -1};
  float y[2] = {-7, -7};
  float *dA = nullptr, *dx = nullptr, *dy = nullptr;
  cudaError_t e = cudaMalloc(&dA, sizeof A);
  if (e == cudaSuccess) e = cudaMalloc(&dx, sizeof x);
  if (e == cudaSuccess) e = cudaMalloc(&dy, sizeof y);
  if (e == cudaSuccess) e = cudaMemcpy(dA, A, sizeof A, cudaMemcpyHostToDevice);
  if (e == cudaSuccess) e = cudaMemcpy(dx, x, sizeof x, cudaMemcpyHostToDevice);
  if (e == cudaSuccess) e = cudaMemcpy(dy, y, sizeof y, cudaMemcpyHostToDevice);
  if (e != cudaSuccess) {
    std::printf("cpp_consumer: %s\n", cudaGetErrorString(e));
    return 1;
  }
  const gemv::status s = gemv::gemv<float>(gemv::layout::row_major, gemv::op::n, 2, 3, 1.0f, dA,
                                           3, dx, 1, 0.0f, dy, 1);
  e = cudaMemcpy(y, dy, sizeof y, cudaMemcpyDeviceToHost);
  std::printf("status %s (%s), y = (%g, %g), expected (-2, -2)\n", gemv::to_string(s),
              cudaGetErrorString(s == gemv::status::success ? e : gemv::last_cuda_error()), y[0],
              y[1]);
  cudaFree(dA);
  cudaFree(dx);
  cudaFree(dy);
  return s == gemv::status::success && e == cudaSuccess && y[0] == -2.0f && y[1] == -2.0f ? 0 : 1;
}
