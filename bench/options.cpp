// The benchmark's own flags (see options.hpp).

#include "options.hpp"

#include "sweeps.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace gemv::bench {
namespace {

/// "--name=value" -> value, when `arg` starts with "--name=".
bool value_of(const char* arg, const char* name, std::string& value) {
  const std::size_t len = std::strlen(name);
  if (std::strncmp(arg, name, len) != 0 || arg[len] != '=') return false;
  value = arg + len + 1;
  return true;
}

bool to_number(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0';
}

}  // namespace

std::vector<shape> options::shapes() const {
  std::vector<shape> all;
  if (default_sweep) named_sweep(sweep, all);
  for (const shape& s : extra_shapes)
    if (std::find(all.begin(), all.end(), s) == all.end()) all.push_back(s);
  return all;
}

bool parse_options(int& argc, char** argv, options& out, std::string& error) {
  const auto fail = [&](const char* message) {
    error = message;
    return false;
  };
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const char* arg = argv[i];
    std::string v;
    double num = 0;
    if (value_of(arg, "--shape", v)) {
      shape s;
      if (!parse_shape(v, s, error)) return false;
      out.extra_shapes.push_back(s);
    } else if (value_of(arg, "--sweep", v)) {
      std::vector<shape> unused;
      if (!named_sweep(v, unused))
        return fail("--sweep is default, models, rows, types, batch or multi");
      out.sweep = v;
    } else if (std::strcmp(arg, "--no-default-sweep") == 0) {
      out.default_sweep = false;
    } else if (std::strcmp(arg, "--list") == 0) {
      out.list = true;
    } else if (std::strcmp(arg, "--tune") == 0) {
      out.tune = true;
    } else if (std::strcmp(arg, "--tune-verbose") == 0) {
      out.tune = out.tune_verbose = true;
    } else if (value_of(arg, "--samples", v)) {
      if (!to_number(v, num) || num < 1 || num > 100000) return fail("bad --samples");
      out.samples = static_cast<int>(num);
    } else if (value_of(arg, "--alpha", v)) {
      if (!to_number(v, num)) return fail("bad --alpha");
      out.alpha = static_cast<float>(num);
    } else if (value_of(arg, "--beta", v)) {
      if (!to_number(v, num)) return fail("bad --beta");
      out.beta = static_cast<float>(num);
    } else if (value_of(arg, "--compare", v)) {
      if (v != "0" && v != "1") return fail("--compare is 0 or 1");
      out.compare = v == "1";
    } else if (value_of(arg, "--flush", v)) {
      if (v == "full") {
        out.flush = flush_mode::full;
      } else if (v == "memset") {
        out.flush = flush_mode::memset;
      } else if (v == "none") {
        out.flush = flush_mode::none;
      } else {
        return fail("--flush is full, memset or none");
      }
    } else if (value_of(arg, "--device", v)) {
      if (!to_number(v, num) || num < 0) return fail("bad --device");
      out.device = static_cast<int>(num);
    } else {
      argv[kept++] = argv[i];
      continue;
    }
  }
  argc = kept;
  argv[argc] = nullptr;
  if (out.shapes().empty()) return fail("--no-default-sweep needs at least one --shape");
  return true;
}

const char* options_help() {
  return R"(gemv_bench: gemv against cuBLAS and a streaming-read ceiling.

gemv_bench flags (everything else goes to Google Benchmark):
  --shape=TYPES:LAYOUT:OP:MxN[:EPILOGUE|:BATCH|:VECTORS]
                              add a shape, e.g. --shape=f16:row:t:4096x11008 or
                              --shape=e4m3,bf16,bf16:row:n:14336x4096; repeatable.
                              TYPES: one type for A, x and y, or A,X,Y, each f32|f16|
                              bf16|f64|e4m3|e5m2|i8; LAYOUT row|col; OP n|t; EPILOGUE
                              bias, relu, gelu_tanh, gelu_erf, silu or bias+ACTIVATION;
                              BATCH batch=N (N >= 2 members of MxN, a strided batch;
                              types cuBLAS has: f32|f64|f16|bf16, or f16/bf16 A and x
                              with f32 y), then ,shared_a and/or ,shared_x for one A
                              or x read by every member (stride 0); VECTORS
                              vectors=K (K from 1 to 16 vectors against one A, one
                              gemv_multi call; types as for BATCH)
  --sweep=NAME                the sweep to run: default, models (batch-1 decode
                              projections of 1B-, 8B- and 70B-class models, bf16
                              and f16), rows (float rows of 16 B to 4 MB, many
                              and few, and odd sizes), types (double, fp8 and
                              int8 weights, mixed bf16/float, fused bias + SiLU),
                              batch (strided batches: many tiny members,
                              attention-like heads, the reference problem in 8
                              members, one A shared by 8 vectors) or multi
                              (2, 4 and 8 vectors against each default shape of
                              64 MiB to 2 GiB of A; 16 on bf16 14336x4096)
  --no-default-sweep          run only the --shape shapes
  --list                      print the names of the rows and exit (no GPU needed)
  --samples=N                 timed launches per row (default: 100, 30 or 20 by size)
  --alpha=F --beta=F          scalars (default 1 and 0; beta != 0 counts y twice)
  --compare=0|1               time the shape's other rows inside each gemv row for
                              pct_of_ceiling, the speedup_vs_* counters and vs_single
                              (default 1)
  --flush=full|memset|none    L2 flush before each timed launch (default full)
  --device=N                  CUDA device (default 0)
  --tune                      time every candidate policy per shape instead, and
                              print the best and a tuning table for this card
  --tune-verbose              --tune, listing every candidate

Rows are named TYPES/LAYOUT/OP/MxN[/EPILOGUE|/BATCH|/VECTORS]/KIND, KIND one of
gemv, cublas, ceiling, and for some shapes gemv_bf16 (gemv_f16), gemv_plain,
unfused, loop (a batch: one gemv::gemv per member), single (several vectors:
one gemv::gemv of the first); filter them with
--benchmark_filter=REGEX, write JSON with --benchmark_out=FILE
--benchmark_out_format=json.
)";
}

}  // namespace gemv::bench
