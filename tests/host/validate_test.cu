// gemv::validate: every kind of bad input gets its own status, and pointers
// that a call would not dereference may be null. Pure host code.

#include "host/call_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>

namespace gemv::test {
namespace {

constexpr layout kLayouts[] = {layout::row_major, layout::col_major};
constexpr op kOps[] = {op::n, op::t};
constexpr dtype kTypes[] = {dtype::f32, dtype::f16, dtype::bf16};

class Validate : public ::testing::Test {
 protected:
  fake_memory mem;
};

TEST_F(Validate, AcceptsValidCallsInEveryLayoutOpAndType) {
  for (layout lay : kLayouts)
    for (op trans : kOps)
      for (dtype type : kTypes) EXPECT_EQ(mem.valid_call(lay, trans, type).validate(), status::success);
}

TEST_F(Validate, RejectsEnumeratorsOutOfRange) {
  raw_call c = mem.valid_call();
  c.lay = static_cast<layout>(2);
  EXPECT_EQ(c.validate(), status::invalid_enum);
  c = mem.valid_call();
  c.trans = static_cast<op>(2);
  EXPECT_EQ(c.validate(), status::invalid_enum);
  c = mem.valid_call();
  c.type = static_cast<dtype>(7);  // one past i8
  EXPECT_EQ(c.validate(), status::invalid_enum);
}

TEST_F(Validate, RejectsNegativeSizes) {
  for (layout lay : kLayouts) {
    raw_call c = mem.valid_call(lay);
    c.m = -1;
    EXPECT_EQ(c.validate(), status::invalid_size);
    c = mem.valid_call(lay);
    c.n = -1;
    EXPECT_EQ(c.validate(), status::invalid_size);
  }
}

TEST_F(Validate, RejectsOffsetsBeyondInt64) {
  constexpr std::int64_t big = std::int64_t{1} << 40;
  raw_call c = mem.valid_call();
  c.m = big;  // (m - 1) * lda overflows
  c.n = big;
  c.lda = big;
  EXPECT_EQ(c.validate(), status::invalid_size);

  c = mem.valid_call();
  c.incx = std::int64_t{1} << 62;  // (len - 1) * incx * sizeof(float) overflows
  EXPECT_EQ(c.validate(), status::invalid_size);
  c = mem.valid_call();
  c.incy = -(std::int64_t{1} << 62);
  EXPECT_EQ(c.validate(), status::invalid_size);

  c = mem.valid_call();  // the largest increment that still fits is fine
  c.incx = std::numeric_limits<std::int64_t>::max() / 4 / (c.n - 1) - 1;
  EXPECT_EQ(c.validate(), status::success);
}

TEST_F(Validate, LeadingDimensionIsCheckedAgainstTheStoredRowLength) {
  // Row-major: a stored row has n elements, whatever m is.
  raw_call c = mem.valid_call(layout::row_major);
  c.m = 7;
  c.n = 5;
  c.lda = 4;
  EXPECT_EQ(c.validate(), status::invalid_leading_dimension);
  c.lda = 5;
  EXPECT_EQ(c.validate(), status::success);
  c.lda = 6;
  EXPECT_EQ(c.validate(), status::success);

  // Column-major: a stored column has m elements.
  c = mem.valid_call(layout::col_major);
  c.m = 5;
  c.n = 7;
  c.lda = 4;
  EXPECT_EQ(c.validate(), status::invalid_leading_dimension);
  c.lda = 5;
  EXPECT_EQ(c.validate(), status::success);

  // Both ops, and lda >= 1 even for an empty row (BLAS: lda >= max(1, len)).
  for (layout lay : kLayouts) {
    for (op trans : kOps) {
      c = mem.valid_call(lay, trans);
      c.lda = (lay == layout::row_major ? c.n : c.m) - 1;
      EXPECT_EQ(c.validate(), status::invalid_leading_dimension);
      c = mem.valid_call(lay, trans);
      (lay == layout::row_major ? c.n : c.m) = 0;
      c.lda = 0;
      EXPECT_EQ(c.validate(), status::invalid_leading_dimension);
      c.lda = 1;
      EXPECT_EQ(c.validate(), status::success);
    }
  }
}

TEST_F(Validate, RejectsZeroIncrements) {
  raw_call c = mem.valid_call();
  c.incx = 0;
  EXPECT_EQ(c.validate(), status::invalid_increment);
  c = mem.valid_call();
  c.incy = 0;
  EXPECT_EQ(c.validate(), status::invalid_increment);
  c = mem.valid_call();
  c.incx = -3;  // negative increments are BLAS
  c.incy = -1;
  EXPECT_EQ(c.validate(), status::success);
}

TEST_F(Validate, RejectsNullPointersThatWouldBeDereferenced) {
  for (layout lay : kLayouts) {
    for (op trans : kOps) {
      raw_call c = mem.valid_call(lay, trans);
      c.A = nullptr;
      EXPECT_EQ(c.validate(), status::null_pointer);
      c = mem.valid_call(lay, trans);
      c.x = nullptr;
      EXPECT_EQ(c.validate(), status::null_pointer);
      c = mem.valid_call(lay, trans);
      c.y = nullptr;
      EXPECT_EQ(c.validate(), status::null_pointer);
      c.beta = 0.0f;  // y is written even when it is not read
      EXPECT_EQ(c.validate(), status::null_pointer);
    }
  }
}

TEST_F(Validate, AlphaZeroReadsNeitherAnorX) {
  for (layout lay : kLayouts) {
    for (op trans : kOps) {
      raw_call c = mem.valid_call(lay, trans);
      c.alpha = 0.0f;
      c.A = nullptr;
      c.x = nullptr;
      EXPECT_EQ(c.validate(), status::success);
      c.y = nullptr;  // y = beta * y is still written
      EXPECT_EQ(c.validate(), status::null_pointer);
    }
  }
}

TEST_F(Validate, NoOutputsIsAQuickReturnThatReadsNothing) {
  for (layout lay : kLayouts) {
    for (op trans : kOps) {
      raw_call c = mem.valid_call(lay, trans);
      (trans == op::n ? c.m : c.n) = 0;  // y is empty
      c.lda = std::max<std::int64_t>(1, lay == layout::row_major ? c.n : c.m);
      c.A = nullptr;
      c.x = nullptr;
      c.y = nullptr;
      EXPECT_EQ(c.validate(), status::success) << int(lay) << int(trans);
    }
  }
}

TEST_F(Validate, EmptyReductionIsAQuickReturn) {
  // n == 0 with op n (m == 0 with op t): BLAS returns at once, y untouched,
  // so no pointer is read and none is checked; the sizes still are.
  for (layout lay : kLayouts) {
    for (op trans : kOps) {
      raw_call c = mem.valid_call(lay, trans);
      (trans == op::n ? c.n : c.m) = 0;
      c.lda = std::max<std::int64_t>(1, lay == layout::row_major ? c.n : c.m);
      c.A = nullptr;
      c.x = nullptr;
      EXPECT_EQ(c.validate(), status::success);
      c.y = nullptr;
      EXPECT_EQ(c.validate(), status::success);
      c.lda = 0;
      EXPECT_EQ(c.validate(), status::invalid_leading_dimension);
    }
  }
}

TEST_F(Validate, AlphaZeroBetaOneIsAQuickReturn) {
  // y = 0 * op(A) x + 1 * y: nothing is read or written, pointers unchecked.
  raw_call c = mem.valid_call(layout::row_major, op::n);
  c.alpha = 0.0f;
  c.beta = 1.0f;
  c.A = c.x = nullptr;
  c.y = nullptr;
  EXPECT_EQ(c.validate(), status::success);
  c.incy = 0;
  EXPECT_EQ(c.validate(), status::invalid_increment);
  // Any other beta writes y, which must then be valid.
  c = mem.valid_call(layout::row_major, op::n);
  c.alpha = 0.0f;
  c.beta = 0.5f;
  c.A = c.x = nullptr;
  EXPECT_EQ(c.validate(), status::success);
  c.y = nullptr;
  EXPECT_EQ(c.validate(), status::null_pointer);
}

TEST_F(Validate, RejectsPointersNotAlignedToTheElementType) {
  for (dtype type : kTypes) {
    const std::size_t misaligned = type == dtype::f32 ? 2 : 1;
    raw_call c = mem.valid_call(layout::row_major, op::n, type);
    c.A = mem.at(misaligned);
    EXPECT_EQ(c.validate(), status::misaligned_pointer) << to_string(type);
    c = mem.valid_call(layout::row_major, op::n, type);
    c.x = mem.at(64 + misaligned);
    EXPECT_EQ(c.validate(), status::misaligned_pointer) << to_string(type);
    c = mem.valid_call(layout::row_major, op::n, type);
    c.y = mem.at(128 + misaligned);
    EXPECT_EQ(c.validate(), status::misaligned_pointer) << to_string(type);

    // Aligned to the element but not to 16 bytes: valid (the scalar path).
    const std::size_t element = type == dtype::f32 ? 4 : 2;
    c = mem.valid_call(layout::row_major, op::n, type);
    c.A = mem.at(element);
    c.x = mem.at(64 + element);
    c.y = mem.at(128 + element);
    EXPECT_EQ(c.validate(), status::success) << to_string(type);

    // Pointers that are not read are not checked.
    c = mem.valid_call(layout::row_major, op::n, type);
    c.alpha = 0.0f;
    c.A = mem.at(misaligned);
    c.x = mem.at(64 + misaligned);
    EXPECT_EQ(c.validate(), status::success) << to_string(type);
  }
}

}  // namespace
}  // namespace gemv::test
