// workspace_size() is an upper bound: the scratch of the plan a call gets,
// whatever its pointers' alignment, increments and leading dimension, never
// exceeds what workspace_size() reports for the shape (detail::workspace_bound
// on the same device facts), and never kMaxWorkspaceBytes.

#include <gemv/api.cuh>

#include <gtest/gtest.h>

#include <cstdint>

namespace gemv::test {
namespace {

constexpr device_info kDevices[] = {{89, 128, 1536}, {90, 132, 2048}, {80, 108, 2048}};

TEST(WorkspaceBound, CoversEveryAlignmentIncrementAndLeadingDimension) {
  const std::int64_t sizes[] = {1, 7, 64, 100, 1000, 4096, 65537, 1 << 20, 1 << 24};
  // Fake addresses, never dereferenced: 256-aligned, and one element off.
  const auto address = [](std::uintptr_t offset) { return reinterpret_cast<const void*>(0x10000 + offset); };
  int checked = 0, split = 0;
  for (const device_info& dev : kDevices) {
    for (dtype type : {dtype::f32, dtype::f16, dtype::bf16}) {
      const std::uintptr_t esize = static_cast<std::uintptr_t>(size_of(type));
      for (layout lay : {layout::row_major, layout::col_major}) {
        for (op trans : {op::n, op::t}) {
          for (std::int64_t m : sizes) {
            for (std::int64_t n : sizes) {
              if (m * n > (std::int64_t{1} << 28)) continue;
              const std::size_t bound = detail::workspace_bound(lay, trans, m, n, type, dev);
              EXPECT_LE(bound, kMaxWorkspaceBytes);
              const std::int64_t run = lay == layout::row_major ? n : m;
              for (std::int64_t pad : {0, 1, 8}) {
                for (std::uintptr_t a_off : {std::uintptr_t{0}, esize}) {
                  for (std::uintptr_t x_off : {std::uintptr_t{0}, esize}) {
                    for (std::int64_t incx : {1, 2, -1}) {
                      const problem prob = describe(lay, trans, m, n, type, address(a_off), run + pad,
                                                    address(4096 + x_off), incx);
                      const plan pl = make_plan(prob, dev);
                      ++checked;
                      split += pl.splits > 1;
                      ASSERT_LE(pl.workspace_bytes(), bound)
                          << to_string(pl) << " arch " << dev.arch << " m " << m << " n " << n;
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(split, checked / 20) << "the sweep must reach split plans";
}

}  // namespace
}  // namespace gemv::test
