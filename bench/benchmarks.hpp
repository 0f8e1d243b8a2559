#pragma once
// Registers the Google Benchmark rows of each shape (see benchmarks.cpp).

#include "shapes.hpp"

#include <vector>

namespace gemv::bench {

class environment;

/// The rows of each shape (rows.hpp), named TYPES/LAYOUT/OP/MxN/KIND. `env`
/// must outlive benchmark::RunSpecifiedBenchmarks().
void register_rows(environment& env, const std::vector<shape>& shapes);

}  // namespace gemv::bench
