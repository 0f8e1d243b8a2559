#pragma once
// Ada (RTX 4090, sm_89). Derived, not measured: docs/tuning.md gives the
// reasoning from the card's limits and the command that replaces this table
// with a measured one.

#include <gemv/tuning/table.cuh>

namespace gemv::tuning {

inline constexpr table sm89{
    "sm89",
    /*row_warp=*/{kernel_kind::row_warp, 128, 2, 0, 2, 0},
    /*row_block=*/{kernel_kind::row_block, 256, 1, 0, 4, 0},
    /*row_subwarp=*/{kernel_kind::row_subwarp, 128, 0, 0, 2, 0},
    /*column=*/{kernel_kind::column, 128, 0, 32, 4, 0},
    /*column_whole=*/{kernel_kind::column, 512, 0, 16, 8, 1},
    /*subwarp_max_row_bytes=*/256,
    /*short_row_bytes=*/1024,
    /*max_block_bytes=*/1024 * 1024,
    /*split_waves=*/4,
    /*min_split_bytes=*/16 * 1024,
    /*column_blocks_per_sm=*/4,
    /*column_whole_min_wave_pct=*/60,
    /*column_whole_max_rows=*/8192,
    /*loaded_latency_ns=*/1350,       // sm_90's, not measured on a 4090 (docs/tuning.md)
    /*row_block_min_threads=*/128,
};

}  // namespace gemv::tuning
