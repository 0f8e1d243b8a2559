#pragma once
// Any other architecture: middle-of-the-road shapes that are never far off.

#include <gemv/tuning/table.cuh>

namespace gemv::tuning {

inline constexpr table generic{
    "generic",
    /*row_warp=*/{kernel_kind::row_warp, 256, 1, 0, 4, 0},
    /*row_block=*/{kernel_kind::row_block, 256, 1, 0, 4, 0},
    /*row_subwarp=*/{kernel_kind::row_subwarp, 256, 0, 0, 2, 0},
    /*column=*/{kernel_kind::column, 256, 0, 32, 4, 0},
    /*column_whole=*/{kernel_kind::column, 512, 0, 16, 8, 1},
    /*subwarp_max_row_bytes=*/256,
    /*short_row_bytes=*/1024,
    /*max_block_bytes=*/1024 * 1024,
    /*split_waves=*/4,
    /*min_split_bytes=*/32 * 1024,
    /*column_blocks_per_sm=*/4,
    /*column_whole_min_wave_pct=*/60,
    /*column_whole_max_rows=*/8192,
    /*loaded_latency_ns=*/1350,
    /*row_block_min_threads=*/128,
};

}  // namespace gemv::tuning
