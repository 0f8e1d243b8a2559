// Properties every plan must have, over a sweep of shapes, types, devices
// and forced policies: scratch within kMaxWorkspaceBytes, split pieces that
// cover the reduction exactly once, grids the hardware can launch, and
// policies that name compiled kernels.

#include "support/cards.hpp"

#include <gemv/dispatch/make_plan.cuh>
#include <gemv/kernels/row_staged.cuh>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gemv::test {
namespace {

constexpr device_info kDevices[] = {kCards[0].dev, kCards[3].dev, kCards[2].dev};  // 4090, H100, A100

/// 1, 2, 3 and every power of two up to 2^26, with odd neighbours.
std::vector<std::int64_t> sweep_sizes() {
  std::vector<std::int64_t> v = {1, 2, 3, 5, 7};
  for (std::int64_t p = 8; p <= (std::int64_t{1} << 26); p *= 2) {
    v.push_back(p - 1);
    v.push_back(p);
    v.push_back(p + 1);
  }
  return v;
}

/// Every (type, reduction, alignment, rows, cols) with at most 2^34 elements.
template <class F>
void for_each_problem(F&& f) {
  const std::vector<std::int64_t> sizes = sweep_sizes();
  for (dtype type : {dtype::f32, dtype::f16, dtype::bf16})
    for (reduction kind : {reduction::along_rows, reduction::across_rows})
      for (bool vectorizable : {false, true})
        for (std::int64_t rows : sizes)
          for (std::int64_t cols : sizes) {
            if (rows > (std::int64_t{1} << 34) / cols) continue;
            problem p;
            p.kind = kind;
            p.type = type;
            p.rows = rows;
            p.cols = cols;
            p.ld = cols;
            p.vectorizable = vectorizable;
            f(p);
          }
}

/// Checks one plan; returns a description of the first broken property.
std::string broken_property(const plan& pl) {
  const problem& p = pl.prob;
  const std::int64_t length = p.reduction_length();
  if (pl.workspace_bytes() > kMaxWorkspaceBytes) return "workspace above kMaxWorkspaceBytes";
  if (pl.splits < 1 || pl.splits > 65535) return "splits outside [1, 65535] (gridDim.y)";
  if (pl.pol.splits != pl.splits) return "policy and plan disagree on splits";
  if (pl.pol.kernel == kernel_kind::scale_only) return "";
  if (!is_supported(pl.pol, p.kind)) return "bound policy is not supported";
  if (pl.vectorized != p.vectorizable) return "vectorized differs from the problem";
  if (pl.joined && (pl.vectorized || pl.staged || !p.x_contiguous || pl.pol.rows != 1 || pl.pol.unroll != 4 ||
                    (pl.pol.kernel != kernel_kind::row_block && pl.pol.kernel != kernel_kind::row_split_k)))
    return "joined plan outside one-row, four-load row blocks on the element-wise path with contiguous x";
  if (pl.split_length < 1) return "empty split pieces";
  // Pieces cover the reduction, and none is empty: s * len >= L > (s - 1) * len.
  if (pl.splits * pl.split_length < length) return "split pieces do not cover the reduction";
  if ((pl.splits - 1) * pl.split_length >= length) return "last split piece is empty";
  if (pl.splits == 1 && pl.split_length != length) return "unsplit plan with a partial length";
  if (pl.pol.kernel == kernel_kind::row_split_k && pl.splits > 1 &&
      pl.split_length % detail::kSplitGranule != 0)
    return "split-K pieces do not start on 16-byte boundaries";
  if (pl.pol.kernel == kernel_kind::column && pl.pol.threads % pl.pol.lanes != 0)
    return "column block is not a whole number of slices";
  if (pl.splits > 1 && pl.pol.kernel != kernel_kind::row_split_k &&
      pl.pol.kernel != kernel_kind::column)
    return "a kernel without a split pass was given splits";
  // gridDim.x of every kernel is below 2^31.
  const std::int64_t per_block = pl.pol.kernel == kernel_kind::row_warp
                                     ? pl.pol.threads / 32 * pl.pol.rows
                                     : pl.pol.kernel == kernel_kind::row_subwarp
                                           ? pl.pol.threads / pl.pol.lanes * pl.pol.unroll
                                           : pl.pol.kernel == kernel_kind::column
                                                 ? pl.pol.lanes
                                                 : pl.pol.rows;
  if (p.outputs() / per_block >= (std::int64_t{1} << 31) - 1) return "grid too large";
  return "";
}

TEST(PlanInvariants, DefaultPlansOverASweepOfShapes) {
  std::int64_t checked = 0, failures = 0;
  for (const device_info& dev : kDevices) {
    for_each_problem([&](const problem& p) {
      const plan pl = make_plan(p, dev);
      const std::string broken = broken_property(pl);
      ++checked;
      if (!broken.empty() && ++failures <= 10)
        ADD_FAILURE() << broken << ": arch " << dev.arch << " " << to_string(pl);
    });
  }
  EXPECT_EQ(failures, 0) << "of " << checked << " plans";
  EXPECT_GT(checked, 10000);
}

/// What a plan's blocks ask of an SM: threads, and dynamic shared memory
/// (launch.cuh). Empty when every card of kCards can run it: a plan made for
/// one card must not need another's larger limits.
std::string beyond_some_card(const plan& pl) {
  const int threads = pl.staged ? detail::kStagedRows : pl.pol.threads;
  const int esize = size_of(pl.prob.type);
  std::int64_t shared = 0;
  if (pl.staged) shared = detail::staged_bytes(static_cast<int>(pl.prob.cols), esize);
  if (pl.pol.kernel == kernel_kind::column) shared = std::int64_t{threads} * (16 / esize) * 8;
  if (threads > 1024) return "more than 1024 threads a block";
  if (shared > 48 * 1024) return "more than the 48 KB of shared memory a block gets without opting in";
  for (const card& c : kCards) {
    if (threads > c.dev.max_threads_per_sm) return std::string("a block larger than an SM of the ") + c.name;
    if (shared > c.dev.shared_bytes_per_sm) return std::string("more shared memory than an SM of the ") + c.name;
  }
  return "";
}

// Every card, its table chosen by the cc >= fall-through (the B200 runs the
// sm_90 table): every default plan keeps the invariants and fits every card.
TEST(PlanInvariants, DefaultPlansOnEveryCardFitEveryCard) {
  std::int64_t checked = 0, failures = 0;
  for (const card& c : kCards) {
    for_each_problem([&](const problem& p) {
      const plan pl = make_plan(p, c.dev);
      std::string broken = broken_property(pl);
      if (broken.empty()) broken = beyond_some_card(pl);
      ++checked;
      if (!broken.empty() && ++failures <= 10) ADD_FAILURE() << broken << ": " << c.name << " " << to_string(pl);
    });
  }
  EXPECT_EQ(failures, 0) << "of " << checked << " plans";
}

TEST(PlanInvariants, ForcedPoliciesWithExplicitSplits) {
  const std::vector<policy> forced = {
      {kernel_kind::row_split_k, 256, 1, 0, 4, 0},   {kernel_kind::row_split_k, 512, 2, 0, 2, 3},
      {kernel_kind::row_split_k, 128, 4, 0, 4, 7},   {kernel_kind::row_split_k, 1024, 1, 0, 2, 65535},
      {kernel_kind::column, 256, 0, 32, 8, 0},       {kernel_kind::column, 128, 0, 1, 4, 3},
      {kernel_kind::column, 64, 0, 16, 4, 7},        {kernel_kind::column, 1024, 0, 32, 8, 100000},
      {kernel_kind::row_warp, 32, 4, 0, 2, 0},       {kernel_kind::row_block, 1024, 2, 0, 4, 0},
      {kernel_kind::row_subwarp, 64, 0, 1, 2, 0},    {kernel_kind::row_subwarp, 256, 0, 16, 4, 0},
  };
  std::int64_t failures = 0;
  for (const device_info& dev : kDevices) {
    for_each_problem([&](const problem& p) {
      for (const policy& pol : forced) {
        if (!is_supported(pol, p.kind)) continue;
        const plan pl = make_plan(p, dev, pol);
        const std::string broken = broken_property(pl);
        if (!broken.empty() && ++failures <= 10)
          ADD_FAILURE() << broken << ": forced " << to_string(pol) << " -> " << to_string(pl);
      }
    });
  }
  EXPECT_EQ(failures, 0);
}

TEST(PlanInvariants, ExplicitSplitsAreHonouredWhenTheReductionAllowsThem) {
  problem p;
  p.type = dtype::f32;
  p.rows = 33;
  p.cols = 100003;
  p.ld = p.cols;
  for (int splits : {3, 7}) {
    const plan pl = make_plan(p, kDevices[1], policy{kernel_kind::row_split_k, 256, 1, 0, 4, splits});
    EXPECT_EQ(pl.splits, splits) << to_string(pl);
  }
  p.kind = reduction::across_rows;  // 100003 rows for 33 outputs
  std::swap(p.rows, p.cols);
  p.ld = p.cols;
  for (int splits : {3, 7}) {
    const plan pl = make_plan(p, kDevices[1], policy{kernel_kind::column, 256, 0, 32, 4, splits});
    EXPECT_EQ(pl.splits, splits) << to_string(pl);
  }
}

TEST(TuningTables, EveryPolicyIsSupported) {
  for (const tuning::table* t : tuning::all_tables) {
    SCOPED_TRACE(t->name);
    EXPECT_TRUE(is_supported(t->row_warp, reduction::along_rows)) << to_string(t->row_warp);
    EXPECT_TRUE(is_supported(t->row_block, reduction::along_rows)) << to_string(t->row_block);
    policy split = t->row_block;  // what make_plan runs for split-K
    split.kernel = kernel_kind::row_split_k;
    EXPECT_TRUE(is_supported(split, reduction::along_rows)) << to_string(split);
    EXPECT_TRUE(is_supported(t->row_subwarp, reduction::along_rows)) << to_string(t->row_subwarp);
    EXPECT_TRUE(is_supported(t->column, reduction::across_rows)) << to_string(t->column);
    EXPECT_TRUE(is_supported(t->column_whole, reduction::across_rows)) << to_string(t->column_whole);
  }
}

TEST(TuningTables, PoliciesAreOfTheirFamily) {
  for (const tuning::table* t : tuning::all_tables) {
    SCOPED_TRACE(t->name);
    EXPECT_EQ(t->row_warp.kernel, kernel_kind::row_warp);
    EXPECT_EQ(t->row_block.kernel, kernel_kind::row_block);
    EXPECT_EQ(t->row_subwarp.kernel, kernel_kind::row_subwarp);
    EXPECT_EQ(t->column.kernel, kernel_kind::column);
    EXPECT_EQ(t->column_whole.kernel, kernel_kind::column);
    EXPECT_EQ(t->column_whole.splits, 1) << "column_whole walks every row";
    EXPECT_GE(t->column_whole.lanes, detail::kMinWholeColumnLanes);
    EXPECT_GT(t->column_whole_min_wave_pct, 0);
    EXPECT_GT(t->column_whole_max_rows, 0);
    EXPECT_GT(t->subwarp_max_row_bytes, 0);
    EXPECT_GT(t->short_row_bytes, t->subwarp_max_row_bytes);
    EXPECT_GE(t->max_block_bytes, t->min_split_bytes);
    EXPECT_GT(t->split_waves, 0);
    EXPECT_GT(t->min_split_bytes, 0);
    // The model's latency is a DRAM latency under load (hundreds of ns to a
    // few us), and its smallest block a power of two the row kernels take.
    EXPECT_GE(t->loaded_latency_ns, 300);
    EXPECT_LE(t->loaded_latency_ns, 5000);
    EXPECT_GE(t->row_block_min_threads, 32);
    EXPECT_LE(t->row_block_min_threads, t->row_block.threads);
    EXPECT_EQ(t->row_block_min_threads & (t->row_block_min_threads - 1), 0);
  }
}

TEST(IsSupported, RejectsShapesThatAreNotCompiled) {
  using k = kernel_kind;
  const reduction along = reduction::along_rows, across = reduction::across_rows;
  EXPECT_TRUE(is_supported({k::row_warp, 256, 1, 0, 4, 0}, along));
  EXPECT_FALSE(is_supported({k::row_warp, 256, 1, 0, 4, 0}, across));  // wrong reduction
  EXPECT_FALSE(is_supported({k::column, 256, 0, 32, 4, 0}, along));
  EXPECT_FALSE(is_supported({k::row_warp, 256, 3, 0, 4, 0}, along));   // rows
  EXPECT_FALSE(is_supported({k::row_block, 256, 1, 0, 3, 0}, along));  // unroll
  EXPECT_FALSE(is_supported({k::row_warp, 0, 1, 0, 4, 0}, along));     // threads
  EXPECT_FALSE(is_supported({k::row_warp, 48, 1, 0, 4, 0}, along));
  EXPECT_FALSE(is_supported({k::row_warp, 2048, 1, 0, 4, 0}, along));
  EXPECT_FALSE(is_supported({k::row_split_k, 256, 1, 0, 4, -1}, along));  // splits
  EXPECT_FALSE(is_supported({k::row_subwarp, 256, 0, 32, 2, 0}, along));  // lanes
  EXPECT_FALSE(is_supported({k::row_subwarp, 256, 0, 3, 2, 0}, along));
  EXPECT_FALSE(is_supported({k::column, 256, 0, 256, 4, 0}, across));
  EXPECT_FALSE(is_supported({k::column, 256, 0, 32, 3, 0}, across));  // unroll
  EXPECT_FALSE(is_supported({k::row_warp, 1024, 1, 0, 4, 0}, along));  // over 512 threads
  EXPECT_FALSE(is_supported({k::column, 32, 0, 0, 4, 0}, across));
  for (int lanes : {0, 1, 2, 4, 8, 16})  // 0: chosen from the row length
    EXPECT_TRUE(is_supported({k::row_subwarp, 128, 0, lanes, 4, 0}, along)) << lanes;
  for (int lanes : {1, 2, 4, 8, 16, 32})
    for (int unroll : {2, 4, 8}) EXPECT_TRUE(is_supported({k::column, 256, 0, lanes, unroll, 0}, across));
}

// The column kernel keeps one double per output of every thread in dynamic
// shared memory (a 16-byte vector of outputs each, so up to 8), which must fit
// the 48 KiB a launch gets without opting in to more.
TEST(IsSupported, ColumnBlocksFitDefaultSharedMemory) {
  for (int threads = 32; threads <= 1024; threads += 32) {
    const policy pol{kernel_kind::column, threads, 0, 32, 4, 0};
    if (!is_supported(pol, reduction::across_rows)) continue;
    EXPECT_LE(threads * 8 * sizeof(double), 48u * 1024) << to_string(pol);
  }
}

}  // namespace
}  // namespace gemv::test
