// The entry points with A in i8 (see gemv.hpp's GEMV_FOR_EACH_COMPILED_COMBINATION),
// kernels included, compiled once for gemv::gemv_compiled.

#include <gemv/api.cuh>

namespace gemv {
GEMV_API_INSTANTIATIONS_OF(template, std::int8_t, __half, __half)
GEMV_API_INSTANTIATIONS_OF(template, std::int8_t, __nv_bfloat16, __nv_bfloat16)
GEMV_API_INSTANTIATIONS_OF(template, std::int8_t, float, float)
}  // namespace gemv
