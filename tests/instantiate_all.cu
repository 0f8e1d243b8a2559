// Instantiates every kernel the library can launch, for every element type,
// so that scripts/check_spills.sh sees each one in ptxas' report.

#include <gemv/gemv.cuh>

template <class T>
gemv::status instantiate() {
  return gemv::gemv<T>(gemv::layout::row_major, gemv::op::n, 0, 0, 1.0f, nullptr, 1, nullptr, 1,
                       0.0f, nullptr, 1);
}

int main() {
  const int failures = static_cast<int>(instantiate<float>()) + static_cast<int>(instantiate<__half>()) +
                       static_cast<int>(instantiate<__nv_bfloat16>());
  return failures;
}
