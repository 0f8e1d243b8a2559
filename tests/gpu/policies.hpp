#pragma once
// The policies each kernel family is forced through. Every compiled tile
// shape (rows, lanes, unroll) appears, with block sizes from one warp to the
// largest that is_supported() accepts for the family (computed here, so the
// lists follow the library), and runs_policy(), which tells whether a plan
// ran the policy it was forced with.

#include <gemv/dispatch/make_plan.cuh>
#include <gemv/plan.cuh>

#include <vector>

namespace gemv::test {

/// The largest block (a multiple of 32, up to 1024) that is_supported()
/// accepts for `pol` with its other fields as they are; 0 if none.
inline int largest_supported_threads(policy pol, reduction kind) {
  for (int threads = 1024; threads >= 32; threads -= 32) {
    pol.threads = threads;
    if (is_supported(pol, kind)) return threads;
  }
  return 0;
}

/// `pol` with the largest block is_supported() accepts for it.
inline policy with_largest_block(policy pol, reduction kind) {
  pol.threads = largest_supported_threads(pol, kind);
  return pol;
}

/// Whether plan `ran` runs forced policy `pol`: the same kernel, block,
/// rows and unroll, and only what binding may choose filled in: the split
/// count where `pol` leaves it 0 (an explicit one may be clamped, never
/// raised), sub-warp lanes where `pol` leaves them 0, column lanes narrowed
/// to a power of two that the outputs fill.
inline bool runs_policy(const plan& ran, const policy& pol) {
  const policy& p = ran.pol;
  if (p.kernel != pol.kernel || p.threads != pol.threads || p.rows != pol.rows ||
      p.unroll != pol.unroll)
    return false;
  if (pol.splits > 0 && ran.splits > pol.splits) return false;
  switch (pol.kernel) {
    case kernel_kind::row_subwarp:
      return pol.lanes == 0 ? p.lanes >= 1 && p.lanes <= 16 : p.lanes == pol.lanes;
    case kernel_kind::column:
      return p.lanes >= 1 && p.lanes <= pol.lanes && (p.lanes & (p.lanes - 1)) == 0;
    default:
      return p.lanes == pol.lanes;
  }
}

inline std::vector<policy> row_warp_policies() {
  using k = kernel_kind;
  const reduction along = reduction::along_rows;
  return {{k::row_warp, 128, 1, 0, 2, 0},
          {k::row_warp, 256, 2, 0, 4, 0},
          {k::row_warp, 64, 4, 0, 4, 0},
          with_largest_block({k::row_warp, 0, 4, 0, 2, 0}, along),
          with_largest_block({k::row_warp, 0, 1, 0, 4, 0}, along),
          {k::row_warp, 32, 1, 0, 4, 0},
          {k::row_warp, 96, 2, 0, 2, 0}};
}

inline std::vector<policy> row_block_policies() {
  using k = kernel_kind;
  const reduction along = reduction::along_rows;
  return {{k::row_block, 256, 1, 0, 4, 0},
          with_largest_block({k::row_block, 0, 2, 0, 2, 0}, along),
          with_largest_block({k::row_block, 0, 4, 0, 4, 0}, along),
          {k::row_block, 128, 4, 0, 4, 0},
          {k::row_block, 32, 1, 0, 2, 0},
          {k::row_block, 96, 2, 0, 4, 0},
          {k::row_block, 64, 4, 0, 2, 0}};
}

/// Automatic splits (0) and explicit ones; explicit counts are clamped to
/// what the reduction allows (pieces of at least 64 elements).
inline std::vector<policy> row_split_k_policies() {
  using k = kernel_kind;
  const reduction along = reduction::along_rows;
  return {{k::row_split_k, 256, 1, 0, 4, 0},
          with_largest_block({k::row_split_k, 0, 2, 0, 2, 3}, along),
          with_largest_block({k::row_split_k, 0, 1, 0, 4, 0}, along),
          {k::row_split_k, 128, 4, 0, 4, 7},
          {k::row_split_k, 256, 1, 0, 2, 7},
          {k::row_split_k, 64, 2, 0, 4, 3},
          {k::row_split_k, 32, 4, 0, 2, 0}};
}

inline std::vector<policy> row_subwarp_policies() {
  std::vector<policy> v;
  for (int lanes : tiles::kSubwarpLanes) {
    v.push_back({kernel_kind::row_subwarp, 128, 0, lanes, 2, 0});
    v.push_back({kernel_kind::row_subwarp, 256, 0, lanes, 4, 0});
  }
  v.push_back(with_largest_block({kernel_kind::row_subwarp, 0, 0, 4, 4, 0}, reduction::along_rows));
  v.push_back(with_largest_block({kernel_kind::row_subwarp, 0, 0, 0, 2, 0}, reduction::along_rows));
  return v;
}

/// Lanes 1..32 with unrolls 2 and 4, and unroll 8 on a split and an unsplit
/// tile; automatic and explicit splits (1 = never); tiles wider than a warp;
/// the largest block with each unroll.
inline std::vector<policy> column_policies() {
  const reduction across = reduction::across_rows;
  std::vector<policy> v;
  for (int lanes : {1, 2, 4, 8, 16, 32}) {
    v.push_back({kernel_kind::column, 256, 0, lanes, 4, 0});
    v.push_back({kernel_kind::column, 128, 0, lanes, 2, lanes < 8 ? 3 : 7});
  }
  v.push_back({kernel_kind::column, 64, 0, 32, 4, 1});
  v.push_back({kernel_kind::column, 32, 0, 32, 2, 0});
  v.push_back({kernel_kind::column, 256, 0, 128, 4, 0});
  v.push_back(with_largest_block({kernel_kind::column, 0, 0, 8, 8, 1}, across));
  v.push_back(with_largest_block({kernel_kind::column, 0, 0, 64, 2, 0}, across));
  v.push_back(with_largest_block({kernel_kind::column, 0, 0, 16, 4, 5}, across));
  v.push_back({kernel_kind::column, 128, 0, 16, 8, 0});
  return v;
}

}  // namespace gemv::test
