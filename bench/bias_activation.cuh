#pragma once
// The unfused epilogue that the fused one is measured against: after a plain
// gemv has written z = alpha * op(A) * x, one element-wise kernel computes
// y = act(z + bias) + beta * y, the way a framework runs a linear layer's
// bias and activation when its matrix-vector product cannot take them.

#include <gemv/types.cuh>

#include <cuda_runtime.h>

#include <cstdint>

namespace gemv::bench {

/// y[i] = act(z[i] + bias[i]) + beta * y[i] for i < count, with z, bias and
/// y of type `t` (bias may be null: no bias), computed in float (double for
/// double) as the library's epilogue computes its activation; y is not read
/// when beta is 0. z and y may be the same buffer.
void bias_activation(const void* z, const void* bias, activation act, double beta, void* y,
                     dtype t, std::int64_t count, cudaStream_t stream);

}  // namespace gemv::bench
