// The library's kernels for float (see gemv_runner.hpp).

#include "gemv_runner_impl.cuh"

namespace gemv::bench {
GEMV_BENCH_INSTANTIATE(float)
}  // namespace gemv::bench
