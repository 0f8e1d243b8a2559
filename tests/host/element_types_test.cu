// The element types as the public headers describe them: which combinations
// run, their scalar type, dtype names and sizes, activation names, and the
// quick return of a call whose epilogue has a bias. Pure host code.

#include "support/element.hpp"
#include "support/type_combinations.hpp"

#include <gemv/problem.cuh>

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>
#include <type_traits>

namespace gemv::test {
namespace {

template <class... T>
struct type_list {};

using every_element_type =
    type_list<float, __half, __nv_bfloat16, double, __nv_fp8_e4m3, __nv_fp8_e5m2, std::int8_t>;

using triple = std::tuple<dtype, dtype, dtype>;

template <class TA, class TX, class TY>
triple triple_of() {
  return {dtype_of<TA>::value, dtype_of<TX>::value, dtype_of<TY>::value};
}

/// Every (A, x, y) of the seven element types that is_supported_types_v accepts.
template <class TA, class TX, class... TY>
void supported_with_y(type_list<TY...>, std::set<triple>& out) {
  ((is_supported_types_v<TA, TX, TY> ? void(out.insert(triple_of<TA, TX, TY>())) : void()), ...);
}
template <class TA, class... TX>
void supported_with_x(type_list<TX...>, std::set<triple>& out) {
  (supported_with_y<TA, TX>(every_element_type{}, out), ...);
}
template <class... TA>
std::set<triple> supported_triples(type_list<TA...>) {
  std::set<triple> out;
  (supported_with_x<TA>(every_element_type{}, out), ...);
  return out;
}

TEST(ElementTypes, ExactlyTheListedCombinationsAreSupported) {
  std::set<triple> listed;
  for_each_combination([&](auto c) {
    using C = decltype(c);
    listed.insert(triple_of<typename C::a, typename C::x, typename C::y>());
  });
  ASSERT_EQ(listed.size(), static_cast<std::size_t>(kSupportedCombinations))
      << "a combination listed twice";
  const std::set<triple> supported = supported_triples(every_element_type{});
  for (const triple& t : supported)
    EXPECT_EQ(listed.count(t), 1u)
        << "supported but not listed: " << to_string(std::get<0>(t)) << " "
        << to_string(std::get<1>(t)) << " " << to_string(std::get<2>(t));
  for (const triple& t : listed)
    EXPECT_EQ(supported.count(t), 1u)
        << "listed but not supported: " << to_string(std::get<0>(t)) << " "
        << to_string(std::get<1>(t)) << " " << to_string(std::get<2>(t));
}

// A few of the 326 refusals spelled out, beside the table above: y narrower
// than x, 8-bit x or y, x and y of different types beside 8-bit weights,
// double mixed with anything.
static_assert(!is_supported_types_v<float, __half, __half>);
static_assert(!is_supported_types_v<float, float, __half>);
static_assert(!is_supported_types_v<__half, float, __half>);
static_assert(!is_supported_types_v<__half, __nv_bfloat16, float>);
static_assert(!is_supported_types_v<__nv_fp8_e4m3, __nv_fp8_e4m3, __nv_fp8_e4m3>);
static_assert(!is_supported_types_v<std::int8_t, std::int8_t, float>);
static_assert(!is_supported_types_v<__nv_fp8_e5m2, __half, float>);
static_assert(!is_supported_types_v<double, float, float>);
static_assert(!is_supported_types_v<__half, double, double>);

// alpha and beta are double for double, float otherwise.
static_assert(std::is_same_v<scalar_t<double, double, double>, double>);
static_assert(std::is_same_v<scalar_t<float, float, float>, float>);
static_assert(std::is_same_v<scalar_t<__half, float, float>, float>);
static_assert(std::is_same_v<scalar_t<__nv_fp8_e4m3, __half, __half>, float>);
static_assert(std::is_same_v<scalar_t<std::int8_t, float, float>, float>);

TEST(ElementTypes, DtypeNamesSizesAndIds) {
  const std::tuple<dtype, const char*, int> table[] = {
      {dtype::f32, "f32", 4}, {dtype::f16, "f16", 2},   {dtype::bf16, "bf16", 2},
      {dtype::f64, "f64", 8}, {dtype::e4m3, "e4m3", 1}, {dtype::e5m2, "e5m2", 1},
      {dtype::i8, "i8", 1},
  };
  int index = 0;
  for (const auto& [type, name, bytes] : table) {
    EXPECT_EQ(static_cast<int>(type), index++)
        << name << ": the enumerators run 0..6 in this order";
    EXPECT_STREQ(to_string(type), name);
    EXPECT_EQ(size_of(type), bytes) << name;
  }
  for (int v = 7; v < 256; ++v) {
    EXPECT_STREQ(to_string(static_cast<dtype>(v)), "unknown_dtype") << v;
    EXPECT_EQ(size_of(static_cast<dtype>(v)), 0) << v;
  }
  static_assert(size_of(dtype::e5m2) == 1, "size_of is constexpr");
}

TEST(ElementTypes, DtypeOfAgreesWithTheCxxTypes) {
  const auto check = [](auto value, dtype expected) {
    using T = decltype(value);
    EXPECT_EQ(dtype_of<T>::value, expected);
    EXPECT_EQ(static_cast<std::size_t>(size_of(dtype_of<T>::value)), sizeof(T))
        << to_string(expected);
  };
  check(float{}, dtype::f32);
  check(__half{}, dtype::f16);
  check(__nv_bfloat16{}, dtype::bf16);
  check(double{}, dtype::f64);
  check(__nv_fp8_e4m3{}, dtype::e4m3);
  check(__nv_fp8_e5m2{}, dtype::e5m2);
  check(std::int8_t{}, dtype::i8);
}

TEST(ElementTypes, ActivationNames) {
  const std::pair<activation, const char*> names[] = {
      {activation::none, "none"},           {activation::relu, "relu"},
      {activation::gelu_tanh, "gelu_tanh"}, {activation::gelu_erf, "gelu_erf"},
      {activation::silu, "silu"},
  };
  int index = 0;
  for (const auto& [act, name] : names) {
    EXPECT_EQ(static_cast<int>(act), index++) << name;
    EXPECT_STREQ(to_string(act), name);
  }
  EXPECT_STREQ(to_string(static_cast<activation>(5)), "unknown_activation");
  // An epilogue is nothing until asked: no scale, no bias, no activation.
  const epilogue<float> none{};
  EXPECT_EQ(none.scale, nullptr);
  EXPECT_EQ(none.bias, nullptr);
  EXPECT_EQ(none.act, activation::none);
}

// The test support's host conversions of the new types, which every GPU
// reference in these types is built from.
TEST(ElementTypes, TestSupportConvertsTheNewTypesExactly) {
  for (float v : {0.0f, 1.0f, -1.5f, 0.4375f, 448.0f, -0x1p-9f})
    EXPECT_EQ(to_double(element<__nv_fp8_e4m3>::from_float(v)), v) << v;
  EXPECT_EQ(to_double(element<__nv_fp8_e4m3>::from_float(1000.0f)), 448.0);  // saturates
  EXPECT_EQ(to_double(element<__nv_fp8_e4m3>::from_float(1.0625f)), 1.0);    // 3 mantissa bits
  for (float v : {0.0f, -1.25f, 0.75f, 57344.0f, 0x1p-16f})
    EXPECT_EQ(to_double(element<__nv_fp8_e5m2>::from_float(v)), v) << v;
  EXPECT_EQ(to_double(element<__nv_fp8_e5m2>::from_float(1.125f)), 1.0);  // 2 mantissa bits
  EXPECT_EQ(to_double(element<std::int8_t>::from_float(-31.6f)), -32.0);
  EXPECT_EQ(to_double(element<std::int8_t>::from_float(300.0f)), 127.0);
  EXPECT_TRUE(std::isnan(to_double(poison<__nv_fp8_e4m3>())));
  EXPECT_TRUE(std::isnan(to_double(poison<__nv_fp8_e5m2>())));
  EXPECT_TRUE(std::isnan(to_double(poison<double>())));
  EXPECT_EQ(from_double<double>(0.1), 0.1);  // no detour through float
}

TEST(QuickReturn, ABiasWritesEveryOutput) {
  // Without a bias, BLAS's rules.
  EXPECT_TRUE(is_quick_return(0, 5, 1.0, 0.0));
  EXPECT_TRUE(is_quick_return(5, 0, 1.0, 0.0));
  EXPECT_TRUE(is_quick_return(5, 5, 0.0, 1.0));
  EXPECT_FALSE(is_quick_return(5, 5, 0.0, 0.5));
  EXPECT_FALSE(is_quick_return(5, 5, 1.0, 1.0));
  // With biased outputs none of them returns early: y = act(bias) + beta * y
  // must still be written.
  EXPECT_FALSE(is_quick_return(5, 0, 1.0, 0.0, 5));
  EXPECT_FALSE(is_quick_return(0, 5, 1.0, 0.0, 5));  // op t: 5 outputs, empty reduction
  EXPECT_FALSE(is_quick_return(5, 5, 0.0, 1.0, 5));
  static_assert(!is_quick_return(5, 5, 0.0, 1.0, 5), "is_quick_return is constexpr");
}

TEST(QuickReturn, BiasedOutputsCountTheOutputsOfACallWithABias) {
  const float bias[4] = {};
  for (op trans : {op::n, op::t}) {
    call_arguments c;
    c.trans = trans;
    c.m = 3;
    c.n = 4;
    EXPECT_EQ(c.biased_outputs(), 0) << "no bias";
    c.scale = reinterpret_cast<const float*>(bias);
    EXPECT_EQ(c.biased_outputs(), 0) << "a scale alone does not write outputs";
    c.bias = bias;
    EXPECT_EQ(c.biased_outputs(), trans == op::n ? 3 : 4);
    (trans == op::n ? c.m : c.n) = 0;  // no outputs: nothing to write, bias or not
    EXPECT_EQ(c.biased_outputs(), 0);
  }
}

}  // namespace
}  // namespace gemv::test
