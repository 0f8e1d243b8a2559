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

// clang-format off
using supported_combinations = std::tuple<
    operand_tag<float, float, float>,
    operand_tag<__half, __half, __half>,
    operand_tag<__nv_bfloat16, __nv_bfloat16, __nv_bfloat16>,
    operand_tag<double, double, double>,
    operand_tag<__half, float, float>,
    operand_tag<__nv_bfloat16, float, float>,
    operand_tag<__half, __half, float>,
    operand_tag<__nv_bfloat16, __nv_bfloat16, float>,
    operand_tag<__nv_fp8_e4m3, __half, __half>,
    operand_tag<__nv_fp8_e4m3, __nv_bfloat16, __nv_bfloat16>,
    operand_tag<__nv_fp8_e4m3, float, float>,
    operand_tag<__nv_fp8_e5m2, __half, __half>,
    operand_tag<__nv_fp8_e5m2, __nv_bfloat16, __nv_bfloat16>,
    operand_tag<__nv_fp8_e5m2, float, float>,
    operand_tag<std::int8_t, __half, __half>,
    operand_tag<std::int8_t, __nv_bfloat16, __nv_bfloat16>,
    operand_tag<std::int8_t, float, float>>;
// clang-format on

namespace counting {
// Every element type, to count the library's combinations against the list.
template <class A, class X, class... Y>
constexpr int supported_with() {
  return (0 + ... + static_cast<int>(is_supported_types_v<A, X, Y>));
}
template <class... T>
struct every_type {
  template <class A, class X>
  static constexpr int with_ax() { return supported_with<A, X, T...>(); }
  template <class A>
  static constexpr int with_a() { return (0 + ... + with_ax<A, T>()); }
  static constexpr int count() { return (0 + ... + with_a<T>()); }
};
}  // namespace counting

// The list holds as many combinations as the library supports (each entry
// is one it supports: operand_tag checks), so it misses none.
static_assert(counting::every_type<float, __half, __nv_bfloat16, double, __nv_fp8_e4m3,
                                   __nv_fp8_e5m2, std::int8_t>::count() ==
                  std::tuple_size_v<supported_combinations>,
              "supported_combinations differs from gemv::is_supported_types_v");

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
