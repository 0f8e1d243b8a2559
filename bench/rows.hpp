#pragma once
// Which benchmark rows a shape has. Every shape has a `gemv` row and a
// `ceiling` row; what it is compared with follows from its element types and
// its epilogue:
//
//   one type throughout   cublas (cuBLAS's gemv of that type)
//   8-bit A               cublas (cuBLASLt's fp8 matmul, or cuBLAS on A widened
//                         to 16 bits where cuBLASLt has none), gemv_bf16 (or
//                         gemv_f16: the 16-bit gemv of the same shape)
//   16-bit A, f32 y       cublas (cublas{HSS,TSS}gemv), gemv_bf16 / gemv_f16
//                         (the same-type call)
//   a fused epilogue      gemv_plain (the call without it), unfused (the plain
//                         call, then one bias-and-activation kernel)
//   a strided batch       cublas (cuBLAS's strided batched gemv), arrays (one
//                         gemv::gemv_batched call on device arrays of the
//                         members' pointers), loop (one gemv::gemv per member)
//   several vectors       cublas (cuBLAS's GEMM with n = the vectors), single
//                         (one gemv::gemv of the first vector on the same A)

#include "shapes.hpp"

#include <string>
#include <vector>

namespace gemv::bench {

enum class row_kind { gemv, cublas, gemv_16bit, gemv_plain, unfused, arrays, loop, single, ceiling };

constexpr bool is_8bit(dtype t) { return t == dtype::e4m3 || t == dtype::e5m2 || t == dtype::i8; }
constexpr bool is_16bit(dtype t) { return t == dtype::f16 || t == dtype::bf16; }

/// Whether the shape is measured beside the 16-bit gemv of the same problem:
/// 8-bit weights and mixed 16-bit / float types, without an epilogue, a
/// batch or several vectors.
inline bool has_16bit_twin(const shape& s) {
  return !s.ep.any() && !s.batch.batched() && !s.multi() && !s.types.uniform();
}

/// The type of that 16-bit gemv: A's if 16-bit, else x's, else bf16.
constexpr dtype sixteen_bit_twin(const operand_types& t) {
  return is_16bit(t.a) ? t.a : is_16bit(t.x) ? t.x : dtype::bf16;
}

/// The rows of `s`, `gemv` first (its row times the others in turn with it).
inline std::vector<row_kind> rows_of(const shape& s) {
  if (s.batch.batched())
    return {row_kind::gemv, row_kind::cublas, row_kind::arrays, row_kind::loop, row_kind::ceiling};
  if (s.multi()) return {row_kind::gemv, row_kind::cublas, row_kind::single, row_kind::ceiling};
  if (s.ep.any()) return {row_kind::gemv, row_kind::gemv_plain, row_kind::unfused, row_kind::ceiling};
  if (has_16bit_twin(s)) return {row_kind::gemv, row_kind::cublas, row_kind::gemv_16bit, row_kind::ceiling};
  return {row_kind::gemv, row_kind::cublas, row_kind::ceiling};
}

/// The last part of a row's name: "gemv", "cublas", "gemv_bf16", "arrays", "loop", ...
inline std::string row_name(const shape& s, row_kind k) {
  switch (k) {
    case row_kind::gemv: return "gemv";
    case row_kind::cublas: return "cublas";
    case row_kind::gemv_16bit: return std::string("gemv_") + to_string(sixteen_bit_twin(s.types));
    case row_kind::gemv_plain: return "gemv_plain";
    case row_kind::unfused: return "unfused";
    case row_kind::arrays: return "arrays";
    case row_kind::loop: return "loop";
    case row_kind::single: return "single";
    case row_kind::ceiling: return "ceiling";
  }
  return "unknown";
}

/// "TYPES/LAYOUT/OP/MxN[/EPILOGUE|/BATCH|/VECTORS]/KIND": the Google Benchmark name of a row.
inline std::string row_full_name(const shape& s, row_kind k) { return s.name() + "/" + row_name(s, k); }

}  // namespace gemv::bench
