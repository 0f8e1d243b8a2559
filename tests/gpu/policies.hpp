#pragma once
// The policies each kernel family is forced through. Every compiled tile
// shape (rows, lanes, unroll) appears, with block sizes from one warp to the
// largest every instantiation can launch (512 threads: none needs more than
// 128 registers a thread).

#include <gemv/plan.cuh>

#include <vector>

namespace gemv::test {

inline std::vector<policy> row_warp_policies() {
  using k = kernel_kind;
  return {{k::row_warp, 128, 1, 0, 2, 0}, {k::row_warp, 256, 2, 0, 4, 0}, {k::row_warp, 64, 4, 0, 4, 0},
          {k::row_warp, 512, 4, 0, 2, 0}, {k::row_warp, 32, 1, 0, 4, 0},  {k::row_warp, 96, 2, 0, 2, 0}};
}

inline std::vector<policy> row_block_policies() {
  using k = kernel_kind;
  return {{k::row_block, 256, 1, 0, 4, 0}, {k::row_block, 512, 2, 0, 2, 0},
          {k::row_block, 128, 4, 0, 4, 0}, {k::row_block, 32, 1, 0, 2, 0},
          {k::row_block, 96, 2, 0, 4, 0},  {k::row_block, 64, 4, 0, 2, 0}};
}

/// Automatic splits (0) and explicit ones; explicit counts are clamped to
/// what the reduction allows (pieces of at least 64 elements).
inline std::vector<policy> row_split_k_policies() {
  using k = kernel_kind;
  return {{k::row_split_k, 256, 1, 0, 4, 0}, {k::row_split_k, 512, 2, 0, 2, 3},
          {k::row_split_k, 128, 4, 0, 4, 7}, {k::row_split_k, 256, 1, 0, 2, 7},
          {k::row_split_k, 64, 2, 0, 4, 3},  {k::row_split_k, 32, 4, 0, 2, 0}};
}

inline std::vector<policy> row_subwarp_policies() {
  std::vector<policy> v;
  for (int lanes : {1, 2, 4, 8, 16}) {
    v.push_back({kernel_kind::row_subwarp, 128, 0, lanes, 2, 0});
    v.push_back({kernel_kind::row_subwarp, 256, 0, lanes, 4, 0});
  }
  return v;
}

/// Lanes 1..32 with unrolls 2 and 4, and unroll 8 on a split and an unsplit
/// tile; automatic and explicit splits (1 = never); one tile wider than a warp.
inline std::vector<policy> column_policies() {
  std::vector<policy> v;
  for (int lanes : {1, 2, 4, 8, 16, 32}) {
    v.push_back({kernel_kind::column, 256, 0, lanes, 4, 0});
    v.push_back({kernel_kind::column, 128, 0, lanes, 2, lanes < 8 ? 3 : 7});
  }
  v.push_back({kernel_kind::column, 64, 0, 32, 4, 1});
  v.push_back({kernel_kind::column, 32, 0, 32, 2, 0});
  v.push_back({kernel_kind::column, 256, 0, 128, 4, 0});
  v.push_back({kernel_kind::column, 512, 0, 8, 8, 1});
  v.push_back({kernel_kind::column, 128, 0, 16, 8, 0});
  return v;
}

}  // namespace gemv::test
