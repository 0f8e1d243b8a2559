#pragma once
// The problems the benchmark runs: the default sweep and the parser for
// shapes given on the command line (--shape=f16:row:t:4096x11008,
// --shape=e4m3,bf16,bf16:row:n:14336x4096).

#include "combinations.hpp"

#include <gemv/types.cuh>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace gemv::bench {

/// The element types of A, x and y. One dtype means that type throughout,
/// so `{dtype::f16, ...}` still initialises a shape.
struct operand_types {
  dtype a = dtype::f32;
  dtype x = dtype::f32;
  dtype y = dtype::f32;

  constexpr operand_types() = default;
  constexpr operand_types(dtype all) : a(all), x(all), y(all) {}  // NOLINT: implicit on purpose
  constexpr operand_types(dtype a_, dtype x_, dtype y_) : a(a_), x(x_), y(y_) {}

  constexpr bool uniform() const { return a == x && x == y; }
  /// "bf16" for one type throughout, else "e4m3,bf16,bf16".
  std::string name() const {
    if (uniform()) return to_string(a);
    return std::string(to_string(a)) + "," + to_string(x) + "," + to_string(y);
  }
  friend constexpr bool operator==(const operand_types& p, const operand_types& q) {
    return p.a == q.a && p.x == q.x && p.y == q.y;
  }
};

/// One gemv problem: A is m x n as stored (CBLAS meaning), x and y are
/// contiguous, lda is the tight leading dimension.
struct shape {
  operand_types types;
  layout lay = layout::row_major;
  op trans = op::n;
  std::int64_t m = 0;
  std::int64_t n = 0;

  std::int64_t lda() const { return std::max<std::int64_t>(1, lay == layout::row_major ? n : m); }
  std::int64_t x_len() const { return trans == op::n ? n : m; }
  std::int64_t y_len() const { return trans == op::n ? m : n; }
  std::int64_t matrix_bytes() const { return m * n * size_of(types.a); }
  /// What a gemv must move at least: A once, x once, y once (written), or
  /// twice when beta != 0 (read and written), each at its own type's size.
  std::int64_t moved_bytes(double beta) const {
    const std::int64_t y_bytes = y_len() * size_of(types.y);
    return matrix_bytes() + x_len() * size_of(types.x) + y_bytes * (beta != 0.0 ? 2 : 1);
  }

  /// "f32/row/n/2048x1048576", "e4m3,bf16,bf16/row/n/14336x4096": the
  /// prefix of every benchmark row of this shape.
  std::string name() const {
    return types.name() + (lay == layout::row_major ? "/row/" : "/col/") +
           (trans == op::n ? "n/" : "t/") + std::to_string(m) + "x" + std::to_string(n);
  }

  friend bool operator==(const shape& p, const shape& q) {
    return p.types == q.types && p.lay == q.lay && p.trans == q.trans && p.m == q.m &&
           p.n == q.n;
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

/// "f16" or "half" -> dtype::f16, and so on for every element type.
inline bool parse_dtype(const std::string& text, dtype& out) {
  const struct {
    const char* name;
    const char* alias;
    dtype type;
  } names[] = {{"f32", "float", dtype::f32},      {"f16", "half", dtype::f16},
               {"bf16", "bfloat16", dtype::bf16}, {"f64", "double", dtype::f64},
               {"e4m3", "fp8_e4m3", dtype::e4m3}, {"e5m2", "fp8_e5m2", dtype::e5m2},
               {"i8", "int8", dtype::i8}};
  for (const auto& n : names) {
    if (text == n.name || text == n.alias) {
      out = n.type;
      return true;
    }
  }
  return false;
}

/// Parses "types:layout:op:MxN", e.g. "f16:row:t:4096x11008" or
/// "e4m3,bf16,bf16:row:n:14336x4096".
/// Types: one for A, x and y, or three separated by commas (A, x, y), each
/// f32, f16, bf16, f64, e4m3, e5m2 or i8 (also float, half, bfloat16,
/// double, fp8_e4m3, fp8_e5m2, int8), in a combination gemv runs; layouts:
/// row, col; ops: n, t.
inline bool parse_shape(const std::string& spec, shape& out, std::string& error) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t colon; (colon = spec.find(':', start)) != std::string::npos; start = colon + 1)
    parts.push_back(spec.substr(start, colon - start));
  parts.push_back(spec.substr(start));
  const auto fail = [&](const std::string& why) {
    error = "bad shape '" + spec +
            "' (want types:layout:op:MxN, e.g. f16:row:t:4096x11008 or "
            "e4m3,bf16,bf16:row:n:14336x4096): " +
            why;
    return false;
  };
  if (parts.size() != 4) return fail("need four fields");

  std::vector<std::string> types;
  start = 0;
  for (std::size_t comma; (comma = parts[0].find(',', start)) != std::string::npos;
       start = comma + 1)
    types.push_back(parts[0].substr(start, comma - start));
  types.push_back(parts[0].substr(start));
  if (types.size() != 1 && types.size() != 3) return fail("give one type, or three: A,x,y");
  dtype parsed[3];
  for (std::size_t i = 0; i < types.size(); ++i)
    if (!parse_dtype(types[i], parsed[i]))
      return fail("type '" + types[i] + "' is not f32, f16, bf16, f64, e4m3, e5m2 or i8");
  out.types = types.size() == 1 ? operand_types(parsed[0])
                                : operand_types(parsed[0], parsed[1], parsed[2]);
  if (!is_supported_combination(out.types.a, out.types.x, out.types.y))
    return fail("gemv does not run " + out.types.name() +
                " (one type of f32, f16, bf16, f64; f16/bf16 A with f32 x and y or with x of "
                "A's type and f32 y; e4m3, e5m2 or i8 A with x and y both f16, both bf16 or "
                "both f32)");

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
