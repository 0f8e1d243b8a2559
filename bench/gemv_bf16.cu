// The library's kernels for __nv_bfloat16 (see gemv_runner.hpp).

#include "gemv_runner_impl.cuh"

namespace gemv::bench {
GEMV_BENCH_INSTANTIATE(__nv_bfloat16)
}  // namespace gemv::bench
