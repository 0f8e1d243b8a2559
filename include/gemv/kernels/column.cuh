#pragma once
// Column kernel, for across_rows problems (row-major op t, column-major op n):
// output j gathers A[i][j] * x[i] over the stored rows i. A block is a tile of
// blockDim.x threads along the outputs, each owning one vector of adjacent
// outputs, by blockDim.y slices that share the rows of the block's split
// piece. Slices meet in shared memory in a fixed order; pieces (gridDim.y > 1)
// meet in column_split_finalize.

#include <gemv/detail/accumulator.cuh>
#include <gemv/detail/element.cuh>
#include <gemv/kernels/args.cuh>

namespace gemv::detail {

template <class T, int Unroll, bool Vectorized>
__global__ void column_kernel(const kernel_args<T> a) {
  constexpr int W = Vectorized ? kVectorWidth<T> : 1;
  extern __shared__ double slice_sums[];  // [blockDim.y][blockDim.x * W]

  const std::int64_t tile_first = std::int64_t{blockIdx.x} * blockDim.x * W;
  const std::int64_t col = tile_first + std::int64_t{threadIdx.x} * W;
  const std::int64_t split = blockIdx.y;
  const std::int64_t i_begin = split * a.split_length;
  const std::int64_t i_end = min(a.rows, i_begin + a.split_length);
  const int slices = blockDim.y;
  // A whole vector of outputs is in range, or the thread reads element-wise.
  const bool whole = col + W <= a.cols;
  const int valid = col >= a.cols ? 0 : (whole ? W : static_cast<int>(a.cols - col));

  compensated_sum acc[W];
  std::int64_t i = i_begin + threadIdx.y;
  if (valid > 0) {
    const T* column = a.A + col;
    for (; i + (Unroll - 1) * slices < i_end; i += Unroll * slices) {
      float xv[Unroll];
      fragment<W> av[Unroll];
#pragma unroll
      for (int u = 0; u < Unroll; ++u) {
        const std::int64_t ii = i + u * slices;
        xv[u] = cached_element(a.x + ii * a.incx);
        const T* p = column + ii * a.ld;
        if constexpr (Vectorized) {
          if (whole) {
            av[u] = unpack<T>(stream_vector(p));
          } else {
#pragma unroll
            for (int w = 0; w < W; ++w) av[u].v[w] = w < valid ? stream_element(p + w) : 0.0f;
          }
        } else {
          av[u].v[0] = stream_element(p);
        }
      }
#pragma unroll
      for (int w = 0; w < W; ++w) {
        float partial = 0.0f;
#pragma unroll
        for (int u = 0; u < Unroll; ++u) partial = fmaf(av[u].v[w], xv[u], partial);
        acc[w].add(partial);
      }
    }
    for (; i < i_end; i += slices) {
      const float xv = cached_element(a.x + i * a.incx);
      const T* p = column + i * a.ld;
#pragma unroll
      for (int w = 0; w < W; ++w)
        if (w < valid) acc[w].add(stream_element(p + w) * xv);
    }
  }

  const int tile = blockDim.x * W;
#pragma unroll
  for (int w = 0; w < W; ++w) slice_sums[threadIdx.y * tile + threadIdx.x * W + w] = acc[w].value();
  __syncthreads();

  // Slices meet in a fixed order: the result does not depend on timing.
  const int tid = threadIdx.y * blockDim.x + threadIdx.x;
  for (int o = tid; o < tile; o += blockDim.x * blockDim.y) {
    const std::int64_t out = tile_first + o;
    if (out >= a.cols) break;
    double dot = 0.0;
    for (int s = 0; s < slices; ++s) dot += slice_sums[s * tile + o];
    if (a.splits > 1) {
      a.partials[split * a.cols + out] = dot;
    } else {
      store_output(a.y + out * a.incy, dot, a.alpha, a.beta);
    }
  }
}

}  // namespace gemv::detail
