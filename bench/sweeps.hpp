#pragma once
// The sweeps beyond the default one (--sweep=NAME): the batch-1 decode
// projections of open language models, and every row-length class.

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

/// The sweep called `name`, or false for an unknown name.
inline bool named_sweep(const std::string& name, std::vector<shape>& out) {
  if (name == "default") {
    out = default_sweep();
  } else if (name == "models") {
    out = model_sweep();
  } else if (name == "rows") {
    out = row_length_sweep();
  } else {
    return false;
  }
  return true;
}

}  // namespace gemv::bench
