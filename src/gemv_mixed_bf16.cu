// The entry points with A in mixed bf16 (see gemv.hpp's GEMV_FOR_EACH_COMPILED_COMBINATION),
// kernels included, compiled once for gemv::gemv_compiled.

#include <gemv/api.cuh>

namespace gemv {
GEMV_API_INSTANTIATIONS_OF(template, __nv_bfloat16, float, float)
GEMV_API_INSTANTIATIONS_OF(template, __nv_bfloat16, __nv_bfloat16, float)
}  // namespace gemv
