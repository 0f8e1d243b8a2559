// The tuning mode (see tune.hpp).
//
// Per shape: every candidate policy of the kernel families that can run it
// (at most ~60), each through gemv::gemv_with_policy with caller scratch,
// checked once against cuBLAS and then timed like the benchmark rows (median
// of 20 event-timed launches, L2 flushed before each). A candidate whose
// first 3 samples are over twice the best so far stops there.
//
// The table snippet: for each table entry (row_warp, row_block, row_subwarp,
// column, column_whole), the shapes whose default plan uses that entry vote.
// A tile's score is the geometric mean, over those shapes, of its time
// divided by the best time of that family's auto-split tiles on the shape;
// the lowest score wins, and the current value stays when it is within 0.5%
// of the winner. row_block and column_whole are reshaped by the dispatch to
// each problem (narrowed to the row; lanes and threads fitted to the
// outputs and rows), so their candidates are entry values: each is timed as
// the plan the default dispatch builds from a table holding it. Entries no
// shape uses keep their current value. split_waves (row split-K) and
// column_blocks_per_sm (split column plans) double or halve when 2x or 0.5x
// the automatic split count of the table's tile wins by over 3% in geometric
// mean on that family's split shapes; the other thresholds are carried over
// unchanged, since this sweep measures tiles, not where one family should
// hand over to the next.

#include "tune.hpp"

#include "check.hpp"
#include "workload.hpp"

#include <gemv/device.cuh>
#include <gemv/dispatch/make_plan.cuh>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <map>
#include <string>
#include <tuple>

namespace gemv::bench {
namespace {

enum entry { e_row_warp, e_row_block, e_row_subwarp, e_column, e_column_whole, e_count };
const char* const kEntryNames[e_count] = {"row_warp", "row_block", "row_subwarp", "column",
                                          "column_whole"};

struct candidate {
  policy forced;     ///< what was asked for, in the table's vocabulary
  std::string note;  ///< why it is in the list, for split and lane variants
  plan bound;        ///< what the dispatch made of it
  timing t;
  double error = 0;
  std::string problem;  ///< non-empty: did not run or gave a wrong result
  /// For a table-entry candidate: the entry it stands for (else e_count)
  /// and the value tried there; `forced` is then the plan the default
  /// dispatch builds from a table holding that value.
  entry as_entry = e_count;
  policy entry_value{};
};

/// The table entry a default plan comes from.
entry entry_of(const plan& pl, const device_info& dev, const tuning::table& t) {
  switch (pl.pol.kernel) {
    case kernel_kind::row_warp:
      return e_row_warp;
    case kernel_kind::row_subwarp:
      return e_row_subwarp;
    case kernel_kind::column:
      return detail::whole_column_tile(pl.prob, dev, t).splits == 1 ? e_column_whole : e_column;
    default:
      return e_row_block;  // row_block and row_split_k share the entry
  }
}

/// Whether a candidate competes for a table entry on a shape whose default
/// plan runs `kernel`: for row_block and column_whole, which the dispatch
/// reshapes to each problem, the plans it builds from each tried entry value;
/// for the others, tiles of that kernel with automatic splits (and lanes).
bool competes_for(entry e, const candidate& c, kernel_kind kernel, int auto_lanes) {
  if (!c.problem.empty()) return false;
  if (e == e_row_block || e == e_column_whole) return c.as_entry == e;
  if (c.as_entry != e_count || c.forced.kernel != kernel) return false;
  const bool lanes_ok = c.forced.kernel != kernel_kind::row_subwarp || c.forced.lanes == auto_lanes;
  return c.forced.splits == 0 && lanes_ok;
}

struct shape_result {
  shape s;
  plan default_plan;
  timing default_t;
  timing cublas_t;
  std::string cublas_name;
  std::vector<candidate> candidates;
  int auto_lanes = 0;         ///< row_subwarp's lanes for this row length
  entry table_entry = e_count;  ///< the table entry the default plan comes from
};

bool same_plan(const plan& a, const plan& b) {
  return a.pol == b.pol && a.splits == b.splits && a.vectorized == b.vectorized &&
         a.staged == b.staged && a.joined == b.joined;
}

/// The candidate list of one problem, whose default plan comes from table
/// entry `uses`; see the file comment for the limits.
std::vector<candidate> candidates_for(const problem& prob, const device_info& dev,
                                      const tuning::table& t, entry uses, int& auto_lanes) {
  std::vector<candidate> out;
  const auto add = [&](policy p, std::string note = {}) {
    if (!is_supported(p, prob.kind)) return;
    out.push_back({p, std::move(note), make_plan(prob, dev, p), {}, 0, {}});
  };
  const auto auto_splits = [&](policy p) { return make_plan(prob, dev, p).splits; };
  const auto split_variants = [&](policy p) {
    const std::int64_t s = auto_splits(p);
    if (s <= 1) return;
    p.splits = static_cast<int>(std::min<std::int64_t>(2 * s, 65535));
    add(p, "2x auto splits");
    p.splits = static_cast<int>(std::max<std::int64_t>(1, s / 2));
    add(p, "0.5x auto splits");
  };

  // Table-entry candidates, for the entries the dispatch reshapes to the
  // problem: a tile timed as forced would not be what a table holding it
  // runs (a row_block entry is narrowed to the row, a column_whole entry to
  // the outputs and rows).
  const auto add_as_entry = [&](entry e, policy value) {
    tuning::table trial = t;
    (e == e_row_block ? trial.row_block : trial.column_whole) = value;
    const plan pl = make_plan(prob, dev, trial);
    if (entry_of(pl, dev, trial) != e) return;  // the entry would not be used
    out.push_back({pl.pol, "as table entry " + to_string(value), pl, {}, 0, {}, e, value});
  };
  if (uses == e_row_block) {
    for (int threads : {128, 256, 512})
      for (int rows : tiles::kRows)
        for (int unroll : tiles::kRowUnrolls)
          add_as_entry(e_row_block, {kernel_kind::row_block, threads, rows, 0, unroll, 0});
  }
  if (uses == e_column_whole) {
    for (int threads : {256, 512})
      for (int lanes : {8, 16, 32})
        for (int unroll : {4, 8})
          add_as_entry(e_column_whole, {kernel_kind::column, threads, 0, lanes, unroll, 1});
  }

  if (prob.kind == reduction::across_rows) {
    for (int threads : {128, 256, 512})
      for (int lanes : {8, 16, 32, 64})
        for (int unroll : {2, 4, 8}) add({kernel_kind::column, threads, 0, lanes, unroll, 0});
    split_variants(t.column);
    // Whole-reduction tiles (column_whole): one launch, a block per tile.
    for (int threads : {256, 512})
      for (int lanes : {8, 16, 32})
        for (int unroll : {4, 8}) add({kernel_kind::column, threads, 0, lanes, unroll, 1}, "unsplit");
    return out;
  }

  for (int threads : {128, 256, 512})
    for (int rows : tiles::kRows)
      for (int unroll : tiles::kRowUnrolls) add({kernel_kind::row_warp, threads, rows, 0, unroll, 0});

  // Block-per-row and split-K: for rows longer than a warp's step.
  if (prob.cols * size_of(prob.type) > 512) {
    for (int threads : {128, 256, 512})
      for (int rows : tiles::kRows) add({kernel_kind::row_block, threads, rows, 0, 4, 0});
    for (int threads : {256, 512})
      for (int rows : tiles::kRows)
        for (int unroll : tiles::kRowUnrolls) add({kernel_kind::row_split_k, threads, rows, 0, unroll, 0});
    policy split = t.row_block;
    split.kernel = kernel_kind::row_split_k;
    add(split);  // the table's own tile, if the grid above missed it
    split_variants(split);
  }

  // Sub-warp tiles for rows up to 4 KB: the automatic lane count and its
  // neighbours (past 1 KB the dispatch gives such rows warps or blocks).
  auto_lanes = make_plan(prob, dev, policy{kernel_kind::row_subwarp, 256, 0, 0, 2, 0}).pol.lanes;
  if (prob.cols * size_of(prob.type) <= 4096) {
    for (int lanes : {auto_lanes / 2, auto_lanes, auto_lanes * 2}) {
      if (lanes < 1 || lanes > 16) continue;
      for (int threads : {128, 256, 512})
        for (int unroll : {2, 4})
          add({kernel_kind::row_subwarp, threads, 0, lanes, unroll, 0},
              lanes == auto_lanes ? "auto lanes" : "");
    }
  }
  return out;
}

std::string policy_literal(const policy& p) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "{kernel_kind::%s, %d, %d, %d, %d, %d}", to_string(p.kernel),
                p.threads, p.rows, p.lanes, p.unroll, p.splits);
  return buf;
}

double gbps(std::int64_t bytes, double seconds) { return seconds > 0 ? bytes / seconds / 1e9 : 0; }

double geomean(const std::vector<double>& v) {
  double log_sum = 0;
  for (double x : v) log_sum += std::log(x);
  return v.empty() ? 0 : std::exp(log_sum / v.size());
}

/// Times every candidate of one shape.
shape_result tune_shape(environment& env, const shape& s) {
  shape_result r;
  r.s = s;
  if (s.batch.batched())  // checked before the workload fills its buffers
    throw failure("a strided batch has no forced-policy call (gemv_with_policy takes one problem)");
  if (s.multi())
    throw failure("several vectors have no forced-policy call (gemv_with_policy takes one vector)");
  workload& w = env.acquire(s);
  const gemv_call c = w.call();
  const std::int64_t bytes = s.moved_bytes(c.beta);
  sampling how = env.sampling_for(bytes);
  how.warmup = 2;
  if (env.opts.samples == 0) how.samples = 20;

  const std::vector<row_kind> rows = rows_of(s);
  if (std::find(rows.begin(), rows.end(), row_kind::cublas) == rows.end())
    throw failure("no cuBLAS yardstick to tune against (a fused epilogue)");
  r.cublas_name = w.label(row_kind::cublas);
  if (plan_of(c, r.default_plan) != status::success) throw failure("choose_plan failed");
  // In turn, sample by sample: the first timing on a fresh workload can run
  // slow (see measure_alternating), and it must not land on one of the two.
  const std::vector<timing> first = measure_alternating(
      env.stream, env.flush, how,
      {[&](cudaStream_t st) { w.run(row_kind::cublas, st); },
       [&](cudaStream_t st) { w.run_gemv(st); }});
  r.cublas_t = first[0];
  r.default_t = first[1];

  int device = 0;
  device_info dev;
  if (current_device(device, dev) != status::success) throw failure("current_device failed");
  const problem prob =
      describe(s.lay, s.trans, s.m, s.n, s.types.a, c.A, c.lda, s.types.x, c.x, c.incx);
  const tuning::table& table = tuning::for_arch(dev.arch);
  r.table_entry = entry_of(r.default_plan, dev, table);
  r.candidates = candidates_for(prob, dev, table, r.table_entry, r.auto_lanes);

  device_buffer ws(kMaxWorkspaceBytes);
  const scratch scr{ws.get(), ws.bytes()};
  w.compute_reference();
  double best = r.default_t.median;
  for (std::size_t i = 0; i < r.candidates.size(); ++i) {
    candidate& cand = r.candidates[i];
    // Identical plans (a tile narrowed to the problem) are timed once.
    const auto twin =
        std::find_if(r.candidates.begin(), r.candidates.begin() + i,
                     [&](const candidate& o) { return same_plan(o.bound, cand.bound); });
    if (twin != r.candidates.begin() + i) {
      cand.t = twin->t;
      cand.error = twin->error;
      cand.problem = twin->problem;
      continue;
    }
    w.reset_y();
    const plan expected = cand.bound;
    const status st = run_forced(c, cand.forced, scr, env.stream, &cand.bound);
    if (st != status::success) {
      cudaGetLastError();
      cand.problem = std::string("status ") + to_string(st);
      continue;
    }
    if (cand.as_entry != e_count && !same_plan(expected, cand.bound)) {
      cand.problem = "forcing the dispatch's plan gave another plan";
      continue;
    }
    cand.error = w.error_against_reference();
    if (!(cand.error <= w.tolerance())) {
      cand.problem = "wrong result (relative difference " + std::to_string(cand.error) + ")";
      continue;
    }
    sampling h = how;
    h.give_up_above = 2 * best;
    cand.t = measure(env.stream, env.flush, h, [&](cudaStream_t st2) {
      if (run_forced(c, cand.forced, scr, st2) != status::success)
        throw failure("gemv_with_policy failed");
    });
    best = std::min(best, cand.t.median);
  }
  return r;
}

const candidate* best_of(const shape_result& r) {
  const candidate* best = nullptr;
  for (const candidate& c : r.candidates)
    if (c.problem.empty() && (!best || c.t.median < best->t.median)) best = &c;
  return best;
}

void print_shape(const shape_result& r, float beta, bool verbose) {
  const std::int64_t bytes = r.s.moved_bytes(beta);
  const auto line = [&](const char* what, const std::string& name, const timing& t) {
    std::printf("  %-8s %-72s %10.1f us %8.1f GB/s\n", what, name.c_str(), t.median * 1e6,
                gbps(bytes, t.median));
  };
  int gave_up = 0, failed = 0;
  for (const candidate& c : r.candidates) {
    gave_up += c.t.gave_up;
    failed += !c.problem.empty();
  }
  std::printf("%s  (%zu candidates, %d stopped early, %d failed)\n", r.s.name().c_str(),
              r.candidates.size(), gave_up, failed);
  line("cuBLAS", r.cublas_name, r.cublas_t);
  line("default", to_string(r.default_plan.pol), r.default_t);
  if (const candidate* b = best_of(r)) {
    line("best", to_string(b->bound.pol) + (b->note.empty() ? "" : " (" + b->note + ")"), b->t);
    std::printf("  best/default %.3fx, best vs cuBLAS %.3fx, default vs cuBLAS %.3fx\n",
                r.default_t.median / b->t.median, r.cublas_t.median / b->t.median,
                r.cublas_t.median / r.default_t.median);
  }
  if (verbose) {
    std::vector<const candidate*> order;
    for (const candidate& c : r.candidates) order.push_back(&c);
    std::stable_sort(order.begin(), order.end(), [](const candidate* a, const candidate* b) {
      if (a->problem.empty() != b->problem.empty()) return a->problem.empty();
      return a->t.median < b->t.median;
    });
    for (const candidate* c : order) {
      if (!c->problem.empty()) {
        std::printf("    %-72s %s\n", to_string(c->forced).c_str(), c->problem.c_str());
      } else {
        std::printf("    %-72s %10.1f us%s%s\n", to_string(c->bound.pol).c_str(), c->t.median * 1e6,
                    c->t.gave_up ? " (stopped early)" : "",
                    c->note.empty() ? "" : (" " + c->note).c_str());
      }
    }
  }
  std::fflush(stdout);
}

/// The table key of a candidate: its tile with automatic splits (and lanes,
/// for row_subwarp, whose table entry leaves lanes to the row length).
policy table_key(const candidate& c) {
  if (c.as_entry != e_count) return c.entry_value;
  policy p = c.forced;
  p.splits = 0;
  if (p.kernel == kernel_kind::row_subwarp) p.lanes = 0;
  if (p.kernel == kernel_kind::row_split_k) p.kernel = kernel_kind::row_block;
  return p;
}

bool key_less(const policy& a, const policy& b) {
  return std::tie(a.kernel, a.threads, a.rows, a.lanes, a.unroll) <
         std::tie(b.kernel, b.threads, b.rows, b.lanes, b.unroll);
}

/// Picks each table entry from the shapes that use it, prints the reasoning
/// and the snippet.
void print_table(const environment& env, const std::vector<shape_result>& results) {
  const int arch = env.facts.cc_major * 10 + env.facts.cc_minor;
  const tuning::table& current = tuning::for_arch(arch);
  policy chosen[e_count] = {current.row_warp, current.row_block, current.row_subwarp,
                            current.column, current.column_whole};
  std::string why[e_count];

  for (int e = 0; e < e_count; ++e) {
    std::map<policy, std::vector<double>, decltype(&key_less)> ratios(&key_less);
    int shapes = 0;
    for (const shape_result& r : results) {
      const kernel_kind k = r.default_plan.pol.kernel;
      if (k == kernel_kind::scale_only || r.table_entry != e) continue;
      std::vector<const candidate*> family;
      for (const candidate& c : r.candidates)
        if (competes_for(static_cast<entry>(e), c, k, r.auto_lanes)) family.push_back(&c);
      if (family.empty()) continue;
      double best = std::numeric_limits<double>::infinity();
      for (const candidate* c : family) best = std::min(best, c->t.median);
      for (const candidate* c : family) ratios[table_key(*c)].push_back(c->t.median / best);
      ++shapes;
    }
    if (shapes == 0) {
      why[e] = "no shape of the sweep uses it: kept";
      continue;
    }
    double best_score = std::numeric_limits<double>::infinity();
    double current_score = 0;
    policy current_key = chosen[e];
    current_key.splits = 0;
    for (const auto& [key, v] : ratios) {
      if (static_cast<int>(v.size()) != shapes) continue;  // must have run on every voter
      const double score = geomean(v);
      if (score < best_score) {
        best_score = score;
        chosen[e] = key;
      }
      if (!key_less(key, current_key) && !key_less(current_key, key)) current_score = score;
    }
    // Within noise of the winner, the current entry stays: tied values
    // (entries the dispatch reshapes to the same plans) must not churn.
    const bool keep_current = current_score > 0 && current_score <= best_score * 1.005;
    if (keep_current) chosen[e] = current_key;
    char buf[200];
    std::snprintf(buf, sizeof buf, "%d shape(s); winner %.3fx of the per-shape best%s", shapes,
                  best_score, current_score > 0 ? "" : ", current tile not measured on all");
    why[e] = buf;
    if (current_score > 0) {
      std::snprintf(buf, sizeof buf, ", current tile %.3fx%s", current_score,
                    keep_current ? ": kept" : "");
      why[e] += buf;
    }
  }
  chosen[e_row_block].kernel = kernel_kind::row_block;
  chosen[e_column_whole].splits = 1;

  // split_waves (row split-K) and column_blocks_per_sm (split column plans)
  // set how many pieces a split plan gets: did twice or half the automatic
  // split count of the table's own tile win, on the shapes whose default
  // plan splits with that family?
  const auto vote_on_splits = [&](kernel_kind family, policy tile, int value, std::string& why) {
    std::vector<double> twice, half;
    tile.kernel = family;
    for (const shape_result& r : results) {
      if (r.default_plan.splits <= 1 || r.default_plan.pol.kernel != family) continue;
      const candidate* base = nullptr;
      for (const candidate& c : r.candidates)
        if (c.problem.empty() && c.forced == tile) base = &c;
      if (!base) continue;
      for (const candidate& c : r.candidates) {
        if (!c.problem.empty() || c.note.find("auto splits") == std::string::npos) continue;
        (c.note[0] == '2' ? twice : half).push_back(c.t.median / base->t.median);
      }
    }
    why = "kept";
    if (!twice.empty() && geomean(twice) < 0.97 &&
        (half.empty() || geomean(twice) <= geomean(half))) {
      why = "doubled: 2x splits ran at " + std::to_string(geomean(twice)) + "x the time";
      return value * 2;
    }
    if (!half.empty() && geomean(half) < 0.97) {
      why = "halved: 0.5x splits ran at " + std::to_string(geomean(half)) + "x the time";
      return std::max(1, value / 2);
    }
    return value;
  };
  std::string split_why, column_split_why;
  const int split_waves =
      vote_on_splits(kernel_kind::row_split_k, current.row_block, current.split_waves, split_why);
  const int column_blocks_per_sm = vote_on_splits(kernel_kind::column, current.column,
                                                  current.column_blocks_per_sm, column_split_why);

  std::printf("\nTable entries (current table: %s)\n", current.name);
  for (int e = 0; e < e_count; ++e)
    std::printf("  %-12s %s: %s\n", kEntryNames[e], policy_literal(chosen[e]).c_str(),
                why[e].c_str());
  std::printf("  split_waves  %d: %s\n", split_waves, split_why.c_str());
  std::printf("  column_blocks_per_sm  %d: %s\n", column_blocks_per_sm, column_split_why.c_str());

  char date[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&now));
  std::printf(
      "\n// ---- tuning table snippet ----\n"
      "// Measured by gemv_bench --tune on %s (sm_%d, %d SMs), %s.\n"
      "// Thresholds other than split_waves and column_blocks_per_sm are carried over\n"
      "// from the %s table.\n"
      "inline constexpr table sm%d{\n"
      "    \"sm%d\",\n"
      "    /*row_warp=*/%s,\n"
      "    /*row_block=*/%s,\n"
      "    /*row_subwarp=*/%s,\n"
      "    /*column=*/%s,\n"
      "    /*column_whole=*/%s,\n"
      "    /*subwarp_max_row_bytes=*/%d,\n"
      "    /*short_row_bytes=*/%d,\n"
      "    /*max_block_bytes=*/%d,\n"
      "    /*split_waves=*/%d,\n"
      "    /*min_split_bytes=*/%d,\n"
      "    /*column_blocks_per_sm=*/%d,\n"
      "    /*column_whole_min_wave_pct=*/%d,\n"
      "    /*column_whole_max_rows=*/%d,\n"
      "    /*loaded_latency_ns=*/%d,\n"
      "    /*row_block_min_threads=*/%d,\n"
      "};\n",
      env.facts.name.c_str(), arch, env.facts.sm_count, date, current.name, arch, arch,
      policy_literal(chosen[e_row_warp]).c_str(), policy_literal(chosen[e_row_block]).c_str(),
      policy_literal(chosen[e_row_subwarp]).c_str(), policy_literal(chosen[e_column]).c_str(),
      policy_literal(chosen[e_column_whole]).c_str(), current.subwarp_max_row_bytes,
      current.short_row_bytes, current.max_block_bytes, split_waves, current.min_split_bytes,
      column_blocks_per_sm, current.column_whole_min_wave_pct, current.column_whole_max_rows,
      current.loaded_latency_ns, current.row_block_min_threads);
}

}  // namespace

int run_tuner(environment& env, const std::vector<shape>& shapes) {
  std::printf("gemv_bench --tune on %s (sm_%d%d, %d SMs, L2 %zu MiB)\n\n", env.facts.name.c_str(),
              env.facts.cc_major, env.facts.cc_minor, env.facts.sm_count, env.facts.l2_bytes >> 20);
  std::vector<shape_result> results;
  int failures = 0;
  for (const shape& s : shapes) {
    try {
      results.push_back(tune_shape(env, s));
      print_shape(results.back(), env.opts.beta, env.opts.tune_verbose);
    } catch (const std::exception& e) {
      std::printf("%s  FAILED: %s\n", s.name().c_str(), e.what());
      ++failures;
    }
  }

  std::printf("\n%-28s %13s %13s %13s %12s %14s\n", "shape", "default", "best", "cuBLAS",
              "best_vs_def", "def_vs_cuBLAS");
  for (const shape_result& r : results) {
    const std::int64_t bytes = r.s.moved_bytes(env.opts.beta);
    const candidate* b = best_of(r);
    const double best = b ? b->t.median : r.default_t.median;
    std::printf("%-28s %8.0f GB/s %8.0f GB/s %8.0f GB/s %11.3fx %13.3fx\n", r.s.name().c_str(),
                gbps(bytes, r.default_t.median), gbps(bytes, best), gbps(bytes, r.cublas_t.median),
                r.default_t.median / best, r.cublas_t.median / r.default_t.median);
  }
  print_table(env, results);
  return failures == 0 ? 0 : 1;
}

}  // namespace gemv::bench
