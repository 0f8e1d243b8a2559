// Every typed GPU suite for __nv_bfloat16. One element type per translation unit:
// compiling the library's kernels is the slow part of the build, and this
// spreads it over as many compiler processes as there are types.

#include "gpu/instantiate.cuh"

GEMV_INSTANTIATE_GPU_SUITES(bf16, __nv_bfloat16)
