// The entry points for __half, kernels included, compiled once for
// gemv::gemv_compiled (one file per element type: they compile in parallel).

#include <gemv/api.cuh>

namespace gemv {
GEMV_API_INSTANTIATIONS(template, __half)
}  // namespace gemv
