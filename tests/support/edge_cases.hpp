#pragma once
// The edge-case problems every forced kernel family runs on. Host only, so
// that a host test can check their coverage.

#include "support/operands.hpp"

#include <gemv/problem.cuh>

#include <cstdint>
#include <utility>
#include <vector>

namespace gemv::test {

struct edge_case {
  call_args args;
  std::int64_t shift = 0;  ///< 1: A, x and y start one element past a 256-byte boundary
};

/// Sizes around warp, vector and block boundaries; each is used as m and as n.
inline constexpr std::int64_t kEdgeSizes[] = {1, 2, 3, 5, 31, 32, 33, 127, 128, 129, 1000, 4097};
inline constexpr std::int64_t kIncrements[] = {1, 2, -1, -3};
inline constexpr float kCoefficients[] = {0.0f, 1.0f, -0.5f, 2.0f};
/// alpha == 0 runs no kernel at all, so it gets one case in eight.
inline constexpr float kAlphas[] = {1.0f, -0.5f, 2.0f, 1.0f, 2.0f, -0.5f, 0.0f, 1.0f};

/// (m, n) pairs: each size meets the mirror-image size and the size six
/// places on, so every size is both m and n with a short and a long partner;
/// then two large pairs for the unrolled main loops, and two very unequal
/// pairs for long reductions with few outputs and the reverse.
inline std::vector<std::pair<std::int64_t, std::int64_t>> edge_shapes() {
  std::vector<std::pair<std::int64_t, std::int64_t>> shapes;
  constexpr int count = static_cast<int>(std::size(kEdgeSizes));
  for (int i = 0; i < count; ++i) {
    shapes.emplace_back(kEdgeSizes[i], kEdgeSizes[count - 1 - i]);
    shapes.emplace_back(kEdgeSizes[i], kEdgeSizes[(i + 6) % count]);
  }
  for (auto [m, n] : {std::pair<std::int64_t, std::int64_t>{1000, 4097}, {4097, 1000}, {5, 100003},
                      {100003, 5}})
    shapes.emplace_back(m, n);
  return shapes;
}

/// Shapes around the 16-byte vector of `type` (W elements): 1 x L, L x 1,
/// 7 x L and L x 7 for L = W - 1, W, W + 1, 2W - 1, 2W + 1 and a warp's
/// vectors (32W) - 1 and + 1, so that every reduction and every run of
/// outputs ends just before, on and just after a vector or a warp step.
inline std::vector<std::pair<std::int64_t, std::int64_t>> vector_width_shapes(dtype type) {
  const std::int64_t W = 16 / size_of(type);
  std::vector<std::pair<std::int64_t, std::int64_t>> shapes;
  for (std::int64_t len : {W - 1, W, W + 1, 2 * W - 1, 2 * W + 1, 32 * W - 1, 32 * W + 1})
    for (auto [m, n] : {std::pair<std::int64_t, std::int64_t>{1, len}, {len, 1}, {7, len}, {len, 7}})
      shapes.emplace_back(m, n);
  return shapes;
}

/// Every shape of `shapes` in both (layout, op) pairs that give reduction
/// `kind`, each once with aligned operands (16-byte loads legal: no shift,
/// lda a multiple of 16 bytes, and for along_rows a contiguous x) and once
/// misaligned (shift 1, lda with odd padding, any increments). Increments,
/// alpha, beta and lda padding cycle with co-prime periods across cases.
/// `every` keeps one case in that many.
inline std::vector<edge_case> cases_for(const std::vector<std::pair<std::int64_t, std::int64_t>>& shapes,
                                        reduction kind, dtype type, int every = 1) {
  const std::int64_t vector = 16 / size_of(type);
  const bool along = kind == reduction::along_rows;
  const std::pair<layout, op> forms[] = {
      {layout::row_major, along ? op::n : op::t},
      {layout::col_major, along ? op::t : op::n},
  };
  std::vector<edge_case> cases;
  std::int64_t k = 0;
  for (auto [m, n] : shapes) {
    for (auto [lay, trans] : forms) {
      for (bool aligned : {true, false}) {
        edge_case ec;
        call_args& c = ec.args;
        c.lay = lay;
        c.trans = trans;
        c.m = m;
        c.n = n;
        const std::int64_t row = c.row_length();
        if (aligned) {
          c.lda = (row + vector - 1) / vector * vector + (k % 3 == 0 ? vector : 0);
          c.incx = along ? 1 : kIncrements[(k / 2) % 4];
        } else {
          ec.shift = 1;
          c.lda = row + (k % 3 == 0 ? 3 : 0);
          c.incx = kIncrements[(k / 2) % 4];
        }
        c.incy = kIncrements[(k / 4 + k) % 4];
        c.alpha = kAlphas[(k + k / 8) % 8];
        c.beta = kCoefficients[(k / 5 + k) % 4];
        if (k++ % every == 0) cases.push_back(ec);
      }
    }
  }
  return cases;
}

/// The edge shapes (edge_shapes()) as cases_for() lays them out.
inline std::vector<edge_case> edge_cases(reduction kind, dtype type, int every = 1) {
  return cases_for(edge_shapes(), kind, type, every);
}

}  // namespace gemv::test
