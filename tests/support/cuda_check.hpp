#pragma once
// CUDA error checking for tests. A failed call throws; GoogleTest reports the
// exception, with the call and where it was made, as a failure of the test
// that is running. Works in helpers that return values, unlike ASSERT_*.

#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace gemv::test {

struct cuda_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline void check_cuda(cudaError_t error, const char* call, const char* file, int line) {
  if (error == cudaSuccess) return;
  throw cuda_error(std::string(file) + ":" + std::to_string(line) + ": " + call + " failed: " +
                   cudaGetErrorName(error) + " (" + cudaGetErrorString(error) + ")");
}

}  // namespace gemv::test

#define GEMV_CUDA_CHECK(call) ::gemv::test::check_cuda((call), #call, __FILE__, __LINE__)
