// The long form's validation, and how device scalars change what the host
// may decide: host arithmetic only, no device needed.

#include <gemv/gemv.hpp>

#include "support/fake_address.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace gemv {
namespace {

// Addresses that are never dereferenced: validation looks at values only.
using test::fake;

arguments<__half, float, float> valid_call() {
  arguments<__half, float, float> a;
  a.m = 64;
  a.n = 96;
  a.lda = 96;
  a.A = fake<const __half>(0x10000);
  a.x = fake<const float>(0x20000);
  a.y = fake<float>(0x30000);
  return a;
}

TEST(Arguments, CanImplementIsValidationOfEveryField) {
  EXPECT_EQ(can_implement(valid_call()), status::success);
  auto a = valid_call();
  a.lda = 95;
  EXPECT_EQ(can_implement(a), status::invalid_leading_dimension);
  a = valid_call();
  a.incx = 0;
  EXPECT_EQ(can_implement(a), status::invalid_increment);
  a = valid_call();
  a.x = fake<const float>(0x20002);  // float x beside half A: x's own alignment
  EXPECT_EQ(can_implement(a), status::misaligned_pointer);
  a = valid_call();
  a.ep.bias = fake<const float>(0x40001);
  EXPECT_EQ(can_implement(a), status::misaligned_pointer);
  a = valid_call();
  a.beta_on_device = fake<const float>(0x50002);
  EXPECT_EQ(can_implement(a), status::misaligned_pointer);
  arguments<double> d;
  d.m = d.n = d.lda = 8;
  d.A = fake<const double>(0x10000);
  d.x = fake<const double>(0x20000);
  d.y = fake<double>(0x30000);
  d.alpha_on_device = fake<const double>(0x50004);  // double scalars: 8 bytes
  EXPECT_EQ(can_implement(d), status::misaligned_pointer);
  d.alpha_on_device = fake<const double>(0x50008);
  EXPECT_EQ(can_implement(d), status::success);
}

// choose_plan(arguments) sees what the short form's choose_plan cannot: a
// bias turns a quick return into a call that writes y. Checked before any
// device query, so it runs without a GPU: the quick return's plan is made
// on the host alone.
TEST(Arguments, ChoosePlanOfTheLongFormSeesTheEpilogue) {
  auto a = valid_call();
  a.alpha = 0.0f;
  a.beta = 1.0f;
  plan pl;
  ASSERT_EQ(choose_plan(a, pl), status::success);
  EXPECT_EQ(pl.pol.kernel, kernel_kind::none);  // BLAS's quick return
  a.ep.bias = fake<const float>(0x40000);
  pl = plan{};
  const status s = choose_plan(a, pl);  // needs the device now
  if (s == status::success) {
    EXPECT_EQ(pl.pol.kernel, kernel_kind::scale_only);
  } else {
    EXPECT_EQ(s, status::device_error);
  }
}

// With alpha on the device the host cannot know it is 0: A and x are always
// checked, and only an empty problem returns early.
TEST(Arguments, DeviceScalarsKeepTheHostFromDecidingOnTheirValues) {
  call_arguments c;
  c.m = 10;
  c.n = 20;
  c.lda = 20;
  c.alpha = 0.0;
  c.beta = 1.0;
  c.y = fake<const void>(0x30000);
  EXPECT_TRUE(c.quick_return());
  EXPECT_EQ(validate(c), status::success);  // A and x never read
  c.alpha_on_device = fake<const void>(0x50000);
  EXPECT_FALSE(c.quick_return());
  EXPECT_FALSE(c.alpha_is_zero());
  EXPECT_EQ(validate(c), status::null_pointer);  // A and x will be read
  c.alpha_on_device = nullptr;
  c.beta_on_device = fake<const void>(0x50000);
  EXPECT_FALSE(c.quick_return());
  EXPECT_TRUE(c.alpha_is_zero());
  EXPECT_EQ(validate(c), status::success);
  c.m = 0;
  EXPECT_TRUE(c.quick_return());  // nothing to write, whatever the scalars
}

}  // namespace
}  // namespace gemv
