// Host time of one gemv call: how long the call takes to return, for a small
// problem whose kernels are shorter than the call itself (the case where the
// host side is the whole cost). Plain CUDA and the library, no other
// dependency, so the same file builds against any version of the headers.
//
//   gemv_host_overhead [calls]   prints a table: median and p90 microseconds
//
// Calls are timed one by one with a steady clock; every 64 calls the stream
// is synchronised outside the timed region, so the launch queue never fills.

#include <gemv/gemv.cuh>

#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

struct row {
  const char* name;
  std::int64_t m, n;
  bool own_workspace;
};

bool check(cudaError_t e, const char* what) {
  if (e == cudaSuccess) return true;
  std::fprintf(stderr, "%s: %s\n", what, cudaGetErrorString(e));
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const int calls = argc > 1 ? std::atoi(argv[1]) : 20000;
  const row rows[] = {{"f32 64x1048576 split, library scratch", 64, 1048576, false},
                      {"f32 64x1048576 split, caller workspace", 64, 1048576, true},
                      {"f32 1x100000 split, library scratch", 1, 100000, false},
                      {"f32 256x256, unsplit", 256, 256, false}};
  std::int64_t most = 0;
  for (const row& r : rows) most = std::max(most, r.m * r.n);
  float *A = nullptr, *x = nullptr, *y = nullptr;
  void* ws = nullptr;
  if (!check(cudaMalloc(&A, most * sizeof(float)), "cudaMalloc") ||
      !check(cudaMalloc(&x, 1048576 * sizeof(float)), "cudaMalloc") ||
      !check(cudaMalloc(&y, 1048576 * sizeof(float)), "cudaMalloc") ||
      !check(cudaMalloc(&ws, gemv::kMaxWorkspaceBytes), "cudaMalloc"))
    return 1;
  cudaMemset(A, 0, most * sizeof(float));
  cudaMemset(x, 0, 1048576 * sizeof(float));
  cudaStream_t stream = nullptr;
  cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking);

  std::printf("| call | median us | p90 us |\n| --- | ---: | ---: |\n");
  for (const row& r : rows) {
    std::vector<double> us;
    us.reserve(calls);
    for (int i = -1000; i < calls; ++i) {  // the first 1000 warm up
      const auto start = std::chrono::steady_clock::now();
      const gemv::status s =
          r.own_workspace
              ? gemv::gemv<float>(gemv::layout::row_major, gemv::op::n, r.m, r.n, 1.0f, A, r.n, x, 1,
                                  0.0f, y, 1, gemv::workspace{ws, gemv::kMaxWorkspaceBytes}, stream)
              : gemv::gemv<float>(gemv::layout::row_major, gemv::op::n, r.m, r.n, 1.0f, A, r.n, x, 1,
                                  0.0f, y, 1, stream);
      const auto stop = std::chrono::steady_clock::now();
      if (s != gemv::status::success) {
        std::fprintf(stderr, "%s: %s\n", r.name, gemv::to_string(s));
        return 1;
      }
      if (i >= 0) us.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
      if (i % 64 == 63 && !check(cudaStreamSynchronize(stream), "sync")) return 1;
    }
    std::sort(us.begin(), us.end());
    std::printf("| %s | %.2f | %.2f |\n", r.name, us[us.size() / 2], us[us.size() * 9 / 10]);
  }
  return check(cudaStreamSynchronize(stream), "sync") ? 0 : 1;
}
