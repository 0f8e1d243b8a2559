// The entry points with A in e5m2 (see gemv.hpp's GEMV_FOR_EACH_COMPILED_COMBINATION),
// kernels included, compiled once for gemv::gemv_compiled.

#include <gemv/api.cuh>

namespace gemv {
GEMV_API_INSTANTIATIONS_OF(template, __nv_fp8_e5m2, __half, __half)
GEMV_API_INSTANTIATIONS_OF(template, __nv_fp8_e5m2, __nv_bfloat16, __nv_bfloat16)
GEMV_API_INSTANTIATIONS_OF(template, __nv_fp8_e5m2, float, float)
}  // namespace gemv
