#pragma once
// Maps a compute capability to its tuning table.

#include <gemv/tuning/generic.cuh>
#include <gemv/tuning/sm89.cuh>
#include <gemv/tuning/sm90.cuh>

namespace gemv::tuning {

constexpr const table& for_arch(int arch) noexcept {
  if (arch == 89) return sm89;
  if (arch == 90) return sm90;
  return generic;
}

/// Every table, so tests can run each entry whatever the card.
inline constexpr const table* all_tables[] = {&sm89, &sm90, &generic};

}  // namespace gemv::tuning
