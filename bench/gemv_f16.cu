// The library's kernels for __half (see gemv_runner.hpp).

#include "gemv_runner_impl.cuh"

namespace gemv::bench {
GEMV_BENCH_INSTANTIATE(__half)
}  // namespace gemv::bench
