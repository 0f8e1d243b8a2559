// Prints the plan the dispatch makes for each shape of one of the
// benchmark's sweeps (bench/sweeps.hpp: default, rows, models, types, batch,
// multi) on a card from tests/support/cards.hpp, with what the model
// (dispatch/model.cuh) says of it: a markdown table for docs/tuning.md.
// Pure host arithmetic: it runs on a machine with no GPU.
//
//   gemv_plan_report "RTX 4090" [SWEEP]

#include <gemv/dispatch/make_plan.cuh>

#include "sweeps.hpp"
#include "support/cards.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace gemv;

/// The problem the benchmark's call of `s` poses, on the 16-byte aligned
/// buffers it allocates: rows are read in vectors when lda allows.
problem problem_of(const bench::shape& s) {
  problem p = describe(s.lay, s.trans, s.m, s.n, s.types.a, s.lda());
  p.x_type = s.types.x;
  p.vectorizable = s.lda() * static_cast<std::int64_t>(size_of(s.types.a)) % 16 == 0;
  p.batch = s.batch.count;
  p.vectors = std::max(s.vectors, 1);
  return p;
}

void report(const test::card& c, const std::vector<bench::shape>& sweep) {
  const tuning::table& t = tuning::for_arch(c.dev.arch);
  const double target = model::bytes_in_flight_target(c.dev, t);
  std::printf("%s (%s table): %d SMs, %.0f GB/s, target %.1f KB in flight per SM\n\n", c.name, t.name,
              c.dev.sm_count, c.dev.dram_bytes_per_second / 1e9, target / 1024);
  std::printf("| shape | plan | planned by | KB in flight per SM | resident blocks per SM |\n");
  std::printf("| --- | --- | --- | ---: | ---: |\n");
  for (const bench::shape& s : sweep) {
    const problem p = problem_of(s);
    const plan pl = make_plan(p, c.dev);
    // The model's figures, for the tiles of one call it computes them for:
    // whole-row blocks and warps, or the pieces of rows it split.
    const bool one_call = p.batch == 1 && p.vectors == 1;
    const bool modelled = one_call && pl.source == plan_source::model &&
                          (pl.pol.kernel == kernel_kind::row_block || pl.pol.kernel == kernel_kind::row_warp);
    const bool split_by_model = one_call && pl.source == plan_source::model_split;
    char policy_text[96];
    std::snprintf(policy_text, sizeof policy_text, "%s %d thr, rows %d, lanes %d, unroll %d, %lld piece%s",
                  to_string(pl.pol.kernel), pl.pol.threads, pl.pol.rows, pl.pol.lanes, pl.pol.unroll,
                  static_cast<long long>(pl.splits), pl.splits == 1 ? "" : "s");
    std::printf("| %s | %s%s | %s |", s.name().c_str(), policy_text, p.vectorizable ? "" : ", element-wise",
                to_string(pl.source));
    if (modelled) {
      const model::row_tile tile = model::tile_of(p, c.dev, pl.pol);
      std::printf(" %.1f | %lld |\n", model::bytes_in_flight(tile, model::row_vectors(p), c.dev) / 1024,
                  static_cast<long long>(model::resident_blocks(c.dev, pl.pol)));
    } else if (split_by_model) {
      const std::int64_t resident = model::resident_blocks(c.dev, pl.pol);
      const model::row_tile pieces{p.rows * pl.splits, resident, pl.pol.threads, 1, pl.pol.unroll};
      std::printf(" %.1f | %lld |\n",
                  model::bytes_in_flight(pieces, model::row_vectors(p) / pl.splits, c.dev) / 1024,
                  static_cast<long long>(resident));
    } else {
      std::printf(" | |\n");
    }
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<gemv::bench::shape> sweep;
  const std::string name = argc > 2 ? argv[2] : "default";
  if (!gemv::bench::named_sweep(name, sweep)) {
    std::fprintf(stderr, "no sweep named '%s' (bench/sweeps.hpp)\n", name.c_str());
    return 1;
  }
  bool any = false;
  for (const gemv::test::card& c : gemv::test::kCards) {
    if (argc > 1 && std::strcmp(argv[1], c.name) != 0) continue;
    report(c, sweep);
    any = true;
  }
  if (!any) {
    std::fprintf(stderr, "no card named '%s' in tests/support/cards.hpp\n", argv[1]);
    return 1;
  }
  return 0;
}
