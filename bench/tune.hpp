#pragma once
// The tuning mode (gemv_bench --tune): every candidate policy per shape,
// the best against the default plan and cuBLAS, and a tuning table for the
// card it runs on.

#include "shapes.hpp"

#include <vector>

namespace gemv::bench {

class environment;

/// Runs the policy sweep over `shapes` and prints the report and the table
/// snippet to stdout. Returns the process exit code.
int run_tuner(environment& env, const std::vector<shape>& shapes);

}  // namespace gemv::bench
