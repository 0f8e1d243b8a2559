#pragma once
// The shape of a tuning table: one policy per kernel family and the
// thresholds that choose between families. One table per architecture lives
// beside this file; none of them can change a result.

#include <gemv/plan.cuh>

namespace gemv::tuning {

struct table {
  const char* name;
  policy row_warp;     ///< along_rows with rows of up to short_row_bytes
  policy row_block;    ///< along_rows with longer rows; also the first pass of split-K
  policy row_subwarp;  ///< along_rows with short rows; `lanes` is chosen from the row length
  policy column;       ///< across_rows with few outputs: rows split across blocks, then a second pass
  policy column_whole; ///< across_rows with many outputs: each block walks every row of its tile;
                       ///< `lanes` is the widest tile, narrowed until the tiles fill a wave

  int subwarp_max_row_bytes;     ///< rows up to this many bytes go to row_subwarp
  int short_row_bytes;           ///< rows up to this long go to row_warp (element-wise ones to
                                 ///< row_subwarp), longer ones to row_block
  int max_block_bytes;           ///< longer rows are split into pieces of at most this many bytes
  int split_waves;               ///< a split-K grid aims for this many waves of resident blocks
  int min_split_bytes;           ///< no split-K block gets a slice of A smaller than this
  int column_blocks_per_sm;      ///< a column grid splits rows until it has this many blocks per SM
  int column_whole_min_wave_pct; ///< column_whole needs tiles for this % of the SMs, else `column`
  int column_whole_max_rows;     ///< and at most this many rows to walk, else `column`

  // The model of large row problems (dispatch/model.cuh).
  int loaded_latency_ns;         ///< DRAM latency under load: bytes in flight = bandwidth x this
  int row_block_min_threads;     ///< the smallest whole-row block the model plans
};

}  // namespace gemv::tuning
