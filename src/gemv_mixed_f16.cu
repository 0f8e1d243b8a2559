// The entry points with A in mixed f16 (see gemv.hpp's GEMV_FOR_EACH_COMPILED_COMBINATION),
// kernels included, compiled once for gemv::gemv_compiled.

#include <gemv/api.cuh>

namespace gemv {
GEMV_API_INSTANTIATIONS_OF(template, __half, float, float)
GEMV_API_INSTANTIATIONS_OF(template, __half, __half, float)
}  // namespace gemv
