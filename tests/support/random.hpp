#pragma once
// Random test inputs: reproducible from a seed, and fast enough for the
// multi-gigabyte problems (filled in parallel).

#include "support/element.hpp"
#include "support/parallel.hpp"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string_view>
#include <type_traits>

namespace gemv::test {

/// Values are drawn uniformly from [lo, hi) and then rounded to the element type.
struct value_range {
  double lo = -1.0;
  double hi = 1.0;
};

/// A stable seed from a name (FNV-1a), so each test draws different inputs
/// and a failure reproduces on every run.
inline std::uint64_t seed_from(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return h;
}

/// splitmix64's finaliser: nearby inputs give unrelated generator seeds.
constexpr std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// Fills out[0, count) with uniform values. Each chunk of 2^16 elements has
/// its own std::mt19937_64 seeded from (seed, chunk), so the values depend on
/// the seed only, not on how many threads fill them.
template <class T>
void fill_uniform(T* out, std::int64_t count, std::uint64_t seed, value_range range) {
  constexpr std::int64_t kChunk = std::int64_t{1} << 16;
  const std::int64_t chunks = (count + kChunk - 1) / kChunk;
  parallel_for(chunks, [&](std::int64_t chunk) {
    std::mt19937_64 gen(mix(seed + 0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>(chunk + 1)));
    const std::int64_t end = std::min(count, (chunk + 1) * kChunk);
    for (std::int64_t i = chunk * kChunk; i < end; ++i) {
      if constexpr (std::is_same_v<T, double>) {
        // 53 random bits: values float cannot hold, so a double operand
        // narrowed to float anywhere shows in the result.
        const double u = static_cast<double>(gen() >> 11) * 0x1p-53;
        out[i] = range.lo + (range.hi - range.lo) * u;
      } else {
        // 24 random bits: u is exact in float and lies in [0, 1).
        const double u = static_cast<double>(gen() >> 40) * 0x1p-24;
        const auto v = static_cast<float>(range.lo + (range.hi - range.lo) * u);
        out[i] = element<T>::from_float(v);
      }
    }
  });
}

}  // namespace gemv::test
