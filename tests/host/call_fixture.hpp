#pragma once
// A valid gemv call that tests change one argument at a time. The pointers
// point into host memory that is never dereferenced: validation only looks at
// their values.

#include <gemv/problem.cuh>

#include <cstdint>

namespace gemv::test {

struct raw_call {
  layout lay = layout::row_major;
  op trans = op::n;
  std::int64_t m = 3;
  std::int64_t n = 5;
  float alpha = 1.0f;
  const void* A = nullptr;
  std::int64_t lda = 5;
  const void* x = nullptr;
  std::int64_t incx = 1;
  float beta = 0.5f;
  void* y = nullptr;
  std::int64_t incy = 1;
  dtype type = dtype::f32;

  status validate() const {
    return gemv::validate(lay, trans, m, n, alpha, A, lda, x, incx, beta, y, incy, type);
  }
};

/// 16-byte aligned storage that the pointers of a raw_call point into.
struct fake_memory {
  alignas(16) unsigned char bytes[256] = {};

  /// A pointer `offset` bytes into the storage.
  void* at(std::size_t offset) { return bytes + offset; }

  raw_call valid_call(layout lay = layout::row_major, op trans = op::n, dtype type = dtype::f32) {
    raw_call c;
    c.lay = lay;
    c.trans = trans;
    c.type = type;
    c.lda = lay == layout::row_major ? c.n : c.m;
    c.A = at(0);
    c.x = at(64);
    c.y = at(128);
    return c;
  }
};

}  // namespace gemv::test
