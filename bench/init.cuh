#pragma once
// Random inputs generated on the device: a counter-based hash of the element
// index, so a fill is one pass at memory speed and always gives the same
// values for the same seed.

#include <gemv/types.cuh>

#include <cuda_runtime.h>

#include <cstdint>

namespace gemv::bench {

/// Values uniform in [-range, range), rounded to the nearest value of type
/// `grid` (integers for i8, saturating at its largest finite value).
struct value_set {
  dtype grid = dtype::f32;
  float range = 1.0f;
};

/// The values a type's inputs take: [-1, 1) for the float types; the whole
/// finite range of the 8-bit types (e4m3 +-448, e5m2 +-57344, i8 -127..127),
/// as quantized weights use it.
constexpr value_set natural_values(dtype t) {
  switch (t) {
    case dtype::e4m3: return {t, 448.0f};
    case dtype::e5m2: return {t, 57344.0f};
    case dtype::i8: return {t, 127.0f};
    default: return {t, 1.0f};
  }
}

/// The scale that maps the natural values of `t` onto [-1, 1]: the
/// per-tensor dequantization scale of 8-bit weights, 1 for the others.
constexpr float per_tensor_scale(dtype t) { return 1.0f / natural_values(t).range; }

/// Writes `count` elements of type `stored` drawn from `values`. The same
/// seed gives the same numbers whatever `stored` is, as long as it holds
/// every value of the grid exactly: an e4m3 grid stored as bf16 holds
/// exactly what an e4m3 buffer with the same seed holds.
void fill_random(void* data, dtype stored, value_set values, std::int64_t count,
                 std::uint64_t seed, cudaStream_t stream);

}  // namespace gemv::bench
