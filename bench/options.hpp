#pragma once
// The benchmark's own command-line flags. They are taken out of argv before
// Google Benchmark sees it; everything else (--benchmark_filter,
// --benchmark_out, ...) goes to Google Benchmark unchanged.

#include "shapes.hpp"
#include "timer.hpp"

#include <string>
#include <vector>

namespace gemv::bench {

struct options {
  std::vector<shape> extra_shapes;      ///< --shape=..., run after the sweep
  bool default_sweep = true;            ///< --no-default-sweep turns it off
  std::string sweep = "default";        ///< --sweep=default|models|rows|types|batch|multi
  bool list = false;                    ///< --list: print the rows' names and exit, no GPU needed
  bool tune = false;                    ///< --tune: the policy sweep instead of the benchmark
  bool tune_verbose = false;            ///< --tune-verbose: every candidate's time too
  int samples = 0;                      ///< --samples=N: timed launches per row; 0 = by size
  float alpha = 1.0f;                   ///< --alpha=F
  float beta = 0.0f;                    ///< --beta=F
  bool compare = true;                  ///< --compare=0: no cuBLAS/ceiling timing in the gemv row
  flush_mode flush = flush_mode::full;  ///< --flush=full|memset|none
  int device = 0;                       ///< --device=N

  /// The shapes to run: the default sweep (unless turned off) and the
  /// --shape ones, without repeats.
  std::vector<shape> shapes() const;
};

/// Removes the flags above from argv. False, with a message, on a malformed
/// one. "--help" stays in argv (Google Benchmark prints its part and exits).
bool parse_options(int& argc, char** argv, options& out, std::string& error);

/// The help text of the flags above.
const char* options_help();

}  // namespace gemv::bench
