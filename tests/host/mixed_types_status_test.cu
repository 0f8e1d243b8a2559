// Validation of calls with an element type per operand and a fused
// epilogue: gemv::validate(call_arguments), and every public entry point of
// every supported combination, which reports bad input before it touches
// the CUDA runtime (a call that reached the device query would return
// device_error on a machine without a GPU). Pointers point into host memory
// that is never dereferenced.

#include "support/type_combinations.hpp"

#include <gemv/gemv.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

namespace gemv::test {
namespace {

constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();

/// 16-byte aligned storage for the pointers of a call_arguments.
struct fake_memory {
  alignas(16) unsigned char bytes[1024] = {};
  void* at(std::size_t offset) { return bytes + offset; }

  /// A valid row-major 3 x 5 call of these element types, y = 0.5 y + A x,
  /// with the epilogue's scale and bias in place when `with_epilogue`.
  call_arguments valid_call(dtype a, dtype x, dtype y, bool with_epilogue = false) {
    call_arguments c;
    c.m = 3;
    c.n = 5;
    c.lda = 5;
    c.beta = 0.5;
    c.a_type = a;
    c.x_type = x;
    c.y_type = y;
    c.A = at(0);
    c.x = at(256);
    c.y = at(512);
    if (with_epilogue) {
      c.scale = static_cast<const float*>(at(640));
      c.bias = at(768);
    }
    return c;
  }

  template <class C>
  call_arguments valid_call(bool with_epilogue = false) {
    return valid_call(dtype_of<typename C::a>::value, dtype_of<typename C::x>::value,
                      dtype_of<typename C::y>::value, with_epilogue);
  }
};

/// `p` moved by `bytes`.
const void* moved(const void* p, std::ptrdiff_t bytes) {
  return static_cast<const char*>(p) + bytes;
}

/// The statuses of every public entry point of combination C called with
/// `c`: the three epilogue overloads when `c` has a scale or a bias, else
/// all seven (the epilogue ones with an empty epilogue).
template <class C>
std::vector<status> all_overloads(const call_arguments& c, activation act = activation::silu) {
  using TA = typename C::a;
  using TX = typename C::x;
  using TY = typename C::y;
  using S = scalar_t<TA, TX, TY>;
  const auto* A = static_cast<const TA*>(c.A);
  const auto* x = static_cast<const TX*>(c.x);
  auto* y = static_cast<TY*>(const_cast<void*>(c.y));
  const auto alpha = static_cast<S>(c.alpha), beta = static_cast<S>(c.beta);
  const epilogue<TY> ep{c.scale, static_cast<const TY*>(c.bias), act};
  const policy forced{kernel_kind::row_warp, 256, 1, 0, 4, 0};
  const auto [lay, trans, m, n, lda, incx, incy] =
      std::tuple{c.lay, c.trans, c.m, c.n, c.lda, c.incx, c.incy};
  std::vector<status> s = {
      gemv::gemv<TA, TX, TY>(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, ep),
      gemv::gemv<TA, TX, TY>(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, ep,
                             workspace{}),
      gemv::gemv_with_policy<TA, TX, TY>(forced, lay, trans, m, n, alpha, A, lda, x, incx, beta, y,
                                         incy, ep, workspace{}),
  };
  if (c.scale != nullptr || c.bias != nullptr) return s;
  plan chosen;
  s.push_back(gemv::gemv<TA, TX, TY>(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy));
  s.push_back(
      gemv::gemv<TA, TX, TY>(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, workspace{}));
  s.push_back(gemv::gemv_with_policy<TA, TX, TY>(forced, lay, trans, m, n, alpha, A, lda, x, incx,
                                                 beta, y, incy, workspace{}));
  s.push_back(gemv::choose_plan<TA, TX, TY>(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy,
                                            chosen));
  return s;
}

class MixedTypes : public ::testing::Test {
 protected:
  fake_memory mem;

  /// validate() and every entry point of C return `expected` for `c`.
  template <class C>
  void expect_status(const call_arguments& c, status expected, const std::string& what) {
    EXPECT_EQ(validate(c), expected) << name_of<C>() << ": " << what;
    for (const status s : all_overloads<C>(c))
      EXPECT_EQ(s, expected) << name_of<C>() << ": " << what << ": got " << to_string(s);
  }
};

TEST_F(MixedTypes, ValidCallsValidate) {
  for_each_combination([&](auto combo) {
    using C = decltype(combo);
    for (bool with_epilogue : {false, true})
      for (layout lay : {layout::row_major, layout::col_major})
        for (op trans : {op::n, op::t}) {
          call_arguments c = mem.valid_call<C>(with_epilogue);
          c.lay = lay;
          c.trans = trans;
          c.lda = lay == layout::row_major ? c.n : c.m;
          EXPECT_EQ(validate(c), status::success) << name_of<C>();
        }
  });
}

// Each operand is checked against its own element size: one byte off is
// misaligned for every type wider than a byte, and any address will do for
// 1-byte weights.
TEST_F(MixedTypes, EachPointerIsAlignedToItsOwnElementType) {
  for_each_combination([&](auto combo) {
    using C = decltype(combo);
    const std::size_t a_size = sizeof(typename C::a), x_size = sizeof(typename C::x);
    const std::size_t y_size = sizeof(typename C::y);

    call_arguments c = mem.valid_call<C>();
    c.A = moved(c.A, 1);
    if (a_size == 1) {
      EXPECT_EQ(validate(c), status::success) << name_of<C>() << ": 1-byte A at an odd address";
    } else {
      expect_status<C>(c, status::misaligned_pointer, "A one byte off");
    }
    c = mem.valid_call<C>();
    c.A = moved(c.A, static_cast<std::ptrdiff_t>(a_size));  // element-aligned, not 16-byte aligned
    EXPECT_EQ(validate(c), status::success) << name_of<C>();

    c = mem.valid_call<C>();
    c.x = moved(c.x, static_cast<std::ptrdiff_t>(x_size / 2));
    expect_status<C>(c, status::misaligned_pointer, "x half an element off");
    c = mem.valid_call<C>();
    c.x = moved(c.x, static_cast<std::ptrdiff_t>(x_size));
    EXPECT_EQ(validate(c), status::success) << name_of<C>();

    c = mem.valid_call<C>();
    c.y = moved(c.y, static_cast<std::ptrdiff_t>(y_size / 2));
    expect_status<C>(c, status::misaligned_pointer, "y half an element off");

    // A and x are not read when alpha is 0: their alignment does not matter.
    c = mem.valid_call<C>();
    c.alpha = 0.0;
    c.A = moved(c.A, 1);
    c.x = moved(c.x, 1);
    EXPECT_EQ(validate(c), status::success) << name_of<C>();
  });
}

TEST_F(MixedTypes, FloatXBeside16BitAIsAlignedToFour) {
  for (dtype a : {dtype::f16, dtype::bf16}) {
    call_arguments c = mem.valid_call(a, dtype::f32, dtype::f32);
    c.x = moved(c.x, 2);  // aligned for A's type, not for x's
    EXPECT_EQ(validate(c), status::misaligned_pointer) << to_string(a);
    c.x_type = a;  // the same address holds 16-bit x
    c.y_type = dtype::f32;
    EXPECT_EQ(validate(c), status::success) << to_string(a);
  }
  call_arguments c = mem.valid_call(dtype::f16, dtype::f32, dtype::f32);
  c.x = moved(c.x, 2);
  expect_status<combination<__half, float, float>>(c, status::misaligned_pointer, "float x at +2");
  c = mem.valid_call(dtype::bf16, dtype::bf16, dtype::f32);
  c.y = moved(c.y, 2);
  expect_status<combination<__nv_bfloat16, __nv_bfloat16, float>>(c, status::misaligned_pointer,
                                                                  "float y at +2");
}

TEST_F(MixedTypes, EpiloguePointersAreAlignedToTheirTypes) {
  for_each_combination([&](auto combo) {
    using C = decltype(combo);
    const auto y_size = static_cast<std::ptrdiff_t>(sizeof(typename C::y));

    call_arguments c = mem.valid_call<C>(true);
    c.bias = moved(c.bias, y_size / 2);
    expect_status<C>(c, status::misaligned_pointer, "bias half an element of y off");
    c = mem.valid_call<C>(true);
    c.bias = moved(c.bias, y_size);
    EXPECT_EQ(validate(c), status::success) << name_of<C>();

    c = mem.valid_call<C>(true);
    c.scale = static_cast<const float*>(moved(c.scale, 2));
    expect_status<C>(c, status::misaligned_pointer, "scale at +2");
    c.bias = nullptr;  // a scale alone is checked too
    expect_status<C>(c, status::misaligned_pointer, "scale at +2, no bias");
    c = mem.valid_call<C>(true);
    c.scale = static_cast<const float*>(moved(c.scale, 4));
    EXPECT_EQ(validate(c), status::success) << name_of<C>();

    // Either may be null.
    c = mem.valid_call<C>(true);
    c.scale = nullptr;
    EXPECT_EQ(validate(c), status::success) << name_of<C>();
    c = mem.valid_call<C>(true);
    c.bias = nullptr;
    EXPECT_EQ(validate(c), status::success) << name_of<C>();
  });
}

TEST_F(MixedTypes, ElementTypesOutOfRangeAreInvalidEnums) {
  for (int operand = 0; operand < 3; ++operand) {
    for (int value : {7, 8, 255}) {
      call_arguments c = mem.valid_call(dtype::f16, dtype::f32, dtype::f32);
      (operand == 0 ? c.a_type : operand == 1 ? c.x_type : c.y_type) = static_cast<dtype>(value);
      EXPECT_EQ(validate(c), status::invalid_enum) << "operand " << operand << ", dtype " << value;
      c.m = -1;  // the enumeration is checked first
      EXPECT_EQ(validate(c), status::invalid_enum) << "operand " << operand << ", dtype " << value;
    }
  }
}

// Byte offsets must fit in int64 with each operand's own element size: the
// same increments and leading dimension are valid for narrow elements and
// too large for wide ones.
TEST_F(MixedTypes, OffsetsAreCheckedWithEachOperandsElementSize) {
  for_each_combination([&](auto combo) {
    using C = decltype(combo);
    const auto check = [&](const call_arguments& c, std::size_t size, std::size_t widest_valid,
                           const char* what) {
      if (size <= widest_valid) {
        EXPECT_EQ(validate(c), status::success) << name_of<C>() << ": " << what;
      } else {
        expect_status<C>(c, status::invalid_size, what);
      }
    };
    // x of 3 elements, kMaxInt64 / 6 apart: about kMaxInt64 / 3 elements,
    // which fit in bytes for 1- and 2-byte elements only.
    call_arguments c = mem.valid_call<C>();
    c.n = 3;
    c.lda = 3;
    c.incx = kMaxInt64 / 6;
    check(c, sizeof(typename C::x), 2, "incx of 3 x elements");
    c = mem.valid_call<C>();
    c.m = 3;
    c.incy = -(kMaxInt64 / 6);
    check(c, sizeof(typename C::y), 2, "incy of 3 y elements");
    // Two rows kMaxInt64 / 2 elements apart: fits in bytes for 1-byte A only.
    c = mem.valid_call<C>();
    c.m = 2;
    c.n = 1;
    c.lda = kMaxInt64 / 2;
    check(c, sizeof(typename C::a), 1, "lda of two rows");
  });
}

TEST_F(MixedTypes, NullPointersThatWouldBeRead) {
  for_each_combination([&](auto combo) {
    using C = decltype(combo);
    call_arguments c = mem.valid_call<C>(true);
    c.y = nullptr;
    expect_status<C>(c, status::null_pointer, "y null");
    c = mem.valid_call<C>(true);
    c.A = nullptr;
    expect_status<C>(c, status::null_pointer, "A null");
    c = mem.valid_call<C>();
    c.x = nullptr;
    expect_status<C>(c, status::null_pointer, "x null");
    // alpha 0: y = act(bias) + beta * y reads neither A nor x.
    c = mem.valid_call<C>(true);
    c.alpha = 0.0;
    c.A = nullptr;
    c.x = nullptr;
    EXPECT_EQ(validate(c), status::success) << name_of<C>();
  });
}

TEST_F(MixedTypes, QuickReturnsNeedNoDevice) {
  for_each_combination([&](auto combo) {
    using C = decltype(combo);
    for (op trans : {op::n, op::t}) {
      for (bool with_epilogue : {false, true}) {
        // No outputs: nothing to write, with a bias or without; nothing is
        // read either, so every pointer may be null or misaligned.
        call_arguments c = mem.valid_call<C>(with_epilogue);
        c.trans = trans;
        (trans == op::n ? c.m : c.n) = 0;
        c.lda = std::max<std::int64_t>(1, c.n);
        c.A = c.x = nullptr;
        if (with_epilogue) c.bias = moved(c.bias, 1);
        c.y = nullptr;
        expect_status<C>(c, status::success, "no outputs");
      }
      // Without a bias, an empty reduction and alpha == 0 with beta == 1
      // return at once too, a scale and an activation notwithstanding.
      call_arguments c = mem.valid_call<C>(true);
      c.bias = nullptr;
      c.trans = trans;
      (trans == op::n ? c.n : c.m) = 0;
      c.lda = std::max<std::int64_t>(1, c.n);
      c.y = nullptr;
      expect_status<C>(c, status::success, "empty reduction, no bias");
      c = mem.valid_call<C>(true);
      c.bias = nullptr;
      c.alpha = 0.0;
      c.beta = 1.0;
      c.A = c.x = c.y = nullptr;
      expect_status<C>(c, status::success, "alpha 0, beta 1, no bias");
    }
  });
}

// With a bias neither returns early: y must be written, so a null y is an
// error where it was a quick return.
TEST_F(MixedTypes, ABiasTurnsQuickReturnsIntoCalls) {
  for_each_combination([&](auto combo) {
    using C = decltype(combo);
    call_arguments c = mem.valid_call<C>(true);
    c.n = 0;
    c.lda = 1;
    c.y = nullptr;
    expect_status<C>(c, status::null_pointer, "empty reduction with a bias, y null");
    c = mem.valid_call<C>(true);
    c.alpha = 0.0;
    c.beta = 1.0;
    c.y = nullptr;
    expect_status<C>(c, status::null_pointer, "alpha 0, beta 1 with a bias, y null");
    c = mem.valid_call<C>(true);
    c.alpha = 0.0;
    c.beta = 1.0;
    c.bias = moved(c.bias, 1);
    expect_status<C>(c, status::misaligned_pointer, "bias one byte off, alpha 0, beta 1");
  });
}

}  // namespace
}  // namespace gemv::test
