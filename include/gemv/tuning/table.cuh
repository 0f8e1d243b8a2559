#pragma once
// The shape of a tuning table: one policy per kernel family and the
// thresholds that choose between families. One table per architecture lives
// beside this file; none of them can change a result.

#include <gemv/plan.cuh>

namespace gemv::tuning {

struct table {
  const char* name;
  policy row_warp;     ///< along_rows with many rows
  policy row_block;    ///< along_rows with few rows; also the first pass of split-K
  policy row_subwarp;  ///< along_rows with short rows; `lanes` is chosen from the row length
  policy column;       ///< across_rows; `lanes` is the widest output tile, narrowed for few outputs

  int subwarp_max_row_bytes;     ///< rows up to this many bytes go to row_subwarp
  int row_warp_min_rows_per_sm;  ///< from this many rows per SM, one warp per row fills the card
  int split_waves;               ///< split the reduction until the grid is this many full waves
  int min_split_bytes;           ///< no block gets a slice of A smaller than this
};

}  // namespace gemv::tuning
