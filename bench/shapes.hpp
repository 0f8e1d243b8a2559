#pragma once
// The problems the benchmark runs: the default sweep and the parser for
// shapes given on the command line (--shape=f16:row:t:4096x11008).

#include <gemv/types.cuh>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace gemv::bench {

/// One gemv problem: A is m x n as stored (CBLAS meaning), x and y are
/// contiguous, lda is the tight leading dimension.
struct shape {
  dtype type = dtype::f32;
  layout lay = layout::row_major;
  op trans = op::n;
  std::int64_t m = 0;
  std::int64_t n = 0;

  std::int64_t lda() const { return std::max<std::int64_t>(1, lay == layout::row_major ? n : m); }
  std::int64_t x_len() const { return trans == op::n ? n : m; }
  std::int64_t y_len() const { return trans == op::n ? m : n; }
  std::int64_t element_bytes() const { return size_of(type); }
  std::int64_t matrix_bytes() const { return m * n * element_bytes(); }
  /// What a gemv must move at least: A once, x once, y once (written), or
  /// twice when beta != 0 (read and written).
  std::int64_t moved_bytes(float beta) const {
    return matrix_bytes() + x_len() * element_bytes() +
           y_len() * element_bytes() * (beta != 0.0f ? 2 : 1);
  }

  /// "f32/row/n/2048x1048576": the prefix of every benchmark row of this shape.
  std::string name() const {
    return std::string(to_string(type)) + (lay == layout::row_major ? "/row/" : "/col/") +
           (trans == op::n ? "n/" : "t/") + std::to_string(m) + "x" + std::to_string(n);
  }

  friend bool operator==(const shape& a, const shape& b) {
    return a.type == b.type && a.lay == b.lay && a.trans == b.trans && a.m == b.m && a.n == b.n;
  }
};

/// The default sweep: the reference problem first, then square, skinny and
/// LLM-like shapes, then the transposed cases.
inline std::vector<shape> default_sweep() {
  constexpr auto R = layout::row_major;
  constexpr auto N = op::n;
  constexpr auto T = op::t;
  const dtype f32 = dtype::f32, f16 = dtype::f16, bf16 = dtype::bf16;
  // clang-format off
  return {
      {f32, R, N, 2048, 1048576},  // the reference problem, 8 GiB
      {f32, R, N, 256, 131072},
      {f32, R, N, 4096, 4096},
      {f32, R, N, 8192, 8192},
      {f32, R, N, 16384, 16384},
      {f32, R, N, 1, 16777216},
      {f32, R, N, 16777216, 8},
      {f32, R, N, 1048576, 64},
      {f32, R, N, 64, 1048576},
      {f32, R, N, 256, 256},
      {f32, R, N, 1024, 1024},
      {f16, R, N, 4096, 4096},
      {f16, R, N, 11008, 4096},
      {f16, R, N, 4096, 11008},
      {bf16, R, N, 14336, 4096},
      {bf16, R, N, 4096, 14336},
      {bf16, R, N, 128256, 4096},
      {f32, R, T, 4096, 4096},
      {f32, R, T, 16384, 4096},
      {bf16, R, T, 4096, 14336},
  };
  // clang-format on
}

/// Parses "type:layout:op:MxN", e.g. "f16:row:t:4096x11008". Types: f32,
/// f16, bf16 (also float, half, bfloat16); layouts: row, col; ops: n, t.
inline bool parse_shape(const std::string& spec, shape& out, std::string& error) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t colon; (colon = spec.find(':', start)) != std::string::npos; start = colon + 1)
    parts.push_back(spec.substr(start, colon - start));
  parts.push_back(spec.substr(start));
  const auto fail = [&](const char* why) {
    error = "bad shape '" + spec + "' (want type:layout:op:MxN, e.g. f16:row:t:4096x11008): " + why;
    return false;
  };
  if (parts.size() != 4) return fail("need four fields");

  const std::string& t = parts[0];
  if (t == "f32" || t == "float") {
    out.type = dtype::f32;
  } else if (t == "f16" || t == "half") {
    out.type = dtype::f16;
  } else if (t == "bf16" || t == "bfloat16") {
    out.type = dtype::bf16;
  } else {
    return fail("type is f32, f16 or bf16");
  }
  if (parts[1] == "row") {
    out.lay = layout::row_major;
  } else if (parts[1] == "col") {
    out.lay = layout::col_major;
  } else {
    return fail("layout is row or col");
  }
  if (parts[2] == "n") {
    out.trans = op::n;
  } else if (parts[2] == "t") {
    out.trans = op::t;
  } else {
    return fail("op is n or t");
  }
  const std::string& dims = parts[3];
  const std::size_t x = dims.find('x');
  if (x == std::string::npos) return fail("size is MxN");
  char* end = nullptr;
  const std::string ms = dims.substr(0, x), ns = dims.substr(x + 1);
  out.m = std::strtoll(ms.c_str(), &end, 10);
  if (ms.empty() || *end != '\0') return fail("M is not a number");
  out.n = std::strtoll(ns.c_str(), &end, 10);
  if (ns.empty() || *end != '\0') return fail("N is not a number");
  if (out.m < 1 || out.n < 1) return fail("M and N must be at least 1");
  return true;
}

}  // namespace gemv::bench
