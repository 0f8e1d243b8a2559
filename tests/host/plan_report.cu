// Prints the plan the dispatch makes for each shape of the benchmark's
// default sweep on a card from tests/support/cards.hpp, with what the model
// (dispatch/model.cuh) says of it: a markdown table for docs/tuning.md.
// Pure host arithmetic: it runs on a machine with no GPU.
//
//   gemv_plan_report "RTX 4090"

#include <gemv/dispatch/make_plan.cuh>

#include "support/cards.hpp"

#include <cstdio>
#include <cstring>

namespace {

using namespace gemv;

struct row_shape {
  dtype type;
  reduction kind;
  std::int64_t m, n;  ///< as stored, row-major
};

// The default sweep of bench/shapes.hpp (row-major; op t is across_rows).
constexpr row_shape kSweep[] = {
    {dtype::f32, reduction::along_rows, 2048, 1048576}, {dtype::f32, reduction::along_rows, 256, 131072},
    {dtype::f32, reduction::along_rows, 4096, 4096},    {dtype::f32, reduction::along_rows, 8192, 8192},
    {dtype::f32, reduction::along_rows, 16384, 16384},  {dtype::f32, reduction::along_rows, 1, 16777216},
    {dtype::f32, reduction::along_rows, 16777216, 8},   {dtype::f32, reduction::along_rows, 1048576, 64},
    {dtype::f32, reduction::along_rows, 64, 1048576},   {dtype::f32, reduction::along_rows, 256, 256},
    {dtype::f32, reduction::along_rows, 1024, 1024},    {dtype::f16, reduction::along_rows, 4096, 4096},
    {dtype::f16, reduction::along_rows, 11008, 4096},   {dtype::f16, reduction::along_rows, 4096, 11008},
    {dtype::bf16, reduction::along_rows, 14336, 4096},  {dtype::bf16, reduction::along_rows, 4096, 14336},
    {dtype::bf16, reduction::along_rows, 128256, 4096}, {dtype::f32, reduction::across_rows, 4096, 4096},
    {dtype::f32, reduction::across_rows, 16384, 4096},  {dtype::bf16, reduction::across_rows, 4096, 14336},
    // The types sweep: double, and 1-byte weights on the decode shapes.
    {dtype::f64, reduction::along_rows, 2048, 1048576}, {dtype::f64, reduction::along_rows, 4096, 4096},
    {dtype::f64, reduction::across_rows, 4096, 4096},   {dtype::e4m3, reduction::along_rows, 14336, 4096},
    {dtype::e4m3, reduction::along_rows, 4096, 14336},  {dtype::e4m3, reduction::along_rows, 128256, 4096},
    {dtype::i8, reduction::along_rows, 28672, 8192},    {dtype::e4m3, reduction::across_rows, 4096, 14336},
};

void report(const test::card& c) {
  const tuning::table& t = tuning::for_arch(c.dev.arch);
  const double target = model::bytes_in_flight_target(c.dev, t);
  std::printf("%s (%s table): %d SMs, %.0f GB/s, target %.1f KB in flight per SM\n\n", c.name, t.name,
              c.dev.sm_count, c.dev.dram_bytes_per_second / 1e9, target / 1024);
  std::printf("| shape | plan | planned by | KB in flight per SM | resident blocks per SM |\n");
  std::printf("| --- | --- | --- | ---: | ---: |\n");
  for (const row_shape& s : kSweep) {
    problem p;
    p.kind = s.kind;
    p.type = s.type;
    p.rows = s.m;
    p.cols = s.n;
    p.ld = s.n;
    p.vectorizable = true;
    const plan pl = make_plan(p, c.dev);
    const bool modelled = model::plans(p, c.dev, t) && pl.splits == 1 &&
                          (pl.pol.kernel == kernel_kind::row_block || pl.pol.kernel == kernel_kind::row_warp);
    char policy_text[96];
    std::snprintf(policy_text, sizeof policy_text, "%s %d thr, rows %d, lanes %d, unroll %d, %lld piece%s",
                  to_string(pl.pol.kernel), pl.pol.threads, pl.pol.rows, pl.pol.lanes, pl.pol.unroll,
                  static_cast<long long>(pl.splits), pl.splits == 1 ? "" : "s");
    std::printf("| %s %s %lldx%lld | %s | %s |", to_string(s.type),
                s.kind == reduction::along_rows ? "n" : "t", static_cast<long long>(s.m),
                static_cast<long long>(s.n), policy_text, modelled ? "model" : "table rules");
    if (modelled) {
      const model::row_tile tile = model::tile_of(p, c.dev, pl.pol);
      std::printf(" %.1f | %lld |\n", model::bytes_in_flight(tile, model::row_vectors(p), c.dev) / 1024,
                  static_cast<long long>(model::resident_blocks(c.dev, pl.pol)));
    } else {
      std::printf(" | |\n");
    }
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  bool any = false;
  for (const gemv::test::card& c : gemv::test::kCards) {
    if (argc > 1 && std::strcmp(argv[1], c.name) != 0) continue;
    report(c);
    any = true;
  }
  if (!any) {
    std::fprintf(stderr, "no card named '%s' in tests/support/cards.hpp\n", argv[1]);
    return 1;
  }
  return 0;
}
