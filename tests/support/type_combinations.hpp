#pragma once
// The element type combinations gemv runs (types.cuh: is_supported_types_v),
// written out as the tests expect them, and a loop over them.

#include <gemv/types.cuh>

#include <cstdint>
#include <string>

namespace gemv::test {

/// A, x and y of one call.
template <class TA, class TX, class TY>
struct combination {
  using a = TA;
  using x = TX;
  using y = TY;
};

template <class... C>
struct combination_list {};

/// One type throughout; 16-bit A with float x and y, or with x of A's type
/// and float y; 8-bit weights with x and y both 16-bit or both float.
using supported_combinations = combination_list<
    combination<float, float, float>, combination<__half, __half, __half>,
    combination<__nv_bfloat16, __nv_bfloat16, __nv_bfloat16>, combination<double, double, double>,
    combination<__half, float, float>, combination<__nv_bfloat16, float, float>,
    combination<__half, __half, float>, combination<__nv_bfloat16, __nv_bfloat16, float>,
    combination<__nv_fp8_e4m3, __half, __half>,
    combination<__nv_fp8_e4m3, __nv_bfloat16, __nv_bfloat16>,
    combination<__nv_fp8_e4m3, float, float>, combination<__nv_fp8_e5m2, __half, __half>,
    combination<__nv_fp8_e5m2, __nv_bfloat16, __nv_bfloat16>,
    combination<__nv_fp8_e5m2, float, float>, combination<std::int8_t, __half, __half>,
    combination<std::int8_t, __nv_bfloat16, __nv_bfloat16>, combination<std::int8_t, float, float>>;

inline constexpr int kSupportedCombinations = 17;

/// Calls f(C{}) for every combination C of the list.
template <class F, class... C>
void for_each_combination(combination_list<C...>, F&& f) {
  (f(C{}), ...);
}

template <class F>
void for_each_combination(F&& f) {
  for_each_combination(supported_combinations{}, f);
}

/// "e4m3_f16_f16": the dtype names of A, x and y.
template <class C>
std::string name_of() {
  return std::string(to_string(dtype_of<typename C::a>::value)) + "_" +
         to_string(dtype_of<typename C::x>::value) + "_" +
         to_string(dtype_of<typename C::y>::value);
}

}  // namespace gemv::test
