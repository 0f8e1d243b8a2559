// Smallest program against an installed gemv: y = 2 * A^T * x for a
// column-major 3 x 2 matrix.

#include <gemv/gemv.cuh>

#include <cstdio>

int main() {
  std::printf("consumer: built against gemv %d.%d.%d\n", GEMV_VERSION_MAJOR, GEMV_VERSION_MINOR,
              GEMV_VERSION_PATCH);
  int devices = 0;
  const cudaError_t probe = cudaGetDeviceCount(&devices);
  if (probe != cudaSuccess || devices == 0) {
    std::printf("consumer: no CUDA device: %s\n",
                probe != cudaSuccess ? cudaGetErrorString(probe) : "none found");
    return 0;
  }
  const float A[6] = {1, 2, 3, 4, 5, 6};  // columns (1 2 3) and (4 5 6)
  const float x[3] = {1, 1, 1};
  float y[2] = {0, 0};
  float *dA, *dx, *dy;
  cudaMalloc(&dA, sizeof A);
  cudaMalloc(&dx, sizeof x);
  cudaMalloc(&dy, sizeof y);
  cudaMemcpy(dA, A, sizeof A, cudaMemcpyHostToDevice);
  cudaMemcpy(dx, x, sizeof x, cudaMemcpyHostToDevice);
  const gemv::status s =
      gemv::gemv<float>(gemv::layout::col_major, gemv::op::t, 3, 2, 2.0f, dA, 3, dx, 1, 0.0f, dy, 1);
  cudaMemcpy(y, dy, sizeof y, cudaMemcpyDeviceToHost);
  std::printf("status %s, y = (%g, %g), expected (12, 30)\n", gemv::to_string(s), y[0], y[1]);
  return s == gemv::status::success && y[0] == 12.0f && y[1] == 30.0f ? 0 : 1;
}
