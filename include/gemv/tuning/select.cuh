#pragma once
// Maps a compute capability to its tuning table, falling through with `cc >=`.

#include <gemv/tuning/generic.cuh>
#include <gemv/tuning/sm89.cuh>
#include <gemv/tuning/sm90.cuh>

namespace gemv::tuning {

/// The newest table at or below `arch`: a card newer than every table
/// inherits the newest one (sm_100 and sm_120 run the sm_90 table), one
/// older than all of them gets `generic`.
constexpr const table& for_arch(int arch) noexcept {
  if (arch >= 90) return sm90;
  if (arch >= 89) return sm89;
  return generic;
}

/// Every table, so tests can run each entry whatever the card.
inline constexpr const table* all_tables[] = {&sm89, &sm90, &generic};

}  // namespace gemv::tuning
