#pragma once
// Hopper (H100, sm_90). Measured: see docs/tuning.md for the sweep that chose
// each entry and how to re-run it.

#include <gemv/tuning/table.cuh>

namespace gemv::tuning {

inline constexpr table sm90{
    "sm90",
    /*row_warp=*/{kernel_kind::row_warp, 256, 1, 0, 4, 0},
    /*row_block=*/{kernel_kind::row_block, 512, 1, 0, 4, 0},
    /*row_subwarp=*/{kernel_kind::row_subwarp, 256, 0, 0, 4, 0},
    /*column=*/{kernel_kind::column, 256, 0, 32, 4, 0},
    /*subwarp_max_row_bytes=*/256,
    /*row_warp_min_rows_per_sm=*/16,
    /*split_waves=*/4,
    /*min_split_bytes=*/32 * 1024,
};

}  // namespace gemv::tuning
