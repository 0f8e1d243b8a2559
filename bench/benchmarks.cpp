// The Google Benchmark rows. Per shape, three rows:
//
//   TYPE/LAYOUT/OP/MxN/gemv     gemv::gemv<T>, the default dispatch; label = the plan
//   TYPE/LAYOUT/OP/MxN/cublas   the fastest cuBLAS entry point; label = which one
//   TYPE/LAYOUT/OP/MxN/ceiling  the fastest streaming read of A's bytes; label = which one
//
// Timing: each row runs a single benchmark iteration (Iterations(1)) that
// takes many samples itself (warm-up, then one CUDA-event-timed launch per
// sample, each after an L2 flush outside the events) and reports their
// median through SetIterationTime. The median is over the samples of one
// iteration, so no ->Repetitions() is needed; --benchmark_repetitions=N
// still works and gives medians of medians.
//
// Comparison counters: the gemv row also times cuBLAS and the ceiling, in
// turn with its own samples (gemv, cuBLAS, ceiling, gemv, ...; each after a
// flush), and reports
//   pct_of_ceiling    = 100 * gemv GB/s / ceiling GB/s
//   speedup_vs_cublas = cuBLAS median / gemv median
// so each ratio comes from measurements interleaved on the same buffers,
// whether or not the other rows pass the filter. --compare=0 turns
// this off (profiling). GB/s counts what must move: A once, x once, y once
// (twice when beta != 0); the ceiling's GB/s counts A's bytes only.

#include "benchmarks.hpp"

#include "check.hpp"
#include "workload.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

namespace gemv::bench {
namespace {

void throw_unless_success(status s, const char* what) {
  if (s != status::success) throw failure(std::string(what) + ": " + to_string(s));
}

double gbps(std::int64_t bytes, double seconds) { return seconds > 0 ? bytes / seconds / 1e9 : 0; }

/// Reports a sampled median as the iteration's time, with bytes and GB/s.
void report(benchmark::State& st, const timing& t, std::int64_t bytes) {
  st.SetIterationTime(t.median);
  st.SetBytesProcessed(bytes);
  st.counters["GB/s"] = gbps(bytes, t.median);
  st.counters["samples"] = t.samples;
}

timing time_gemv(environment& env, workload& w) {
  return measure(env.stream, env.flush,
                 env.sampling_for(w.problem_shape().moved_bytes(w.call().beta)),
                 [&](cudaStream_t s) { w.run_gemv(s); });
}

timing time_cublas(environment& env, workload& w) {
  cublas_reference& ref = w.cublas();
  return measure(env.stream, env.flush,
                 env.sampling_for(w.problem_shape().moved_bytes(env.opts.beta)),
                 [&](cudaStream_t s) { ref.run(s); });
}

timing time_ceiling(environment& env, workload& w) {
  w.ceiling_variant();  // the choice stays outside the timed samples
  return measure(env.stream, env.flush, env.sampling_for(w.problem_shape().matrix_bytes()),
                 [&](cudaStream_t s) { w.read_ceiling(s); });
}

void gemv_row(benchmark::State& st, environment& env, const shape& s) {
  try {
    workload& w = env.acquire(s);
    plan pl;
    throw_unless_success(plan_of(w.call(), pl), "choose_plan");
    st.SetLabel(to_string(pl));
    // The first call also allocates the library's scratch for split plans,
    // so this run keeps that allocation out of the samples.
    const double error = w.default_error();
    if (!(error <= tolerance(s.type))) {
      char msg[160];
      std::snprintf(msg, sizeof msg,
                    "gemv differs from cuBLAS: relative 2-norm difference %.3g > %.3g", error,
                    tolerance(s.type));
      st.SkipWithError(msg);
      return;
    }
    const std::int64_t bytes = s.moved_bytes(env.opts.beta);
    for (auto _ : st) {
      if (!env.opts.compare) {
        report(st, time_gemv(env, w), bytes);
        continue;
      }
      cublas_reference& ref = w.cublas();
      w.ceiling_variant();  // the choice stays outside the timed samples
      const std::vector<timing> t = measure_alternating(
          env.stream, env.flush, env.sampling_for(bytes),
          {[&](cudaStream_t stream) { w.run_gemv(stream); },
           [&](cudaStream_t stream) { ref.run(stream); },
           [&](cudaStream_t stream) { w.read_ceiling(stream); }});
      const timing& g = t[0];
      report(st, g, bytes);
      st.counters["pct_of_ceiling"] = 100.0 * gbps(bytes, g.median) / gbps(s.matrix_bytes(), t[2].median);
      st.counters["speedup_vs_cublas"] = t[1].median / g.median;
    }
  } catch (const std::exception& e) {
    st.SkipWithError(e.what());
  }
}

void cublas_row(benchmark::State& st, environment& env, const shape& s) {
  try {
    workload& w = env.acquire(s);
    cublas_reference& ref = w.cublas();
    st.SetLabel(cublas_reference::name(ref.chosen(), s.type));
    for (auto _ : st) report(st, time_cublas(env, w), s.moved_bytes(env.opts.beta));
  } catch (const std::exception& e) {
    st.SkipWithError(e.what());
  }
}

void ceiling_row(benchmark::State& st, environment& env, const shape& s) {
  try {
    workload& w = env.acquire(s);
    st.SetLabel(env.reader.name(w.ceiling_variant()));
    for (auto _ : st) report(st, time_ceiling(env, w), s.matrix_bytes());
  } catch (const std::exception& e) {
    st.SkipWithError(e.what());
  }
}

}  // namespace

void register_rows(environment& env, const std::vector<shape>& shapes) {
  using row_fn = void (*)(benchmark::State&, environment&, const shape&);
  const std::pair<const char*, row_fn> rows[] = {
      {"gemv", gemv_row}, {"cublas", cublas_row}, {"ceiling", ceiling_row}};
  for (const shape& s : shapes) {
    for (const auto& [kind, fn] : rows) {
      const std::string name = s.name() + "/" + kind;
      benchmark::RegisterBenchmark(name.c_str(),
                                   [&env, s, fn = fn](benchmark::State& st) { fn(st, env, s); })
          ->UseManualTime()
          ->Iterations(1)
          ->Unit(benchmark::kMicrosecond);
    }
  }
}

}  // namespace gemv::bench
