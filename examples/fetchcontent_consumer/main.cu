// gemv taken with FetchContent: y = A * x for a row-major 2 x 2 matrix.

#include <gemv/gemv.cuh>

#include <cstdio>

int main() {
  int devices = 0;
  const cudaError_t probe = cudaGetDeviceCount(&devices);
  if (probe != cudaSuccess || devices == 0) {
    std::printf("fetchcontent_consumer: no CUDA device: %s\n",
                probe != cudaSuccess ? cudaGetErrorString(probe) : "none found");
    return 0;
  }
  const float A[4] = {1, 2, 3, 4};  // rows (1 2) and (3 4)
  const float x[2] = {1, 1};
  float y[2] = {0, 0};
  float *dA, *dx, *dy;
  cudaMalloc(&dA, sizeof A);
  cudaMalloc(&dx, sizeof x);
  cudaMalloc(&dy, sizeof y);
  cudaMemcpy(dA, A, sizeof A, cudaMemcpyHostToDevice);
  cudaMemcpy(dx, x, sizeof x, cudaMemcpyHostToDevice);
  const gemv::status s =
      gemv::gemv<float>(gemv::layout::row_major, gemv::op::n, 2, 2, 1.0f, dA, 2, dx, 1, 0.0f, dy, 1);
  cudaMemcpy(y, dy, sizeof y, cudaMemcpyDeviceToHost);
  std::printf("fetchcontent_consumer: status %s, y = (%g, %g), expected (3, 7)\n",
              gemv::to_string(s), y[0], y[1]);
  return s == gemv::status::success && y[0] == 3.0f && y[1] == 7.0f ? 0 : 1;
}
