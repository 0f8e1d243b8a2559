#pragma once
// A plan says which kernel runs a problem and with which tile shape. Plans are
// plain values: they can be printed, compared, and forced by tests and the
// benchmark. No policy ever changes the result, only the speed.

#include <gemv/problem.cuh>

#include <cstdint>
#include <cstdio>
#include <string>

namespace gemv {

enum class kernel_kind : std::uint8_t {
  row_warp,     ///< along_rows: a warp owns `rows` rows and walks the whole row
  row_block,    ///< along_rows: a block owns `rows` rows, its warps split the row
  row_split_k,  ///< along_rows: row_block over a grid that also splits the row, then a fixed-order sum
  row_subwarp,  ///< along_rows: `lanes` lanes per row, for rows of a few vectors
  column,       ///< across_rows: each thread owns a vector of adjacent outputs
  scale_only,   ///< alpha == 0 (and beta != 1): y = beta * y
  none,         ///< BLAS quick return (m == 0, n == 0, or alpha == 0 and beta == 1): nothing runs
};

constexpr const char* to_string(kernel_kind k) noexcept {
  switch (k) {
    case kernel_kind::row_warp: return "row_warp";
    case kernel_kind::row_block: return "row_block";
    case kernel_kind::row_split_k: return "row_split_k";
    case kernel_kind::row_subwarp: return "row_subwarp";
    case kernel_kind::column: return "column";
    case kernel_kind::scale_only: return "scale_only";
    case kernel_kind::none: return "none";
  }
  return "unknown_kernel";
}

/// Tile shape of one kernel family. Fields a family does not use stay 0.
///  - threads: threads per block (a multiple of 32).
///  - rows:    row_warp: rows per warp; row_block / row_split_k: rows per block.
///  - lanes:   row_subwarp: lanes per row (1..16); column: threads along the
///             outputs per block (the rest of the block splits the reduction).
///  - unroll:  independent 16-byte loads per thread (per row) in flight.
///  - splits:  how many pieces the grid cuts the reduction into; 0 = choose.
///  - vectors: several vectors against one A (gemv_multi): vectors of x
///             each pass over A serves (row_warp, row_block); 0 = choose,
///             and 0 or 1 for one vector.
struct policy {
  kernel_kind kernel = kernel_kind::row_warp;
  int threads = 0;
  int rows = 0;
  int lanes = 0;
  int unroll = 0;
  int splits = 0;
  int vectors = 0;

  friend constexpr bool operator==(const policy& a, const policy& b) noexcept {
    return a.kernel == b.kernel && a.threads == b.threads && a.rows == b.rows &&
           a.lanes == b.lanes && a.unroll == b.unroll && a.splits == b.splits &&
           a.vectors == b.vectors;
  }
  friend constexpr bool operator!=(const policy& a, const policy& b) noexcept { return !(a == b); }
};

/// Resident blocks per SM of the compiled kernel that runs `pol` on
/// `device` (16-byte loads when `vectorized`), from the occupancy API; 0
/// when unknown.
using occupancy_query = int (*)(int device, const policy& pol, bool vectorized);

/// What the dispatch knows about the device: its limits, read from the
/// runtime once per device (query_device). Synthetic cards in the host tests
/// fill them from published figures.
struct device_info {
  int arch = 0;                ///< compute capability, major * 10 + minor (89, 90, ...)
  int sm_count = 1;
  int max_threads_per_sm = 2048;
  int registers_per_sm = 65536;
  int shared_bytes_per_sm = 0;        ///< 0: unknown
  std::int64_t l2_bytes = 0;          ///< 0: unknown
  double dram_bytes_per_second = 0.0; ///< peak: 2 x memory clock x bus width; 0: unknown
  int max_blocks_per_sm = 32;         ///< resident blocks per SM (24 on sm_89, 32 on sm_80/90)
  /// Where a call plans for its own element type: the occupancy of its
  /// compiled kernels on `device` (dispatch/occupancy.cuh). Without it the
  /// model counts the thread and block limits only.
  occupancy_query occupancy = nullptr;
  int device = -1;
};

/// What chose a plan's policy: the model of the card's limits
/// (dispatch/model.cuh), the same model cutting rows too few for whole-row
/// blocks into pieces, or the rules around the architecture's table. A plan
/// whose policy the caller forced (make_plan with a policy) says table_rules:
/// the model did not choose it.
enum class plan_source { table_rules, model, model_split };

constexpr const char* to_string(plan_source s) noexcept {
  switch (s) {
    case plan_source::model: return "model";
    case plan_source::model_split: return "model (split)";
    case plan_source::table_rules: return "table rules";
  }
  return "?";
}

/// A policy bound to one problem: the concrete split of the reduction and
/// the scratch it needs.
struct plan {
  problem prob;
  policy pol;
  bool vectorized = false;       ///< 16-byte loads (else the element-wise path)
  /// row_subwarp on the element-wise path, for short rows stored nearly back
  /// to back: the staged kernel runs instead, which copies a block's rows to
  /// shared memory with 16-byte loads (kernels/row_staged.cuh); the policy's
  /// tile (threads, lanes, unroll) is not used.
  bool staged = false;
  /// row_block or row_split_k of one row on the element-wise path with x
  /// contiguous: x is read in 16-byte vectors too, and each warp joins its
  /// vectors of A to meet them (dot_row_joined in kernels/row_dot.cuh).
  bool joined = false;
  std::int64_t splits = 1;       ///< pieces of the reduction; > 1 needs scratch and a second pass
  std::int64_t split_length = 0; ///< elements of the reduction per piece
  /// The second pass of a split plan may be launched while the first still
  /// runs and wait for it on the device (programmatic dependent launch,
  /// sm_90 and later): hides the launch gap between the two.
  bool dependent_launch = false;
  plan_source source = plan_source::table_rules;  ///< set by the default make_plan

  /// Scratch bytes: one double per output and split.
  constexpr std::size_t workspace_bytes() const noexcept {
    return splits > 1 ? static_cast<std::size_t>(splits * prob.outputs() * prob.batch) * sizeof(double) : 0;
  }
};

inline std::string to_string(const policy& p) {
  char buf[176];
  char vectors[24] = "";
  if (p.vectors > 1) std::snprintf(vectors, sizeof vectors, " vectors=%d", p.vectors);
  std::snprintf(buf, sizeof buf, "%s{threads=%d rows=%d lanes=%d unroll=%d splits=%d%s}",
                to_string(p.kernel), p.threads, p.rows, p.lanes, p.unroll, p.splits, vectors);
  return buf;
}

inline std::string to_string(const plan& p) {
  char buf[352];
  char vectors[24] = "";
  if (p.pol.vectors > 1) std::snprintf(vectors, sizeof vectors, " vectors=%d", p.pol.vectors);
  std::snprintf(buf, sizeof buf,
                "%s %s %lldx%lld ld=%lld: %s threads=%d rows=%d lanes=%d unroll=%d "
                "splits=%lld split_length=%lld%s %s",
                to_string(p.prob.type), to_string(p.prob.kind),
                static_cast<long long>(p.prob.rows), static_cast<long long>(p.prob.cols),
                static_cast<long long>(p.prob.ld), to_string(p.pol.kernel), p.pol.threads,
                p.pol.rows, p.pol.lanes, p.pol.unroll, static_cast<long long>(p.splits),
                static_cast<long long>(p.split_length), vectors,
                p.vectorized ? "vec16" : p.staged ? "staged" : p.joined ? "joined" : "scalar");
  return buf;
}

}  // namespace gemv
