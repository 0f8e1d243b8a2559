#pragma once
// The element-type combinations (A, x, y) the benchmark can run: every one
// gemv::gemv_compiled holds. The library names them only at compile time
// (gemv::is_supported_types_v), so the benchmark keeps them as a list that
// is checked against it, and turns run-time dtypes into template arguments
// through it.

#include <gemv/types.cuh>

#include <cstdint>
#include <tuple>
#include <type_traits>

namespace gemv::bench {

/// One combination as a type: A, x and y.
template <class TA, class TX, class TY>
struct operand_tag {
  static_assert(is_supported_types_v<TA, TX, TY>, "not a combination gemv runs");
  using a = TA;
  using x = TX;
  using y = TY;
};

using bf16 = __nv_bfloat16;
using e4m3 = __nv_fp8_e4m3;
using e5m2 = __nv_fp8_e5m2;

// clang-format off
using supported_combinations = std::tuple<
    operand_tag<float, float, float>,
    operand_tag<__half, __half, __half>,
    operand_tag<bf16, bf16, bf16>,
    operand_tag<double, double, double>,
    operand_tag<__half, float, float>,
    operand_tag<bf16, float, float>,
    operand_tag<__half, __half, float>,
    operand_tag<bf16, bf16, float>,
    operand_tag<e4m3, __half, __half>, operand_tag<e4m3, bf16, bf16>, operand_tag<e4m3, float, float>,
    operand_tag<e5m2, __half, __half>, operand_tag<e5m2, bf16, bf16>, operand_tag<e5m2, float, float>,
    operand_tag<std::int8_t, __half, __half>, operand_tag<std::int8_t, bf16, bf16>,
    operand_tag<std::int8_t, float, float>>;
// clang-format on

template <class Tag>
constexpr bool tag_matches(dtype a, dtype x, dtype y) {
  return dtype_of<typename Tag::a>::value == a && dtype_of<typename Tag::x>::value == x &&
         dtype_of<typename Tag::y>::value == y;
}

template <class R, class F, class... Tags>
constexpr R with_combination_of(std::tuple<Tags...>*, dtype a, dtype x, dtype y, R otherwise,
                                F&& f) {
  R result = otherwise;
  static_cast<void>(((tag_matches<Tags>(a, x, y) ? (result = f(Tags{}), true) : false) || ...));
  return result;
}

/// Calls `f(operand_tag<TA, TX, TY>{})` for the combination (a, x, y) and
/// returns its result; `otherwise` when gemv does not run that combination.
template <class R, class F>
constexpr R with_combination(dtype a, dtype x, dtype y, R otherwise, F&& f) {
  return with_combination_of<R>(static_cast<supported_combinations*>(nullptr), a, x, y, otherwise,
                                static_cast<F&&>(f));
}

/// Whether gemv runs A of type `a` with x of type `x` and y of type `y`.
constexpr bool is_supported_combination(dtype a, dtype x, dtype y) {
  return with_combination<bool>(a, x, y, false, [](auto) { return true; });
}

}  // namespace gemv::bench
