#pragma once
// All type-parameterised GPU suites, and the macro that instantiates them for
// one element type (once per type, in f32_test.cu, f16_test.cu, bf16_test.cu).
// Tests are named <type>/<Suite>/0.<Test>, e.g. f16/ForcedPolicies/0.Column;
// ctest shows that as f16.Column<__half>, so test names are kept unique
// across suites.

#include "gpu/concurrency.cuh"
#include "gpu/default_dispatch.cuh"
#include "gpu/determinism.cuh"
#include "gpu/exact.cuh"
#include "gpu/forced_policies.cuh"
#include "gpu/semantics.cuh"
#include "gpu/special_values.cuh"
#include "gpu/workspace_graph.cuh"

#define GEMV_INSTANTIATE_GPU_SUITES(name, T)                               \
  namespace gemv::test {                                                   \
  INSTANTIATE_TYPED_TEST_SUITE_P(name, ForcedPolicies, T);                 \
  INSTANTIATE_TYPED_TEST_SUITE_P(name, ExactArithmetic, T);                \
  INSTANTIATE_TYPED_TEST_SUITE_P(name, SpecialValues, T);                  \
  INSTANTIATE_TYPED_TEST_SUITE_P(name, Semantics, T);                      \
  INSTANTIATE_TYPED_TEST_SUITE_P(name, Determinism, T);                    \
  INSTANTIATE_TYPED_TEST_SUITE_P(name, WorkspaceAndGraphs, T);             \
  INSTANTIATE_TYPED_TEST_SUITE_P(name, DefaultDispatch, T);                \
  INSTANTIATE_TYPED_TEST_SUITE_P(name, Concurrency, T);                    \
  }
