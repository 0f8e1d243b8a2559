// The library's entry points for float, __half and __nv_bfloat16, kernels
// included: the one file nvcc compiles. ops.cpp calls them through
// <gemv/gemv.hpp>.

#include <gemv/api.cuh>

namespace gemv {
GEMV_API_INSTANTIATIONS(template, float)
GEMV_API_INSTANTIATIONS(template, __half)
GEMV_API_INSTANTIATIONS(template, __nv_bfloat16)
}  // namespace gemv
