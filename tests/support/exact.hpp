#pragma once
// Integer-valued problems whose every correct evaluation is exact: a
// dropped, doubled or misplaced term is then a wrong bit, whatever the
// reduction length. Host only.

#include "support/edge_cases.hpp"
#include "support/operands.hpp"

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace gemv::test {

/// The values A and x take in exact problems: no zero, so every term counts.
inline constexpr float kExactFactors[] = {-2.0f, -1.0f, 1.0f, 2.0f};

/// Largest |op(A) x|, per output, that exact problems keep: 2^(p - 2) for
/// T's p mantissa bits (bfloat16 32, half 256, float 2^21).
template <class T>
constexpr std::int64_t exact_dot_limit() {
  return std::int64_t{1} << (element<T>::mantissa_bits - 2);
}

/// Operands laid out as make_operands() lays them out (poison everywhere a
/// call must not look), with A and x drawn from kExactFactors and y (when
/// beta != 0) from {-2, ..., 2}. Then every output whose dot product exceeds
/// exact_dot_limit<T>() has the signs of some of its terms flipped, those
/// that push it outwards, until it does not.
///
/// Why every result is exact, for alpha and beta in {0, +-0.5, 1, 2}: each
/// product is an integer of magnitude <= 4 and every partial sum of one
/// output an integer below 4 * length < 2^24 (lengths here stay below 4
/// million), exact in float however the terms are grouped; the combinations
/// in double are exact too. |alpha * dot| <= 2^(p - 1) and |beta * y| <= 4,
/// multiples of 0.5 below 2^p in magnitude, which T holds exactly.
template <class T>
operands<T> make_exact_operands(const call_args& args, std::int64_t shift, std::uint64_t seed) {
  operands<T> ops = make_operands<T>(args, shift, seed);
  std::mt19937_64 gen(mix(seed ^ 0x5eed));
  const auto factor = [&] { return element<T>::from_float(kExactFactors[gen() % 4]); };
  const std::int64_t outputs = args.y_len(), length = args.x_len();
  for (std::int64_t r = 0; r < length; ++r) ops.x_at(r) = factor();
  for (std::int64_t o = 0; o < outputs; ++o)
    for (std::int64_t r = 0; r < length; ++r) ops.a_at(o, r) = factor();
  if (args.beta != 0.0f)
    for (std::int64_t o = 0; o < outputs; ++o)
      ops.y_at(o) = element<T>::from_float(static_cast<float>(static_cast<int>(gen() % 5) - 2));

  const std::int64_t limit = exact_dot_limit<T>();
  for (std::int64_t o = 0; o < outputs; ++o) {
    std::int64_t dot = 0;
    for (std::int64_t r = 0; r < length; ++r)
      dot += std::llround(to_double(ops.a_at(o, r)) * to_double(ops.x_at(r)));
    // Each flip moves dot by at most 8 towards 0: it stops inside the limit.
    for (std::int64_t r = 0; r < length && std::llabs(dot) > limit; ++r) {
      const std::int64_t term = std::llround(to_double(ops.a_at(o, r)) * to_double(ops.x_at(r)));
      if ((term > 0) != (dot > 0)) continue;
      ops.a_at(o, r) = element<T>::from_float(-static_cast<float>(to_double(ops.a_at(o, r))));
      dot -= 2 * term;
    }
  }
  return ops;
}

/// The cases exact tests run for reduction `kind`: the edge shapes and the
/// shapes around the vector width, aligned and misaligned, every increment,
/// alpha and beta of edge_cases().
inline std::vector<edge_case> exact_cases(reduction kind, dtype type, int every = 1) {
  std::vector<std::pair<std::int64_t, std::int64_t>> shapes = edge_shapes();
  for (const auto& s : vector_width_shapes(type)) shapes.push_back(s);
  return cases_for(shapes, kind, type, every);
}

}  // namespace gemv::test
