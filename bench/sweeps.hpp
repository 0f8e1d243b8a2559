#pragma once
// The sweeps beyond the default one (--sweep=NAME): the batch-1 decode
// projections of open language models, every row-length class, the element
// types and fused epilogue beyond one 16/32-bit type, strided batches, and
// several vectors against one matrix.

#include "shapes.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gemv::bench {

/// Every projection of one decoder layer at batch 1, plus the vocabulary
/// projection, in bf16 and f16 (weights stored row-major, out x in): the
/// published shapes of a small (Llama 3.2 1B: hidden 2048, 8 KV heads of 64,
/// MLP 8192), an 8B-class (Llama 3.1 8B: 4096, 8 x 128, 14336) and a
/// 70B-class model (Llama 3.1 70B: 8192, 8 x 128, 28672), all with a
/// 128256-token vocabulary. q/o, k/v, gate/up and down each appear once.
inline std::vector<shape> model_sweep() {
  struct model {
    std::int64_t hidden, kv, mlp, vocab;
  };
  const model models[] = {{2048, 512, 8192, 128256}, {4096, 1024, 14336, 128256},
                          {8192, 1024, 28672, 128256}};
  std::vector<shape> out;
  for (dtype t : {dtype::bf16, dtype::f16}) {
    for (const model& m : models) {
      for (const auto& [rows, cols] : {std::pair{m.hidden, m.hidden}, std::pair{m.kv, m.hidden},
                                       std::pair{m.mlp, m.hidden}, std::pair{m.hidden, m.mlp},
                                       std::pair{m.vocab, m.hidden}}) {
        out.push_back({t, layout::row_major, op::n, rows, cols});
      }
    }
  }
  return out;
}

/// Float rows from 16 bytes to 4 MB, each with many rows (64 MB of A) and
/// with few (one row per SM of a large card: 128), and three odd sizes.
inline std::vector<shape> row_length_sweep() {
  std::vector<shape> out;
  for (std::int64_t cols = 4; cols <= (std::int64_t{1} << 20); cols *= 4) {
    out.push_back({dtype::f32, layout::row_major, op::n, (std::int64_t{16} << 20) / cols, cols});
    out.push_back({dtype::f32, layout::row_major, op::n, 128, cols});
  }
  for (const auto& [rows, cols] : {std::pair<std::int64_t, std::int64_t>{12345, 6789},
                                   {100003, 333}, {777, 77777}}) {
    out.push_back({dtype::f32, layout::row_major, op::n, rows, cols});
  }
  return out;
}

/// Element types and the fused epilogue, each beside what it replaces:
///  - double: the float shapes of the default sweep, beside cublasDgemv;
///  - e4m3 and int8 weights with bf16 x and y on the decode projections of
///    an 8B- and a 70B-class model and the vocabulary projection, beside
///    cuBLASLt's fp8 matmul (or cuBLAS in bf16) and the bf16 gemv;
///  - bf16 A with float x and y, and with bf16 x and float y, beside the
///    bf16 gemv;
///  - bias + SiLU fused into a bf16 call, beside the plain call and the
///    plain call followed by a separate kernel.
inline std::vector<shape> types_sweep() {
  constexpr auto R = layout::row_major;
  constexpr auto N = op::n;
  const dtype f32 = dtype::f32, bf16 = dtype::bf16;
  std::vector<shape> out;
  for (shape s : default_sweep()) {
    if (s.types.a != f32) continue;
    s.types = dtype::f64;
    out.push_back(s);
  }
  const std::pair<std::int64_t, std::int64_t> decode[] = {
      {128256, 4096}, {14336, 4096}, {4096, 14336}, {28672, 8192}, {8192, 28672}};
  for (dtype weights : {dtype::e4m3, dtype::i8})
    for (const auto& [rows, cols] : decode) out.push_back({{weights, bf16, bf16}, R, N, rows, cols});
  const std::pair<std::int64_t, std::int64_t> two_decode[] = {{14336, 4096}, {4096, 14336}};
  for (const operand_types& t : {operand_types{bf16, f32, f32}, operand_types{bf16, bf16, f32}})
    for (const auto& [rows, cols] : two_decode) out.push_back({t, R, N, rows, cols});
  for (const auto& [rows, cols] : two_decode)
    out.push_back({bf16, R, N, rows, cols, {true, activation::silu}});
  return out;
}

/// Strided batches (gemv::gemv_strided_batched), row-major op n, beside
/// cuBLAS's strided batched gemv and one gemv::gemv per member:
///  - bf16: many tiny members (4096 of 16x16, 1024 of 64x64, 256 of
///    256x256), attention-like members (64 heads of 128x4096, and 64 of
///    4096x128: a head's keys against its query);
///  - f32: the reference problem's rows as 8 members of 256x1048576 (8 GiB),
///    and 4096 of 16x16;
///  - bf16, one 4096x4096 A shared by 8 members (stride_a 0): many vectors
///    through one matrix.
inline std::vector<shape> batch_sweep() {
  constexpr auto R = layout::row_major;
  constexpr auto N = op::n;
  const dtype f32 = dtype::f32, bf16 = dtype::bf16;
  // clang-format off
  return {
      {bf16, R, N, 16, 16, {}, {4096}},
      {bf16, R, N, 64, 64, {}, {1024}},
      {bf16, R, N, 256, 256, {}, {256}},
      {bf16, R, N, 128, 4096, {}, {64}},
      {bf16, R, N, 4096, 128, {}, {64}},
      {f32, R, N, 256, 1048576, {}, {8}},
      {f32, R, N, 16, 16, {}, {4096}},
      {bf16, R, N, 4096, 4096, {}, {8, /*shared_a=*/true}},
  };
  // clang-format on
}

/// Several vectors against one A (gemv::gemv_multi), beside cuBLAS's GEMM
/// with n = k and one gemv of one vector: each shape of the default sweep
/// whose A holds from 64 MiB (past the H200's 60 MB L2, so a vector does not
/// find A cached by the one before it) to 2 GiB (the 8 GiB reference problem
/// would be filled again for every k), the 8B-class decode projections
/// bf16 14336x4096 and 4096x14336 among them, with k = 2, 4 and 8; and
/// k = 16 on bf16 14336x4096.
inline std::vector<shape> multi_sweep() {
  constexpr std::int64_t min_a_bytes = std::int64_t{64} << 20, max_a_bytes = std::int64_t{2} << 30;
  std::vector<shape> out;
  for (shape s : default_sweep()) {
    if (s.matrix_bytes() < min_a_bytes || s.matrix_bytes() > max_a_bytes) continue;
    for (int k : {2, 4, 8}) {
      s.vectors = k;
      out.push_back(s);
    }
  }
  out.push_back({dtype::bf16, layout::row_major, op::n, 14336, 4096, {}, {}, /*vectors=*/16});
  return out;
}

/// The sweep called `name`, or false for an unknown name.
inline bool named_sweep(const std::string& name, std::vector<shape>& out) {
  if (name == "default") {
    out = default_sweep();
  } else if (name == "models") {
    out = model_sweep();
  } else if (name == "rows") {
    out = row_length_sweep();
  } else if (name == "types") {
    out = types_sweep();
  } else if (name == "batch") {
    out = batch_sweep();
  } else if (name == "multi") {
    out = multi_sweep();
  } else {
    return false;
  }
  return true;
}

}  // namespace gemv::bench
