#pragma once
// The performance model behind the plans of large row problems: how many
// bytes a card must keep in flight to run at its DRAM bandwidth, and how
// many a tile keeps there. Pure arithmetic over device_info and the tuning
// table, so the plan of any card can be computed (and tested) anywhere.
//
//  - Target, per SM: Little's law, bandwidth x loaded latency / SMs. The
//    latency is one constant per architecture (tuning::table).
//  - What a tile keeps in flight, per SM: its resident blocks (or warps)
//    times the 16-byte loads each has outstanding in one step of its walk,
//    times the share of its life spent loading: a block also pays a fixed
//    cost (its launch, its reduction, its share of the last wave) of about
//    kBlockFixedCost latencies, so a block that walks its row in one step
//    loads only 1 / (1 + kBlockFixedCost) of the time, one that takes four
//    steps 4 / (4 + kBlockFixedCost).
//  - The plan is the cheapest tile (fewest rows and loads a thread, fewest
//    threads a block) that meets the target: a bigger tile costs registers
//    and leaves a coarser last wave (docs/performance-notes.md, entry 42).

#include <gemv/detail/arithmetic.cuh>
#include <gemv/dispatch/compiled_tiles.cuh>
#include <gemv/plan.cuh>
#include <gemv/tuning/table.cuh>

#include <algorithm>
#include <cstdint>

namespace gemv::model {

/// A block's fixed cost in DRAM latencies, fitted on the H200
/// (docs/performance-notes.md, entry 42).
inline constexpr double kBlockFixedCost = 0.5;

/// Bytes in flight per SM when the card's DRAM bandwidth is unknown (a
/// device_info without it): the H100's figure.
inline constexpr double kDefaultBytesInFlightPerSm = 32.0 * 1024;

using detail::ceil_div;

/// 16-byte vectors in one row of an aligned along_rows problem.
constexpr std::int64_t row_vectors(const problem& p) noexcept {
  return ceil_div(p.cols, detail::vector_width(p.type));
}

/// Bytes each SM must keep in flight to run at the card's DRAM bandwidth.
constexpr double bytes_in_flight_target(const device_info& dev, const tuning::table& t) noexcept {
  if (dev.dram_bytes_per_second <= 0.0 || dev.sm_count <= 0) return kDefaultBytesInFlightPerSm;
  return dev.dram_bytes_per_second * t.loaded_latency_ns * 1e-9 / dev.sm_count;
}

/// Blocks of `pol` resident on one SM: the occupancy API's answer for the
/// compiled kernel when the caller gave the dispatch one (registers and
/// shared memory counted), else the card's thread and block limits alone.
constexpr std::int64_t resident_blocks(const device_info& dev, const policy& pol) noexcept {
  const int by_threads = std::max(1, std::min(dev.max_threads_per_sm / pol.threads, dev.max_blocks_per_sm));
  if (dev.occupancy != nullptr) {
    if (const int blocks = dev.occupancy(dev.device, pol, true); blocks > 0) return std::min(blocks, by_threads);
  }
  return by_threads;
}

/// Blocks of `pol` the whole card holds at once: one wave of its grid.
constexpr std::int64_t resident_wave(const device_info& dev, const policy& pol) noexcept {
  return std::int64_t{dev.sm_count} * resident_blocks(dev, pol);
}

/// Share of a block's life spent loading, for a walk of `steps` steps.
constexpr double duty(std::int64_t steps) noexcept {
  return static_cast<double>(steps) / (static_cast<double>(steps) + kBlockFixedCost);
}

/// How a row tile of a vectorized along_rows problem loads: `units` work
/// units (warps of row_warp, blocks of row_block) on the whole grid, each
/// of `threads_per_unit` threads, walking `rows` rows of `vectors` 16-byte
/// vectors with `lanes` threads on a row and `unroll` loads a row and step.
struct row_tile {
  std::int64_t units = 0;
  std::int64_t units_per_sm = 0;  ///< resident units per SM
  std::int64_t lanes = 0;
  std::int64_t rows = 0;
  std::int64_t unroll = 0;
};

/// Bytes the tile keeps in flight on one SM, averaged over a unit's life.
constexpr double bytes_in_flight(const row_tile& tile, std::int64_t vectors,
                                 const device_info& dev) noexcept {
  const std::int64_t step_vectors = tile.lanes * tile.unroll;
  const std::int64_t steps = ceil_div(vectors, step_vectors);
  const double loads_per_unit =
      static_cast<double>(std::min(step_vectors, vectors)) * static_cast<double>(tile.rows);
  const double units = std::min(static_cast<double>(tile.units_per_sm),
                                static_cast<double>(tile.units) / dev.sm_count);
  return units * loads_per_unit * 16.0 * duty(steps);
}

/// Vectors of x one pass over A serves for a problem of `vectors` vectors
/// (tiles::kPassVectors): 0 for one vector.
constexpr int pass_vectors(int vectors) noexcept {
  return vectors <= 1 ? 0 : vectors <= 2 ? 2 : 4;
}

/// row_warp of `threads`-thread blocks with `rows` rows a warp.
constexpr row_tile warp_tile(const problem& p, const device_info& dev, int threads, int rows,
                             int unroll) noexcept {
  const std::int64_t warps_per_block = threads / 32;
  const policy pol{kernel_kind::row_warp, threads, rows, 0, unroll, 0, pass_vectors(p.vectors)};
  return {ceil_div(p.rows, rows), resident_blocks(dev, pol) * warps_per_block, 32, rows, unroll};
}

/// row_block of `threads` threads and `rows` rows a block.
constexpr row_tile block_tile(const problem& p, const device_info& dev, int threads, int rows,
                              int unroll) noexcept {
  const policy pol{kernel_kind::row_block, threads, rows, 0, unroll, 0, pass_vectors(p.vectors)};
  return {ceil_div(p.rows, rows), resident_blocks(dev, pol), threads, rows, unroll};
}

/// The tile of a row_warp or row_block policy `pol` on `p`.
constexpr row_tile tile_of(const problem& p, const device_info& dev, const policy& pol) noexcept {
  return pol.kernel == kernel_kind::row_warp ? warp_tile(p, dev, pol.threads, pol.rows, pol.unroll)
                                             : block_tile(p, dev, pol.threads, pol.rows, pol.unroll);
}

/// Whether the model plans this problem: vectorized rows, and a matrix of at
/// least four times the bytes the whole card keeps in flight. Smaller ones
/// are bound by latency and launch, not bandwidth, and keep the table's
/// rules (dispatch/make_plan.cuh).
constexpr bool plans(const problem& p, const device_info& dev, const tuning::table& t) noexcept {
  return p.kind == reduction::along_rows && p.vectorizable &&
         static_cast<double>(p.matrix_bytes()) >= 4.0 * bytes_in_flight_target(dev, t) * dev.sm_count;
}

/// Rows shorter than two steps of the smallest whole-row block with two
/// loads a thread take a warp (or more rows) each: such a block would load
/// in a single step and then pay its fixed cost.
constexpr bool short_row(std::int64_t vectors, const tuning::table& t) noexcept {
  return vectors < 2 * 2 * std::int64_t{t.row_block_min_threads};
}

/// The cheapest tile among `candidates` that keeps `target` bytes in flight
/// per SM, else the one that keeps the most. `tile_of(policy)` models one.
template <std::size_t N, class TileOf>
constexpr policy cheapest_sufficient(const policy (&candidates)[N], std::int64_t vectors,
                                     const device_info& dev, double target,
                                     TileOf&& tile_of) noexcept {
  policy most = candidates[0];
  double most_bytes = -1.0;
  for (const policy& c : candidates) {
    const double bytes = bytes_in_flight(tile_of(c), vectors, dev);
    if (bytes >= target) return c;
    if (bytes > most_bytes) {
      most = c;
      most_bytes = bytes;
    }
  }
  return most;
}

/// Rows of up to this many 16-byte vectors (4 KB) may be walked by a
/// sub-warp (up to 16 lanes a row, two vectors a lane; families.cuh)
/// instead of a warp of two or four rows (sub_warp_fills_better).
inline constexpr std::int64_t kSubwarpMaxRowVectors = 256;

/// DRAM is read in pairs of 32-byte sectors: a warp's load that asks for
/// one sector of each pair, the other to follow in the next step, has the
/// pair read twice (measured: docs/performance-notes.md, entry 46).
inline constexpr std::int64_t kSectorPairBytes = 64;

/// The fewest lanes (a power of two) that read each step of a vectorized
/// row's walk in whole sector pairs: a row of up to one sector is one
/// sector whichever lanes read it; a longer one needs the pair's 16-byte
/// vectors, or the whole row, on one step's lanes.
constexpr std::int64_t sector_pair_lanes(const problem& p) noexcept {
  const std::int64_t row_bytes = p.cols * size_of(p.type);
  if (row_bytes <= kSectorPairBytes / 2) return 1;
  return detail::pow2_ceil(std::min(row_vectors(p), kSectorPairBytes / 16));
}

/// Share of the load slots of a row's steps that carry a vector, for a row
/// of `vectors` walked `per_step` vectors a step: the rest are lanes idle on
/// the row's last step.
constexpr double step_fill(std::int64_t vectors, std::int64_t per_step) noexcept {
  return static_cast<double>(vectors) / static_cast<double>(ceil_div(vectors, per_step) * per_step);
}

/// Whether a sub-warp of `lanes` lanes a row fills its steps better than
/// `warp` (a warp of short_row_warp, 32 lanes of `unroll` loads a row and
/// step) on rows of `vectors`; a tie keeps the warp (measured:
/// docs/performance-notes.md, entry 45).
constexpr bool sub_warp_fills_better(std::int64_t vectors, int lanes, const policy& warp) noexcept {
  return vectors <= kSubwarpMaxRowVectors && lanes > 0 && warp.unroll > 0 &&
         step_fill(vectors, lanes) > step_fill(vectors, std::int64_t{32} * warp.unroll);
}

/// The plan for short rows: a warp owns two rows or four, which share x's
/// loads (docs/performance-notes.md, entry 42), with two loads a row and
/// step or four. Four come first where the row fills them as well as two
/// and x's elements are no wider than A's (docs/performance-notes.md,
/// entry 49).
constexpr policy short_row_warp(const problem& p, const device_info& dev,
                                const tuning::table& t) noexcept {
  const int threads = t.row_warp.threads;
  const std::int64_t vectors = row_vectors(p);
  const bool four_first = size_of(p.x_type) <= size_of(p.type) &&
                          step_fill(vectors, 32 * 4) >= step_fill(vectors, 32 * 2);
  const int first = four_first ? 4 : 2;
  const int second = four_first ? 2 : 4;
  const policy candidates[] = {
      {kernel_kind::row_warp, threads, 2, 0, first, 0},
      {kernel_kind::row_warp, threads, 2, 0, second, 0},
      {kernel_kind::row_warp, threads, 4, 0, first, 0},
      {kernel_kind::row_warp, threads, 4, 0, second, 0},
  };
  return cheapest_sufficient(candidates, vectors, dev, bytes_in_flight_target(dev, t),
                             [&](const policy& c) { return warp_tile(p, dev, c.threads, c.rows, c.unroll); });
}

/// The plan for long rows: a block a row, from t.row_block_min_threads
/// threads up to the table's row_block, two loads a thread or four. A
/// policy with splits == -1 when no whole-row block keeps the target in
/// flight (too few rows): the row must then be split.
constexpr policy long_row_block(const problem& p, const device_info& dev,
                                const tuning::table& t) noexcept {
  const std::int64_t vectors = row_vectors(p);
  const double target = bytes_in_flight_target(dev, t);
  for (int threads = t.row_block_min_threads; threads <= t.row_block.threads; threads *= 2) {
    for (int unroll : tiles::kRowUnrolls) {
      const row_tile tile = block_tile(p, dev, threads, 1, unroll);
      if (bytes_in_flight(tile, vectors, dev) >= target)
        return {kernel_kind::row_block, threads, 1, 0, unroll, 0};
    }
  }
  return {kernel_kind::row_block, t.row_block.threads, 1, 0, t.row_block.unroll, -1};
}

/// Pieces each row is cut into when its rows are too few for whole-row
/// blocks (long_row_block gave up) and `piece` blocks walk the pieces: the
/// longest walk that keeps the target in flight, from pieces of the table's
/// min_split_bytes down to one step (a longer walk loads for more of its
/// life; shorter ones put more blocks on the card), else one-step pieces.
constexpr std::int64_t split_pieces(const problem& p, const device_info& dev, const tuning::table& t,
                                    const policy& piece) noexcept {
  const std::int64_t vectors = row_vectors(p);
  const std::int64_t step = std::int64_t{piece.threads} * piece.unroll;
  const std::int64_t resident = resident_blocks(dev, piece);
  const double target = bytes_in_flight_target(dev, t);
  const std::int64_t longest = std::max<std::int64_t>(1, t.min_split_bytes / (16 * step));
  for (std::int64_t steps = longest; steps > 1; steps /= 2) {
    const std::int64_t pieces = ceil_div(vectors, step * steps);
    const row_tile tile{p.rows * pieces, resident, piece.threads, 1, piece.unroll};
    if (bytes_in_flight(tile, step * steps, dev) >= target) return pieces;
  }
  return ceil_div(vectors, step);
}

/// The tile of a problem of several vectors whose rows are read once
/// (gemv_multi). Where x must be widened (16- and 8-bit x), converting x
/// costs more than loading A: each step widens the pass's vectors of x for
/// one vector of A, so a warp of two rows, which shares every widened vector
/// between its rows (measured: docs/performance-notes.md, entry 44).
/// Otherwise the cheapest tile that keeps the target in flight (A's loads
/// only: x's are served by the caches), as for one vector, else the one
/// that keeps the most; each tile holds pass_vectors() sums a row, so its
/// occupancy is its own kernel's.
constexpr policy several_vectors_tile(const problem& p, const device_info& dev,
                                      const tuning::table& t) noexcept {
  const int v = pass_vectors(p.vectors);
  const int threads = t.row_warp.threads;
  const policy two_row_warp{kernel_kind::row_warp, threads, 2, 0, 2, 0, v};
  if (size_of(p.x_type) < 4) return two_row_warp;
  const std::int64_t vectors = row_vectors(p);
  const double target = bytes_in_flight_target(dev, t);
  if (short_row(vectors, t)) {
    const policy candidates[] = {{kernel_kind::row_warp, threads, 1, 0, 2, 0, v}, two_row_warp};
    return cheapest_sufficient(candidates, vectors, dev, target,
                               [&](const policy& c) { return warp_tile(p, dev, c.threads, c.rows, c.unroll); });
  }
  policy most{kernel_kind::row_block, t.row_block_min_threads, 1, 0, 2, 0, v};
  double most_bytes = -1.0;
  for (int block = t.row_block_min_threads; block <= t.row_block.threads; block *= 2) {
    const double bytes = bytes_in_flight(block_tile(p, dev, block, 1, 2), vectors, dev);
    if (bytes >= target) return {kernel_kind::row_block, block, 1, 0, 2, 0, v};
    if (bytes > most_bytes) {
      most = {kernel_kind::row_block, block, 1, 0, 2, 0, v};
      most_bytes = bytes;
    }
  }
  return most;
}

}  // namespace gemv::model
