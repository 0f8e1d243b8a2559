// The Google Benchmark rows. Per shape, the rows rows.hpp lists:
//
//   TYPES/LAYOUT/OP/MxN/gemv     gemv::gemv, the default dispatch; label = the plan
//   TYPES/LAYOUT/OP/MxN/cublas   the cuBLAS (or cuBLASLt) yardstick; label = which call
//   TYPES/LAYOUT/OP/MxN/ceiling  the fastest streaming read of A's bytes; label = which one
//   and, by types and epilogue, gemv_bf16 / gemv_f16, gemv_plain, unfused;
//   for a strided batch (TYPES/LAYOUT/OP/MxN/batch=B/KIND) gemv is one
//   gemv_strided_batched call, cublas cuBLAS's, arrays one gemv_batched call
//   on device arrays of the same members' pointers, and loop one gemv::gemv
//   per member; for several vectors (TYPES/LAYOUT/OP/MxN/vectors=K/KIND)
//   gemv is one gemv_multi call, cublas cuBLAS's GEMM with n = K, and single
//   one gemv::gemv of the first vector.
//
// Timing: each row runs a single benchmark iteration (Iterations(1)) that
// takes many samples itself (warm-up, then one CUDA-event-timed launch per
// sample, each after an L2 flush outside the events) and reports their
// median through SetIterationTime. The median is over the samples of one
// iteration, so no ->Repetitions() is needed; --benchmark_repetitions=N
// still works and gives medians of medians.
//
// Comparison counters: the gemv row also times every other row of its
// shape, in turn with its own samples (gemv, cuBLAS, ceiling, gemv, ...;
// each after a flush), and reports
//   pct_of_ceiling      = 100 * gemv GB/s / ceiling GB/s
//   speedup_vs_cublas   = cuBLAS median / gemv median
//   speedup_vs_16bit    = 16-bit gemv median / gemv median  (8-bit and mixed types)
//   speedup_vs_plain    = plain gemv median / gemv median   (fused epilogue)
//   speedup_vs_unfused  = unfused median / gemv median      (fused epilogue)
//   speedup_vs_loop     = loop median / gemv median         (strided batch)
//   vs_strided          = arrays median / gemv median       (strided batch)
//   vs_single           = gemv median / single median       (several vectors)
// so each ratio comes from measurements interleaved on the same buffers,
// whether or not the other rows pass the filter. --compare=0 turns
// this off (profiling). GB/s counts what each row's work must move
// (workload::bytes): for gemv, A, x and y once each at their own sizes (y
// twice when beta != 0) and the bias; the ceiling's GB/s counts A's bytes.
// A batch's rows, arrays and loop included, all count what the batch moves
// (every member's A, x and y; a shared A or x once), and its ceiling reads
// that many bytes; so do several vectors' rows (A once, every vector's x
// and y), but for single, which counts one vector's call.

#include "benchmarks.hpp"

#include "check.hpp"
#include "workload.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace gemv::bench {
namespace {

double gbps(std::int64_t bytes, double seconds) { return seconds > 0 ? bytes / seconds / 1e9 : 0; }

/// Reports a sampled median as the iteration's time, with bytes and GB/s.
void report(benchmark::State& st, const timing& t, std::int64_t bytes) {
  st.SetIterationTime(t.median);
  st.SetBytesProcessed(bytes);
  st.counters["GB/s"] = gbps(bytes, t.median);
  st.counters["samples"] = t.samples;
}

/// The counter of the gemv row that compares it with row `k`, if any.
const char* speedup_counter(row_kind k) {
  switch (k) {
    case row_kind::cublas: return "speedup_vs_cublas";
    case row_kind::gemv_16bit: return "speedup_vs_16bit";
    case row_kind::gemv_plain: return "speedup_vs_plain";
    case row_kind::unfused: return "speedup_vs_unfused";
    case row_kind::loop: return "speedup_vs_loop";
    default: return nullptr;
  }
}

/// The correctness guard of row `k` (gemv, or arrays on gemv's y): false,
/// with the row skipped and why, when its output differs from the reference.
bool passes_guard(benchmark::State& st, workload& w, const shape& s, row_kind k) {
  const double error = w.error_of(k);
  if (error <= w.tolerance()) return true;
  char msg[400];
  std::snprintf(msg, sizeof msg, "%s differs from %s: relative 2-norm difference %.3g > %.3g",
                row_name(s, k).c_str(), w.reference_name().c_str(), error, w.tolerance());
  st.SkipWithError(msg);
  return false;
}

void gemv_row(benchmark::State& st, environment& env, const shape& s) {
  try {
    workload& w = env.acquire(s);
    st.SetLabel(w.label(row_kind::gemv));
    // The first call also allocates the library's scratch for split plans,
    // so this run keeps that allocation out of the samples.
    if (!passes_guard(st, w, s, row_kind::gemv)) return;
    const std::int64_t bytes = w.bytes(row_kind::gemv);
    std::vector<row_kind> kinds = rows_of(s);  // gemv first
    // A wrong arrays result gives no vs_strided; its own row reports why.
    kinds.erase(std::remove_if(kinds.begin() + 1, kinds.end(),
                               [&](row_kind k) {
                                 return k == row_kind::arrays && !(w.error_of(k) <= w.tolerance());
                               }),
                kinds.end());
    std::int64_t launches = 1;  // per sample, of the longest row timed in turn
    for (row_kind k : kinds) launches = std::max(launches, w.launches(k));
    for (auto _ : st) {
      if (!env.opts.compare) {
        report(st, measure(env.stream, env.flush, env.sampling_for(bytes),
                           [&](cudaStream_t stream) { w.run(row_kind::gemv, stream); }),
               bytes);
        continue;
      }
      std::vector<std::function<void(cudaStream_t)>> ops;
      for (row_kind k : kinds) {
        w.label(k);  // the row's warm-up choices stay outside the timed samples
        ops.push_back([&w, k](cudaStream_t stream) { w.run(k, stream); });
      }
      const std::vector<timing> t =
          measure_alternating(env.stream, env.flush, env.sampling_for(bytes, launches), ops);
      const timing& g = t[0];
      report(st, g, bytes);
      for (std::size_t i = 1; i < kinds.size(); ++i) {
        if (kinds[i] == row_kind::ceiling) {
          st.counters["pct_of_ceiling"] =
              100.0 * gbps(bytes, g.median) / gbps(w.bytes(row_kind::ceiling), t[i].median);
        } else if (kinds[i] == row_kind::arrays) {
          // The pointer-array call's time over the strided call's on the
          // same members (a time ratio, lower is better): 1 where reaching
          // the members through pointers costs nothing.
          st.counters["vs_strided"] = t[i].median / g.median;
        } else if (kinds[i] == row_kind::single) {
          // k vectors' time over one vector's: k where each vector rereads A,
          // towards 1 where the rows are read once for all of them.
          st.counters["vs_single"] = g.median / t[i].median;
        } else if (const char* counter = speedup_counter(kinds[i])) {
          st.counters[counter] = t[i].median / g.median;
        }
      }
    }
  } catch (const std::exception& e) {
    st.SkipWithError(e.what());
  }
}

/// Any other row: its own work, timed alone.
void other_row(benchmark::State& st, environment& env, const shape& s, row_kind k) {
  try {
    workload& w = env.acquire(s);
    st.SetLabel(w.label(k));
    // arrays writes gemv's y, so it answers to the same guard.
    if (k == row_kind::arrays && !passes_guard(st, w, s, k)) return;
    const std::int64_t bytes = w.bytes(k);
    for (auto _ : st)
      report(st, measure(env.stream, env.flush, env.sampling_for(bytes, w.launches(k)),
                         [&](cudaStream_t stream) { w.run(k, stream); }),
             bytes);
  } catch (const std::exception& e) {
    st.SkipWithError(e.what());
  }
}

}  // namespace

void register_rows(environment& env, const std::vector<shape>& shapes) {
  for (const shape& s : shapes) {
    for (row_kind k : rows_of(s)) {
      benchmark::RegisterBenchmark(row_full_name(s, k).c_str(),
                                   [&env, s, k](benchmark::State& st) {
                                     if (k == row_kind::gemv) {
                                       gemv_row(st, env, s);
                                     } else {
                                       other_row(st, env, s, k);
                                     }
                                   })
          ->UseManualTime()
          ->Iterations(1)
          ->Unit(benchmark::kMicrosecond);
    }
  }
}

}  // namespace gemv::bench
