#pragma once
// Hopper (H100, sm_90). Measured: the policies and thresholds come from
// `gemv_bench --tune` runs on an H100 80GB HBM3; docs/tuning.md records the
// sweep and docs/performance-notes.md the measurements behind each choice.

#include <gemv/tuning/table.cuh>

namespace gemv::tuning {

inline constexpr table sm90{
    "sm90",
    /*row_warp=*/{kernel_kind::row_warp, 128, 1, 0, 2, 0},
    /*row_block=*/{kernel_kind::row_block, 512, 1, 0, 4, 0},
    /*row_subwarp=*/{kernel_kind::row_subwarp, 128, 0, 0, 4, 0},
    /*column=*/{kernel_kind::column, 128, 0, 8, 8, 0},     // H200 tune (entry 51)
    /*column_whole=*/{kernel_kind::column, 512, 0, 16, 8, 1},
    /*subwarp_max_row_bytes=*/256,
    /*short_row_bytes=*/1024,
    /*max_block_bytes=*/1024 * 1024,
    /*split_waves=*/16,
    /*min_split_bytes=*/32 * 1024,
    /*column_blocks_per_sm=*/4,
    /*column_whole_min_wave_pct=*/60,
    /*column_whole_max_rows=*/8192,
    /*loaded_latency_ns=*/1350,       // CUB DeviceTransform's bytes in flight (entry 42)
    /*row_block_min_threads=*/128,    // H200 tune (docs/performance-notes.md, entry 42)
};

}  // namespace gemv::tuning
