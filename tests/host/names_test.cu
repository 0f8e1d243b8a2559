// Every enumerator has a printable name, and plans print all their fields.

#include <gemv/dispatch/make_plan.cuh>

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

namespace gemv::test {
namespace {

TEST(Names, EveryStatusIsNamedAfterItsEnumerator) {
  const std::pair<status, const char*> names[] = {
      {status::success, "success"},
      {status::invalid_enum, "invalid_enum"},
      {status::invalid_size, "invalid_size"},
      {status::invalid_leading_dimension, "invalid_leading_dimension"},
      {status::invalid_increment, "invalid_increment"},
      {status::null_pointer, "null_pointer"},
      {status::misaligned_pointer, "misaligned_pointer"},
      {status::insufficient_workspace, "insufficient_workspace"},
      {status::invalid_plan, "invalid_plan"},
      {status::device_error, "device_error"},
      {status::allocation_failed, "allocation_failed"},
      {status::launch_failed, "launch_failed"},
      {status::kernel_unavailable, "kernel_unavailable"},
      {status::invalid_batch, "invalid_batch"},
      {status::overlapping_outputs, "overlapping_outputs"},
      {status::invalid_vector_count, "invalid_vector_count"},
  };
  for (const auto& [s, name] : names) EXPECT_STREQ(to_string(s), name);

  // The list above is complete: the enumerators are 0..N-1 and the next value
  // is unknown. A status added without a name fails here.
  std::set<std::string> seen;
  int count = 0;
  for (int v = 0; v < 256; ++v) {
    const char* name = to_string(static_cast<status>(v));
    ASSERT_NE(name, nullptr);
    if (std::string(name) == "unknown_status") break;
    EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
    ++count;
  }
  EXPECT_EQ(count, static_cast<int>(std::size(names)));
  EXPECT_STREQ(to_string(static_cast<status>(255)), "unknown_status");
  static_assert(to_string(status::invalid_plan)[0] == 'i', "to_string(status) is constexpr");
}

TEST(Names, TypesReductionsAndKernels) {
  EXPECT_STREQ(to_string(dtype::f32), "f32");
  EXPECT_STREQ(to_string(dtype::f16), "f16");
  EXPECT_STREQ(to_string(dtype::bf16), "bf16");
  EXPECT_STREQ(to_string(static_cast<dtype>(9)), "unknown_dtype");
  EXPECT_STREQ(to_string(reduction::along_rows), "along_rows");
  EXPECT_STREQ(to_string(reduction::across_rows), "across_rows");
  EXPECT_STREQ(to_string(kernel_kind::row_warp), "row_warp");
  EXPECT_STREQ(to_string(kernel_kind::row_block), "row_block");
  EXPECT_STREQ(to_string(kernel_kind::row_split_k), "row_split_k");
  EXPECT_STREQ(to_string(kernel_kind::row_subwarp), "row_subwarp");
  EXPECT_STREQ(to_string(kernel_kind::column), "column");
  EXPECT_STREQ(to_string(kernel_kind::scale_only), "scale_only");
  EXPECT_STREQ(to_string(kernel_kind::none), "none");
  EXPECT_STREQ(to_string(static_cast<kernel_kind>(77)), "unknown_kernel");
}

TEST(Names, PoliciesAndPlansPrintEveryField) {
  const policy p{kernel_kind::column, 256, 0, 16, 8, 3};
  EXPECT_EQ(to_string(p), "column{threads=256 rows=0 lanes=16 unroll=8 splits=3}");

  problem prob = describe(layout::row_major, op::n, 2, 100000, dtype::bf16, 100000);
  prob.vectorizable = true;
  const plan pl = make_plan(prob, device_info{90, 132, 2048},
                            policy{kernel_kind::row_split_k, 128, 2, 0, 4, 7});
  const std::string s = to_string(pl);
  for (const char* field : {"bf16", "along_rows", "2x100000", "ld=100000", "row_split_k",
                            "threads=128", "rows=2", "unroll=4", "splits=7", "split_length=14336",
                            "vec16"})
    EXPECT_NE(s.find(field), std::string::npos) << field << " missing from: " << s;
}

}  // namespace
}  // namespace gemv::test
