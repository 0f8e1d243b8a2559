// Instantiates every kernel the library can launch, for every combination of
// element types gemv_compiled holds, so that scripts/check_spills.sh sees each
// one in ptxas' report.

#include <gemv/gemv.cuh>

namespace gemv {
GEMV_FOR_EACH_COMPILED_COMBINATION(template)
}  // namespace gemv

int main() { return 0; }
