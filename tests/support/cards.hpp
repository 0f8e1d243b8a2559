#pragma once
// Cards the host tests plan for, from their published limits (the H200's L2
// as its runtime reports it). Plans are pure arithmetic over device_info, so
// every card can be planned for on a machine with no GPU at all.

#include <gemv/plan.cuh>

#include <string_view>

namespace gemv::test {

struct card {
  const char* name;
  device_info dev;
};

inline constexpr card kCards[] = {
    // name          cc  SMs  threads  regs   shared/SM  L2 bytes    DRAM bytes/s  blocks/SM
    {"RTX 4090", {89, 128, 1536, 65536, 102400, 75497472, 1008e9, 24}},
    {"L40S", {89, 142, 1536, 65536, 102400, 100663296, 864e9, 24}},
    {"A100 40GB", {80, 108, 2048, 65536, 167936, 41943040, 1555e9, 32}},
    {"H100 SXM", {90, 132, 2048, 65536, 233472, 52428800, 3350e9, 32}},
    {"H200", {90, 132, 2048, 65536, 233472, 62914560, 4800e9, 32}},
    {"B200", {100, 148, 2048, 65536, 233472, 132120576, 8000e9, 32}},
};

/// The card of kCards called `name`, or nullptr.
constexpr const card* card_named(std::string_view name) noexcept {
  for (const card& c : kCards)
    if (name == c.name) return &c;
  return nullptr;
}

}  // namespace gemv::test
